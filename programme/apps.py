from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    verbose_name = "plan d’actions et indicateurs"
    name = "programme"

    def ready(self):
        # Register the app's navigation, job kinds (indicator reports) and Celery tasks, in every process.
        from ess_portal.navigation import register_navigation
        from programme import job_handlers, navigation, report_tasks, tasks  # noqa: F401

        register_navigation(*navigation.ENTRIES)
