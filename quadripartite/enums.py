from django.db import models


class CommitteeKind(models.TextChoices):
    STEERING = "steering", "comité de pilotage"
    FOLLOW_UP = "follow_up", "comité de suivi"


class Audience(models.TextChoices):
    ELECTED = "elected", "élu·e"
    TECHNICIAN = "technician", "technicien·ne"
    OTHER = "other", "invité·e"


class ConventionDocumentKind(models.TextChoices):
    CONVENTION = "convention", "convention"
    AMENDMENT = "amendment", "avenant"
