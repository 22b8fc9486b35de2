from celery import shared_task

from ess_portal.jobs import services


@shared_task(bind=True, name="jobs.run_job", max_retries=None, acks_late=True, reject_on_worker_lost=True)
def run_job(self, job_id: int) -> str:
    """Run one job. Attempts are counted on the Job row, so a redelivered message never runs a finished job."""
    outcome = services.execute_job(job_id=job_id)
    # Eager mode (embedded default, tests) has no broker to wait on, and an eager `self.retry` raises:
    # try again at once, the attempts cap still ends the loop.
    while outcome.status == "retry" and self.request.is_eager:
        outcome = services.execute_job(job_id=job_id)
    if outcome.status == "retry":
        raise self.retry(countdown=outcome.countdown)
    return outcome.status


@shared_task(name="jobs.sweep_jobs", ignore_result=True)
def sweep_jobs() -> int:
    """Periodic (beat entry "sweep-jobs"): publish again the jobs lost by Redis or by a dead worker."""
    return services.sweep_jobs()
