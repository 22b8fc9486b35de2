"""Consultation lists: a buyer's named selections of suppliers (a tender being prepared), shared and exported.

Access goes through querysets: a list neither owned nor shared is a 404; only the owner edits or deletes.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from procurement.asr.models import AsrListing, ConsultationEntry, ConsultationList
from procurement.consultation_forms import AddToConsultationListForm, ConsultationEntryNoteForm, ConsultationListForm
from procurement.enums import ExportFormat
from procurement.exports import COLUMNS, chosen_columns, export_response
from procurement.permissions import can_use_buyer_directory
from procurement.views import _require


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
