"""End to end with a real Redis and a real `celery worker` consuming the "reports" queue, on PostgreSQL: the beat
task's quarterly report is produced by the worker (PDF and XLSX stored, job done, e-mail recorded).

Run with:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ess_h3 CELERY_BROKER_URL=redis://127.0.0.1:6379/8 \
    pytest tests/programme/test_report_worker.py
"""

import datetime
import os
import shutil
import subprocess
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from openpyxl import load_workbook

from accounts.enums import Role
from ess_portal.jobs.enums import JobStatus
from ess_portal.jobs.registry import get_job_type
from programme.models import IndicatorReport
from programme.reports import produce_periodic_reports
from tests.accounts.factories import UserFactory
from tests.jobs.conftest import publishing_for_real
from tests.jobs.test_worker import Workers, _forget_queue
from tests.programme.report_factories import year_2024_aids

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL"),
        reason="needs a Redis broker and a Celery worker: set CELERY_BROKER_URL (and DATABASE_URL to PostgreSQL)",
    ),
]

QUEUE = "reports"
# A report is laid out by WeasyPrint (several seconds, more on a busy machine).
WAIT_SECONDS = 240


@pytest.fixture
def report_workers(transactional_db, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the worker subprocess needs a database it can share with the test: set DATABASE_URL to PostgreSQL"
        )
    assert get_job_type("indicator_report").queue == QUEUE
    settings.MEDIA_ROOT = tmp_path / "media"  # read by Workers for the subprocess
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    pool = Workers(queue=QUEUE, log_dir=log_dir)
    with publishing_for_real():
        try:
            yield pool
        finally:
            pool.kill_all()
            _forget_queue(QUEUE)


def wait_until_finished(report: IndicatorReport, *, workers: Workers) -> IndicatorReport:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        report.job.refresh_from_db()
        if not report.job.is_active:
            report.refresh_from_db()
            return report
        time.sleep(0.5)
    pytest.fail(
        f"report job still {report.job.status} ({report.job.progress} %) after {WAIT_SECONDS} s\n{workers.logs()}"
    )


def test_a_worker_on_the_reports_queue_produces_the_quarterly_report_end_to_end(report_workers, reference_data):
    year_2024_aids()
    UserFactory(role=Role.ELECTED, email="vice-presidente@bordeaux-metropole.fr")
    report_workers.start()

    produce_periodic_reports(today=datetime.date(2024, 7, 1))  # commits at once: the messages leave for Redis

    quarter = IndicatorReport.objects.get(starts_on=datetime.date(2024, 4, 1), ends_on=datetime.date(2024, 6, 30))
    quarter = wait_until_finished(quarter, workers=report_workers)
    assert quarter.job.status == JobStatus.DONE, quarter.job.error_details
    assert quarter.job.attempts == 1
    assert quarter.generated_at is not None
    assert quarter.emailed_at is not None  # announced to the elected officials by the worker
    assert str(django_settings.MEDIA_ROOT) in quarter.pdf_file.path
    with quarter.xlsx_file.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True)
        budget = list(workbook["Budget"].iter_rows(values_only=True))
        assert budget[-1][0] == "Total" and budget[-1][3] == 175000
        workbook.close()
    with quarter.pdf_file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
        assert "145 000,00 €" in " ".join(text.replace("\u00a0", " ").split())

    year = IndicatorReport.objects.get(starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2023, 12, 31))
    assert wait_until_finished(year, workers=report_workers).job.status == JobStatus.DONE
