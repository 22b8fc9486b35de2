"""The life of a grant application: which status may follow which (DESIGN.md).

draft → submitted → in_review ⇄ info_requested → proposed (to a council session) → approved | rejected
→ agreement_signed → paid → closed. The applicant may withdraw until the council decides; rejected and
withdrawn are final. Every move goes through `funding.services`, which stores an ApplicationTransition.
"""

from django.core.exceptions import ValidationError

from funding.enums import ApplicationStatus as S

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.INFO_REQUESTED, S.PROPOSED, S.WITHDRAWN}),
    S.INFO_REQUESTED: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
    S.PROPOSED: frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.AGREEMENT_SIGNED}),
    S.AGREEMENT_SIGNED: frozenset({S.PAID}),
    S.PAID: frozenset({S.CLOSED}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.CLOSED: frozenset(),
}

# Statuses the applicant can still withdraw from (the council has not decided yet).
WITHDRAWABLE = frozenset(status for status, targets in ALLOWED_TRANSITIONS.items() if S.WITHDRAWN in targets)
# Statuses in which the applicant may still edit the application.
EDITABLE_BY_APPLICANT = frozenset({S.DRAFT})
# Final statuses: nothing follows.
FINAL = frozenset(status for status, targets in ALLOWED_TRANSITIONS.items() if not targets)


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, frozenset())


def check_transition(from_status: str, to_status: str) -> None:
    """Raise a French ValidationError when `to_status` may not follow `from_status`."""
    if not can_transition(from_status, to_status):
        raise ValidationError(
            "Impossible de passer la demande de l’état « %(from)s » à l’état « %(to)s ».",
            code="illegal_transition",
            params={"from": S(from_status).label, "to": S(to_status).label},
        )
