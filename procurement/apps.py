from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    verbose_name = "achats responsables"
    name = "procurement"

    def ready(self):
        # Register the app's navigation, job kinds and Celery tasks, in the web process as in the worker.
        from ess_portal.navigation import register_navigation
        from procurement import job_handlers, navigation, tasks  # noqa: F401

        register_navigation(*navigation.ENTRIES)
