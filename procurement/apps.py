from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    verbose_name = "achats responsables"
    name = "procurement"
