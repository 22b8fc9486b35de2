from datetime import timedelta

from django.utils import timezone

from ess_portal.jobs.enums import JobStatus
from ess_portal.jobs.services import execute_job, request_job, sweep_jobs
from ess_portal.jobs.tasks import run_job
from tests.jobs import kinds
from tests.jobs.factories import JobFactory


def test_a_transient_error_puts_the_job_back_in_the_queue_with_a_later_retry(db):
    job = JobFactory(kind=kinds.TRANSIENT)

    outcome = execute_job(job_id=job.pk)

    job.refresh_from_db()
    assert outcome.status == "retry"
    assert outcome.countdown == 10
    assert job.status == JobStatus.QUEUED
    assert job.attempts == 1
    assert "nouvel essai prévu" in job.error_message
    assert "TransientJobError" in job.error_details
    assert job.dispatched_at > timezone.now() + timedelta(seconds=5)


def test_retries_back_off_exponentially(db):
    job = JobFactory(kind=kinds.TRANSIENT, max_attempts=5)

    countdowns = [execute_job(job_id=job.pk).countdown for _ in range(4)]

    assert countdowns == [10, 20, 40, 80]


def test_a_job_failing_transiently_is_marked_failed_after_its_last_attempt(db):
    job = JobFactory(kind=kinds.TRANSIENT, max_attempts=3)

    outcomes = [execute_job(job_id=job.pk).status for _ in range(4)]

    job.refresh_from_db()
    assert outcomes == ["retry", "retry", "failed", "skipped"]
    assert job.status == JobStatus.FAILED
    assert job.attempts == 3
    assert job.error_message.startswith("La tâche a échoué après 3 tentatives")
    assert job.finished_at is not None


def test_the_celery_task_retries_eagerly_until_the_cap_then_fails_without_raising(
    staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = request_job(kind=kinds.TRANSIENT, requested_by=staff_user)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.attempts == job.max_attempts == 3
    assert "tentatives" in job.error_message


def test_an_unexpected_error_fails_the_job_at_once_with_a_french_message(db):
    job = JobFactory(kind=kinds.BROKEN)

    run_job.delay(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.attempts == 1
    assert job.error_message.startswith("La tâche a échoué à cause d’une erreur inattendue")
    assert "ZeroDivisionError" in job.error_details
    assert "ZeroDivisionError" not in job.error_message


def test_a_handler_can_choose_the_message_shown_to_the_user(db):
    job = JobFactory(kind=kinds.REFUSED)

    run_job.delay(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_message == "Le fichier importé ne contient aucune ligne."


def test_a_job_abandoned_by_crashing_workers_is_failed_once_out_of_attempts(db, settings):
    # A poison message: every attempt killed its worker, leaving the job running without heartbeat.
    settings.JOBS_HEARTBEAT_TIMEOUT = 60
    job = JobFactory(
        kind=kinds.OK, running=True, attempts=3, max_attempts=3, heartbeat_at=timezone.now() - timedelta(minutes=5)
    )

    sweep_jobs()

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.attempts == 3
    assert "abandonnée après plusieurs tentatives" in job.error_message


def test_a_redelivered_message_for_an_exhausted_job_fails_it_instead_of_running_it_again(db, settings):
    settings.JOBS_HEARTBEAT_TIMEOUT = 60
    job = JobFactory(
        kind=kinds.OK, running=True, attempts=3, max_attempts=3, heartbeat_at=timezone.now() - timedelta(minutes=5)
    )

    assert execute_job(job_id=job.pk).status == "failed"

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert not job.result_file


def test_a_job_stopped_by_the_time_limit_fails_with_a_french_message(db):
    job = JobFactory(kind=kinds.TOO_LONG)

    run_job.delay(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_message.startswith("La tâche a dépassé la durée maximale autorisée")
