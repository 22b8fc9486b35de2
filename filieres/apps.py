from django.apps import AppConfig


class FilieresConfig(AppConfig):
    verbose_name = "filières"
    name = "filieres"
