"""Writes of the budget itself: the vote of a line's amount and its décisions modificatives, each kept in the line's
history (who, when, deliberation). Keyword-only, typed, atomic; refusals raise a French `ValidationError`."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ess_portal.formatting import format_euros
from funding.budget_models import BudgetLine, BudgetLineRevision
from funding.enums import BudgetRevisionKind


@transaction.atomic
def record_budget_revision(
    *,
    budget_line: BudgetLine,
    kind: str,
    amount: Decimal,
    by,
    deliberation_number: str = "",
    deliberated_on: datetime.date | None = None,
    idempotency_key: str | None = None,
) -> BudgetLineRevision:
    """Record the vote of the line's budget (the plan's projection becomes the voted amount) or a décision
    modificative. The voted amount stays the ceiling of the commitments: it never goes below what is already
    committed, by a conditional UPDATE, so a commitment made meanwhile cannot be left above it."""
    if idempotency_key:
        existing = BudgetLineRevision.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    line = BudgetLine.objects.get(pk=budget_line.pk)
    if kind == BudgetRevisionKind.VOTE and line.is_voted:
        raise ValidationError(
            "Le budget de cette ligne est déjà voté : enregistrez une décision modificative.", code="kind"
        )
    if kind == BudgetRevisionKind.AMENDMENT and not line.is_voted:
        raise ValidationError("Enregistrez d’abord le vote du budget de cette ligne.", code="kind")
    if kind not in BudgetRevisionKind.values:
        raise ValidationError("Nature de révision inconnue.", code="kind")
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount < 0:
        raise ValidationError("Le montant voté ne peut pas être négatif.", code="amount")
    updated = BudgetLine.objects.filter(pk=line.pk, committed_amount__lte=amount).update(
        voted_amount=amount, is_voted=True, voted_by=by, voted_at=timezone.now()
    )
    if not updated:
        line.refresh_from_db()
        raise ValidationError(
            "Le montant de %(amount)s est inférieur au montant déjà engagé sur la ligne « %(line)s » (%(committed)s).",
            code="below_committed",
            params={
                "amount": format_euros(amount),
                "line": line.label,
                "committed": format_euros(line.committed_amount),
            },
        )
    try:
        with transaction.atomic():
            return BudgetLineRevision.objects.create(
                budget_line=line,
                kind=kind,
                previous_amount=line.voted_amount,
                amount=amount,
                deliberation_number=deliberation_number.strip(),
                deliberated_on=deliberated_on,
                idempotency_key=idempotency_key or None,
                recorded_by=by,
            )
    except IntegrityError:
        # The same key recorded by a concurrent request: undo our update with the whole transaction.
        raise ValidationError("Cette révision est déjà enregistrée.") from None
