from django.apps import AppConfig


class FundingConfig(AppConfig):
    verbose_name = "financements"
    name = "funding"
