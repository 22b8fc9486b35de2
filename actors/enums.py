from django.db import models


class LegalForm(models.TextChoices):
    """Legal families of the ESS (loi du 31 juillet 2014, art. 1)."""

    ASSOCIATION = "association", "Association"
    SCOP = "scop", "Coopérative – SCOP"
    SCIC = "scic", "Coopérative – SCIC"
    CAE = "cae", "Coopérative d’activité et d’emploi (CAE)"
    COOPERATIVE = "cooperative", "Autre coopérative"
    MUTUELLE = "mutuelle", "Mutuelle"
    FONDATION = "fondation", "Fondation"
    SOCIETE_ESS = "societe_ess", "Société commerciale de l’ESS"


class AgrementKind(models.TextChoices):
    """State agréments and statuses that matter for support and for reserved public contracts."""

    ESUS = "esus", "ESUS – entreprise solidaire d’utilité sociale"
    SIAE = "siae", "SIAE – structure d’insertion par l’activité économique"
    EA = "ea", "EA – entreprise adaptée"
    ESAT = "esat", "ESAT – établissement et service d’aide par le travail"


class SiaeType(models.TextChoices):
    ACI = "aci", "ACI – atelier et chantier d’insertion"
    EI = "ei", "EI – entreprise d’insertion"
    ETTI = "etti", "ETTI – entreprise de travail temporaire d’insertion"
    AI = "ai", "AI – association intermédiaire"
    EITI = "eiti", "EITI – entreprise d’insertion par le travail indépendant"


class LocationPrecision(models.TextChoices):
    """How the actor's map pin was obtained."""

    ADDRESS = "address", "Adresse géocodée"
    COMMUNE = "commune", "Centre de la commune (adresse non trouvée)"
    MANUAL = "manual", "Saisie manuelle"
    NONE = "none", "Non localisé"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", "En attente de validation"
    APPROVED = "approved", "Validée"
    REJECTED = "rejected", "Refusée"


class ActorImportStatus(models.TextChoices):
    """Steps of an actor import: upload, column mapping and preview, then the run (inline or as a job)."""

    UPLOADED = "uploaded", "Fichier déposé"
    PREVIEWED = "previewed", "Aperçu prêt"
    QUEUED = "queued", "Import programmé"
    RUNNING = "running", "Import en cours"
    DONE = "done", "Import terminé"
    FAILED = "failed", "Import échoué"
