import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ess_portal.jobs import permissions, services
from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job

JOBS_PER_PAGE = 20
MAX_STATUS_IDS = 100


def _visible_jobs(request):
    return Job.objects.visible_to(request.user).select_related("requested_by")


@require_GET
def job_list(request):
    """« Mes tâches »: the user's jobs (every job for an admin who asks for them), newest first."""
    show_all = permissions.can_see_all(request.user) and request.GET.get("portee") == "toutes"
    jobs = _visible_jobs(request) if show_all else Job.objects.filter(requested_by=request.user)
    status = request.GET.get("etat", "")
    if status in JobStatus.values:
        jobs = jobs.filter(status=status)
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "jobs/job_list.html",
        {
            "page_obj": page,
            "jobs": page.object_list,
            "show_all": show_all,
            "can_see_all": permissions.can_see_all(request.user),
            "status_choices": JobStatus.choices,
            "current_status": status,
            "can_request_reference_export": permissions.can_request_reference_export(request.user),
            "request_key": uuid.uuid4(),
        },
    )


@require_GET
def job_detail(request, pk):
    job = get_object_or_404(_visible_jobs(request), pk=pk)
    return render(
        request, "jobs/job_detail.html", {"job": job, "can_retry": permissions.can_retry_job(request.user, job)}
    )


@require_GET
def job_status(request):
    """JSON status of the listed jobs (`?ids=1,2,3`) for the page that polls while jobs run."""
    ids = [int(part) for part in request.GET.get("ids", "").split(",") if part.strip().isdigit()][:MAX_STATUS_IDS]
    jobs = Job.objects.visible_to(request.user).filter(pk__in=ids).order_by("pk")
    return JsonResponse({"jobs": [_job_as_json(job) for job in jobs]})


def _job_as_json(job: Job) -> dict:
    return {
        "id": job.pk,
        "kind": job.get_kind_display(),
        "status": job.status,
        "status_display": job.get_status_display(),
        "is_active": job.is_active,
        "progress": job.progress,
        "progress_message": job.progress_message,
        "error_message": job.error_message,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "download_url": reverse("jobs:job_download", args=[job.pk]) if job.is_done and job.result_file else None,
        "result_filename": job.result_filename,
    }


@require_GET
def job_download(request, pk):
    """The job's result, to its requester or an admin only (404 for anyone else)."""
    return result_file_response(request.user, get_object_or_404(_visible_jobs(request), pk=pk))


def result_file_response(user, job: Job) -> FileResponse:
    """The file of a finished job, for its requester or an admin (404 otherwise, or when the file is gone)."""
    if not (job.is_done and job.result_file and permissions.can_access_job(user, job)):
        raise Http404("Aucun fichier pour cette tâche.")
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError:
        raise Http404("Le fichier de cette tâche n’existe plus.") from None
    return FileResponse(handle, as_attachment=True, filename=job.result_filename)


@require_POST
def job_retry(request, pk):
    job = get_object_or_404(_visible_jobs(request), pk=pk)
    if not permissions.can_retry_job(request.user, job):
        messages.error(request, "Seule une tâche échouée peut être relancée.")
    else:
        services.retry_job(job=job)
        messages.success(request, f"La tâche « {job.get_kind_display()} » a été relancée.")
    return redirect("jobs:job_list")


@require_POST
def request_reference_export(request):
    if not permissions.can_request_reference_export(request.user):
        raise PermissionDenied("L’export des données de référence est réservé aux agents du service ESS.")
    try:
        form_key = uuid.UUID(request.POST.get("request_key", ""))
    except ValueError:
        form_key = uuid.uuid4()
    # One job per displayed form: a double click does not export twice.
    services.request_job(
        kind=JobKind.REFERENCE_EXPORT,
        parameters={},
        requested_by=request.user,
        idempotency_key=f"{JobKind.REFERENCE_EXPORT}:{request.user.pk}:{form_key}",
    )
    messages.success(
        request,
        "L’export des données de référence a été demandé. Le fichier sera disponible ci-dessous dès qu’il sera prêt.",
    )
    return redirect("jobs:job_list")
