from django.apps import AppConfig


class QuadripartiteConfig(AppConfig):
    verbose_name = "convention quadripartite"
    name = "quadripartite"

    def ready(self):
        from ess_portal.navigation import register_navigation
        from quadripartite import navigation

        register_navigation(*navigation.ENTRIES)
