"""Self-service of applicants (declare, claim, edit their structure) and the staff review of claims."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.enums import Role
from accounts.structure_forms import (
    ClaimDecisionForm,
    ClaimForm,
    ClaimSearchForm,
    StructureCreateForm,
    StructureProfileForm,
)
from actors.enums import ClaimStatus
from actors.models import Actor, ActorClaim
from actors.permissions import can_manage_actors
from ess_portal.views import role_required

SEARCH_RESULTS = 20
CLAIMS_PER_PAGE = 30


@role_required(Role.APPLICANT)
@require_http_methods(["GET", "POST"])
def structure_create(request):
    form = StructureCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actor = services.create_structure(form=form, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"La structure « {actor.name} » est enregistrée et vous y êtes rattaché·e. "
                "Le service ESS vérifiera ses informations.",
            )
            return redirect("applicant_home")
    existing = getattr(form, "existing_actor", None)
    return render(
        request,
        "accounts/structure_create.html",
        {"form": form, "existing_actor": existing if existing is not None and not existing.is_archived else None},
    )


@require_http_methods(["GET", "POST"])
def structure_update(request, pk):
    # Only the user's own structures: any other id is a 404.
    actor = get_object_or_404(Actor.objects.of_user(request.user).select_related("commune"), pk=pk)
    form = StructureProfileForm(request.POST or None, instance=actor)
    if request.method == "POST" and form.is_valid():
        services.update_structure_profile(form=form, by=request.user)
        messages.success(request, "Le profil de la structure est enregistré.")
        return redirect("applicant_home")
    return render(request, "accounts/structure_update.html", {"form": form, "actor": actor})


@role_required(Role.APPLICANT)
def claim_search(request):
    """Find an existing structure by SIRET or name: only its name, commune and SIRET are shown."""
    form = ClaimSearchForm(request.GET or None)
    results = None
    if form.is_valid():
        query = "".join(form.cleaned_data["q"].split())
        actors = Actor.objects.active().select_related("commune").only("name", "siret", "commune__name")
        if query.isdigit():
            actors = actors.filter(siret__startswith=query)
        else:
            actors = actors.search(form.cleaned_data["q"])
        results = list(actors.order_by("name")[:SEARCH_RESULTS])
    pending = ActorClaim.objects.pending().filter(user=request.user).select_related("actor")
    return render(request, "accounts/claim_search.html", {"form": form, "results": results, "pending": pending})


@role_required(Role.APPLICANT)
@require_http_methods(["GET", "POST"])
def claim_create(request, pk):
    actor = get_object_or_404(Actor.objects.active().select_related("commune"), pk=pk)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_actor_claim(user=request.user, actor=actor, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Votre demande de rattachement à « {actor.name} » est envoyée au service ESS. "
                "Vous recevrez sa réponse par e-mail.",
            )
            return redirect("applicant_home")
    return render(request, "accounts/claim_create.html", {"form": form, "actor": actor})


def _claims_manager_required(request):
    if not can_manage_actors(request.user):
        raise PermissionDenied("Les demandes de rattachement sont traitées par les agents du service ESS.")


def claim_list(request):
    """Staff: the pending claims first, then the decided ones."""
    _claims_manager_required(request)
    show_decided = request.GET.get("etat") == "traitees"
    claims = ActorClaim.objects.select_related("actor__commune", "user", "decided_by")
    claims = claims.exclude(status=ClaimStatus.PENDING) if show_decided else claims.pending()
    page = Paginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/claim_list.html",
        {"page_obj": page, "claims": page.object_list, "show_decided": show_decided},
    )


@require_http_methods(["GET", "POST"])
def claim_review(request, pk):
    _claims_manager_required(request)
    claim = get_object_or_404(ActorClaim.objects.select_related("actor__commune", "user", "decided_by"), pk=pk)
    form = ClaimDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = (
            services.approve_actor_claim if form.cleaned_data["decision"] == "approve" else services.reject_actor_claim
        )
        try:
            claim = decide(claim=claim, by=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Demande de {claim.user} pour « {claim.actor} » : {claim.get_status_display().lower()}. "
                "Le demandeur est prévenu par e-mail.",
            )
        return redirect("accounts:claim_list")
    return render(request, "accounts/claim_review.html", {"claim": claim, "form": form})
