"""Writes of the co-financing table: staff enter any partner's row; a partner user only their own partner's."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ess_portal.formatting import format_euros
from funding.cofinancing_models import CoFinancing
from funding.permissions import can_instruct
from quadripartite.models import partner_of


def can_enter_cofinancing(user, partner) -> bool:
    if can_instruct(user):
        return True
    own = partner_of(user)
    return own is not None and own.pk == partner.pk


@transaction.atomic
def record_cofinancing(
    *, application, partner, year: int, pledged: Decimal, by, decided: Decimal | None = None, paid=Decimal("0")
) -> CoFinancing:
    """Create or update the row of (application, partner, year); paid never exceeds decided."""
    if not can_enter_cofinancing(by, partner):
        raise PermissionDenied("Vous ne pouvez saisir que les cofinancements de votre collectivité.")
    paid = paid or Decimal("0")
    if decided is None and paid:
        raise ValidationError("Un versement suppose un montant décidé : indiquez-le d’abord.", code="decided")
    if decided is not None and paid > decided:
        raise ValidationError(
            "Le montant versé (%(paid)s) dépasse le montant décidé (%(decided)s).",
            code="paid",
            params={"paid": format_euros(paid), "decided": format_euros(decided)},
        )
    row, _ = CoFinancing.objects.select_for_update().update_or_create(
        application=application,
        partner=partner,
        year=year,
        defaults={"pledged": pledged, "decided": decided, "paid": paid, "updated_by": by},
    )
    return row
