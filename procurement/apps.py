from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    verbose_name = "achats responsables"
    name = "procurement"

    def ready(self):
        # Register the app's job kinds and Celery tasks, in the web process as in the worker.
        from procurement import job_handlers, tasks  # noqa: F401
