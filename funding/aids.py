"""An actor's applications and aids, listed on its page in the staff registry (two queries, whatever their number)."""

from decimal import Decimal

from django.db.models import Q, Sum

from funding.enums import ApplicationStatus
from funding.models import Application
from funding.permissions import can_view_instruction


def actor_aids(actor, user) -> dict:
    """The actor's applications with their decision and commitment, and the totals, summed in SQL.

    Staff and elected officials see every submitted application; the other readers of the registry
    (procurement, partners) only the granted aids.
    """
    applications = Application.objects.filter(actor=actor).exclude(status=ApplicationStatus.DRAFT)
    if not can_view_instruction(user):
        applications = applications.filter(decision__is_approved=True)
    zero = Decimal("0.00")
    totals = applications.aggregate(
        requested=Sum("requested_amount", default=zero),
        granted=Sum("decision__granted_amount", filter=Q(decision__is_approved=True), default=zero),
        committed=Sum("commitment__amount", default=zero),
        paid=Sum("commitment__paid_amount", default=zero),
    )
    rows = applications.select_related("scheme", "decision", "decision__council_session", "commitment").order_by(
        "-submitted_at", "-pk"
    )
    return {"applications": list(rows), "totals": totals, "shows_all_applications": can_view_instruction(user)}
