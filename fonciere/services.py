"""Writes of the foncière solidaire: leases (never more surface let than the property has, at any date) and the
capitalisation instalments, committed on the budget through `funding.services.commit_spending`."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from actors.models import Actor
from ess_portal.formatting import format_euros, format_number
from fonciere.models import Capitalisation, Lease, Property
from funding.enums import CommitmentKind
from funding.models import BudgetLine
from funding.services import commit_spending

CAPITALISATION_LINE_CODE = "capitalisation-fonciere-solidaire"
FONCIERE_NAME = "Foncière solidaire de Bordeaux Métropole"


def _surface(value: Decimal) -> str:
    return f"{format_number(value, 2)} m²"


def ensure_surface_fits(
    *,
    property: Property,
    surface: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    exclude_lease_id: int | None = None,
) -> None:
    """Refuse a lease when, on some day of its period, the leases of the property would together exceed its surface.

    The rule is exact, not pairwise: the occupied surface only grows on a lease's first day, so it is enough to
    check the new lease's first day and the first day of every other lease starting within its period. Signed and
    unsigned leases both count (an unsigned lease reserves its premises)."""
    if surface > property.surface:
        raise ValidationError(
            "La surface louée (%(surface)s) dépasse la surface du bien (%(total)s).",
            code="surface",
            params={"surface": _surface(surface), "total": _surface(property.surface)},
        )
    others = list(property.leases.overlapping(starts_on, ends_on).exclude(pk=exclude_lease_id))
    checkpoints = {starts_on} | {lease.starts_on for lease in others if lease.starts_on > starts_on}
    for day in sorted(checkpoints):
        occupied = sum((lease.surface for lease in others if lease.is_active_on(day)), Decimal("0"))
        if occupied + surface > property.surface:
            raise ValidationError(
                "Le %(day)s, ce bail porterait la surface louée du bien « %(property)s » à %(total)s, au-delà de sa "
                "surface de %(surface)s (déjà louée ce jour-là : %(occupied)s).",
                code="surface",
                params={
                    "day": day.strftime("%d/%m/%Y"),
                    "property": property.name,
                    "total": _surface(occupied + surface),
                    "surface": _surface(property.surface),
                    "occupied": _surface(occupied),
                },
            )


def peak_leased_surface(property: Property) -> Decimal:
    """The largest surface let at once over the life of the property (its leases' first days are the peaks)."""
    leases = list(property.leases.all())
    return max(
        (
            sum((lease.surface for lease in leases if lease.is_active_on(day)), Decimal("0"))
            for day in {lease.starts_on for lease in leases}
        ),
        default=Decimal("0"),
    )


@transaction.atomic
def update_property(*, property: Property, **fields) -> Property:
    """Change a property; its surface never goes below what its leases let at once on some day."""
    property = Property.objects.select_for_update().get(pk=property.pk)
    for name, value in fields.items():
        setattr(property, name, value)
    peak = peak_leased_surface(property)
    if property.surface < peak:
        raise ValidationError(
            "Les baux du bien louent jusqu’à %(peak)s en même temps : la surface ne peut pas descendre en dessous.",
            code="surface",
            params={"peak": _surface(peak)},
        )
    property.full_clean()
    property.save()
    return property


def _check_lease_terms(
    *, starts_on: datetime.date, ends_on: datetime.date | None, rent: Decimal, market_rent: Decimal
) -> None:
    """The rules of a lease's own terms, at creation and on every change."""
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError("La fin du bail précède son début.", code="ends_on")
    if rent > market_rent:
        raise ValidationError(
            "Le loyer (%(rent)s/m²/an) dépasse le loyer de marché (%(market)s/m²/an).",
            code="rent",
            params={"rent": format_euros(rent), "market": format_euros(market_rent)},
        )


@transaction.atomic
def create_lease(
    *,
    property: Property,
    occupant: Actor,
    surface: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    rent: Decimal,
    market_rent: Decimal,
    by,
    signed_on: datetime.date | None = None,
) -> Lease:
    """Record a lease (signed or not yet) of part of `property`, within its surface at every date of the period."""
    _check_lease_terms(starts_on=starts_on, ends_on=ends_on, rent=rent, market_rent=market_rent)
    # Locked so that two leases recorded at once on the same property see each other.
    property = Property.objects.select_for_update().get(pk=property.pk)
    ensure_surface_fits(property=property, surface=surface, starts_on=starts_on, ends_on=ends_on)
    return Lease.objects.create(
        property=property,
        occupant=occupant,
        surface=surface,
        starts_on=starts_on,
        ends_on=ends_on,
        rent=rent,
        market_rent=market_rent,
        signed_on=signed_on,
        created_by=by,
    )


@transaction.atomic
def sign_lease(*, lease: Lease, signed_on: datetime.date, by) -> Lease:
    """Note the signature of a lease: from then on its discount counts as an in-kind aid to the occupant."""
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    if lease.signed_on is not None:
        raise ValidationError("Ce bail est déjà signé.", code="signed")
    lease.signed_on = signed_on
    lease.save(update_fields=["signed_on"])
    return lease


def capitalisation_line(year: int) -> BudgetLine:
    line = BudgetLine.objects.filter(year=year, code=CAPITALISATION_LINE_CODE).first()
    if line is None:
        raise ValidationError(
            "Aucune ligne « Capitalisation de la foncière solidaire » au budget %(year)s.",
            code="year",
            params={"year": year},
        )
    return line


@transaction.atomic
def capitalise(
    *,
    amount: Decimal,
    paid_on: datetime.date,
    year: int,
    deliberation_number: str,
    by,
    idempotency_key: str,
    deliberation_on: datetime.date | None = None,
) -> Capitalisation:
    """Record a capitalisation instalment: commit it on the year's capitalisation line (never beyond its voted
    amount, refused with the figures otherwise) and keep the instalment; the same key again returns it."""
    if not deliberation_number.strip():
        raise ValidationError("Indiquez le numéro de la délibération.", code="deliberation_number")
    commitment = commit_spending(
        budget_line=capitalisation_line(year),
        kind=CommitmentKind.FONCIERE_CAPITAL,
        amount=amount,
        label=f"Capitalisation de la foncière solidaire – versement du {paid_on:%d/%m/%Y}",
        by=by,
        idempotency_key=f"fonciere-capitalisation:{idempotency_key}",
        beneficiary_name=FONCIERE_NAME,
        deliberation_number=deliberation_number,
        deliberation_on=deliberation_on,
    )
    capitalisation, _ = Capitalisation.objects.get_or_create(
        commitment=commitment,
        defaults={
            "amount": commitment.amount,
            "paid_on": paid_on,
            "deliberation_number": deliberation_number.strip(),
            "deliberation_on": deliberation_on,
            "created_by": by,
        },
    )
    return capitalisation


@transaction.atomic
def update_lease(
    *,
    lease: Lease,
    surface: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    rent: Decimal,
    market_rent: Decimal,
    by,
) -> Lease:
    """Correct the terms of a lease not signed yet, under the rules of `create_lease` (the lease itself aside from
    the surface already let). A signed lease is only ended (`end_lease`)."""
    _check_lease_terms(starts_on=starts_on, ends_on=ends_on, rent=rent, market_rent=market_rent)
    # The property first, as `create_lease` does, so that a lease recorded meanwhile on it is seen.
    property = Property.objects.select_for_update().get(pk=lease.property_id)
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    lease.ensure_editable()
    ensure_surface_fits(
        property=property, surface=surface, starts_on=starts_on, ends_on=ends_on, exclude_lease_id=lease.pk
    )
    lease.surface = surface
    lease.starts_on = starts_on
    lease.ends_on = ends_on
    lease.rent = rent
    lease.market_rent = market_rent
    lease.save(update_fields=["surface", "starts_on", "ends_on", "rent", "market_rent"])
    return lease


@transaction.atomic
def end_lease(*, lease: Lease, ends_on: datetime.date, reason: str, by) -> Lease:
    """End a lease early, signed or not: from its start to its current end (any date for an open-ended lease). The
    in-kind aid follows, being computed up to the lease's end. A shorter lease always fits the property."""
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    if not reason.strip():
        raise ValidationError("Indiquez le motif de la fin anticipée du bail.", code="end_reason")
    if ends_on < lease.starts_on:
        raise ValidationError(
            "La fin du bail (%(ends_on)s) ne peut pas précéder son début (%(starts_on)s).",
            code="ends_on",
            params={"ends_on": ends_on.strftime("%d/%m/%Y"), "starts_on": lease.starts_on.strftime("%d/%m/%Y")},
        )
    if lease.ends_on is not None and ends_on > lease.ends_on:
        raise ValidationError(
            "La fin anticipée (%(ends_on)s) ne peut pas dépasser la fin actuelle du bail (%(current)s).",
            code="ends_on",
            params={"ends_on": ends_on.strftime("%d/%m/%Y"), "current": lease.ends_on.strftime("%d/%m/%Y")},
        )
    lease.ends_on = ends_on
    lease.end_reason = reason.strip()
    lease.save(update_fields=["ends_on", "end_reason"])
    return lease
