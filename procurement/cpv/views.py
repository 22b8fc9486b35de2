"""CPV pages: the search of the nomenclature, for whoever types codes, and the import of the official list by
administrators (its rules in procurement/cpv/importing.py)."""

import uuid

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.enums import Role
from actors.importing.reading import ImportFileError
from ess_portal.views import role_required
from procurement.cpv.forms import CpvUploadForm
from procurement.cpv.importing import (
    INVALID,
    MAX_FILE_SIZE,
    NEW,
    UNCHANGED,
    UPDATED,
    CpvFileError,
    analyse,
    import_codes,
)
from procurement.cpv.models import CpvCode, matching_cpv_codes

CPV_RESULTS = 100
SESSION_KEY = "cpv_import"


@require_GET
def cpv_search(request):
    """/achats/cpv/?q=: find CPV codes by words of their label (accents and case ignored) or by their first digits,
    for whoever types codes in a listing or a sourcing request."""
    text = request.GET.get("q", "").strip()
    codes, more = [], False
    if text:
        matching = matching_cpv_codes(text)
        codes, more = matching[:CPV_RESULTS], len(matching) > CPV_RESULTS
    return render(
        request,
        "procurement/cpv_search.html",
        {"text": text, "codes": codes, "more": more, "limit": CPV_RESULTS, "total": CpvCode.objects.count()},
    )


def _forget_upload(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending and default_storage.exists(pending["path"]):
        default_storage.delete(pending["path"])


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def cpv_import(request):
    """/achats/cpv/import/: upload the official workbook, then read what its import would change."""
    form = CpvUploadForm(request.POST, request.FILES) if request.method == "POST" else CpvUploadForm()
    context = {"form": form, "code_count": CpvCode.objects.count()}
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if uploaded.size > MAX_FILE_SIZE:
                raise CpvFileError(
                    f"Le fichier pèse {uploaded.size / 1024 / 1024:.1f} Mo : la limite est de "
                    f"{MAX_FILE_SIZE // (1024 * 1024)} Mo."
                )
            data = uploaded.read()
            analysis = analyse(data)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            _forget_upload(request)
            # Kept privately (MEDIA_ROOT is never served) until the administrator confirms the import.
            path = default_storage.save(f"cpv-imports/{uuid.uuid4().hex}.xlsx", ContentFile(data))
            request.session[SESSION_KEY] = {"path": path, "name": uploaded.name[-200:]}
            context.update(analysis=analysis, counts=analysis.counts, file_name=uploaded.name)
    return render(request, "procurement/cpv_import.html", context)


@require_POST
@role_required(Role.ADMIN)
def cpv_import_confirm(request):
    """Import the workbook previewed in this session (read again: the stored codes may have changed)."""
    pending = request.session.get(SESSION_KEY)
    if not pending or not default_storage.exists(pending["path"]):
        messages.error(request, "Aucun fichier en attente d’import : déposez de nouveau la nomenclature CPV.")
        return redirect("procurement:cpv_import")
    with default_storage.open(pending["path"], "rb") as handle:
        data = handle.read()
    try:
        counts = import_codes(analyse(data))
    except ImportFileError as error:
        messages.error(request, str(error))
        return redirect("procurement:cpv_import")
    _forget_upload(request)
    messages.success(
        request,
        f"Nomenclature CPV importée depuis « {pending['name']} » : {counts[NEW]} codes créés, {counts[UPDATED]} mis à "
        f"jour, {counts[UNCHANGED]} inchangés, {counts[INVALID]} lignes invalides ignorées.",
    )
    return redirect("procurement:cpv_import")
