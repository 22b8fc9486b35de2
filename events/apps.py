from django.apps import AppConfig


class EventsConfig(AppConfig):
    verbose_name = "évènements ESS"
    name = "events"

    def ready(self):
        from ess_portal.navigation import register_navigation
        from events import navigation

        register_navigation(*navigation.ENTRIES)
