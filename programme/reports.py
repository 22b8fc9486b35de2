"""Periodic indicator reports: a PDF and an XLSX on the plan's indicators, budget, aids and progress over a period.

- Quarterly and annual reports are requested by the daily beat task `programme.produce_periodic_reports`
  (programme/report_tasks.py) once their period is over, and e-mailed to the elected officials' list;
- staff request a report for any period (a quarter, a year, two dates) at /plan/rapports/ or through the API;
  they follow it on « Mes tâches ».

One report per period: asking again for the same dates gives back the same report, job and files (the job's
idempotency key is the period). The job (`indicator_report`, "reports" queue) is in programme/job_handlers.py.
"""

import calendar
import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.services import request_job
from funding.models import Application, Commitment, Decision, Payment
from programme.enums import ReportPeriodKind
from programme.models import IndicatorReport

logger = logging.getLogger(__name__)

# The plan's first year: nothing to report before it.
FIRST_DAY = datetime.date(2022, 1, 1)
ZERO = Decimal("0.00")
# The reports produced by the beat task (nobody asked for them): only those are e-mailed to the elected officials.
AUTOMATIC = Q(requested_by=None, period_kind__in=[ReportPeriodKind.QUARTERLY, ReportPeriodKind.ANNUAL])
QUARTER_NAMES = {1: "1er trimestre", 2: "2e trimestre", 3: "3e trimestre", 4: "4e trimestre"}


# --- Periods ---

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def long_date(day: datetime.date) -> str:
    """« 1er avril 2024 », « 30 juin 2024 » (French typography: the first day of a month is « 1er »)."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Period:
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date

    @property
    def year(self) -> int:
        """The year of the yearly figures (indicators, budget, aids): the year the period ends in."""
        return self.ends_on.year

    @property
    def dates(self) -> str:
        """« du 1er avril 2024 au 30 juin 2024 »."""
        return f"du {long_date(self.starts_on)} au {long_date(self.ends_on)}"

    @property
    def label(self) -> str:
        """« 2e trimestre 2024 », « année 2024 », « du 01/02/2024 au 15/05/2024 »."""
        if self.kind == ReportPeriodKind.QUARTERLY:
            return f"{QUARTER_NAMES[quarter_number(self.starts_on)]} {self.starts_on.year}"
        if self.kind == ReportPeriodKind.ANNUAL:
            return f"année {self.starts_on.year}"
        return f"du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"

    @property
    def title(self) -> str:
        if self.kind == ReportPeriodKind.QUARTERLY:
            return f"Rapport trimestriel d’indicateurs – {self.label}"
        if self.kind == ReportPeriodKind.ANNUAL:
            return f"Rapport annuel d’indicateurs – {self.starts_on.year}"
        return f"Rapport d’indicateurs {self.label}"


def quarter_number(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter(year: int, number: int) -> Period:
    first_month = 3 * (number - 1) + 1
    last_month = first_month + 2
    return Period(
        ReportPeriodKind.QUARTERLY,
        datetime.date(year, first_month, 1),
        datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def quarter_containing(day: datetime.date) -> Period:
    return quarter(day.year, quarter_number(day))


def quarter_before(day: datetime.date) -> Period:
    """The last quarter fully over on `day` (on 1 April 2024: January–March 2024)."""
    return quarter_containing(quarter_containing(day).starts_on - datetime.timedelta(days=1))


def year_containing(day: datetime.date) -> Period:
    return Period(ReportPeriodKind.ANNUAL, datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))


def year_before(day: datetime.date) -> Period:
    return year_containing(datetime.date(day.year - 1, 1, 1))


def period_between(starts_on: datetime.date, ends_on: datetime.date) -> Period:
    """The period of two dates: a quarter or a year when they are exactly one, otherwise a chosen period."""
    for candidate in (quarter_containing(starts_on), year_containing(starts_on)):
        if (candidate.starts_on, candidate.ends_on) == (starts_on, ends_on):
            return candidate
    return Period(ReportPeriodKind.CUSTOM, starts_on, ends_on)


def period_errors(starts_on: datetime.date, ends_on: datetime.date, *, today: datetime.date) -> list[tuple[str, str]]:
    """What is wrong with a chosen period, as (field, French message): the form and the API show them by the field."""
    errors = []
    if starts_on < FIRST_DAY:
        errors.append(("starts_on", f"Le rapport ne peut pas commencer avant le {FIRST_DAY:%d/%m/%Y}, début du plan."))
    if ends_on > today:
        errors.append(("ends_on", f"Le rapport ne peut pas aller au-delà d’aujourd’hui ({today:%d/%m/%Y})."))
    if starts_on > ends_on:
        errors.append(("ends_on", "La date de fin doit être postérieure ou égale à la date de début."))
    return errors


# --- Requests ---


def report_idempotency_key(starts_on: datetime.date, ends_on: datetime.date) -> str:
    return f"indicator_report:{starts_on:%Y-%m-%d}:{ends_on:%Y-%m-%d}"


def request_indicator_report(
    *, starts_on: datetime.date, ends_on: datetime.date, period_kind: str, by=None
) -> IndicatorReport:
    """The report of the period, created with its job if nobody asked for it yet (then produced in the background).

    `by` is None for the automatic reports (those are e-mailed to the elected officials when produced); the first
    requester of an on-demand report follows its job on « Mes tâches ».
    """
    existing = IndicatorReport.objects.filter(starts_on=starts_on, ends_on=ends_on).select_related("job").first()
    if existing is not None:
        return existing
    period = Period(period_kind, starts_on, ends_on)
    with transaction.atomic():
        job = request_job(
            kind=JobKind.INDICATOR_REPORT,
            parameters={
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
                "period_kind": period_kind,
            },
            requested_by=by,
            idempotency_key=report_idempotency_key(starts_on, ends_on),
        )
        # A concurrent request with the same period got the job first: its report is the one.
        report = IndicatorReport.objects.filter(job=job).first()
        if report is None:
            report = IndicatorReport.objects.create(
                period_kind=period_kind,
                starts_on=starts_on,
                ends_on=ends_on,
                title=period.title,
                job=job,
                requested_by=by,
            )
    return report


def produce_periodic_reports(*, today: datetime.date | None = None) -> list[IndicatorReport]:
    """Request the report of the last quarter that is over and of the last year that is over (nothing new when they
    already exist), then e-mail the automatic reports produced but not yet sent. Safe to run any number of times."""
    today = today or timezone.localdate()
    reports = []
    for period in (quarter_before(today), year_before(today)):
        if period.starts_on < FIRST_DAY:
            continue
        reports.append(
            request_indicator_report(starts_on=period.starts_on, ends_on=period.ends_on, period_kind=period.kind)
        )
    for report in IndicatorReport.objects.filter(AUTOMATIC, emailed_at=None).done():
        try:
            email_report(report=report)
        except Exception:  # the SMTP server is down: tomorrow's run tries again
            logger.exception("Indicator report %s could not be e-mailed.", report.pk)
    return reports


# --- E-mail to the elected officials ---


def report_recipients() -> list[str]:
    """`INDICATOR_REPORT_RECIPIENTS` when set (a list of addresses), else the active users with the elected role."""
    configured = [address for address in getattr(settings, "INDICATOR_REPORT_RECIPIENTS", []) if address]
    if configured:
        return configured
    return list(
        User.objects.with_role(Role.ELECTED)
        .filter(is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def report_url(report: IndicatorReport) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("programme:report_detail", args=[report.pk])


def email_report(*, report: IndicatorReport) -> bool:
    """Send the produced automatic report's announcement (a link to its page, behind the login: no attachment) to
    the elected officials' list, once. False when it was already sent, is not produced yet or has no recipient."""
    recipients = report_recipients()
    if not recipients:
        logger.warning("Indicator report %s: nobody to e-mail (no elected official, no recipient set).", report.pk)
        return False
    with transaction.atomic():
        # The row lock makes two concurrent runs send one message; an SMTP error rolls back `emailed_at`.
        report = (
            IndicatorReport.objects.select_for_update().filter(AUTOMATIC, pk=report.pk, emailed_at=None).done().first()
        )
        if report is None:
            return False
        period = Period(report.period_kind, report.starts_on, report.ends_on)
        context = {"report": report, "period": period, "url": report_url(report)}
        subject = " ".join(render_to_string("programme/reports/email_subject.txt", context).split())
        body = render_to_string("programme/reports/email.txt", context)
        send_mail(subject, body, None, recipients)
        report.emailed_at = timezone.now()
        report.save(update_fields=["emailed_at"])
    return True


# --- What happened during the period (the yearly figures come from programme.dashboard) ---


@dataclass
class PeriodActivity:
    """Grants activity dated within the period, whatever the budget year: applications submitted, aids granted by
    the council, commitments made, payments made."""

    submitted_count: int
    granted_count: int
    granted_amount: Decimal
    committed_count: int
    committed_amount: Decimal
    paid_count: int
    paid_amount: Decimal


def period_activity(starts_on: datetime.date, ends_on: datetime.date) -> PeriodActivity:
    """Four aggregate queries, whatever the number of applications."""
    dates = (starts_on, ends_on)
    granted = Decision.objects.filter(decided_on__range=dates, is_approved=True).aggregate(
        count=Count("pk"), amount=Sum("granted_amount", default=ZERO)
    )
    committed = Commitment.objects.filter(committed_at__date__range=dates).aggregate(
        count=Count("pk"), amount=Sum("amount", default=ZERO)
    )
    paid = Payment.objects.filter(paid_on__range=dates).aggregate(
        count=Count("pk"), amount=Sum("amount", default=ZERO)
    )
    return PeriodActivity(
        submitted_count=Application.objects.filter(submitted_at__date__range=dates).count(),
        granted_count=granted["count"],
        granted_amount=granted["amount"],
        committed_count=committed["count"],
        committed_amount=committed["amount"],
        paid_count=paid["count"],
        paid_amount=paid["amount"],
    )
