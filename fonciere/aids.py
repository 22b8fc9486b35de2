"""The foncière's in-kind aid as the rest of the portal reads it: the de minimis sum and the SCDL open data (through
`funding.aid_sources`, registered in `FonciereConfig.ready()`) and the section of an actor's page."""

import datetime
from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone

from fonciere.models import Lease
from fonciere.permissions import can_view_fonciere

SCHEME_NAME = "Foncière solidaire – loyers minorés"


def de_minimis_total(*, actor_id: int, start: datetime.date, end: datetime.date) -> Decimal:
    """The in-kind aid of the actor's leases signed by `end`, for their days within [start, end] (one query)."""
    leases = Lease.objects.signed().filter(occupant_id=actor_id, signed_on__lte=end).overlapping(start, end)
    return leases.in_kind_aid(start=start, end=end)


def open_data_rows(*, year: int) -> Iterator[dict]:
    """One row per signed lease and calendar year: the in-kind aid of its days in `year` (one query); nothing for a
    year to come, the current year counted to the lease's end or to 31 December."""
    if year > timezone.localdate().year:
        return
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    leases = (
        Lease.objects.signed()
        .overlapping(start, end)
        .select_related("occupant", "property__commune")
        .order_by("signed_on", "pk")
    )
    for lease in leases:
        amount = lease.in_kind_aid_between(start, end)
        if amount <= 0:
            continue
        yield {
            "date_convention": lease.signed_on,
            "reference_decision": "",
            "beneficiary_name": lease.occupant.name,
            "beneficiary_siret": lease.occupant.siret,
            "beneficiary_rna": lease.occupant.rna,
            "purpose": (
                f"Mise à disposition de locaux à loyer minoré : {lease.surface.normalize():f} m² – "
                f"{lease.property.name} ({lease.property.commune.name})"
            ),
            "amount": amount,
            "period_start": max(start, lease.starts_on),
            "period_end": min(end, lease.ends_on or end),
            "scheme": SCHEME_NAME,
        }


def open_data_counts() -> list[dict]:
    """`[{"year", "rows", "total"}]` of the rows of `open_data_rows`, up to the current year (one query)."""
    counts: dict[int, dict] = {}
    for lease in Lease.objects.signed():
        for year, amount in lease.in_kind_aid_by_year(until=timezone.localdate().replace(month=12, day=31)).items():
            if amount > 0:
                row = counts.setdefault(year, {"year": year, "rows": 0, "total": Decimal("0.00")})
                row["rows"] += 1
                row["total"] += amount
    return list(counts.values())


def actor_leases(actor, user) -> dict | None:
    """The actor's leases and their in-kind aid per year, for the readers of the foncière (one query)."""
    if not can_view_fonciere(user):
        return None
    leases = Lease.objects.filter(occupant=actor).select_related("property__commune").order_by("-starts_on", "-pk")
    if not leases:  # evaluates the queryset once; the aid below reads the same rows
        return None
    return {"leases": leases, "aid_by_year": leases.in_kind_aid_by_year()}
