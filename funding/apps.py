from django.apps import AppConfig


class FundingConfig(AppConfig):
    verbose_name = "financements"
    name = "funding"

    def ready(self):
        # Registers the council dossier job kinds (PDF, "reports" queue).
        import funding.pdf_jobs  # noqa: F401
