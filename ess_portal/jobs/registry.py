"""The job kinds the portal knows, and the function that does the work for each one.

How to add a job kind (an import, an export, a PDF, a report, an e-mail batch):

1. Add a member to `ess_portal.jobs.enums.JobKind` (value in snake_case, French label) and run
   `manage.py makemigrations jobs` (the field's choices change).
2. Write the handler in a `job_handlers.py` module of your app and import that module in the app's
   `AppConfig.ready()` (so it is registered when Django starts, in the web process and in the worker)::

       from ess_portal.jobs.enums import JobKind
       from ess_portal.jobs.registry import register

       @register(JobKind.COUNCIL_REPORT, queue="reports")
       def build_council_report(job):
           session = CouncilSession.objects.get(pk=job.parameters["session_id"])
           job.set_progress(10, "Calcul des montants")
           pdf = render_pdf("funding/pdf/council_report.html", {...})
           return ContentFile(pdf, name=f"rapport-{session.pk}.pdf")

   The handler receives the `Job` (read `job.parameters`, which must stay JSON) and returns a
   `django.core.files.File` (stored privately as the job's result, served only by
   `jobs:job_download`) or `None`. It may run more than once for the same job (worker crash,
   retry): make it idempotent, and write its database changes in one transaction.
3. Call `job.set_progress(percent, "message en français")` regularly: it is also the heartbeat
   that tells the sweeper the worker is alive (see `JOBS_HEARTBEAT_TIMEOUT`).
4. Raise `TransientJobError` (or let `OperationalError` / `ConnectionError` through) when trying
   again later may succeed: the job is retried with exponential backoff up to `max_attempts`.
   Any other exception fails the job at once; raise `JobFailed("message en français")` to choose
   the message the user reads.
5. Pick the Celery queue: `None` means the default queue (`CELERY_TASK_DEFAULT_QUEUE`,
   "default"); long reports and PDFs go to "reports", served by their own worker
   (`celery -A ess_portal worker -Q reports`).
6. Request jobs with `ess_portal.jobs.services.request_job(kind=…, parameters=…, requested_by=…)`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files import File

DEFAULT_MAX_ATTEMPTS = 3


class TransientJobError(Exception):
    """A failure that may go away if the job is tried again later (a remote service is down…)."""


class JobFailed(Exception):
    """A definitive failure whose message (in French) is shown to the user as is."""


@dataclass(frozen=True)
class JobType:
    kind: str
    handler: Callable[..., File | None]
    queue: str | None = None
    max_attempts: int = DEFAULT_MAX_ATTEMPTS


_registry: dict[str, JobType] = {}


def register(kind: str, *, queue: str | None = None, max_attempts: int = DEFAULT_MAX_ATTEMPTS):
    """Decorator registering `handler(job) -> File | None` as the code run for jobs of `kind`."""

    def decorator(handler):
        existing = _registry.get(str(kind))
        if existing is not None and existing.handler is not handler:
            raise ValueError(f"Job kind {kind!r} is already registered by {existing.handler!r}.")
        _registry[str(kind)] = JobType(kind=str(kind), handler=handler, queue=queue, max_attempts=max_attempts)
        return handler

    return decorator


def get_job_type(kind: str) -> JobType:
    try:
        return _registry[str(kind)]
    except KeyError:
        raise LookupError(f"No handler registered for job kind {kind!r}.") from None


def registered_kinds() -> list[str]:
    return sorted(_registry)
