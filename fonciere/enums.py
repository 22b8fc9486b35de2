from django.db import models


class PropertyUse(models.TextChoices):
    OFFICES = "bureaux", "bureaux"
    ACTIVITY = "activite", "locaux d’activité"
    LOGISTICS = "logistique", "logistique"
    RETAIL = "commerce", "commerce"
    THIRD_PLACE = "tiers_lieu", "tiers-lieu"


class Tenure(models.TextChoices):
    """How the foncière holds a property: it owns it, or manages it for its owner (mandat de gestion)."""

    HELD = "held", "détenu par la foncière"
    MANAGEMENT_MANDATE = "management_mandate", "mandat de gestion"
