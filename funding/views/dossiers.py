"""Council dossiers in PDF: staff and elected officials ask for them; a background job produces the file, which
they follow and download at /taches/."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from funding import pdf_jobs
from funding.models import Application, CouncilSession
from funding.permissions import can_view_instruction


def _require_reader(user) -> None:
    if not can_view_instruction(user):
        raise PermissionDenied("Les dossiers du conseil sont réservés aux agents de la Métropole et aux élus.")


def _announce(request, job, what: str) -> None:
    if job.is_done:
        messages.info(request, f"{what} est déjà prêt : téléchargez-le dans vos tâches.")
    elif job.is_failed:
        messages.warning(request, f"{what} n’a pas pu être produit : relancez la tâche depuis la liste de vos tâches.")
    else:
        messages.success(request, f"{what} est en préparation : vous pourrez le télécharger dans vos tâches.")


@require_POST
def request_application_dossier(request, pk: int):
    _require_reader(request.user)
    application = get_object_or_404(Application, pk=pk)
    job = pdf_jobs.request_application_dossier(application=application, by=request.user)
    _announce(request, job, "Le rapport de présentation (PDF)")
    return redirect("jobs:job_list")


@require_POST
def request_session_dossier(request, pk: int):
    _require_reader(request.user)
    session = get_object_or_404(CouncilSession, pk=pk)
    job = pdf_jobs.request_session_dossier(session=session, by=request.user)
    _announce(request, job, "Le dossier de séance (PDF)")
    return redirect("jobs:job_list")
