"""ASR pages: a structure's own listing, staff review, the buyer directory and its exports, the SIRET check, the
buyers' consultation lists."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actors.location import actor_url_name, feature_collection
from actors.models import Actor
from ess_portal.jobs.models import Job
from ess_portal.listing import CappedCountPaginator
from procurement.asr.eligibility import reserved_articles
from procurement.asr.exports import COLUMNS, COLUMNS_BY_KEY, chosen_columns, describe_filters, export_response
from procurement.asr.filters import AsrListingFilter, ExportLogFilter, directory_filters
from procurement.asr.forms import (
    AddToConsultationListForm,
    AsrListingForm,
    ConsultationEntryNoteForm,
    ConsultationListForm,
    SendBackForm,
    SiretForm,
)
from procurement.asr.models import AsrListing, ConsultationEntry, ConsultationList, ExportLog
from procurement.asr.services import export_listings, publish_listing, save_listing, send_back_listing
from procurement.enums import ExportFormat, ListingStatus
from procurement.permissions import can_audit_exports, can_review_listings, can_use_buyer_directory

LISTINGS_PER_PAGE = 20
# The review list's tab of the published listings that expire within a month.
TO_VERIFY_AGAIN = "a-reverifier"
EXPORT_LOGS_PER_PAGE = 50
# Beyond this many results the directory says « plus de 1 000 » instead of counting them all
# (see CappedCountPaginator).
DIRECTORY_COUNT_CAP = 1000


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Cet espace est réservé à un autre profil d’utilisateur.")


def _filter_query(request, *, without=("page",)) -> str:
    params = request.GET.copy()
    for name in without:
        params.pop(name, None)
    return params.urlencode()


def buyer_filterset(request) -> AsrListingFilter:
    listings = AsrListing.objects.published(timezone.localdate())
    return AsrListingFilter(request.GET or None, queryset=listings)


@require_GET
def procurement_home(request):
    """/achats/: buyers and staff land on the directory, members of a structure on their own listings."""
    if can_use_buyer_directory(request.user):
        return redirect("procurement:directory")
    return redirect("procurement:my_listings")


# --- Self-service: the structure's own listing ---


@require_GET
def my_listings(request):
    """/achats/mon-referencement/: the structures the user acts for and their ASR listing."""
    actors = Actor.objects.of_user(request.user).active().select_related("asr_listing").order_by("name")
    return render(request, "procurement/my_listings.html", {"actors": actors})


@require_http_methods(["GET", "POST"])
def listing_edit(request, actor_pk):
    """/achats/mon-referencement/<actor>/: propose or update the listing (a draft, or submitted to staff)."""
    actor = get_object_or_404(Actor.objects.of_user(request.user).active(), pk=actor_pk)
    listing = AsrListing.objects.filter(actor=actor).first() or AsrListing(actor=actor)
    form = AsrListingForm(request.POST or None, instance=listing)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        save_listing(form, submit=submit)
        if submit:
            messages.success(request, "Référencement soumis : le service ESS le vérifiera avant publication.")
        else:
            messages.success(request, "Brouillon enregistré.")
        return redirect("procurement:my_listings")
    articles = reserved_articles(
        actor.legal_form, actor.agrements.valid_on(timezone.localdate()).values_list("kind", flat=True)
    )
    return render(
        request,
        "procurement/listing_form.html",
        {"actor": actor, "listing": listing, "form": form, "articles": articles},
    )


# --- Staff review ---


@require_GET
def review_list(request):
    """/achats/referencements/?etat=&q=: listings waiting for staff (by default), or in another state; counted by
    state in the tabs."""
    _require(can_review_listings(request.user))
    today = timezone.localdate()
    status = request.GET.get("etat") or ListingStatus.SUBMITTED
    if status not in [*ListingStatus.values, TO_VERIFY_AGAIN]:
        status = ListingStatus.SUBMITTED
    text = request.GET.get("q", "").strip()
    listings = AsrListing.objects.all()
    if text:
        listings = listings.filter(actor__in=Actor.objects.search(text))
    counts = dict(listings.order_by().values_list("status").annotate(Count("pk")))
    tabs = [{"status": value, "label": label, "count": counts.get(value, 0)} for value, label in ListingStatus.choices]
    expiring = listings.expiring_soon(today)
    tabs.append({"status": TO_VERIFY_AGAIN, "label": "À revérifier (expire sous 30 jours)", "count": expiring.count()})
    if status == TO_VERIFY_AGAIN:
        listings = expiring.select_related("actor__commune").order_by("last_verified_on", "pk")
    else:
        listings = listings.filter(status=status).select_related("actor__commune").order_by("updated_at", "pk")
    page = Paginator(listings, LISTINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "procurement/review_list.html",
        {
            "page_obj": page,
            "status": status,
            "tabs": tabs,
            "text": text,
            "page_query": _filter_query(request),
            "to_verify_again": status == TO_VERIFY_AGAIN,
        },
    )


@require_http_methods(["GET", "POST"])
def review_detail(request, pk):
    """/achats/referencements/<pk>/: publish (verified today) or send back with a comment."""
    _require(can_review_listings(request.user))
    listing = get_object_or_404(
        AsrListing.objects.select_related("actor__commune").prefetch_related("cpv_codes", "communes"), pk=pk
    )
    form = SendBackForm(request.POST or None)
    if request.method == "POST":
        if "publish" in request.POST:
            publish_listing(listing, today=timezone.localdate())
            messages.success(request, f"Référencement de {listing.actor} publié.")
            return redirect("procurement:review_list")
        if form.is_valid():
            send_back_listing(listing, comment=form.cleaned_data["comment"])
            messages.success(request, f"Référencement de {listing.actor} renvoyé à la structure.")
            return redirect("procurement:review_list")
    agrements = list(listing.actor.agrements.valid_on(timezone.localdate()))
    articles = reserved_articles(listing.actor.legal_form, [agrement.kind for agrement in agrements])
    return render(
        request,
        "procurement/review_detail.html",
        {"listing": listing, "form": form, "agrements": agrements, "articles": articles},
    )


# --- Buyer directory, exports, SIRET check ---


@require_GET
def directory(request):
    """/achats/annuaire/: published listings matching the filters (all in the URL)."""
    _require(can_use_buyer_directory(request.user))
    filterset = buyer_filterset(request)
    today = timezone.localdate()
    cards = AsrListing.objects.with_card_data(today).order_by("actor__name", "pk")
    listings = filterset.qs.with_card_data(today).order_by("actor__name", "pk")
    paginator = CappedCountPaginator(listings, LISTINGS_PER_PAGE, cap=DIRECTORY_COUNT_CAP, rows=cards)
    page = paginator.get_page(request.GET.get("page"))
    geojson_query = _filter_query(request, without=("page", "colonnes", "format"))
    return render(
        request,
        "procurement/directory.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page_obj": page,
            "listings": page.object_list,
            "result_count": paginator.count,
            "count_is_capped": paginator.is_capped,
            "page_query": _filter_query(request),
            "geojson_url": reverse("procurement:directory_geojson") + (f"?{geojson_query}" if geojson_query else ""),
            "can_review": can_review_listings(request.user),
            "can_audit_exports": can_audit_exports(request.user),
            "export_query": _filter_query(request, without=("page", "colonnes", "format")),
            "columns": COLUMNS,
            "formats": ExportFormat.choices,
            "actor_url_name": actor_url_name(full_registry=True),
        },
    )


@require_GET
def directory_geojson(request):
    """/achats/annuaire/carte.geojson: the located suppliers of the directory's filtered listings."""
    _require(can_use_buyer_directory(request.user))
    actors = Actor.objects.filter(pk__in=buyer_filterset(request).qs.values("actor_id"))
    return JsonResponse(feature_collection(actors, url_name=actor_url_name(full_registry=True)))


@require_GET
def directory_export(request):
    """/achats/annuaire/export/?<filters>&format=csv|xlsx|ods&colonnes=…: exactly the filtered listings."""
    _require(can_use_buyer_directory(request.user))
    filterset = buyer_filterset(request)
    file_format = request.GET.get("format", ExportFormat.CSV)
    if file_format not in ExportFormat.values:
        file_format = ExportFormat.CSV
    filters = directory_filters(request.GET)
    listings = filterset.qs.order_by("actor__name", "pk")
    columns = chosen_columns(request.GET.getlist("colonnes"))
    result = export_listings(
        listings=listings, columns=columns, file_format=file_format, user=request.user, filters=filters
    )
    if isinstance(result, Job):
        # A very large spreadsheet would outlast the request: a background job writes it.
        messages.info(
            request,
            f"L’export de {result.parameters['rows']} fournisseurs au format {file_format.upper()} est préparé en "
            f"arrière-plan (tâche nº {result.pk}) : vous pourrez télécharger le fichier sur cette page dès qu’il sera "
            "prêt.",
        )
        return redirect("jobs:job_list")
    return result


@require_GET
def export_log(request):
    """/achats/annuaire/exports/: who exported what from the directory; auditors see everyone's, buyers their own."""
    _require(can_use_buyer_directory(request.user))
    auditor = can_audit_exports(request.user)
    logs = ExportLog.objects.select_related("user").order_by("-created_at", "-pk")
    if not auditor:
        logs = logs.filter(user=request.user)
    filterset = ExportLogFilter(request.GET or None, queryset=logs)
    if not auditor:
        del filterset.filters["par"]  # a buyer reads only their own exports
    page = Paginator(filterset.qs, EXPORT_LOGS_PER_PAGE).get_page(request.GET.get("page"))
    descriptions = describe_filters(page.object_list)
    for log in page.object_list:
        log.filter_descriptions = descriptions[log.pk]
        log.column_titles = [COLUMNS_BY_KEY[key].title for key in log.columns if key in COLUMNS_BY_KEY]
    return render(
        request,
        "procurement/export_log.html",
        {
            "form": filterset.form,
            "page_obj": page,
            "logs": page.object_list,
            "auditor": auditor,
            "column_count": len(COLUMNS),
            "page_query": _filter_query(request),
        },
    )


@require_GET
def verify_siret(request):
    """/achats/verifier-siret/: is the structure of this SIRET in the ESS registry, and eligible to what?"""
    _require(can_use_buyer_directory(request.user))
    form = SiretForm(request.GET or None)
    context = {"form": form, "searched": False}
    if form.is_valid():
        today = timezone.localdate()
        actor = Actor.objects.active().filter(siret=form.cleaned_data["siret"]).select_related("asr_listing").first()
        context["searched"] = True
        context["actor"] = actor
        if actor:
            agrements = list(actor.agrements.valid_on(today))
            listing = getattr(actor, "asr_listing", None)
            context.update(
                agrements=agrements,
                articles=reserved_articles(actor.legal_form, [a.kind for a in agrements]),
                listing=listing,
                listing_visible=bool(listing and listing.is_visible_to_buyers(today)),
                actor_url_name=actor_url_name(full_registry=True),
            )
    return render(request, "procurement/verify_siret.html", context)


# --- Consultation lists: a buyer's named selections of suppliers (a tender being prepared), shared and exported.
# Access goes through querysets: a list neither owned nor shared is a 404; only the owner edits or deletes.


@require_GET
def consultation_lists(request):
    """/achats/listes/: my lists and the lists colleagues shared with me."""
    _require(can_use_buyer_directory(request.user))
    lists = ConsultationList.objects.with_entry_count().select_related("owner").order_by("-updated_at", "pk")
    return render(
        request,
        "procurement/consultation_lists.html",
        {
            "own_lists": lists.owned_by(request.user),
            "shared_lists": lists.filter(pk__in=request.user.shared_consultation_lists.values("pk")),
        },
    )


@require_POST
def consultation_add(request):
    """From a directory card: add the supplier to my list of that name, created when I have none."""
    _require(can_use_buyer_directory(request.user))
    form = AddToConsultationListForm(request.POST, listings=AsrListing.objects.published(timezone.localdate()))
    if not form.is_valid():
        messages.error(request, "Indiquez le nom d’une liste de consultation pour y ajouter ce fournisseur.")
        return redirect("procurement:directory")
    name = form.cleaned_data["name"]
    consultation_list = ConsultationList.objects.owned_by(request.user).filter(name__iexact=name).first()
    if consultation_list is None:
        consultation_list = ConsultationList.objects.create(owner=request.user, name=name)
    listing = form.cleaned_data["listing"]
    if consultation_list.add_listing(listing):
        messages.success(request, f"{listing.actor} ajouté à la liste « {consultation_list} ».")
    else:
        messages.info(request, f"{listing.actor} figure déjà dans la liste « {consultation_list} ».")
    return redirect("procurement:consultation_detail", pk=consultation_list.pk)


@require_GET
def consultation_detail(request, pk):
    """/achats/listes/<pk>/: the suppliers of the list with their notes, the list's notes, its export."""
    _require(can_use_buyer_directory(request.user))
    today = timezone.localdate()
    consultation_list = get_object_or_404(
        ConsultationList.objects.visible_to(request.user)
        .select_related("owner")
        .prefetch_related(
            "shared_with",
            Prefetch(
                "entries",
                queryset=ConsultationEntry.objects.prefetch_related(
                    Prefetch("listing", queryset=AsrListing.objects.with_card_data(today))
                ),
            ),
        ),
        pk=pk,
    )
    is_owner = consultation_list.owner_id == request.user.pk
    entries = [
        {
            "entry": entry,
            "listing": entry.listing,
            "is_visible": entry.listing.is_visible_to_buyers(today),
            "note_form": ConsultationEntryNoteForm(instance=entry, prefix=f"fournisseur-{entry.pk}")
            if is_owner
            else None,
        }
        for entry in consultation_list.entries.all()
    ]
    return render(
        request,
        "procurement/consultation_detail.html",
        {
            "consultation_list": consultation_list,
            "entries": entries,
            "is_owner": is_owner,
            "columns": COLUMNS,
            "formats": ExportFormat.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def consultation_edit(request, pk):
    """/achats/listes/<pk>/modifier/: name, notes and colleagues it is shared with (owner only)."""
    _require(can_use_buyer_directory(request.user))
    consultation_list = get_object_or_404(ConsultationList.objects.owned_by(request.user), pk=pk)
    form = ConsultationListForm(request.POST or None, instance=consultation_list, owner=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Liste de consultation enregistrée.")
        return redirect("procurement:consultation_detail", pk=consultation_list.pk)
    return render(
        request, "procurement/consultation_form.html", {"consultation_list": consultation_list, "form": form}
    )


@require_http_methods(["GET", "POST"])
def consultation_delete(request, pk):
    """/achats/listes/<pk>/supprimer/: confirm, then delete (owner only)."""
    _require(can_use_buyer_directory(request.user))
    consultation_list = get_object_or_404(ConsultationList.objects.owned_by(request.user), pk=pk)
    if request.method == "POST":
        consultation_list.delete()
        messages.success(request, f"Liste « {consultation_list} » supprimée.")
        return redirect("procurement:consultation_lists")
    return render(request, "procurement/consultation_confirm_delete.html", {"consultation_list": consultation_list})


@require_POST
def consultation_entry_note(request, pk, entry_pk):
    """Save the owner's note about one supplier of the list."""
    _require(can_use_buyer_directory(request.user))
    entry = get_object_or_404(
        ConsultationEntry.objects.filter(consultation_list__in=ConsultationList.objects.owned_by(request.user)),
        consultation_list_id=pk,
        pk=entry_pk,
    )
    form = ConsultationEntryNoteForm(request.POST, instance=entry, prefix=f"fournisseur-{entry.pk}")
    if form.is_valid():
        form.save()
        entry.consultation_list.save(update_fields=["updated_at"])
        messages.success(request, "Note enregistrée.")
    return redirect("procurement:consultation_detail", pk=pk)


@require_POST
def consultation_entry_remove(request, pk, entry_pk):
    """Take one supplier out of the list (owner only)."""
    _require(can_use_buyer_directory(request.user))
    entry = get_object_or_404(
        ConsultationEntry.objects.filter(
            consultation_list__in=ConsultationList.objects.owned_by(request.user)
        ).select_related("listing__actor", "consultation_list"),
        consultation_list_id=pk,
        pk=entry_pk,
    )
    entry.delete()
    entry.consultation_list.save(update_fields=["updated_at"])
    messages.success(request, f"{entry.listing.actor} retiré de la liste.")
    return redirect("procurement:consultation_detail", pk=pk)


@require_GET
def consultation_export(request, pk):
    """/achats/listes/<pk>/export/?format=csv|xlsx|ods&colonnes=…: the list's suppliers still published today."""
    _require(can_use_buyer_directory(request.user))
    consultation_list = get_object_or_404(ConsultationList.objects.visible_to(request.user), pk=pk)
    file_format = request.GET.get("format", ExportFormat.CSV)
    if file_format not in ExportFormat.values:
        file_format = ExportFormat.CSV
    listings = consultation_list.published_listings(timezone.localdate()).order_by("actor__name", "pk")
    return export_response(
        listings,
        columns=chosen_columns(request.GET.getlist("colonnes")),
        file_format=file_format,
        user=request.user,
        filters={"liste": consultation_list.pk, "nom": consultation_list.name},
    )
