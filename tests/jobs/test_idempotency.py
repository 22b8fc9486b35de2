from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from ess_portal.jobs.enums import JobStatus
from ess_portal.jobs.models import Job
from ess_portal.jobs.services import execute_job, request_job
from ess_portal.jobs.tasks import run_job
from tests.jobs import kinds
from tests.jobs.factories import JobFactory


def test_the_same_idempotency_key_gives_one_job_and_one_file(
    staff_user, django_capture_on_commit_callbacks, media_root
):
    with django_capture_on_commit_callbacks(execute=True):
        first = request_job(kind=kinds.OK, requested_by=staff_user, idempotency_key="export:42")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = request_job(kind=kinds.OK, requested_by=staff_user, idempotency_key="export:42")

    assert second.pk == first.pk
    assert callbacks == []
    assert Job.objects.count() == 1
    first.refresh_from_db()
    assert first.status == JobStatus.DONE
    assert len(list((media_root / "jobs").rglob("*.txt"))) == 1


def test_requests_without_key_make_distinct_jobs(staff_user):
    first = request_job(kind=kinds.OK, requested_by=staff_user)
    second = request_job(kind=kinds.OK, requested_by=staff_user)

    assert first.pk != second.pk


def test_a_done_job_is_never_run_again(db, media_root):
    job = JobFactory(kind=kinds.OK)
    run_job.delay(job.pk)
    job.refresh_from_db()
    finished_at, result = job.finished_at, job.result_file.name

    run_job.delay(job.pk)

    job.refresh_from_db()
    assert job.attempts == 1
    assert job.finished_at == finished_at
    assert job.result_file.name == result
    assert len(list((media_root / "jobs").rglob("*.txt"))) == 1


def test_a_job_running_under_a_live_worker_cannot_be_claimed(db):
    job = JobFactory(kind=kinds.OK, running=True)

    assert Job.objects.claim(job.pk) is None
    assert execute_job(job_id=job.pk).status == "skipped"


def test_a_job_whose_worker_stopped_beating_is_claimed_again(db, settings):
    settings.JOBS_HEARTBEAT_TIMEOUT = 60
    job = JobFactory(kind=kinds.OK, running=True, heartbeat_at=timezone.now() - timedelta(minutes=2))

    assert execute_job(job_id=job.pk).status == "done"

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.attempts == 2


def test_a_replaced_worker_cannot_overwrite_the_job(db, media_root):
    job = Job.objects.claim(JobFactory(kind=kinds.OK).pk)
    # Meanwhile the sweeper gave the job to another worker (attempt 2).
    Job.objects.filter(pk=job.pk).update(attempts=2)

    assert job.mark_done(result=ContentFile(b"late", name="late.txt")) is False
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert not job.result_file
    assert list((media_root / "jobs").rglob("*.txt")) == []
