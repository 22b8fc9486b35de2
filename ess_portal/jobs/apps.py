from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    """Background jobs (imports, exports, PDFs, reports, e-mail batches): cross-cutting infrastructure."""

    name = "ess_portal.jobs"
    label = "jobs"
    verbose_name = "tâches de fond"

    def ready(self):
        # Fill the registry of job kinds, in the web process as in the worker.
        import ess_portal.jobs.handlers  # noqa: F401

        autodiscover_modules("job_handlers")
