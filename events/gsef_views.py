"""Pages of the GSEF log: the participations of the Métropole in the Global Social Economy Forum, their documents
(uploads checked on content; downloads as attachments, readers only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ess_portal.forms import add_service_error
from events import services
from events.forms import GsefDocumentForm, GsefParticipationForm
from events.models import GsefDocument, GsefParticipation
from events.permissions import can_manage_events
from events.views import require_reader, require_writer


@require_GET
def gsef_list(request):
    require_reader(request.user)
    return render(
        request,
        "events/gsef_list.html",
        {"participations": GsefParticipation.objects.all(), "can_write": can_manage_events(request.user)},
    )


@require_GET
def gsef_detail(request, pk: int):
    require_reader(request.user)
    participation = get_object_or_404(GsefParticipation, pk=pk)
    can_write = can_manage_events(request.user)
    return render(
        request,
        "events/gsef_detail.html",
        {
            "participation": participation,
            "documents": participation.documents.all(),
            "can_write": can_write,
            "document_form": GsefDocumentForm() if can_write else None,
        },
    )


@require_http_methods(["GET", "POST"])
def gsef_create(request):
    require_writer(request.user)
    form = GsefParticipationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        participation = form.save()
        messages.success(request, f"La participation « {participation.title} » est enregistrée.")
        return redirect(participation)
    return render(request, "events/gsef_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def gsef_update(request, pk: int):
    require_writer(request.user)
    participation = get_object_or_404(GsefParticipation, pk=pk)
    form = GsefParticipationForm(request.POST or None, instance=participation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"La participation « {participation.title} » est modifiée.")
        return redirect(participation)
    return render(request, "events/gsef_form.html", {"form": form, "participation": participation})


@require_POST
def gsef_document_add(request, pk: int):
    require_writer(request.user)
    participation = get_object_or_404(GsefParticipation, pk=pk)
    form = GsefDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.add_gsef_document(
                participation=participation, upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error, fields_by_code={})
        else:
            messages.success(request, f"Le document « {document.original_name} » est ajouté.")
            return redirect(participation)
    return render(
        request,
        "events/gsef_detail.html",
        {
            "participation": participation,
            "documents": participation.documents.all(),
            "can_write": True,
            "document_form": form,
        },
        status=400,
    )


@require_GET
def gsef_document_download(request, pk: int):
    require_reader(request.user)
    document = get_object_or_404(GsefDocument, pk=pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
