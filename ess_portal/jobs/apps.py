from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background jobs (imports, exports, PDFs, reports, e-mail batches): cross-cutting infrastructure."""

    name = "ess_portal.jobs"
    label = "jobs"
    verbose_name = "tâches de fond"
