from django.apps import AppConfig


class FonciereConfig(AppConfig):
    verbose_name = "foncière solidaire"
    name = "fonciere"

    def ready(self):
        # Navigation, the section of an actor's page, the in-kind aid counted by funding (de minimis, open data) and
        # the job kind of the yearly report ("reports" queue).
        from actors.sections import ActorSection, register_actor_section
        from ess_portal.navigation import register_navigation
        from fonciere import aids, navigation, pdf_jobs  # noqa: F401
        from funding.aid_sources import AidSource, register_aid_source

        register_navigation(*navigation.ENTRIES)
        register_actor_section(ActorSection("fonciere_leases", "fonciere/_actor_leases.html", aids.actor_leases, 20))
        register_aid_source(
            AidSource(
                "fonciere",
                de_minimis_total=aids.de_minimis_total,
                open_data_rows=aids.open_data_rows,
                open_data_counts=aids.open_data_counts,
            )
        )
