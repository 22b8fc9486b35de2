import logging
import traceback
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from ess_portal.celery import app as celery_app
from ess_portal.jobs.models import Job
from ess_portal.jobs.registry import JobFailed, TransientJobError, get_job_type

logger = logging.getLogger(__name__)

# Errors after which trying again later may succeed (database or network hiccup).
TRANSIENT_ERRORS = (TransientJobError, OperationalError, InterfaceError, ConnectionError, TimeoutError)
RETRY_BASE_DELAY = 10  # seconds; doubled at each attempt
RUN_JOB_TASK = "jobs.run_job"


def request_job(*, kind: str, parameters: dict | None = None, requested_by=None, idempotency_key: str = "") -> Job:
    """Record a job and hand it to the workers once the transaction commits.

    The row comes first and is the truth: when the broker is down the job simply stays queued and the
    sweeper publishes it later. The same `idempotency_key` always gives back the same job, whoever asks and
    whatever its state: build keys that include the requester (e.g. "reference_export:<user id>:<form key>").
    """
    job_type = get_job_type(kind)
    if idempotency_key:
        existing = Job.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=job_type.kind,
                parameters=parameters or {},
                requested_by=requested_by,
                idempotency_key=idempotency_key,
                max_attempts=job_type.max_attempts,
            )
    except IntegrityError:
        # A concurrent request with the same key won the race.
        if not idempotency_key:
            raise
        return Job.objects.get(idempotency_key=idempotency_key)
    transaction.on_commit(partial(dispatch_job, job))
    return job


def dispatch_job(job: Job, *, countdown: int | None = None) -> bool:
    """Publish the job's message on its queue; never raises (the sweeper tries again later)."""
    queue = get_job_type(job.kind).queue or getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "default")
    try:
        # By name: the task module imports this one, never the reverse.
        celery_app.tasks[RUN_JOB_TASK].apply_async(args=[job.pk], countdown=countdown, queue=queue)
    except Exception:
        # Broker unreachable (kombu.exceptions.OperationalError, socket errors…): the row stays queued.
        logger.exception("Could not publish job %s to the broker; the sweeper will publish it again.", job.pk)
        return False
    Job.objects.filter(pk=job.pk).update(dispatched_at=timezone.now() + timedelta(seconds=countdown or 0))
    return True


def retry_job(*, job: Job) -> Job:
    """The user's « Relancer » on a failed job: fresh attempts, published after commit."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        job.reset_for_retry()
        transaction.on_commit(partial(dispatch_job, job))
    return job


def sweep_jobs() -> int:
    """Fail the jobs out of attempts, publish again the ones lost by the broker or by a dead worker.

    Safe to run any number of times at once: claiming a job is atomic, so an extra message is a no-op.
    """
    Job.objects.fail_exhausted()
    count = 0
    for job in Job.objects.stale().order_by("pk"):
        if dispatch_job(job):
            count += 1
    return count


@dataclass(frozen=True)
class RunOutcome:
    status: str  # "skipped", "done", "failed", "retry"
    countdown: int | None = None


def execute_job(*, job_id: int) -> RunOutcome:
    """One run of a job: claim it, call its handler, record the outcome. Called by the Celery task."""
    if Job.objects.fail_exhausted(job_id=job_id):
        logger.warning("Job %s failed: out of attempts.", job_id)
        return RunOutcome("failed")
    job = Job.objects.claim(job_id)
    if job is None:
        logger.info("Job %s not claimed (finished, running elsewhere or unknown): nothing to do.", job_id)
        return RunOutcome("skipped")
    try:
        handler = get_job_type(job.kind).handler
        result = handler(job)
    except TRANSIENT_ERRORS as exc:
        return _after_transient_error(job, exc)
    except SoftTimeLimitExceeded:
        job.mark_failed(
            message="La tâche a dépassé la durée maximale autorisée et a été interrompue. "
            "Essayez avec moins de données ou contactez l’administrateur.",
            details=traceback.format_exc(),
        )
        return RunOutcome("failed")
    except JobFailed as exc:
        job.mark_failed(message=str(exc), details=traceback.format_exc())
        return RunOutcome("failed")
    except ValidationError as exc:
        job.mark_failed(message=" ".join(exc.messages), details=traceback.format_exc())
        return RunOutcome("failed")
    except Exception:
        logger.exception("Job %s failed.", job.pk)
        job.mark_failed(
            message="La tâche a échoué à cause d’une erreur inattendue. L’équipe technique a été prévenue ; "
            "vous pouvez la relancer plus tard.",
            details=traceback.format_exc(),
        )
        return RunOutcome("failed")
    try:
        job.mark_done(result=result)
    finally:
        if result is not None:
            result.close()
    return RunOutcome("done")


def _after_transient_error(job: Job, exc: Exception) -> RunOutcome:
    details = traceback.format_exc()
    if job.attempts >= job.max_attempts:
        logger.warning("Job %s failed after %s attempts: %r", job.pk, job.attempts, exc)
        job.mark_failed(
            message=f"La tâche a échoué après {job.attempts} tentatives à cause d’un problème temporaire "
            "(service indisponible). Vous pouvez la relancer plus tard.",
            details=details,
        )
        return RunOutcome("failed")
    countdown = RETRY_BASE_DELAY * 2 ** (job.attempts - 1)
    logger.info("Job %s: transient error %r, retry in %s s.", job.pk, exc, countdown)
    job.mark_retry_scheduled(
        message=f"Problème temporaire, nouvel essai prévu (tentative {job.attempts} sur {job.max_attempts}).",
        details=details,
        retry_at=timezone.now() + timedelta(seconds=countdown),
    )
    return RunOutcome("retry", countdown=countdown)
