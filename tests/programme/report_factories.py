"""Data for the indicator report tests: aids committed, paid and decided on given dates, indicator targets and
measurements, a report already produced (files in the private storage)."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.utils import timezone

from actors.models import Commune
from filieres.models import Filiere
from funding import services
from funding.enums import ApplicationStatus, PaymentKind
from funding.models import BudgetLine, Commitment, Decision, Payment
from programme.enums import MeasurementSource, ReportPeriodKind
from programme.models import Indicator, IndicatorReport, IndicatorTarget, Measurement
from tests.actors.factories import ActorFactory
from tests.funding.factories import ApplicationFactory, CouncilSessionFactory, SupportSchemeFactory

ZERO = Decimal("0.00")


def close_file_response(response) -> None:
    """Close the served file as the server would, without the `request_finished` signal that would also close the
    test's database connection (the test client does the same)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def aid(
    *,
    year: int,
    code: str,
    amount: str,
    committed_on: datetime.date,
    decided_on: datetime.date | None = None,
    submitted_on: datetime.date | None = None,
    paid: str = "0",
    paid_on: datetime.date | None = None,
    filiere: str | None = None,
    commune: str | None = None,
    name: str | None = None,
) -> Commitment:
    """An approved application, granted by the council on `decided_on`, committed on the year's line `code` on
    `committed_on`, with `paid` paid on `paid_on`."""
    line = BudgetLine.objects.get(year=year, code=code)
    actor_kwargs = {"name": name} if name else {}
    if commune:
        actor_kwargs["commune"] = Commune.objects.get(name=commune)
    application = ApplicationFactory(
        actor=ActorFactory(**actor_kwargs),
        scheme=SupportSchemeFactory(budget_line=line),
        filiere=Filiere.objects.get(code=filiere) if filiere else None,
        status=ApplicationStatus.APPROVED,
        requested_amount=Decimal(amount),
        submitted_at=aware(submitted_on) if submitted_on else None,
    )
    Decision.objects.create(
        application=application,
        council_session=CouncilSessionFactory(sits_on=decided_on or committed_on),
        deliberation_number=f"2024-{application.pk:04d}",
        decided_on=decided_on or committed_on,
        is_approved=True,
        granted_amount=Decimal(amount),
    )
    commitment = services.commit_budget(
        application=application, amount=Decimal(amount), by=None, idempotency_key=f"report-{application.pk}"
    )
    Commitment.objects.filter(pk=commitment.pk).update(committed_at=aware(committed_on), paid_amount=Decimal(paid))
    if Decimal(paid):
        Payment.objects.create(
            commitment=commitment, kind=PaymentKind.SINGLE, amount=Decimal(paid), paid_on=paid_on or committed_on
        )
    commitment.refresh_from_db()
    return commitment


def year_2024_aids() -> dict[str, Commitment]:
    """Two aids on 2024 lines (one in the 2nd quarter, one in the 1st) and one on a 2023 line."""
    return {
        "q2": aid(
            year=2024,
            code="soutiens-directs-projets",
            amount="145000",
            paid="45000",
            submitted_on=datetime.date(2024, 4, 3),
            decided_on=datetime.date(2024, 5, 2),
            committed_on=datetime.date(2024, 5, 10),
            paid_on=datetime.date(2024, 6, 15),
            filiere="1.1.3",
            commune="Bordeaux",
            name="Recyclerie des Chartrons",
        ),
        "q1": aid(
            year=2024,
            code="soutiens-reseaux",
            amount="30000",
            paid="30000",
            submitted_on=datetime.date(2024, 1, 8),
            decided_on=datetime.date(2024, 1, 25),
            committed_on=datetime.date(2024, 2, 1),
            paid_on=datetime.date(2024, 2, 20),
            filiere="1.1.2",
            commune="Mérignac",
        ),
        "2023": aid(
            year=2023,
            code="soutiens-directs-projets",
            amount="99000",
            paid="99000",
            decided_on=datetime.date(2023, 3, 1),
            committed_on=datetime.date(2023, 3, 10),
            filiere="1.1.1",
            commune="Talence",
        ),
    }


def indicator_targets_2024() -> None:
    """A target for the computed « montant engagé par filière » and an entered « emplois créés » with its target."""
    IndicatorTarget.objects.create(
        indicator=Indicator.objects.get(code="montant-engage-filiere"), year=2024, value=Decimal("200000")
    )
    jobs = Indicator.objects.get(code="emplois-crees")
    IndicatorTarget.objects.create(indicator=jobs, year=2024, value=Decimal("40"))
    Measurement.objects.create(
        indicator=jobs,
        year=2024,
        value=Decimal("30"),
        source=MeasurementSource.ENTERED,
        measured_on=datetime.date(2024, 6, 30),
    )


def produced_report(*, starts_on=datetime.date(2024, 4, 1), ends_on=datetime.date(2024, 6, 30), **kwargs):
    """A report whose files are already stored (without running the job)."""
    kwargs.setdefault("period_kind", ReportPeriodKind.QUARTERLY)
    kwargs.setdefault("title", f"Rapport d’indicateurs du {starts_on:%d/%m/%Y} au {ends_on:%d/%m/%Y}")
    report = IndicatorReport.objects.create(starts_on=starts_on, ends_on=ends_on, **kwargs)
    report.pdf_file.save("rapport.pdf", ContentFile(b"%PDF-1.7 rapport"), save=False)
    report.xlsx_file.save("rapport.xlsx", ContentFile(b"PK xlsx"), save=False)
    report.generated_at = timezone.now()
    report.save()
    return report
