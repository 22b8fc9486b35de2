"""An actor's applications and aids, listed on its page in the staff registry (two queries, whatever their number)."""

from decimal import Decimal

from django.db.models import Q, Sum

from funding.enums import ApplicationStatus, CommitmentKind
from funding.models import Application, Commitment
from funding.permissions import can_view_instruction, can_view_spending


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


def actor_spending(actor, user) -> dict | None:
    """The commitments that are not grants whose beneficiary is the actor (membership fees, SCIC shares, foncière
    capital, studies), with their total; for the readers of the spending only, and only when there is one."""
    if not can_view_spending(user):
        return None
    commitments = list(
        Commitment.objects.filter(beneficiary=actor)
        .exclude(kind=CommitmentKind.GRANT)
        .select_related("budget_line")
        .order_by("-budget_line__year", "-committed_at", "-pk")
    )
    if not commitments:
        return None
    return {
        "commitments": commitments,
        "total": sum((commitment.amount for commitment in commitments), Decimal("0.00")),
        "paid": sum((commitment.paid_amount for commitment in commitments), Decimal("0.00")),
    }
