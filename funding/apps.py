from django.apps import AppConfig


class FundingConfig(AppConfig):
    verbose_name = "financements"
    name = "funding"

    def ready(self):
        # Register the app's navigation, job kinds (council dossiers, "reports" queue) and Celery tasks.
        from actors.sections import ActorSection, register_actor_section
        from ess_portal.navigation import register_navigation
        from funding import navigation, pdf_jobs, tasks  # noqa: F401
        from funding.aids import actor_aids, actor_spending

        register_navigation(*navigation.ENTRIES)
        register_actor_section(ActorSection("aids", "funding/_actor_aids.html", actor_aids, position=10))
        register_actor_section(ActorSection("spending", "funding/_actor_spending.html", actor_spending, position=20))
