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
