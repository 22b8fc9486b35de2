from django.apps import AppConfig


class FilieresConfig(AppConfig):
    verbose_name = "filières"
    name = "filieres"

    def ready(self):
        from ess_portal.navigation import register_navigation
        from filieres import navigation

        register_navigation(*navigation.ENTRIES)
