"""Sourcing requests: buyers describe a need and collect the answers; the matching suppliers answer.

Access goes through querysets: a buyer only reaches their own requests, a supplier only the requests sent to the
structures they act for; any other id is a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.enums import Role
from actors.models import Contact
from ess_portal.exports import csv_streaming_response
from ess_portal.views import role_required
from procurement.enums import SourcingStatus
from procurement.permissions import can_use_buyer_directory
from procurement.sourcing.forms import InterestedFilterForm, SourcingAnswerForm, SourcingRequestForm
from procurement.sourcing.models import SourcingRecipient, SourcingRequest
from procurement.sourcing.services import save_sourcing_request, send_sourcing_request

REQUESTS_PER_PAGE = 20
RECIPIENTS_PER_PAGE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Cet espace est réservé à un autre profil d’utilisateur.")


def _own_request(request, pk) -> SourcingRequest:
    return get_object_or_404(SourcingRequest.objects.of_buyer(request.user), pk=pk)


# --- Buyer side ---


@require_GET
def sourcing_list(request):
    """/achats/sourcing/: my requests, with how many suppliers received, viewed, answered and are interested."""
    _require(can_use_buyer_directory(request.user))
    requests = SourcingRequest.objects.of_buyer(request.user).with_answer_counts().order_by("-created_at", "-pk")
    page = Paginator(requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "procurement/sourcing/list.html",
        {"page_obj": page, "sourcing_requests": page.object_list, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def sourcing_create(request):
    """/achats/sourcing/nouvelle/: describe the need; the next page shows the suppliers it would reach."""
    _require(can_use_buyer_directory(request.user))
    form = SourcingRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        sourcing_request = save_sourcing_request(form, buyer=request.user)
        messages.success(request, "Demande enregistrée. Vérifiez les fournisseurs qui la recevront, puis envoyez-la.")
        return redirect("procurement:sourcing_detail", pk=sourcing_request.pk)
    return render(request, "procurement/sourcing/form.html", {"form": form, "sourcing_request": None})


@require_http_methods(["GET", "POST"])
def sourcing_edit(request, pk):
    """/achats/sourcing/<pk>/modifier/: change the need as long as it has not been sent."""
    _require(can_use_buyer_directory(request.user))
    sourcing_request = _own_request(request, pk)
    if sourcing_request.is_sent:
        messages.error(request, "Une demande déjà envoyée ne peut plus être modifiée.")
        return redirect("procurement:sourcing_detail", pk=pk)
    form = SourcingRequestForm(request.POST if request.method == "POST" else None, instance=sourcing_request)
    if request.method == "POST" and form.is_valid():
        save_sourcing_request(form, buyer=request.user)
        messages.success(request, "Demande modifiée.")
        return redirect("procurement:sourcing_detail", pk=pk)
    return render(request, "procurement/sourcing/form.html", {"form": form, "sourcing_request": sourcing_request})


@require_GET
def sourcing_detail(request, pk):
    """/achats/sourcing/<pk>/: before sending, the matching suppliers; after, every recipient and its answer."""
    _require(can_use_buyer_directory(request.user))
    today = timezone.localdate()
    sourcing_request = get_object_or_404(
        SourcingRequest.objects.of_buyer(request.user).with_answer_counts().prefetch_related("cpv_codes", "communes"),
        pk=pk,
    )
    context = {"sourcing_request": sourcing_request, "today": today}
    if not sourcing_request.is_sent:
        listings = sourcing_request.matching_listings(today).with_card_data(today).order_by("actor__name", "pk")
        page = Paginator(listings, RECIPIENTS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(page_obj=page, listings=page.object_list, match_count=page.paginator.count)
        return render(request, "procurement/sourcing/preview.html", context)
    filter_form = InterestedFilterForm(request.GET or None)
    interested_only = filter_form.is_valid() and filter_form.cleaned_data["reponse"] == "interesse"
    recipients = SourcingRecipient.objects.filter(request=sourcing_request).select_related(
        "listing__actor__commune", "answered_by"
    )
    if interested_only:
        recipients = recipients.interested()
    recipients = recipients.order_by("listing__actor__name", "pk")
    page = Paginator(recipients, RECIPIENTS_PER_PAGE).get_page(request.GET.get("page"))
    context.update(
        page_obj=page,
        recipients=page.object_list,
        filter_form=filter_form,
        interested_only=interested_only,
        accepts_answers=sourcing_request.accepts_answers(today),
    )
    return render(request, "procurement/sourcing/detail.html", context)


@require_POST
def sourcing_send(request, pk):
    """Send the request: recipients written now, e-mails sent by a background task once saved."""
    _require(can_use_buyer_directory(request.user))
    sourcing_request = _own_request(request, pk)
    try:
        count = send_sourcing_request(sourcing_request=sourcing_request, today=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Demande envoyée à {count} fournisseur{'s' if count > 1 else ''} : leurs membres sont prévenus par "
            "e-mail et répondent sur le portail.",
        )
    return redirect("procurement:sourcing_detail", pk=pk)


@require_POST
def sourcing_close(request, pk):
    """Close the request: suppliers can no longer answer."""
    _require(can_use_buyer_directory(request.user))
    sourcing_request = _own_request(request, pk)
    try:
        sourcing_request.close()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Demande close : les fournisseurs ne peuvent plus y répondre.")
    return redirect("procurement:sourcing_detail", pk=pk)


@require_POST
def sourcing_delete(request, pk):
    """Delete a request that was never sent (nobody received it)."""
    _require(can_use_buyer_directory(request.user))
    sourcing_request = _own_request(request, pk)
    if sourcing_request.is_sent:
        messages.error(request, "Une demande envoyée ne peut pas être supprimée : vous pouvez la clore.")
        return redirect("procurement:sourcing_detail", pk=pk)
    sourcing_request.delete()
    messages.success(request, f"Demande « {sourcing_request} » supprimée.")
    return redirect("procurement:sourcing_list")


EXPORT_HEADER = [
    "Fournisseur",
    "SIRET",
    "Forme juridique",
    "Commune",
    "Site web",
    "Contacts publics",
    "Message du fournisseur",
    "Répondu le",
]


@require_GET
def sourcing_export(request, pk):
    """/achats/sourcing/<pk>/interesses.csv: the suppliers who answered « intéressé » (contacts with consent only)."""
    _require(can_use_buyer_directory(request.user))
    sourcing_request = _own_request(request, pk)
    recipients = (
        SourcingRecipient.objects.filter(request=sourcing_request)
        .interested()
        .select_related("listing__actor__commune")
        .prefetch_related(
            Prefetch(
                "listing__actor__contacts",
                queryset=Contact.objects.filter(is_public=True).order_by("name"),
                to_attr="public_contacts",
            )
        )
        .order_by("listing__actor__name", "pk")
    )

    def rows():
        for recipient in recipients.iterator(chunk_size=500):
            actor = recipient.listing.actor
            contacts = " | ".join(
                ", ".join(part for part in (contact.name, contact.role, contact.email, contact.phone) if part)
                for contact in actor.public_contacts
            )
            yield [
                actor.name,
                actor.siret,
                actor.get_legal_form_display(),
                actor.commune.name,
                actor.website,
                contacts,
                recipient.answer_message,
                timezone.localtime(recipient.answered_at) if recipient.answered_at else None,
            ]

    return csv_streaming_response(f"sourcing-{sourcing_request.pk}-interesses.csv", EXPORT_HEADER, rows())


# --- Supplier side ---


@require_GET
@role_required(Role.APPLICANT)
def sourcing_received(request):
    """/achats/sourcing/recues/: the requests sent to the structures I act for, newest first."""
    recipients = (
        SourcingRecipient.objects.of_user(request.user)
        .select_related("request", "listing__actor")
        .order_by("-request__sent_at", "listing__actor__name", "pk")
    )
    page = Paginator(recipients, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "procurement/sourcing/received_list.html",
        {"page_obj": page, "recipients": page.object_list, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.APPLICANT)
def sourcing_received_detail(request, pk):
    """/achats/sourcing/recues/<pk>/: read the need (the first opening is recorded) and answer until the deadline."""
    recipient = get_object_or_404(
        SourcingRecipient.objects.of_user(request.user).select_related("request__buyer", "listing__actor"), pk=pk
    )
    recipient.mark_viewed()
    today = timezone.localdate()
    sourcing_request = recipient.request
    accepts_answers = sourcing_request.accepts_answers(today)
    initial = {"answer": recipient.answer, "message": recipient.answer_message}
    form = (
        SourcingAnswerForm(request.POST if request.method == "POST" else None, initial=initial)
        if accepts_answers
        else None
    )
    if request.method == "POST":
        if form is None:
            messages.error(
                request, "Cette demande n’accepte plus de réponse : la date limite est passée ou l’acheteur l’a close."
            )
            return redirect("procurement:sourcing_received_detail", pk=pk)
        if form.is_valid():
            try:
                recipient.record_answer(
                    answer=form.cleaned_data["answer"],
                    message=form.cleaned_data["message"],
                    by=request.user,
                    today=today,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Votre réponse a été transmise à l’acheteur.")
            return redirect("procurement:sourcing_received_detail", pk=pk)
    return render(
        request,
        "procurement/sourcing/received_detail.html",
        {
            "recipient": recipient,
            "sourcing_request": sourcing_request,
            "cpv_codes": sourcing_request.cpv_codes.all(),
            "communes": sourcing_request.communes.all(),
            "form": form,
            "accepts_answers": accepts_answers,
            "is_closed": sourcing_request.status == SourcingStatus.CLOSED,
            "today": today,
        },
    )
