from django.apps import AppConfig


class ActorsConfig(AppConfig):
    verbose_name = "acteurs de l’ESS"
    name = "actors"

    def ready(self):
        # Registers the `actor_import` job kind (the jobs app only discovers `job_handlers` modules).
        import actors.import_jobs  # noqa: F401
