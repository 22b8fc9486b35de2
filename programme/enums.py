from django.db import models


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Non démarrée"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Réalisée"
    DELAYED = "delayed", "En retard"


class Rollup(models.TextChoices):
    """How a node's progress is computed from its children's."""

    AVERAGE = "average", "Moyenne simple"
    WEIGHTED = "weighted", "Moyenne pondérée (poids des sous-actions)"
