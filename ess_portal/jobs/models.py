from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.enums import Role
from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.registry import DEFAULT_MAX_ATTEMPTS


def heartbeat_timeout() -> timedelta:
    """A running job whose heartbeat is older than this is considered abandoned by a dead worker."""
    return timedelta(seconds=getattr(settings, "JOBS_HEARTBEAT_TIMEOUT", 10 * 60))


def redispatch_after() -> timedelta:
    """A queued job not picked up after this long is published to the broker again."""
    return timedelta(seconds=getattr(settings, "JOBS_REDISPATCH_AFTER", 5 * 60))


def can_see_all_jobs(user) -> bool:
    return user.is_superuser or user.has_role(Role.ADMIN)


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Admins see every job; everybody else only the jobs they requested."""
        if not user.is_authenticated:
            return self.none()
        if can_see_all_jobs(user):
            return self
        return self.filter(requested_by=user)

    def active(self):
        return self.filter(status__in=JobStatus.active())

    def claimable(self, *, now=None):
        """Jobs a worker may start: queued, or running under a worker that stopped beating."""
        now = now or timezone.now()
        return self.filter(
            Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - heartbeat_timeout())
        )

    def stale(self, *, now=None):
        """Jobs the sweeper must publish again: never (or long ago) sent to the broker, or whose worker died."""
        now = now or timezone.now()
        queued_before = now - redispatch_after()
        stuck_queued = Q(status=JobStatus.QUEUED, created_at__lt=queued_before) & (
            Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=queued_before)
        )
        dead_worker = Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - heartbeat_timeout())
        return self.filter(stuck_queued | dead_worker)

    def claim(self, job_id: int) -> "Job | None":
        """Atomically take a job for one run (one conditional UPDATE); `None` if it is not ours to run.

        A done or failed job, or one running under a live worker, is never claimed: a message delivered
        twice (broker redelivery after a crash, sweeper) runs the work once.
        """
        now = timezone.now()
        claimed = (
            self.claimable(now=now)
            .filter(pk=job_id, attempts__lt=F("max_attempts"))
            .update(
                status=JobStatus.RUNNING,
                attempts=F("attempts") + 1,
                started_at=now,
                heartbeat_at=now,
                progress=0,
                progress_message="",
            )
        )
        return self.get(pk=job_id) if claimed else None

    def fail_exhausted(self, *, job_id: int | None = None) -> int:
        """Fail the claimable jobs that have used all their attempts (e.g. a message that kills its worker)."""
        jobs = self.claimable().filter(attempts__gte=F("max_attempts"))
        if job_id is not None:
            jobs = jobs.filter(pk=job_id)
        return jobs.update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error_message="La tâche a été abandonnée après plusieurs tentatives interrompues. "
            "Relancez-la ou contactez l’administrateur si le problème persiste.",
            error_details="Attempts exhausted: the worker stopped (crash, restart, time limit) during each attempt.",
        )


class Job(models.Model):
    """Any background work (import, export, PDF, report, e-mail batch).

    The row is written before anything is sent to the broker and stays the truth: if Redis or a
    worker dies, the sweeper publishes the job again, and claiming it is atomic.
    """

    kind = models.CharField("type", max_length=50, choices=JobKind.choices)
    parameters = models.JSONField("paramètres", default=dict, blank=True)
    idempotency_key = models.CharField(
        "clé d’idempotence",
        max_length=200,
        blank=True,
        default="",
        help_text="Deux demandes avec la même clé ne produisent qu’une tâche.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name="demandée par",
    )
    status = models.CharField("état", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    progress_message = models.CharField("étape en cours", max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    max_attempts = models.PositiveSmallIntegerField("tentatives au maximum", default=DEFAULT_MAX_ATTEMPTS)
    result_file = models.FileField("fichier produit", upload_to="jobs/%Y/%m/", blank=True, max_length=255)
    error_message = models.TextField("message d’erreur", blank=True)
    error_details = models.TextField("détail technique de l’erreur", blank=True)
    created_at = models.DateTimeField("demandée le", auto_now_add=True)
    dispatched_at = models.DateTimeField(
        "envoyée au broker le",
        null=True,
        blank=True,
        help_text="Dernier envoi à la file de messages (ou date prévue du prochain essai).",
    )
    started_at = models.DateTimeField("commencée le", null=True, blank=True)
    heartbeat_at = models.DateTimeField("dernier signe de vie", null=True, blank=True)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "tâche de fond"
        verbose_name_plural = "tâches de fond"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="job_status_created_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], condition=~Q(idempotency_key=""), name="unique_job_idempotency_key"
            ),
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100), name="job_progress_0_100"),
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="job_status_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} nº {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in JobStatus.active()

    @property
    def is_done(self) -> bool:
        return self.status == JobStatus.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == JobStatus.FAILED

    @property
    def result_filename(self) -> str:
        return self.result_file.name.rsplit("/", 1)[-1] if self.result_file else ""

    def _current_run(self):
        """The row as long as it is still our run: the attempt number fences off a worker that was replaced."""
        return Job.objects.filter(pk=self.pk, status=JobStatus.RUNNING, attempts=self.attempts)

    def heartbeat(self) -> None:
        self.heartbeat_at = timezone.now()
        self._current_run().update(heartbeat_at=self.heartbeat_at)

    def set_progress(self, percent: int, message: str = "") -> None:
        """Record progress (0–100) and a short French message; also the worker's heartbeat."""
        self.progress = max(0, min(100, int(percent)))
        self.progress_message = message[:200]
        self.heartbeat_at = timezone.now()
        self._current_run().update(
            progress=self.progress, progress_message=self.progress_message, heartbeat_at=self.heartbeat_at
        )

    def mark_running(self) -> bool:
        """Claim this job for a run; False if another worker has it or it is finished."""
        claimed = Job.objects.claim(self.pk)
        if claimed is None:
            return False
        self.refresh_from_db()
        return True

    def mark_done(self, *, result: File | None = None) -> bool:
        """Store the result and finish the job; False (and nothing stored) if our run was taken over."""
        if result is not None:
            self.result_file.save(result.name.rsplit("/", 1)[-1], result, save=False)
        now = timezone.now()
        updated = self._current_run().update(
            status=JobStatus.DONE,
            progress=100,
            progress_message="Terminé",
            result_file=self.result_file.name or "",
            error_message="",
            error_details="",
            finished_at=now,
            heartbeat_at=now,
        )
        if not updated:
            if result is not None:
                self.result_file.delete(save=False)
            self.refresh_from_db()
            return False
        self.refresh_from_db()
        return True

    def mark_failed(self, *, message: str, details: str = "") -> bool:
        now = timezone.now()
        updated = self._current_run().update(
            status=JobStatus.FAILED, error_message=message, error_details=details, finished_at=now, heartbeat_at=now
        )
        self.refresh_from_db()
        return bool(updated)

    def mark_retry_scheduled(self, *, message: str, details: str, retry_at) -> bool:
        """Back to the queue after a transient error; the sweeper will not publish it again before `retry_at`."""
        updated = self._current_run().update(
            status=JobStatus.QUEUED,
            error_message=message,
            error_details=details,
            dispatched_at=retry_at,
            heartbeat_at=timezone.now(),
        )
        self.refresh_from_db()
        return bool(updated)

    def reset_for_retry(self) -> None:
        """Put a failed job back in the queue with a fresh set of attempts (user's « Relancer »)."""
        if self.status != JobStatus.FAILED:
            raise ValidationError("Seule une tâche échouée peut être relancée.")
        self.status = JobStatus.QUEUED
        self.attempts = 0
        self.progress = 0
        self.progress_message = ""
        self.error_message = ""
        self.error_details = ""
        self.started_at = self.finished_at = self.heartbeat_at = self.dispatched_at = None
        self.save(
            update_fields=[
                "status",
                "attempts",
                "progress",
                "progress_message",
                "error_message",
                "error_details",
                "started_at",
                "finished_at",
                "heartbeat_at",
                "dispatched_at",
            ]
        )
