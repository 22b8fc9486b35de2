"""The /plan/rapports/ pages: elected officials, staff and admins read and download; only staff and admins request
or relaunch (elected officials get no form and a 403 on POST, leaving nothing behind); a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.enums import Role
from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job
from programme.enums import ReportPeriodKind
from programme.models import IndicatorReport
from tests.programme.report_factories import close_file_response, produced_report

pytestmark = pytest.mark.django_db
LIST_URL = reverse("programme:report_list")
REQUEST_URL = reverse("programme:report_request")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def detail_url(report):
    return reverse("programme:report_detail", args=[report.pk])


def download_url(report, file_format):
    return reverse("programme:report_download", args=[report.pk, file_format])


def failed_report(**kwargs):
    job = Job.objects.create(
        kind=JobKind.INDICATOR_REPORT,
        status=JobStatus.FAILED,
        attempts=1,
        error_message="Le modèle « programme/pdf/indicator_report.html » (ligne 44) utilise une donnée absente : x.",
        idempotency_key="indicator_report:2024-01-01:2024-03-31",
    )
    return IndicatorReport.objects.create(
        period_kind=ReportPeriodKind.QUARTERLY,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 3, 31),
        title="Rapport trimestriel d’indicateurs – 1er trimestre 2024",
        job=job,
        **kwargs,
    )


def test_elected_officials_read_the_list_and_download_both_files_but_get_no_form(client, elected_user):
    report = produced_report()
    client.force_login(elected_user)

    response = client.get(LIST_URL)

    assertContains(response, report.title)
    assertContains(response, "Disponible")
    assertNotContains(response, "Demander un rapport")
    assertNotContains(response, REQUEST_URL)
    pdf = client.get(download_url(report, "pdf"))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content) == b"%PDF-1.7 rapport"
    assert pdf["Content-Disposition"] == 'attachment; filename="rapport-indicateurs-2024-04-01-2024-06-30.pdf"'
    close_file_response(pdf)
    xlsx = client.get(download_url(report, "xlsx"))
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content) == b"PK xlsx"
    close_file_response(xlsx)
    assertContains(client.get(detail_url(report)), "Tableur XLSX")


def test_elected_officials_cannot_request_nor_relaunch_a_report(client, elected_user):
    report = failed_report()
    client.force_login(elected_user)

    response = client.post(REQUEST_URL, {"kind": "annual", "year": "2023"})
    assert response.status_code == 403
    assert IndicatorReport.objects.count() == 1 and Job.objects.count() == 1

    assert client.post(reverse("programme:report_retry", args=[report.pk])).status_code == 403
    report.job.refresh_from_db()
    assert report.job.status == JobStatus.FAILED and report.job.attempts == 1
    detail = client.get(detail_url(report))
    assertContains(detail, "Le rapport n’a pas pu être produit.")
    assertNotContains(detail, "Relancer la production du rapport")


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PROCUREMENT, Role.PARTNER])
def test_other_roles_cannot_see_the_reports(client, user_with_role, role):
    report = produced_report()
    client.force_login(user_with_role(role))
    for url in (LIST_URL, detail_url(report), download_url(report, "pdf")):
        assert client.get(url).status_code == 403
    assert client.post(REQUEST_URL, {"kind": "annual", "year": "2023"}).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    report = produced_report()
    for url in (LIST_URL, detail_url(report), download_url(report, "pdf")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_staff_request_a_year_and_follow_its_job(client, staff_user, django_capture_on_commit_callbacks):
    client.force_login(staff_user)
    assertContains(client.get(LIST_URL), "Demander un rapport")

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(REQUEST_URL, {"kind": "annual", "year": "2023"})

    report = IndicatorReport.objects.get()
    assertRedirects(response, detail_url(report), fetch_redirect_response=False)
    assert (report.period_kind, report.starts_on, report.ends_on) == (
        ReportPeriodKind.ANNUAL,
        datetime.date(2023, 1, 1),
        datetime.date(2023, 12, 31),
    )
    assert report.requested_by == staff_user and report.job.requested_by == staff_user
    assert report.job.kind == JobKind.INDICATOR_REPORT and report.job.status == JobStatus.QUEUED
    detail = client.get(detail_url(report))
    assertContains(detail, "Le rapport est en préparation : suivez-le ici ou dans « Mes tâches »")
    assertContains(detail, "Rapport annuel d’indicateurs – 2023")
    assertContains(detail, "du 1er janvier 2023 au 31 décembre 2023 (annuel)")


def test_asking_again_for_a_produced_period_leads_to_the_existing_report(client, staff_user):
    report = produced_report(starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2023, 12, 31))
    client.force_login(staff_user)

    response = client.post(REQUEST_URL, {"kind": "annual", "year": "2023"}, follow=True)

    assertRedirects(response, detail_url(report))
    assertContains(response, "Ce rapport existe déjà pour cette période")
    assert IndicatorReport.objects.count() == 1 and not Job.objects.exists()


def test_an_invalid_period_is_shown_next_to_the_field_and_nothing_is_requested(client, staff_user):
    client.force_login(staff_user)

    response = client.post(REQUEST_URL, {"kind": "custom", "starts_on": "2024-05-01", "ends_on": "2024-03-01"})

    assert response.status_code == 400
    assertContains(
        response,
        '<ul class="errorlist" id="id_ends_on_error"><li>La date de fin doit être postérieure ou égale à la date de '
        "début.</li></ul>",
        status_code=400,
        html=True,
    )
    assert not IndicatorReport.objects.exists() and not Job.objects.exists()


def test_staff_relaunch_a_failed_report(client, staff_user, django_capture_on_commit_callbacks):
    report = failed_report()
    client.force_login(staff_user)
    assertContains(client.get(detail_url(report)), "Relancer la production du rapport")

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("programme:report_retry", args=[report.pk]), follow=True)

    assertContains(response, "La production du rapport a été relancée")
    report.job.refresh_from_db()
    assert report.job.status == JobStatus.QUEUED and report.job.attempts == 0 and report.job.error_message == ""


def test_files_not_produced_unknown_formats_and_wrong_ids_answer_404(client, staff_user):
    waiting = failed_report()
    produced = produced_report()
    client.force_login(staff_user)
    assert client.get(download_url(waiting, "pdf")).status_code == 404
    assert client.get(download_url(produced, "docx")).status_code == 404
    assert client.get(reverse("programme:report_detail", args=[produced.pk + 100])).status_code == 404
    assert client.get(reverse("programme:report_download", args=[produced.pk + 100, "pdf"])).status_code == 404


def test_the_list_is_paginated_with_a_fixed_number_of_queries(client, admin_user, django_assert_num_queries):
    client.force_login(admin_user)

    def list_page():
        # session, user, user's groups (role checks), count, page of reports with their job and requester
        with django_assert_num_queries(5):
            return client.get(LIST_URL)

    produced_report(requested_by=admin_user)
    failed_report()
    assert len(list_page().context["reports"]) == 2

    for month in range(1, 13):
        for day in (1, 2):
            produced_report(
                starts_on=datetime.date(2023, month, day),
                ends_on=datetime.date(2023, month, 28),
                requested_by=admin_user,
            )
    response = list_page()
    assert len(response.context["reports"]) == 20
    assertContains(response, "Page 1 sur 2")
