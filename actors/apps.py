from django.apps import AppConfig


class ActorsConfig(AppConfig):
    verbose_name = "acteurs de l’ESS"
    name = "actors"

    def ready(self):
        # Register the app's navigation, job kinds (exports, `actor_import`) and Celery tasks, in every process.
        from actors import import_jobs, job_handlers, navigation, tasks  # noqa: F401
        from ess_portal.navigation import register_navigation

        register_navigation(*navigation.ENTRIES)
