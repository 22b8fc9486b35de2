"""The instruction queue (staff act, elected officials read) and the ZIP of an application's documents."""

import shutil
import tempfile
import zipfile
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Now
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from ess_portal.listing import sort_links
from funding.enums import ApplicationStatus
from funding.filters import UNASSIGNED, ApplicationQueueFilter, staff_choices
from funding.models import Application, Document
from funding.permissions import can_instruct, can_view_instruction

APPLICATIONS_PER_PAGE = 50
# Sortable columns: value of the `tri` parameter (see ApplicationQueueFilter) and column title.
SORTABLE_COLUMNS = [("structure", "Structure"), ("montant", "Montant demandé"), ("depot", "Déposé le")]
# Drafts belong to the applicant until submitted: they are not in the queue.
QUEUE_STATUSES = [status for status in ApplicationStatus if status != ApplicationStatus.DRAFT]


def _require_reader(user) -> None:
    if not can_view_instruction(user):
        raise PermissionDenied("La file d’instruction est réservée au service ESS et aux élus.")


def _require_instructor(user) -> None:
    if not can_instruct(user):
        raise PermissionDenied("Seul le service ESS instruit les demandes.")


def queue_queryset():
    return Application.objects.exclude(status=ApplicationStatus.DRAFT)


def status_counts(queryset) -> tuple[list[dict], int]:
    """The number of applications in each state of the queue, and their total, in one aggregate query."""
    counts = queryset.aggregate(
        total=Count("pk"), **{status.value: Count("pk", filter=Q(status=status)) for status in QUEUE_STATUSES}
    )
    return [
        {"status": status.value, "label": status.label, "count": counts[status.value]} for status in QUEUE_STATUSES
    ], counts["total"]


class BulkAssignForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label="Demandes", queryset=queue_queryset(), error_messages={"required": "Cochez au moins une demande."}
    )
    instructor = forms.ChoiceField(label="Attribuer à")

    def __init__(self, *args, staff: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructor"].choices = [(UNASSIGNED, "Personne (retirer l’attribution)"), *staff]

    def clean_instructor(self):
        value = self.cleaned_data["instructor"]
        return None if value == UNASSIGNED else User.objects.get(pk=value)


@require_GET
def application_queue(request):
    _require_reader(request.user)
    queue_filter = ApplicationQueueFilter(request.GET, queryset=queue_queryset(), request=request)
    applications = queue_filter.qs.select_related("actor", "scheme", "instructor").annotate(
        waiting=ExpressionWrapper(Now() - F("submitted_at"), output_field=DurationField())
    )
    page = Paginator(applications, APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    if queue_filter.is_valid():
        counts, total = status_counts(queue_filter.queryset_without_status())
        sort = request.GET.get("tri", "")
    else:
        counts, total, sort = [], 0, ""
    can_assign = can_instruct(request.user)
    return render(
        request,
        "funding/queue.html",
        {
            "filter": queue_filter,
            "page_obj": page,
            "applications": page.object_list,
            "status_counts": counts,
            "total_without_status": total,
            "current_status": request.GET.get("etat", ""),
            "sort_links": sort_links(request.GET, sort, SORTABLE_COLUMNS),
            "can_assign": can_assign,
            "assign_form": BulkAssignForm(staff=queue_filter.staff) if can_assign else None,
        },
    )


@require_POST
def bulk_assign(request):
    _require_instructor(request.user)
    form = BulkAssignForm(request.POST, staff=staff_choices())
    # Back to the same filtered page of the queue (`retour` is its query string, never a full URL).
    back = redirect(f"{reverse('funding:queue')}?{request.POST.get('retour', '').lstrip('?')}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back
    instructor = form.cleaned_data["instructor"]
    updated = Application.objects.filter(pk__in=[a.pk for a in form.cleaned_data["applications"]]).update(
        instructor=instructor
    )
    who = (instructor.get_full_name() or instructor.email) if instructor else "personne"
    messages.success(
        request, f"{updated} demande{'s' if updated > 1 else ''} attribuée{'s' if updated > 1 else ''} à {who}."
    )
    return back


def _zip_name(document, used: set[str]) -> str:
    """« <type> - <nom d’origine> », made unique in the archive by a counter before the extension."""
    original = PurePath(document.original_name).name or "piece"
    name = f"{document.get_kind_display()} - {original}".replace("/", "-")
    stem, suffix = PurePath(name).stem, PurePath(name).suffix
    counter = 1
    while name.lower() in used:
        counter += 1
        name = f"{stem} ({counter}){suffix}"
    used.add(name.lower())
    return name


@require_GET
def application_zip(request, pk):
    """Every document of the application, and the valid ones of the structure's vault, in one ZIP file.

    The archive is written file by file to a temporary file on disk, so memory stays flat whatever the sizes.
    """
    _require_instructor(request.user)
    application = get_object_or_404(queue_queryset().select_related("actor"), pk=pk)
    today = timezone.localdate()
    documents = Document.objects.filter(
        Q(application=application) | Q(application__isnull=True, actor_id=application.actor_id)
    ).filter(Q(application__isnull=False) | Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    archive = tempfile.TemporaryFile()
    used: set[str] = set()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zip_file:
        for document in documents.order_by("kind", "uploaded_at", "pk").iterator():
            with document.file.open("rb") as source, zip_file.open(_zip_name(document, used), "w") as target:
                shutil.copyfileobj(source, target, length=1024 * 1024)
    archive.seek(0)
    filename = f"pieces-demande-{application.pk}-{slugify(application.actor.name)[:60]}.zip"
    return FileResponse(archive, as_attachment=True, filename=filename, content_type="application/zip")
