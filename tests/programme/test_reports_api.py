"""API of the indicator reports: list, request (staff and admins only), detail with the job's status and progress,
download links once produced; French validation errors; a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job
from programme.enums import ReportPeriodKind
from programme.models import IndicatorReport
from tests.programme.report_factories import close_file_response, produced_report

pytestmark = pytest.mark.django_db
LIST_URL = reverse("api:indicator_report_list")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_staff_request_a_quarter_and_get_the_report_and_its_job(
    client, staff_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(LIST_URL, {"starts_on": "2024-04-01", "ends_on": "2024-06-30"}, "application/json")

    assert response.status_code == 202
    body = response.json()
    report = IndicatorReport.objects.get()
    assert body["id"] == report.pk
    assert (body["period_kind"], body["starts_on"], body["ends_on"]) == ("quarterly", "2024-04-01", "2024-06-30")
    assert body["title"] == "Rapport trimestriel d’indicateurs – 2e trimestre 2024"
    assert body["job"]["id"] == report.job_id and body["job"]["status"] == JobStatus.QUEUED
    assert body["pdf_url"] is None and body["is_automatic"] is False
    assert report.job.kind == JobKind.INDICATOR_REPORT and report.job.requested_by == staff_user

    again = client.post(LIST_URL, {"starts_on": "2024-04-01", "ends_on": "2024-06-30"}, "application/json")
    assert again.status_code == 200 and again.json()["id"] == report.pk
    assert IndicatorReport.objects.count() == 1 and Job.objects.count() == 1


def test_a_produced_report_gives_its_job_progress_and_download_links(client, elected_user):
    job = Job.objects.create(kind=JobKind.INDICATOR_REPORT, status=JobStatus.DONE, progress=100, attempts=1)
    report = produced_report(job=job)
    token = Token.objects.create(user=elected_user)

    body = client.get(
        reverse("api:indicator_report_detail", args=[report.pk]), HTTP_AUTHORIZATION=f"Token {token.key}"
    ).json()

    assert body["job"]["status"] == "done" and body["job"]["progress"] == 100
    assert body["pdf_url"] == f"http://testserver/api/v1/rapports-indicateurs/{report.pk}/pdf/"
    assert body["xlsx_url"] == f"http://testserver/api/v1/rapports-indicateurs/{report.pk}/xlsx/"
    download = client.get(body["pdf_url"], HTTP_AUTHORIZATION=f"Token {token.key}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 rapport"
    close_file_response(download)


def test_a_failed_report_shows_the_french_error_of_its_job(client, staff_user):
    job = Job.objects.create(
        kind=JobKind.INDICATOR_REPORT, status=JobStatus.FAILED, attempts=1, error_message="Le modèle … : x."
    )
    report = IndicatorReport.objects.create(
        period_kind=ReportPeriodKind.ANNUAL,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
        title="Rapport annuel d’indicateurs – 2023",
        job=job,
    )
    client.force_login(staff_user)

    body = client.get(reverse("api:indicator_report_detail", args=[report.pk])).json()

    assert body["job"]["status"] == "failed" and body["job"]["error_message"] == "Le modèle … : x."
    assert body["pdf_url"] is None
    assert client.get(reverse("api:indicator_report_download", args=[report.pk, "pdf"])).status_code == 404


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"starts_on": "2024-05-01", "ends_on": "2024-03-01"},
            {"ends_on": ["La date de fin doit être postérieure ou égale à la date de début."]},
        ),
        (
            {"starts_on": "2021-06-01", "ends_on": "2022-03-01"},
            {"starts_on": ["Le rapport ne peut pas commencer avant le 01/01/2022, début du plan."]},
        ),
        ({"starts_on": "2024-05-01"}, {"ends_on": ["Ce champ est obligatoire."]}),
    ],
)
def test_invalid_periods_are_refused_in_french_and_nothing_is_requested(client, admin_user, data, errors):
    client.force_login(admin_user)
    response = client.post(LIST_URL, data, "application/json")
    assert response.status_code == 400
    assert response.json() == errors
    assert not IndicatorReport.objects.exists() and not Job.objects.exists()


def test_a_period_ending_after_today_is_refused(client, staff_user):
    client.force_login(staff_user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(LIST_URL, {"starts_on": "2024-01-01", "ends_on": tomorrow.isoformat()}, "application/json")
    assert response.status_code == 400 and list(response.json()) == ["ends_on"]


def test_elected_officials_read_but_cannot_request(client, elected_user):
    produced_report()
    client.force_login(elected_user)
    assert client.get(LIST_URL).json()["count"] == 1
    response = client.post(LIST_URL, {"starts_on": "2024-04-01", "ends_on": "2024-06-30"}, "application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Seuls les agents du service ESS demandent un rapport d’indicateurs."
    assert IndicatorReport.objects.count() == 1 and not Job.objects.exists()


def test_other_users_and_anonymous_visitors_are_refused(client, partner_user, applicant_user):
    report = produced_report()
    assert client.get(LIST_URL).status_code in (401, 403)
    for user in (partner_user, applicant_user):
        client.force_login(user)
        assert client.get(LIST_URL).status_code == 403
        assert client.get(reverse("api:indicator_report_detail", args=[report.pk])).status_code == 403
        assert client.get(reverse("api:indicator_report_download", args=[report.pk, "pdf"])).status_code == 403


def test_the_list_runs_a_fixed_number_of_queries(client, staff_user, django_assert_num_queries):
    client.force_login(staff_user)
    produced_report()
    # session, user, user's groups (role check), count, page of reports with their job
    with django_assert_num_queries(5):
        assert client.get(LIST_URL).json()["count"] == 1
    for month in range(1, 13):
        produced_report(starts_on=datetime.date(2023, month, 1), ends_on=datetime.date(2023, month, 28))
    with django_assert_num_queries(5):
        assert client.get(LIST_URL).json()["count"] == 13
