import time
from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.utils import timezone

from ess_portal.jobs.enums import JobStatus
from ess_portal.jobs.models import Job
from ess_portal.jobs.services import request_job, sweep_jobs
from ess_portal.jobs.tasks import run_job
from tests.jobs import kinds
from tests.jobs.factories import JobFactory


def test_a_job_requested_while_redis_is_down_is_recorded_and_stays_queued(
    staff_user, broker_down, django_capture_on_commit_callbacks, caplog
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        job = request_job(kind=kinds.OK, requested_by=staff_user, idempotency_key="panne")
    elapsed = time.monotonic() - started

    assert elapsed < 5
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.dispatched_at is None
    assert job.attempts == 0
    assert "Could not publish job" in caplog.text


def test_the_sweeper_publishes_a_job_lost_while_redis_was_down_once_it_is_back(db, settings, staff_user, broker_down):
    settings.JOBS_REDISPATCH_AFTER = 60
    job = request_job(kind=kinds.OK, requested_by=staff_user)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    assert sweep_jobs() == 0  # Redis still down: nothing published, nothing raised.

    # Redis is back: publishing now runs the task (here in the same process).
    with mock.patch.object(run_job, "apply_async", side_effect=lambda args, **options: run_job.apply(args)) as publish:
        assert sweep_jobs() == 1
        assert sweep_jobs() == 0

    publish.assert_called_once_with(args=[job.pk], countdown=None, queue="default")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.attempts == 1


def test_the_sweeper_leaves_recent_and_live_jobs_alone(db, settings):
    settings.JOBS_REDISPATCH_AFTER = 60
    settings.JOBS_HEARTBEAT_TIMEOUT = 60
    JobFactory(kind=kinds.OK)
    JobFactory(kind=kinds.OK, running=True)
    JobFactory(kind=kinds.OK, done=True, created_at=timezone.now() - timedelta(hours=1))
    published = JobFactory(kind=kinds.OK, dispatched_at=timezone.now() - timedelta(seconds=10))
    Job.objects.filter(pk=published.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    assert list(Job.objects.stale()) == []


def test_the_sweeper_publishes_a_job_whose_worker_died(db, settings):
    settings.JOBS_HEARTBEAT_TIMEOUT = 60
    job = JobFactory(kind=kinds.OK, running=True, heartbeat_at=timezone.now() - timedelta(minutes=2))

    assert sweep_jobs() == 1

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.attempts == 2


def test_the_sweep_jobs_command_reports_what_it_published(db, settings):
    settings.JOBS_HEARTBEAT_TIMEOUT = 60
    JobFactory(kind=kinds.OK, running=True, heartbeat_at=timezone.now() - timedelta(minutes=2))
    out = StringIO()
    call_command("sweep_jobs", stdout=out)

    assert "1 tâche(s) republiée(s)" in out.getvalue()
