"""Producing an indicator report: the PDF's text (read with pdftotext) and the XLSX hold the database's figures in
French format, the same period asked twice gives one report and one file, a template that uses a missing variable
fails the job with a French message, and the job succeeds once fixed and relaunched."""

import datetime
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum
from openpyxl import load_workbook

from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job
from ess_portal.jobs.services import execute_job, retry_job
from filieres.models import Filiere
from funding.models import BudgetLine, Commitment, Payment
from programme import job_handlers, report_content
from programme.enums import ReportPeriodKind
from programme.models import Indicator, IndicatorReport, IndicatorTarget
from programme.reports import request_indicator_report
from tests.programme.report_factories import ZERO, indicator_targets_2024, year_2024_aids

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed: cannot read the PDF text"
)
Q2_2024 = {"starts_on": datetime.date(2024, 4, 1), "ends_on": datetime.date(2024, 6, 30)}


def produce(capture, *, by=None, **period) -> IndicatorReport:
    """Request the report and run its job as the worker would (tasks are eager in the tests)."""
    period = period or Q2_2024
    kind = period.pop("period_kind", ReportPeriodKind.QUARTERLY)
    with capture(execute=True):
        report = request_indicator_report(period_kind=kind, by=by, **period)
    report.refresh_from_db()
    report.job.refresh_from_db()
    return report


def pdf_text(report: IndicatorReport) -> str:
    with report.pdf_file.open("rb") as file:
        data = file.read()
    assert data.startswith(b"%PDF-")
    text = subprocess.run([PDFTOTEXT, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@needs_pdftotext
def test_the_pdf_shows_the_period_indicators_against_targets_and_amounts_in_french_format(
    django_capture_on_commit_callbacks, staff_user
):
    year_2024_aids()
    indicator_targets_2024()

    report = produce(django_capture_on_commit_callbacks, by=staff_user)

    assert report.job.status == JobStatus.DONE, report.job.error_details
    assert report.generated_at is not None
    text = pdf_text(report)
    assert "Rapport trimestriel d’indicateurs Plan en faveur de l’économie sociale et solidaire 2022–2026 " in text
    assert "2e trimestre 2024 – du 1er avril 2024 au 30 juin 2024" in text
    assert "Page 2 sur" in text
    # The computed indicator was refreshed from the commitments of 2024 (145 000 + 30 000) against its target.
    # (Cells of one row are read in order; a page break may separate the name column from the figures, and the
    # page's footer may be read between the cells of a row at the foot of a page.)
    assert "Montant des aides engagées, par filière" in text
    assert re.search(r"Indicateur d’activité (.{0,200} )?200 000,00 € 175 000,00 € 87,5 %", text)
    assert "Emplois créés ou maintenus par les projets soutenus" in text
    assert "Indicateur d’impact 40 ETP 30 ETP 75 %" in text
    # Budget of the year: the line's voted, committed and paid amounts.
    assert "Soutiens directs aux projets Fonctionnement 145 000,00 € 145 000,00 € 45 000,00 €" in text
    # The period's own activity: only the 2nd quarter's decision, commitment and payment.
    assert "Aides accordées par le conseil 1 145 000,00 €" in text
    assert "Engagements comptables 1 145 000,00 €" in text
    assert "Versements 1 45 000,00 €" in text
    # Aids by filière and by commune on the 2024 lines (the 2023 aid of Talence is not there).
    assert "Écoconstruction et habitat 1 145 000,00 € 45 000,00 €" in text
    assert "Mérignac 1 30 000,00 € 30 000,00 €" in text
    assert "Talence" not in text
    assert "Note méthodologique" in text


def sheet_rows(workbook, title):
    return list(workbook[title].iter_rows(min_row=2, values_only=True))


def test_the_xlsx_figures_equal_the_database_aggregates(django_capture_on_commit_callbacks, staff_user):
    year_2024_aids()
    indicator_targets_2024()

    report = produce(django_capture_on_commit_callbacks, by=staff_user)

    with report.xlsx_file.open("rb") as handle:
        workbook = load_workbook(handle)
    assert workbook.sheetnames == [
        "Période",
        "Indicateurs",
        "Budget",
        "Aides par filière",
        "Aides par commune",
        "Plan d’actions",
    ]
    period = {row[0]: row[1] for row in sheet_rows(workbook, "Période")}
    q2 = (Q2_2024["starts_on"], Q2_2024["ends_on"])
    assert period["Du"].date() == Q2_2024["starts_on"] and period["Au"].date() == Q2_2024["ends_on"]
    committed_in_q2 = Commitment.objects.filter(committed_at__date__range=q2).aggregate(total=Sum("amount"))
    paid_in_q2 = Payment.objects.filter(paid_on__range=q2).aggregate(total=Sum("amount"))
    assert Decimal(str(period["Engagements (montant)"])) == committed_in_q2["total"] == Decimal("145000")
    assert Decimal(str(period["Versements (montant)"])) == paid_in_q2["total"] == Decimal("45000")
    assert (period["Demandes déposées"], period["Aides accordées (nombre)"]) == (1, 1)

    budget = sheet_rows(workbook, "Budget")
    lines = BudgetLine.objects.for_year(2024).order_by("section", "-is_in_plan", "position")
    assert len(budget) == lines.count() + 1  # and the total
    for row, line in zip(budget, lines, strict=False):
        commitments = Commitment.objects.filter(budget_line=line)
        assert row[0] == line.label
        assert Decimal(str(row[2])) == line.voted_amount
        assert Decimal(str(row[3])) == commitments.aggregate(total=Sum("amount", default=ZERO))["total"]
        assert Decimal(str(row[4])) == commitments.aggregate(total=Sum("paid_amount", default=ZERO))["total"]
    total = budget[-1]
    assert total[0] == "Total"
    assert Decimal(str(total[2])) == BudgetLine.objects.for_year(2024).aggregate(total=Sum("voted_amount"))["total"]
    assert Decimal(str(total[3])) == Decimal("175000") and Decimal(str(total[4])) == Decimal("75000")

    by_filiere = {row[0]: row[1:] for row in sheet_rows(workbook, "Aides par filière")}
    for filiere in Filiere.objects.all():
        expected = Commitment.objects.filter(budget_line__year=2024, application__filiere=filiere).aggregate(
            committed=Sum("amount", default=ZERO), paid=Sum("paid_amount", default=ZERO)
        )
        committed, paid, _count = by_filiere[filiere.name]
        assert (Decimal(str(committed)), Decimal(str(paid))) == (expected["committed"], expected["paid"])
    by_commune = {row[0]: row[1:] for row in sheet_rows(workbook, "Aides par commune")}
    assert set(by_commune) == {"Bordeaux", "Mérignac", "Total"}
    assert Decimal(str(by_commune["Bordeaux"][0])) == Decimal("145000")

    indicators = {row[0]: row[3:] for row in sheet_rows(workbook, "Indicateurs")}
    assert len(indicators) == Indicator.objects.active().count()
    amount = Indicator.objects.get(code="montant-engage-filiere")
    target, value, rate = indicators[amount.name]
    assert Decimal(str(target)) == IndicatorTarget.objects.get(indicator=amount, year=2024).value
    assert Decimal(str(value)) == Decimal("175000") and Decimal(str(rate)) == Decimal("87.5")

    plan = sheet_rows(workbook, "Plan d’actions")
    assert [row[0] for row in plan if str(row[0]).startswith("Axe")] == ["Axe 1", "Axe 2", "Axe 3"]
    workbook.close()


def test_the_same_period_requested_twice_gives_one_report_and_one_file(
    django_capture_on_commit_callbacks, staff_user, admin_user, media_root
):
    first = produce(django_capture_on_commit_callbacks, by=staff_user)
    second = produce(django_capture_on_commit_callbacks, by=admin_user)
    # Two dates that are exactly the quarter are the same report too.
    third = produce(django_capture_on_commit_callbacks, by=admin_user, period_kind=ReportPeriodKind.CUSTOM, **Q2_2024)

    assert first.pk == second.pk == third.pk
    assert IndicatorReport.objects.count() == 1
    assert Job.objects.filter(kind=JobKind.INDICATOR_REPORT).count() == 1
    assert first.job.attempts == 1
    assert len(list((Path(media_root) / "reports").rglob("*.pdf"))) == 1
    assert len(list((Path(media_root) / "reports").rglob("*.xlsx"))) == 1


def test_a_missing_template_variable_fails_the_job_in_french_and_the_fixed_report_can_be_relaunched(
    django_capture_on_commit_callbacks, staff_user, monkeypatch
):
    year_2024_aids()

    def context_without_activity(content):
        context = report_content.pdf_context(content)
        del context["activity"]
        return context

    monkeypatch.setattr(job_handlers, "pdf_context", context_without_activity)
    report = produce(django_capture_on_commit_callbacks, by=staff_user)

    job = report.job
    assert job.status == JobStatus.FAILED
    assert job.error_message.startswith(
        "Le modèle « programme/pdf/indicator_report.html » (ligne 44) utilise une donnée absente : "
        "activity.granted_count. Le document n’a pas pu être produit"
    )
    assert "relancer la tâche" in job.error_message
    assert not report.pdf_file and not report.xlsx_file and report.generated_at is None

    monkeypatch.undo()  # the fix is deployed
    with django_capture_on_commit_callbacks(execute=True):
        retry_job(job=job)

    job.refresh_from_db()
    report.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error_details
    assert job.error_message == ""
    assert report.pdf_file and report.xlsx_file and report.generated_at is not None
    with report.pdf_file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_a_job_whose_report_was_deleted_fails_with_a_french_message(staff_user):
    report = request_indicator_report(period_kind=ReportPeriodKind.QUARTERLY, by=staff_user, **Q2_2024)
    job = report.job
    report.delete()

    execute_job(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_message == "Ce rapport d’indicateurs a été supprimé : il ne peut plus être produit."
