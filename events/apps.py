from django.apps import AppConfig


class EventsConfig(AppConfig):
    verbose_name = "évènements ESS"
    name = "events"

    def ready(self):
        # Navigation (the register for its readers, the public agenda for everyone) and the section of an actor's page.
        from actors.sections import ActorSection, register_actor_section
        from ess_portal.navigation import register_navigation
        from events import navigation, sections

        register_navigation(*navigation.ENTRIES)
        register_actor_section(ActorSection("events", "events/_actor_events.html", sections.actor_events, 30))
