from django.apps import AppConfig


class QuadripartiteConfig(AppConfig):
    verbose_name = "convention quadripartite"
    name = "quadripartite"
