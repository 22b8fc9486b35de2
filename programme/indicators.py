"""The indicators the portal computes from its own data (`Indicator.computation` names one of `COMPUTATIONS`).

Each computation takes a year and returns rows `(breakdown, breakdown_label, value)`: the total first, as
`("", "", total)`, then one row per part (a filière's code, an application state…). Every figure is an SQL
aggregate; no computation loops over the rows it measures, but the foncière's in-kind aid (rounded to the cent per
lease and year, as published). `programme.services.refresh_computed_measurements` stores the rows as measurements.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from actors.enums import LegalForm
from actors.models import Actor
from ess_portal.formatting import NBSP, format_euros, format_number, percentage
from events.enums import EventKind
from events.models import Event
from fonciere.enums import PropertyUse
from fonciere.models import Lease, Property
from funding.enums import ApplicationStatus
from funding.models import Application, Commitment, Decision
from procurement.contracts.models import InsertionHours
from scic.models import ShareMovement

Row = tuple[str, str, Decimal]

# The breakdown of what has no filière (applications outside the four priority filières).
NO_FILIERE = ("hors-filiere", "Hors filières prioritaires")

CENT = Decimal("0.01")


def _decimal(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def committed_amount_by_filiere(year: int) -> list[Row]:
    """Sum of the grants committed on the budget lines of the year (the exercise), by the application's filière."""
    commitments = Commitment.objects.grants().for_year(year)
    rows = (
        commitments.values("application__filiere__code", "application__filiere__name")
        .annotate(total=Sum("amount"))
        .order_by("application__filiere__code")
    )
    parts = [
        (row["application__filiere__code"], row["application__filiere__name"], _decimal(row["total"]))
        if row["application__filiere__code"]
        else (*NO_FILIERE, _decimal(row["total"]))
        for row in rows
    ]
    total = commitments.aggregate(total=Sum("amount"))["total"]
    return [("", "", _decimal(total)), *parts]


def _supported_actor_ids(year: int):
    """The actors holding a commitment on a budget line of the year, as a subquery."""
    return Commitment.objects.grants().for_year(year).values("application__actor_id")


def supported_actors(year: int) -> list[Row]:
    """Number of distinct structures with at least one commitment in the year, by legal form."""
    actors = Actor.objects.filter(pk__in=_supported_actor_ids(year))
    rows = actors.values("legal_form").annotate(count=Count("pk")).order_by("legal_form")
    labels = dict(LegalForm.choices)
    parts = [
        (row["legal_form"], str(labels.get(row["legal_form"], row["legal_form"])), _decimal(row["count"]))
        for row in rows
    ]
    return [("", "", _decimal(actors.count())), *parts]


def supported_actors_fte(year: int) -> list[Row]:
    """Sum of the FTE (effectif en ETP) of the structures with a commitment in the year; unknown FTE count as 0."""
    total = Actor.objects.filter(pk__in=_supported_actor_ids(year)).aggregate(total=Sum("fte"))["total"]
    return [("", "", _decimal(total))]


def applications_by_state(year: int) -> list[Row]:
    """Applications submitted in the year (local date), by their current state, in the order of the workflow."""
    applications = Application.objects.filter(submitted_at__year=year)
    counts = {
        row["status"]: row["count"]
        for row in applications.values("status").annotate(count=Count("pk")).order_by("status")
    }
    parts = [
        (status.value, str(status.label), _decimal(counts[status.value]))
        for status in ApplicationStatus
        if status.value in counts
    ]
    return [("", "", _decimal(sum(counts.values()))), *parts]


def average_instruction_days(year: int) -> list[Row]:
    """Average number of days from the submission of an application to the council's decision, for the decisions
    of the year. No decision in the year: no measurement at all (an average of nothing is not zero)."""
    delay = ExpressionWrapper(F("decided_on") - TruncDate("application__submitted_at"), output_field=DurationField())
    decisions = Decision.objects.filter(decided_on__year=year, application__submitted_at__isnull=False)
    result = decisions.annotate(delay=delay).aggregate(average=Avg("delay"), count=Count("pk"))
    if not result["count"]:
        return []
    days = Decimal(result["average"].total_seconds()) / Decimal(86400)
    return [("", "", days.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).quantize(CENT))]


def insertion_hours(year: int) -> list[Row]:
    """Insertion hours realised under the clauses of public contracts, for the periods ending in the year."""
    total = InsertionHours.objects.filter(period_end__year=year).aggregate(total=Sum("hours"))["total"]
    return [("", "", _decimal(total))]


def ess_events(year: int) -> list[Row]:
    """ESS events of the year already held, from the events register (actions 2.6, 3.1, 3.3), by kind."""
    events = Event.objects.in_year(year).held_by(timezone.localdate())
    rows = list(events.values("kind").annotate(count=Count("pk")).order_by("kind"))
    labels = dict(EventKind.choices)
    total = sum(row["count"] for row in rows)
    return [("", "", _decimal(total))] + [(row["kind"], labels[row["kind"]], _decimal(row["count"])) for row in rows]


def people_made_aware(year: int) -> list[Row]:
    """Elected officials and agents who attended the ESS events of the year (attendance recorded after each
    event), by audience; the general public is not counted (action 3.2 aims at élus and techniciens)."""
    totals = Event.objects.in_year(year).aggregate(elected=Sum("elected_count"), staff=Sum("staff_count"))
    elected, staff = _decimal(totals["elected"]), _decimal(totals["staff"])
    return [("", "", elected + staff), ("elus", "Élus", elected), ("agents", "Techniciens et agents", staff)]


def scic_subscriptions(year: int) -> list[Row]:
    """The Métropole's subscriptions of SCIC shares dated in the year, from the SCIC register (action 2.2)."""
    count = ShareMovement.objects.subscriptions().filter(moved_on__year=year).count()
    return [("", "", _decimal(count))]


def _fonciere_period(year: int) -> tuple[datetime.date, datetime.date] | None:
    """1 January to 31 December, or to today for the current year; None for a year to come (nothing hosted yet)."""
    today = timezone.localdate()
    if year > today.year:
        return None
    return datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)


def fonciere_occupants(year: int) -> list[Row]:
    """Distinct structures occupying premises of the foncière under a signed lease on at least one day of the year
    (to today for the current year), by legal form (action 2.3)."""
    period = _fonciere_period(year)
    if period is None:
        return []
    leases = Lease.objects.signed().overlapping(*period)
    actors = Actor.objects.filter(pk__in=leases.values("occupant_id"))
    rows = actors.values("legal_form").annotate(count=Count("pk")).order_by("legal_form")
    labels = dict(LegalForm.choices)
    parts = [
        (row["legal_form"], str(labels.get(row["legal_form"], row["legal_form"])), _decimal(row["count"]))
        for row in rows
    ]
    return [("", "", _decimal(sum(row[2] for row in parts))), *parts]


def fonciere_leased_surface(year: int) -> list[Row]:
    """Surface (m²) let under signed leases on 31 December (today for the current year), by use of the property."""
    period = _fonciere_period(year)
    if period is None:
        return []
    leases = Lease.objects.signed().active_on(period[1])
    rows = leases.values("property__use").annotate(total=Sum("surface")).order_by("property__use")
    labels = dict(PropertyUse.choices)
    parts = [
        (row["property__use"], str(labels.get(row["property__use"], row["property__use"])), _decimal(row["total"]))
        for row in rows
    ]
    return [("", "", _decimal(sum(row[2] for row in parts))), *parts]


def fonciere_occupancy_rate(year: int) -> list[Row]:
    """Surface let under signed leases on 31 December (today for the current year) over the surface of the year's
    properties (`PropertyQuerySet.of_the_year`), in % to one decimal, as in the foncière's yearly report to the
    council. No property: no measurement (a rate of nothing is not zero)."""
    period = _fonciere_period(year)
    if period is None:
        return []
    totals = (
        Property.objects.of_the_year(year)
        .with_occupancy(on=period[1])
        .aggregate(surface=Sum("surface"), occupied=Sum("occupied_surface"))
    )
    rate = percentage(totals["occupied"] or 0, totals["surface"])
    return [] if rate is None else [("", "", rate.quantize(CENT))]


def fonciere_in_kind_aid(year: int) -> list[Row]:
    """The in-kind aid (market rent − rent) of the signed leases for their days in the year, the whole year as agreed
    even for the current one: the total of the year's « aide en nature » rows of the SCDL open data.

    Each lease's amount is rounded to the cent, as published, so the sum is made over the leases read in one query
    (`LeaseQuerySet.in_kind_aid`) rather than by an SQL aggregate."""
    if year > timezone.localdate().year:
        return []
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return [("", "", _decimal(Lease.objects.signed().overlapping(start, end).in_kind_aid(start=start, end=end)))]


# Not computed yet, for want of a model: quadripartite meetings held (3.1) will be registered here when their app
# records them.


@dataclass(frozen=True)
class Computation:
    label: str
    function: Callable[[int], list[Row]]
    # For a delay, reaching the target means staying below it.
    lower_is_better: bool = False


COMPUTATIONS: dict[str, Computation] = {
    "committed_amount_by_filiere": Computation("Montant engagé par filière", committed_amount_by_filiere),
    "supported_actors": Computation("Nombre de structures soutenues", supported_actors),
    "supported_actors_fte": Computation("Effectif (ETP) des structures soutenues", supported_actors_fte),
    "applications_by_state": Computation("Demandes déposées dans l’année, par état", applications_by_state),
    "average_instruction_days": Computation(
        "Délai moyen d’instruction (dépôt → décision)", average_instruction_days, lower_is_better=True
    ),
    "insertion_hours": Computation("Heures d’insertion réalisées (clauses des marchés)", insertion_hours),
    "ess_events": Computation("Évènements ESS tenus dans l’année (registre des évènements)", ess_events),
    "people_made_aware": Computation("Élus et agents présents aux évènements ESS", people_made_aware),
    "scic_subscriptions": Computation(
        "Prises de participation au capital de SCIC (registre des SCIC)", scic_subscriptions
    ),
    "fonciere_occupants": Computation(
        "Structures hébergées par la foncière solidaire (baux signés)", fonciere_occupants
    ),
    "fonciere_leased_surface": Computation(
        "Surface louée par la foncière au 31 décembre (m²)", fonciere_leased_surface
    ),
    "fonciere_occupancy_rate": Computation("Taux d’occupation des biens de la foncière (%)", fonciere_occupancy_rate),
    "fonciere_in_kind_aid": Computation("Aide en nature de la foncière (loyers minorés)", fonciere_in_kind_aid),
}


def computation_choices() -> list[tuple[str, str]]:
    return [(name, computation.label) for name, computation in COMPUTATIONS.items()]


def achievement(*, target, value, lower_is_better: bool = False) -> Decimal | None:
    """How far the value reaches the target, in % (rounded to the unit); None without a target or a value.

    For a "lower is better" indicator (a delay), 100 % means at or under the target."""
    if target is None or value is None:
        return None
    target, value = Decimal(target), Decimal(value)
    if lower_is_better:
        if value == 0:
            return Decimal(100) if target >= 0 else None
        ratio = target / value
    else:
        if target == 0:
            return None
        ratio = value / target
    return (ratio * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def format_measure(value, unit: str) -> str:
    """A target or a measured value with its unit, in French: `145 000,00 €`, `12 structures`, `4,5 ETP`."""
    if value is None:
        return ""
    value = Decimal(value)
    if unit == "€":
        return format_euros(value)
    if value == value.to_integral_value():
        decimals = 0
    elif value * 10 == (value * 10).to_integral_value():
        decimals = 1
    else:
        decimals = 2
    if abs(value) < 2 and unit.isalpha() and unit.islower() and unit.endswith("s"):
        # French singular for 0 and 1: « 1 dossier », « 0 heure ».
        unit = unit[:-1]
    return f"{format_number(value, decimals)}{NBSP}{unit}".strip()
