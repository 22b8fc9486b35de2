import io

import openpyxl
import pytest
from django.urls import reverse

from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job
from tests.procurement.factories import AsrListingFactory

pytestmark = pytest.mark.django_db


def test_a_spreadsheet_above_the_inline_limit_is_written_by_a_background_job(
    client, procurement_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.ASR_EXPORT_INLINE_MAX_ROWS = 2
    settings.MEDIA_ROOT = tmp_path
    for _ in range(3):
        AsrListingFactory(published=True)
    client.force_login(procurement_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("procurement:directory_export"), {"format": "xlsx"})
    assert response.status_code == 302 and response.url == reverse("jobs:job_list")
    job = Job.objects.get(kind=JobKind.ASR_EXPORT)
    assert job.status == JobStatus.DONE  # eager in tests
    with job.result_file.open("rb") as handle:
        workbook = openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True)
    assert len(list(workbook.active.iter_rows(values_only=True))) == 1 + 3
    workbook.close()
    # The same request the same day gives the same job, not a second file.
    client.get(reverse("procurement:directory_export"), {"format": "xlsx"})
    assert Job.objects.filter(kind=JobKind.ASR_EXPORT).count() == 1


def test_csv_is_always_streamed_inline(client, procurement_user, settings):
    settings.ASR_EXPORT_INLINE_MAX_ROWS = 1
    for _ in range(2):
        AsrListingFactory(published=True)
    client.force_login(procurement_user)
    response = client.get(reverse("procurement:directory_export"), {"format": "csv"})
    assert response.status_code == 200 and response.streaming
    assert not Job.objects.filter(kind=JobKind.ASR_EXPORT).exists()
