from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    verbose_name = "plan d’actions et indicateurs"
    name = "programme"
