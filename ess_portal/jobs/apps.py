from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background jobs (imports, exports, PDFs, reports, e-mail batches): cross-cutting infrastructure.

    Each app registers its own job kinds (its `job_handlers` module) and Celery tasks in its `AppConfig.ready()`.
    """

    name = "ess_portal.jobs"
    label = "jobs"
    verbose_name = "tâches de fond"

    def ready(self):
        from ess_portal.jobs import navigation, tasks  # noqa: F401
        from ess_portal.navigation import register_navigation

        register_navigation(*navigation.ENTRIES)
