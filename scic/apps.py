from django.apps import AppConfig


class ScicConfig(AppConfig):
    verbose_name = "SCIC"
    name = "scic"

    def ready(self):
        # Register the navigation entry, the section of the actor's page (its SCIC stakes) and the job kind of the
        # stake's deliberation dossier ("reports" queue).
        from actors.sections import ActorSection, register_actor_section
        from ess_portal.navigation import register_navigation
        from scic import navigation, pdf_jobs  # noqa: F401
        from scic.sections import actor_scic_stakes

        register_navigation(*navigation.ENTRIES)
        register_actor_section(ActorSection("scic", "scic/_actor_scic.html", actor_scic_stakes, position=20))
