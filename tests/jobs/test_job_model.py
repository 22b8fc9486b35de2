import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from ess_portal.jobs.enums import JobStatus
from ess_portal.jobs.models import Job
from tests.jobs import kinds
from tests.jobs.factories import JobFactory


def test_progress_outside_0_to_100_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError):
        JobFactory(progress=101)


def test_an_unknown_status_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError):
        JobFactory(status="lost")


def test_two_jobs_cannot_share_an_idempotency_key(db):
    JobFactory(idempotency_key="cle")

    with pytest.raises(IntegrityError):
        JobFactory(idempotency_key="cle")


def test_jobs_without_idempotency_key_do_not_collide(db):
    JobFactory.create_batch(2, idempotency_key="")

    assert Job.objects.count() == 2


def test_set_progress_records_the_step_and_beats(db):
    job = Job.objects.claim(JobFactory(kind=kinds.OK).pk)
    before = job.heartbeat_at

    job.set_progress(150, "Lignes budgétaires")

    job.refresh_from_db()
    assert job.progress == 100
    assert job.progress_message == "Lignes budgétaires"
    assert job.heartbeat_at >= before


def test_claiming_a_job_marks_it_running_and_counts_the_attempt(db):
    job = JobFactory(kind=kinds.OK)

    assert job.mark_running() is True

    assert job.status == JobStatus.RUNNING
    assert job.attempts == 1
    assert job.started_at is not None
    assert job.mark_running() is False


def test_only_a_failed_job_can_be_reset_for_a_retry(db):
    with pytest.raises(ValidationError):
        JobFactory(done=True).reset_for_retry()


def test_users_see_their_own_jobs_and_admins_every_job(db, applicant_user, admin_user):
    mine = JobFactory(requested_by=applicant_user)
    other = JobFactory()

    assert list(Job.objects.visible_to(applicant_user)) == [mine]
    assert set(Job.objects.visible_to(admin_user)) == {mine, other}
