"""Staff import of actors from a CSV or XLSX file (see actors/importing/__init__.py for the rules)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actors.import_forms import ColumnMappingForm, ImportUploadForm
from actors.importing.mapping import FIELDS, column_label
from actors.importing.reading import ImportFileError
from actors.importing.services import build_preview, confirm_import, create_import, inline_max_rows, mark_failed
from actors.models import ActorImport
from actors.permissions import can_manage_actors

IMPORTS_PER_PAGE = 20
ROWS_PER_PAGE = 50


def actors_manager_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_manage_actors(request.user):
            raise PermissionDenied("L’import d’acteurs est réservé aux agents du service ESS.")
        return view(request, *args, **kwargs)

    return wrapped


@actors_manager_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    """Step 1: upload a file; the previous imports below."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actor_import = create_import(uploaded=form.cleaned_data["file"], by=request.user)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("actors:import_mapping", pk=actor_import.pk)
    page = Paginator(ActorImport.objects.with_people(), IMPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "actors/import_list.html",
        {"form": form, "page_obj": page, "imports": page.object_list, "max_rows": inline_max_rows()},
    )


@actors_manager_required
@require_http_methods(["GET", "POST"])
def import_mapping(request, pk):
    """Step 2: which column holds which field (proposed from the headers); saving it builds the preview."""
    actor_import = get_object_or_404(ActorImport, pk=pk)
    if not actor_import.can_be_mapped:
        return redirect("actors:import_detail", pk=pk)
    initial = {key: str(column) for key, column in actor_import.mapping.items()}
    form = ColumnMappingForm(request.POST or None, initial=initial, headers=actor_import.headers)
    if request.method == "POST" and form.is_valid():
        try:
            build_preview(actor_import=actor_import, mapping=form.mapping)
        except ImportFileError as error:
            messages.error(request, str(error))
        else:
            return redirect("actors:import_preview", pk=pk)
    return render(request, "actors/import_mapping.html", {"actor_import": actor_import, "form": form})


@actors_manager_required
@require_GET
def import_preview(request, pk):
    """Step 3: the counts and every rejected row with its reasons, before confirming."""
    actor_import = get_object_or_404(ActorImport, pk=pk)
    if not actor_import.can_be_mapped:
        return redirect("actors:import_detail", pk=pk)
    if not actor_import.preview:
        return redirect("actors:import_mapping", pk=pk)
    preview = actor_import.preview
    page = Paginator(preview["rejected_rows"], ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "actors/import_preview.html",
        {
            "actor_import": actor_import,
            "counts": preview["counts"],
            "sample": preview["sample"],
            "warning": preview.get("warning", ""),
            "page_obj": page,
            "rejected_rows": page.object_list,
            "runs_as_job": actor_import.row_count > inline_max_rows(),
            "mapped_fields": [
                (import_field.label, column_label(column, actor_import.headers[column]))
                for import_field in FIELDS
                if (column := actor_import.mapping.get(import_field.key)) is not None
            ],
        },
    )


@actors_manager_required
@require_POST
def import_confirm(request, pk):
    """Step 4: run the import (now, or as a background job for a large file)."""
    actor_import = get_object_or_404(ActorImport, pk=pk)
    if not actor_import.can_be_confirmed:
        messages.error(request, "Cet import a déjà été lancé ou ne contient aucune ligne valide.")
        return redirect("actors:import_detail", pk=pk)
    try:
        job = confirm_import(actor_import=actor_import, by=request.user)
    except ImportFileError as error:
        mark_failed(actor_import=actor_import, message=str(error))
        messages.error(request, str(error))
        return redirect("actors:import_detail", pk=pk)
    if job is not None:
        messages.success(
            request,
            f"L’import de {actor_import.row_count} lignes a été lancé en arrière-plan. "
            "Suivez son avancement ici ou dans « Mes tâches ».",
        )
    else:
        actor_import.refresh_from_db()
        messages.success(
            request,
            f"Import terminé : {actor_import.created_count} acteurs créés, {actor_import.updated_count} mis à jour, "
            f"{actor_import.unchanged_count} inchangés, {actor_import.rejected_count} lignes rejetées.",
        )
    return redirect("actors:import_detail", pk=pk)


@actors_manager_required
@require_GET
def import_detail(request, pk):
    """The import's state: progress while it runs, then the report (rejected rows with their reasons)."""
    actor_import = get_object_or_404(ActorImport.objects.with_people(), pk=pk)
    page = Paginator(actor_import.rejected_rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "actors/import_detail.html",
        {"actor_import": actor_import, "job": actor_import.job, "page_obj": page, "rejected_rows": page.object_list},
    )


@actors_manager_required
@require_GET
def import_report(request, pk):
    """The report as CSV: one line per row of the file with what was done and why."""
    actor_import = get_object_or_404(ActorImport, pk=pk)
    if not (actor_import.is_done and actor_import.report_file):
        raise Http404("Le rapport de cet import n’est pas encore prêt.")
    try:
        handle = actor_import.report_file.open("rb")
    except FileNotFoundError:
        raise Http404("Le rapport de cet import n’existe plus.") from None
    return FileResponse(
        handle, as_attachment=True, filename=f"rapport-import-acteurs-{actor_import.pk}.csv", content_type="text/csv"
    )
