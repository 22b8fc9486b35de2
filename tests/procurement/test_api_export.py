"""The ASR export through the API: exactly the filtered listings, logged, in each format; a large spreadsheet is a
background job followed at /api/v1/taches/<id>/ and downloaded with the same token."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.enums import Role
from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job
from procurement.asr.models import ExportLog
from tests.accounts.factories import UserFactory
from tests.actors.factories import ActorFactory
from tests.procurement.factories import AsrListingFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("api:asr_export")


@pytest.fixture
def token(procurement_user):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=procurement_user).key}"}


@pytest.fixture
def listings(db):
    AsrListingFactory(published=True, actor=ActorFactory(name="Bâti Solidaire"), offers="Maçonnerie et peinture")
    AsrListingFactory(published=True, actor=ActorFactory(name="Traiteur du Lac"), offers="Traiteur solidaire")
    AsrListingFactory(actor=ActorFactory(name="Brouillon SARL"), offers="Traiteur en brouillon")  # draft


def _csv_rows(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content), delimiter=";"))


def test_a_csv_export_holds_exactly_the_filtered_published_listings_and_is_logged(client, token, listings):
    response = client.get(EXPORT, {"q": "traiteur", "colonnes": ["nom", "offre"], "page": "3", "x": "y"}, **token)

    assert response.status_code == 200
    assert _csv_rows(response) == [["Raison sociale", "Offre"], ["Traiteur du Lac", "Traiteur solidaire"]]
    log = ExportLog.objects.get()
    assert (log.filters, log.columns, log.row_count) == ({"q": "traiteur"}, ["nom", "offre"], 1)
    assert log.file_format == "csv"


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_a_small_spreadsheet_is_answered_at_once(client, token, listings, file_format):
    response = client.get(EXPORT, {"format": file_format, "colonnes": "nom"}, **token)

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    # Reading the whole content closes the response the way the test client expects (closing it by hand would
    # close the test's database connection on PostgreSQL).
    content = b"".join(response.streaming_content)
    if file_format == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        assert list(workbook.active.iter_rows(values_only=True)) == [
            ("Raison sociale",),
            ("Bâti Solidaire",),
            ("Traiteur du Lac",),
        ]
        workbook.close()


def test_a_large_spreadsheet_is_a_job_followed_and_downloaded_with_the_token(
    client, token, listings, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.ASR_EXPORT_INLINE_MAX_ROWS = 1
    settings.MEDIA_ROOT = tmp_path

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(EXPORT, {"format": "xlsx"}, **token)

    assert response.status_code == 202
    job = Job.objects.get(kind=JobKind.ASR_EXPORT)
    assert response.json()["id"] == job.pk
    status = client.get(reverse("api:job_detail", args=[job.pk]), **token).json()
    assert status["status"] == JobStatus.DONE  # eager in tests
    download = client.get(status["download_url"], **token)
    assert download.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert len(list(workbook.active.iter_rows(values_only=True))) == 1 + 2
    workbook.close()
    assert ExportLog.objects.get().row_count == 2


def test_a_wrong_format_column_or_filter_is_refused_in_french_and_nothing_is_logged(client, token, listings):
    response = client.get(EXPORT, {"format": "pdf", "colonnes": ["nom", "iban"], "commune": "99999"}, **token)

    assert response.status_code == 400
    errors = response.json()
    assert errors["format"] == ["Format inconnu : « pdf ». Formats possibles : csv, xlsx, ods."]
    assert errors["colonnes"][0].startswith("Colonne inconnue : iban.")
    assert "commune" in errors
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.ELECTED, Role.PARTNER])
def test_other_roles_are_refused(client, role, listings):
    client.force_login(UserFactory(role=role))

    assert client.get(EXPORT).status_code == 403
    assert not ExportLog.objects.exists()


def test_a_job_is_seen_and_downloaded_by_its_requester_and_admins_only(
    client, token, listings, settings, tmp_path, admin_user, django_capture_on_commit_callbacks
):
    settings.ASR_EXPORT_INLINE_MAX_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        job_id = client.get(EXPORT, {"format": "ods"}, **token).json()["id"]
    detail = reverse("api:job_detail", args=[job_id])
    download = reverse("api:job_download", args=[job_id])

    client.force_login(UserFactory(role=Role.PROCUREMENT))
    assert client.get(detail).status_code == 404
    assert client.get(download).status_code == 404
    client.force_login(admin_user)
    assert client.get(detail).json()["status"] == JobStatus.DONE
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)
