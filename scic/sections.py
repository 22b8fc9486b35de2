"""The SCIC section of an actor's page in the staff registry (registered in `ScicConfig.ready()`)."""

from actors.enums import LegalForm
from scic.models import Scic, ShareMovement
from scic.permissions import can_view_scic


def actor_scic_stakes(actor, user) -> dict | None:
    """The actor's SCIC figures and the Métropole's movements in it, in two queries; None (and no query) when it is
    not a SCIC, not in the register or the user may not read it."""
    if actor.legal_form != LegalForm.SCIC or not can_view_scic(user):
        return None  # no query for the other structures
    scic = Scic.objects.with_figures().filter(actor=actor).first()
    if scic is None:
        return None
    movements = ShareMovement.objects.filter(scic=scic).select_related("commitment").order_by("-moved_on", "-pk")
    return {"scic": scic, "movements": list(movements)}
