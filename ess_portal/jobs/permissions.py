from accounts.enums import Role
from ess_portal.jobs.models import can_see_all_jobs


def can_see_all(user) -> bool:
    """Admins may list every user's jobs (filter « toutes les tâches »)."""
    return can_see_all_jobs(user)


def can_access_job(user, job) -> bool:
    """Read the job, download its file: its requester or an admin."""
    return job.requested_by_id == user.pk or can_see_all_jobs(user)


def can_retry_job(user, job) -> bool:
    return job.is_failed and can_access_job(user, job)


def can_request_reference_export(user) -> bool:
    return user.has_role(Role.STAFF) or user.has_role(Role.ADMIN) or user.is_superuser
