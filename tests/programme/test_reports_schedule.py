"""The daily beat task: once a quarter or a year is over its report is requested exactly once, produced, and announced
by e-mail to the elected officials' list (a link behind the login, no attachment), once; on-demand reports are not
e-mailed."""

import datetime
import io
import smtplib

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command

from accounts.enums import Role
from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job
from programme import job_handlers, reports
from programme.enums import ReportPeriodKind
from programme.models import IndicatorReport
from programme.report_tasks import produce_periodic_reports
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.usefixtures("reference_data")
D = datetime.date


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def quick_pdf(monkeypatch):
    """The PDF's layout is tested in test_reports_production; here a stand-in keeps these tests fast."""
    monkeypatch.setattr(job_handlers, "render_pdf", lambda template_name, context: b"%PDF-1.7 rapport")


@pytest.fixture
def elected_officials(db):
    return [
        UserFactory(role=Role.ELECTED, email="vice-presidente@bordeaux-metropole.fr"),
        UserFactory(role=Role.ELECTED, email="conseiller@bordeaux-metropole.fr"),
        UserFactory(role=Role.ELECTED, email="ancien-elu@bordeaux-metropole.fr", is_active=False),
        UserFactory(role=Role.STAFF, email="agent@bordeaux-metropole.fr"),
    ]


def run_beat(capture, today):
    with capture(execute=True):
        return reports.produce_periodic_reports(today=today)


def periods():
    return list(
        IndicatorReport.objects.order_by("starts_on", "ends_on").values_list("period_kind", "starts_on", "ends_on")
    )


def test_after_a_year_ends_the_last_quarter_and_the_year_are_requested_once_however_often_it_runs(
    django_capture_on_commit_callbacks, elected_officials
):
    for _ in range(2):
        run_beat(django_capture_on_commit_callbacks, D(2025, 1, 1))
    run_beat(django_capture_on_commit_callbacks, D(2025, 2, 14))

    assert periods() == [
        (ReportPeriodKind.ANNUAL, D(2024, 1, 1), D(2024, 12, 31)),
        (ReportPeriodKind.QUARTERLY, D(2024, 10, 1), D(2024, 12, 31)),
    ]
    assert Job.objects.filter(kind=JobKind.INDICATOR_REPORT).count() == 2
    assert all(
        report.requested_by is None and report.job.status == JobStatus.DONE for report in IndicatorReport.objects.all()
    )

    run_beat(django_capture_on_commit_callbacks, D(2025, 4, 1))

    assert (ReportPeriodKind.QUARTERLY, D(2025, 1, 1), D(2025, 3, 31)) in periods()
    assert IndicatorReport.objects.count() == 3


def test_nothing_is_requested_before_the_plan_began(django_capture_on_commit_callbacks):
    assert run_beat(django_capture_on_commit_callbacks, D(2022, 2, 1)) == []
    assert IndicatorReport.objects.count() == 0


def test_the_beat_task_is_scheduled_daily_and_runs_with_today(django_capture_on_commit_callbacks, monkeypatch):
    entry = django_settings.CELERY_BEAT_SCHEDULE["produce-periodic-reports"]
    assert entry["task"] == produce_periodic_reports.name == "programme.produce_periodic_reports"
    monkeypatch.setattr(reports.timezone, "localdate", lambda: D(2024, 7, 2))
    with django_capture_on_commit_callbacks(execute=True):
        ids = produce_periodic_reports.delay().get()
    assert set(IndicatorReport.objects.filter(pk__in=ids).values_list("starts_on", "ends_on")) == {
        (D(2024, 4, 1), D(2024, 6, 30)),
        (D(2023, 1, 1), D(2023, 12, 31)),
    }


def test_each_produced_report_is_announced_once_to_the_active_elected_officials_with_a_link(
    django_capture_on_commit_callbacks, elected_officials
):
    run_beat(django_capture_on_commit_callbacks, D(2024, 7, 1))
    run_beat(django_capture_on_commit_callbacks, D(2024, 7, 2))

    assert len(mail.outbox) == 2  # the 2nd quarter 2024 and the year 2023, once each
    quarter = IndicatorReport.objects.get(period_kind=ReportPeriodKind.QUARTERLY)
    message = next(message for message in mail.outbox if "trimestriel" in message.subject)
    assert message.subject == "Rapport trimestriel d’indicateurs – 2e trimestre 2024 disponible"
    assert message.to == ["conseiller@bordeaux-metropole.fr", "vice-presidente@bordeaux-metropole.fr"]
    assert message.attachments == []
    assert "qui couvre la période du 01/04/2024 au 30/06/2024" in message.body
    assert f"http://testserver/plan/rapports/{quarter.pk}/" in message.body
    assert "connexion au portail requise" in message.body
    assert all(report.emailed_at is not None for report in IndicatorReport.objects.all())


def test_the_recipients_setting_replaces_the_elected_officials(
    django_capture_on_commit_callbacks, elected_officials, settings
):
    settings.INDICATOR_REPORT_RECIPIENTS = ["elus-ess@bordeaux-metropole.fr", "cabinet@bordeaux-metropole.fr"]
    run_beat(django_capture_on_commit_callbacks, D(2024, 7, 1))
    assert {tuple(message.to) for message in mail.outbox} == {
        ("elus-ess@bordeaux-metropole.fr", "cabinet@bordeaux-metropole.fr")
    }


def test_a_report_requested_by_staff_is_not_emailed(django_capture_on_commit_callbacks, elected_officials, staff_user):
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.request_indicator_report(
            starts_on=D(2024, 4, 1), ends_on=D(2024, 6, 30), period_kind=ReportPeriodKind.QUARTERLY, by=staff_user
        )
    report.refresh_from_db()
    assert report.pdf_file and report.emailed_at is None
    # The beat task finds the quarter already produced on demand: it neither produces nor e-mails it again.
    run_beat(django_capture_on_commit_callbacks, D(2024, 7, 1))
    assert [message.subject for message in mail.outbox] == ["Rapport annuel d’indicateurs – 2023 disponible"]
    report.refresh_from_db()
    assert report.emailed_at is None


def test_an_email_that_could_not_be_sent_is_sent_by_the_next_run(
    django_capture_on_commit_callbacks, elected_officials, monkeypatch
):
    def smtp_down(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(reports, "send_mail", smtp_down)
    run_beat(django_capture_on_commit_callbacks, D(2024, 7, 1))
    assert all(report.pdf_file for report in IndicatorReport.objects.all())  # produced all the same
    assert not IndicatorReport.objects.exclude(emailed_at=None).exists()

    monkeypatch.undo()
    run_beat(django_capture_on_commit_callbacks, D(2024, 7, 2))
    assert len(mail.outbox) == 2
    assert not IndicatorReport.objects.filter(emailed_at=None).exists()


def test_without_any_recipient_nothing_is_sent_and_the_report_waits(django_capture_on_commit_callbacks):
    run_beat(django_capture_on_commit_callbacks, D(2024, 7, 1))
    assert mail.outbox == []
    assert IndicatorReport.objects.filter(emailed_at=None).count() == 2


def test_the_command_requests_the_last_quarter_and_year_once_and_says_which_are_ready(
    django_capture_on_commit_callbacks, elected_officials
):
    first, second = io.StringIO(), io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("produce_indicator_reports", stdout=first)
    call_command("produce_indicator_reports", stdout=second)

    assert IndicatorReport.objects.count() == 2
    assert first.getvalue().count(" : en préparation.") == 2
    assert second.getvalue().count(" : prêt.") == 2
