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


class PremisesRequestStatus(models.TextChoices):
    """Where an ESS project looking for premises stands with the foncière's comité d'engagement."""

    OPEN = "open", "à présenter au comité"
    ON_AGENDA = "on_agenda", "inscrit à l’ordre du jour"
    FAVOURABLE = "favourable", "avis favorable"
    UNFAVOURABLE = "unfavourable", "avis défavorable"
    WITHDRAWN = "withdrawn", "retiré"


class CommitteeDecision(models.TextChoices):
    PENDING = "pending", "à examiner"
    FAVOURABLE = "favourable", "avis favorable"
    UNFAVOURABLE = "unfavourable", "avis défavorable"
    ADJOURNED = "adjourned", "ajourné"
