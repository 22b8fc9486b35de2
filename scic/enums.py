from django.db import models


class CollectivityKind(models.TextChoices):
    """The other public collectivities that may hold a SCIC's capital beside the Métropole."""

    REGION = "region", "région"
    DEPARTEMENT = "departement", "département"
    COMMUNE = "commune", "commune"
    OTHER = "other", "autre collectivité ou groupement"


class MovementKind(models.TextChoices):
    """What happens to the Métropole's shares: a subscription creates them (new capital), paying-up (libération)
    pays them without changing their number, a redemption (remboursement) or a transfer (cession) removes them."""

    SUBSCRIPTION = "subscription", "souscription"
    PAYING_UP = "paying_up", "libération"
    REDEMPTION = "redemption", "remboursement"
    TRANSFER = "transfer", "cession"


class Body(models.TextChoices):
    """The SCIC's body where the Métropole sits."""

    GENERAL_MEETING = "general_meeting", "assemblée générale"
    BOARD = "board", "conseil d’administration"
    SUPERVISORY_BOARD = "supervisory_board", "conseil de surveillance"
