"""The staff registry of ESS actors: list with search and filters, actor page, create/edit, archive, exports.

Staff (`can_manage_actors`) write; elected officials, procurement and partners (`can_view_registry`) read,
without personal contact data (`can_view_contacts`). Applicants use their own self-service pages.
"""

import hashlib
import json
import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from actors import services
from actors.exports import (
    EXPORT_FORMATS,
    INCLUDE_ARCHIVED_PARAMETER,
    export_columns,
    filter_parameters,
    inline_max_rows,
    iter_actor_rows,
    log_export,
    registry_filter,
    registry_queryset,
)
from actors.forms import ActorForm, AgrementFormSet, ContactFormSet
from actors.history import actor_history
from actors.models import Actor, Agrement, Contact
from actors.permissions import can_manage_actors, can_view_contacts, can_view_registry
from actors.sections import actor_sections
from ess_portal.exports import (
    ODS_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_streaming_response,
    write_ods,
    write_xlsx,
)
from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.services import request_job
from ess_portal.listing import sort_links

ACTORS_PER_PAGE = 50
# Sortable columns of the list: value of the `tri` parameter (see ActorFilter) and column title.
SORTABLE_COLUMNS = [
    ("nom", "Nom"),
    ("commune", "Commune"),
    ("forme", "Forme juridique"),
    ("etp", "ETP"),
    ("modification", "Dernière modification"),
]
WRITERS = {"xlsx": (write_xlsx, XLSX_CONTENT_TYPE), "ods": (write_ods, ODS_CONTENT_TYPE)}


def _require_registry_reader(user) -> None:
    if not can_view_registry(user):
        raise PermissionDenied("Le répertoire des acteurs est réservé aux agents de la Métropole et aux partenaires.")


def _require_manager(user) -> None:
    if not can_manage_actors(user):
        raise PermissionDenied("Seul le service ESS peut modifier le répertoire des acteurs.")


@require_GET
def actor_list(request):
    _require_registry_reader(request.user)
    actor_filter = registry_filter(request.GET)
    actors = (
        registry_queryset(actor_filter)
        .select_related("commune")
        .prefetch_related(Prefetch("agrements", queryset=Agrement.objects.order_by("kind")))
    )
    page = Paginator(actors, ACTORS_PER_PAGE).get_page(request.GET.get("page"))
    sort = request.GET.get("tri", "") if actor_filter.is_valid() else ""
    return render(
        request,
        "actors/actor_list.html",
        {
            "filter": actor_filter,
            "page_obj": page,
            "actors": page.object_list,
            "sort_links": sort_links(request.GET, sort, SORTABLE_COLUMNS),
            "include_archived": request.GET.get(INCLUDE_ARCHIVED_PARAMETER) == "1",
            "export_query": urlencode(filter_parameters(request.GET)),
            "export_columns": export_columns(include_contacts=can_view_contacts(request.user)),
            "export_inline_max_rows": inline_max_rows(),
            "can_manage": can_manage_actors(request.user),
        },
    )


def _map_partial() -> str | None:
    """The public directory's map partial, when that part of the app provides one."""
    try:
        get_template("actors/_map.html")
    except TemplateDoesNotExist:
        return None
    return "actors/_map.html"


@require_GET
def actor_detail(request, pk):
    _require_registry_reader(request.user)
    show_contacts = can_view_contacts(request.user)
    prefetches = [
        Prefetch("agrements", queryset=Agrement.objects.order_by("kind")),
        "filieres",
        "segments",
        "memberships__user",
    ]
    if show_contacts:
        prefetches.append(Prefetch("contacts", queryset=Contact.objects.order_by("name", "pk")))
    actor = get_object_or_404(Actor.objects.select_related("commune").prefetch_related(*prefetches), pk=pk)
    sections = actor_sections(actor, request.user)
    return render(
        request,
        "actors/actor_detail.html",
        {
            "actor": actor,
            "show_contacts": show_contacts,
            "can_manage": can_manage_actors(request.user),
            "history": actor_history(actor, include_contacts=show_contacts),
            "map_partial": _map_partial(),
            "today": timezone.localdate(),
            "sections": sections,
            **{item["name"]: item["section"] for item in sections},
        },
    )


def _edit_actor(request, actor: Actor | None):
    _require_manager(request.user)
    instance = actor or Actor()
    if request.method == "POST":
        form = ActorForm(request.POST, instance=instance)
        agrements = AgrementFormSet(request.POST, instance=instance, prefix="agrements")
        contacts = ContactFormSet(request.POST, instance=instance, prefix="contacts")
        if form.is_valid() and agrements.is_valid() and contacts.is_valid():
            try:
                saved = services.save_actor(
                    form=form, agrement_formset=agrements, contact_formset=contacts, by=request.user
                )
            except IntegrityError:
                # Another agent saved the same SIRET between validation and saving: nothing was written.
                form.add_error(
                    "siret", "Un acteur avec ce SIRET vient d’être enregistré par ailleurs : vérifiez le répertoire."
                )
            else:
                if actor is None:
                    messages.success(request, f"L’acteur « {saved.name} » a été créé.")
                else:
                    messages.success(request, f"Les modifications de « {saved.name} » ont été enregistrées.")
                return redirect("actors:actor_detail", pk=saved.pk)
    else:
        form = ActorForm(instance=instance)
        agrements = AgrementFormSet(instance=instance, prefix="agrements")
        contacts = ContactFormSet(instance=instance, prefix="contacts")
    return render(
        request,
        "actors/actor_form.html",
        {"form": form, "agrement_formset": agrements, "contact_formset": contacts, "actor": actor},
    )


@require_http_methods(["GET", "POST"])
def actor_create(request):
    return _edit_actor(request, None)


@require_http_methods(["GET", "POST"])
def actor_update(request, pk):
    _require_manager(request.user)  # before the lookup: a reader must not learn which ids exist
    return _edit_actor(request, get_object_or_404(Actor, pk=pk))


@require_http_methods(["GET", "POST"])
def actor_archive(request, pk):
    """Archive an actor (or restore an archived one) after a confirmation page; never a deletion."""
    _require_manager(request.user)
    actor = get_object_or_404(Actor.objects.select_related("commune"), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "archive":
            services.archive_actor(actor=actor, by=request.user)
            messages.success(request, f"L’acteur « {actor.name} » a été archivé : il n’apparaît plus dans les listes.")
        elif action == "restore":
            services.restore_actor(actor=actor, by=request.user)
            messages.success(request, f"L’acteur « {actor.name} » a été restauré.")
        return redirect("actors:actor_detail", pk=actor.pk)
    return render(request, "actors/actor_archive.html", {"actor": actor})


@require_GET
def actor_export(request, export_format):
    """Exactly the actors of the list page (same filters, same order) as CSV, XLSX or ODS."""
    if export_format not in EXPORT_FORMATS:
        raise Http404("Format d’export inconnu.")
    _require_registry_reader(request.user)
    include_contacts = can_view_contacts(request.user)
    filters = filter_parameters(request.GET)
    queryset = registry_queryset(registry_filter(filters))
    header = export_columns(include_contacts=include_contacts)
    filename = f"acteurs-{timezone.localdate():%Y-%m-%d}.{export_format}"
    log = {"user": request.user, "export_format": export_format, "filters": filters}

    if export_format == "csv":
        return csv_streaming_response(
            filename, header, _logged_rows(queryset, include_contacts=include_contacts, log=log)
        )

    total = queryset.count()
    if total > inline_max_rows():
        job = request_job(
            kind=JobKind.ACTOR_EXPORT,
            parameters={"filters": filters, "format": export_format, "include_contacts": include_contacts},
            requested_by=request.user,
            idempotency_key=_export_key(request.user, export_format, filters, include_contacts),
        )
        messages.info(
            request,
            f"L’export de {total} acteurs au format {export_format.upper()} est préparé en arrière-plan "
            f"(tâche nº {job.pk}) : vous pourrez télécharger le fichier sur cette page dès qu’il sera prêt.",
        )
        return redirect("jobs:job_list")

    writer, content_type = WRITERS[export_format]
    output = tempfile.TemporaryFile(suffix=f".{export_format}")
    writer(output, header, iter_actor_rows(queryset, include_contacts=include_contacts), title="Acteurs")
    output.seek(0)
    log_export(**log, rows=total, include_contacts=include_contacts)
    return FileResponse(output, as_attachment=True, filename=filename, content_type=content_type)


def _logged_rows(queryset, *, include_contacts: bool, log: dict):
    """The streamed rows; the export is logged with its row count once the last row is sent."""
    count = 0
    for row in iter_actor_rows(queryset, include_contacts=include_contacts):
        count += 1
        yield row
    log_export(**log, rows=count, include_contacts=include_contacts)


def _export_key(user, export_format: str, filters: dict, include_contacts: bool) -> str:
    """The same export asked twice within a minute (double click, reload) gives one job."""
    payload = json.dumps([export_format, sorted(filters.items()), include_contacts], ensure_ascii=True)
    digest = hashlib.sha256(payload.encode()).hexdigest()[:16]
    return f"actor_export:{user.pk}:{digest}:{timezone.now():%Y%m%d%H%M}"
