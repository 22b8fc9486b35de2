from django.apps import AppConfig


class ActorsConfig(AppConfig):
    verbose_name = "acteurs de l’ESS"
    name = "actors"
