"""Rules of public law the grants workflow applies: de minimis ceilings, the mandatory convention, the
open-data publication deadline (see shared/reference/rules-and-formats.md)."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum

from ess_portal.formatting import format_euros
from funding.aid_sources import aid_sources
from funding.enums import ApplicationStatus, StateAidRegime
from funding.models import Application, Decision, DeclaredAid

# Décret 2001-495, art. 1: a written convention is mandatory above this amount a year.
CONVENTION_THRESHOLD = Decimal("23000.00")
# Décret 2017-779: the essential data are published within 3 months of the convention's signature.
OPEN_DATA_DELAY_MONTHS = 3
DE_MINIMIS_YEARS = 3
# The regimes whose aids count in the de minimis sum of an undertaking.
DE_MINIMIS_REGIMES = (StateAidRegime.DE_MINIMIS, StateAidRegime.SIEG_DE_MINIMIS)
ZERO = Decimal("0.00")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day `months` later, clamped to the month's last day (30 November + 3 months = 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def de_minimis_window(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The 3 rolling years ending on `on` (included): from the day after the same date 3 years earlier."""
    try:
        start = on.replace(year=on.year - DE_MINIMIS_YEARS)
    except ValueError:  # 29 February
        start = on.replace(year=on.year - DE_MINIMIS_YEARS, day=28)
    return start + datetime.timedelta(days=1), on


@dataclass(frozen=True)
class DeMinimisCheck:
    """The de minimis position of a structure for one application at a decision date."""

    ceiling: Decimal | None  # None: the scheme's regime has no de minimis ceiling
    window_start: datetime.date
    window_end: datetime.date
    our_aids: Decimal  # the Métropole's granted aids (de minimis or SIEG regimes) in the window
    declared_aids: Decimal  # aids declared by the structure in its applications, in the window
    amount: Decimal  # the aid being examined
    justification: str
    other_aids: Decimal = ZERO  # aids of the registered sources (funding/aid_sources.py: the foncière's in-kind aid)

    @property
    def total_before(self) -> Decimal:
        return self.our_aids + self.declared_aids + self.other_aids

    @property
    def total_after(self) -> Decimal:
        return self.total_before + self.amount

    @property
    def applies(self) -> bool:
        return self.ceiling is not None

    @property
    def exceeds(self) -> bool:
        return self.ceiling is not None and self.total_after > self.ceiling

    @property
    def remaining(self) -> Decimal | None:
        return None if self.ceiling is None else self.ceiling - self.total_before

    @property
    def is_blocking(self) -> bool:
        """Over the ceiling and no justification recorded: the approval is refused."""
        return self.exceeds and not self.justification.strip()


def de_minimis_sums(*, actor_id: int, on: datetime.date, exclude_application_id: int | None = None) -> dict:
    """Our granted aids and the declared aids of a structure over the 3 rolling years ending on `on`, in SQL.

    Declared aids are those of all the structure's applications (a structure declares the same aid in
    several applications: each (funder, date, amount) counts once).
    """
    start, end = de_minimis_window(on)
    ours = Decision.objects.filter(
        application__actor_id=actor_id,
        is_approved=True,
        decided_on__range=(start, end),
        application__scheme__state_aid_regime__in=DE_MINIMIS_REGIMES,
    )
    if exclude_application_id:
        ours = ours.exclude(application_id=exclude_application_id)
    our_total = ours.aggregate(total=Sum("granted_amount", default=ZERO))["total"]
    # The same aid declared again in a later application counts once: distinct (funder, date, amount) rows,
    # summed over a subquery.
    declared_total = (
        DeclaredAid.objects.filter(
            application__actor_id=actor_id, granted_on__range=(start, end), regime__in=DE_MINIMIS_REGIMES
        )
        .exclude(application__status=ApplicationStatus.WITHDRAWN)
        .values("funder", "granted_on", "amount")
        .distinct()
        .aggregate(total=Sum("amount", default=ZERO))["total"]
    )
    # Aids granted outside the grants workflow (in-kind aid of the foncière's leases…), registered by their apps.
    other_total = sum(
        (source.de_minimis_total(actor_id=actor_id, start=start, end=end) for source in aid_sources()), ZERO
    )
    return {
        "our_aids": our_total,
        "declared_aids": declared_total,
        "other_aids": other_total,
        "window_start": start,
        "window_end": end,
    }


def check_de_minimis(*, application: Application, amount: Decimal, on: datetime.date) -> DeMinimisCheck:
    """The structure's position if `amount` is granted to `application` on `on` (its own earlier decision, if
    any, left out)."""
    ceiling = application.scheme.de_minimis_ceiling if application.scheme_id else None
    sums = de_minimis_sums(actor_id=application.actor_id, on=on, exclude_application_id=application.pk)
    return DeMinimisCheck(
        ceiling=ceiling,
        window_start=sums["window_start"],
        window_end=sums["window_end"],
        our_aids=sums["our_aids"],
        declared_aids=sums["declared_aids"],
        other_aids=sums["other_aids"],
        amount=amount if ceiling is not None else ZERO,
        justification=application.de_minimis_justification,
    )


def ensure_de_minimis_allows(*, application: Application, amount: Decimal, on: datetime.date) -> DeMinimisCheck:
    """Raise a French ValidationError when granting `amount` exceeds the regime's ceiling without justification."""
    check = check_de_minimis(application=application, amount=amount, on=on)
    if check.is_blocking:
        raise ValidationError(
            "« %(title)s » : l’aide porterait le cumul de minimis de la structure à %(total)s sur trois ans, "
            "au-delà du plafond de %(ceiling)s. Enregistrez une justification sur la page d’instruction "
            "pour pouvoir l’accorder.",
            code="de_minimis_ceiling",
            params={
                "title": application.title,
                "total": format_euros(check.total_after),
                "ceiling": format_euros(check.ceiling),
            },
        )
    return check


def is_convention_required(amount: Decimal | None) -> bool:
    """A written convention is mandatory for a subsidy above 23,000 € (décret 2001-495)."""
    return amount is not None and amount > CONVENTION_THRESHOLD


def open_data_deadline(application: Application) -> datetime.date | None:
    """Publication due within 3 months of the convention's signature (décret 2017-779)."""
    if application.agreement_signed_on is None:
        return None
    return add_months(application.agreement_signed_on, OPEN_DATA_DELAY_MONTHS)


def open_data_overdue(*, today: datetime.date):
    """Signed applications not yet published in open data whose 3-month deadline has passed."""
    # signed_on + 3 months < today  ⇔  signed_on < today - 3 months (month arithmetic, clamped).
    limit = add_months(today, -OPEN_DATA_DELAY_MONTHS)
    return Application.objects.filter(Q(agreement_signed_on__lt=limit), open_data_published_on__isnull=True).order_by(
        "agreement_signed_on", "pk"
    )
