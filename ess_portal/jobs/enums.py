from django.db import models


class JobKind(models.TextChoices):
    """What a background job does; each kind has a handler in `ess_portal.jobs.registry`."""

    REFERENCE_EXPORT = "reference_export", "Export des données de référence"
    ACTOR_IMPORT = "actor_import", "Import d’acteurs de l’ESS"
    ACTOR_EXPORT = "actor_export", "Export d’acteurs de l’ESS"
    COUNCIL_APPLICATION_DOSSIER = "council_application_dossier", "Rapport de présentation d’une demande (PDF)"
    COUNCIL_SESSION_DOSSIER = "council_session_dossier", "Dossier de séance du conseil (PDF)"
    ASR_EXPORT = "asr_export", "Export de l’annuaire ASR"
    INDICATOR_REPORT = "indicator_report", "Rapport d’indicateurs (PDF et XLSX)"
    PURCHASE_IMPORT = "purchase_import", "Import des achats (part des achats ESS)"
    PLIE_EXPORT = "plie_export", "Reporting PLIE des clauses d’insertion (XLSX)"
    SCIC_STAKE_DOSSIER = "scic_stake_dossier", "Dossier de délibération d’une prise de participation en SCIC (PDF)"
    FONCIERE_ANNUAL_REPORT = "fonciere_annual_report", "Rapport annuel de la foncière solidaire (PDF)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminée"
    FAILED = "failed", "Échouée"

    @classmethod
    def active(cls) -> list[str]:
        return [cls.QUEUED, cls.RUNNING]
