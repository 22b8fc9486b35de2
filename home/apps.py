from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The landing page, the role home pages, the reference data and the demo: what composes every app."""

    name = "home"
    verbose_name = "accueil et espaces"

    def ready(self):
        from ess_portal.navigation import register_navigation
        from home import job_handlers, navigation  # noqa: F401  (job_handlers registers the reference export)

        register_navigation(*navigation.ENTRIES)
