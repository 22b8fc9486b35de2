"""Pages of the comité d'engagement: the register of needs for premises (filters in the URL, CSV/XLSX/ODS export),
a need and the comité's opinions on it, the sittings with their agenda, and the forms. Staff write; elected officials
and partners read; an applicant expresses and follows the needs of their structures (404 on the others)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actors.models import Actor
from ess_portal.exports import export_response
from ess_portal.forms import add_service_error
from fonciere import committee_services as services
from fonciere.committee_forms import (
    NEED_FIELDS,
    AgendaForm,
    CommitteeSittingForm,
    DecisionForm,
    PremisesRequestFilterForm,
    PremisesRequestForm,
)
from fonciere.committee_models import CommitteeProposal, CommitteeSitting, PremisesRequest
from fonciere.enums import CommitteeDecision
from fonciere.permissions import can_manage_fonciere, can_view_fonciere, can_view_own_leases

NEEDS_PER_PAGE = 50
SITTINGS_PER_PAGE = 20
FIELD_OF_ERROR = {
    "actor": "actor",
    "application": "application",
    "held_on": "held_on",
    "request": "request",
    "decision": "decision",
    "property": "property",
    "reason": "reason",
}


def _require_reader(user) -> None:
    if not can_view_fonciere(user):
        raise PermissionDenied(
            "Le comité d’engagement de la foncière est réservé aux agents de la Métropole, aux élus et aux "
            "partenaires."
        )


def _require_writer(user) -> None:
    if not can_manage_fonciere(user):
        raise PermissionDenied("Seul le service ESS enregistre les séances et les avis du comité d’engagement.")


def _filtered_needs(request):
    filters = PremisesRequestFilterForm(request.GET or None)
    needs = PremisesRequest.objects.all()
    if filters.is_valid():
        data = filters.cleaned_data
        if data["etat"]:
            needs = needs.filter(status=data["etat"])
        if data["commune"]:
            needs = needs.filter(commune=data["commune"])
        if data["filiere"]:
            needs = needs.filter(filiere=data["filiere"])
        if data["usage"]:
            needs = needs.filter(use=data["usage"])
    return filters, needs.select_related("actor", "commune", "filiere", "matched_property")


@require_GET
def premises_request_list(request):
    _require_reader(request.user)
    filters, needs = _filtered_needs(request)
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(needs.order_by("-created_at", "-pk"), NEEDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "fonciere/premises_request_list.html",
        {
            "filters": filters,
            "page_obj": page,
            "needs": page.object_list,
            "query": query.urlencode(),
            "can_write": can_manage_fonciere(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def premises_request_create(request):
    """Staff record the need of a structure met outside the portal."""
    _require_writer(request.user)
    return _need_form(request, actors=None, template="fonciere/premises_request_form.html")


@require_http_methods(["GET", "POST"])
def my_premises_request_create(request):
    """An applicant expresses a need for premises for one of their structures."""
    if not can_view_own_leases(request.user):
        raise PermissionDenied("Cette page est réservée aux porteurs de projet.")
    actors = Actor.objects.filter(pk__in=request.user.memberships.active().values("actor_id")).order_by("name")
    if not actors.exists():
        messages.info(request, "Rattachez-vous d’abord à votre structure pour exprimer un besoin de locaux.")
        return redirect("fonciere:my_leases")
    return _need_form(request, actors=actors, template="fonciere/premises_request_form.html")


def _need_form(request, *, actors, template):
    form = PremisesRequestForm(request.POST or None, actors=actors)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            need = services.express_need(
                actor=data["actor"],
                application=data.get("application"),
                by=request.user,
                **{name: data[name] for name in NEED_FIELDS},
            )
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(
                request,
                f"Besoin de locaux de {need.actor.name} enregistré : il sera présenté au comité d’engagement.",
            )
            return redirect(need)
    return render(request, template, {"form": form, "for_applicant": actors is not None})


def _visible_need(request, pk: int) -> PremisesRequest:
    if not (can_view_fonciere(request.user) or can_view_own_leases(request.user)):
        raise PermissionDenied("Les besoins de locaux ne vous sont pas accessibles.")
    needs = PremisesRequest.objects.visible_to(request.user).select_related(
        "actor", "commune", "filiere", "application", "matched_property__commune", "submitted_by"
    )
    return get_object_or_404(needs, pk=pk)


@require_GET
def premises_request_detail(request, pk: int):
    need = _visible_need(request, pk)
    proposals = need.proposals.select_related("sitting", "property").order_by("sitting__held_on", "pk")
    return render(
        request,
        "fonciere/premises_request_detail.html",
        {
            "need": need,
            "proposals": proposals,
            "is_reader": can_view_fonciere(request.user),
            "can_withdraw": need.can_be_withdrawn
            and (can_manage_fonciere(request.user) or not can_view_fonciere(request.user)),
        },
    )


@require_POST
def premises_request_withdraw(request, pk: int):
    need = _visible_need(request, pk)
    if can_view_fonciere(request.user) and not can_manage_fonciere(request.user):
        raise PermissionDenied("Seuls la structure et le service ESS retirent un besoin de locaux.")
    try:
        services.withdraw_need(need=need, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Besoin de locaux retiré.")
    return redirect(need)


# The needs' export: one column definition for CSV, XLSX and ODS.
NEED_COLUMNS = [
    ("Besoin", lambda need: need.pk),
    ("Exprimé le", lambda need: timezone.localtime(need.created_at).date()),
    ("Structure", lambda need: need.actor.name),
    ("SIRET", lambda need: need.actor.siret),
    ("Surface recherchée (m²)", lambda need: need.surface_needed),
    ("Usage", lambda need: need.get_use_display()),
    ("Commune souhaitée", lambda need: need.commune.name if need.commune else None),
    ("Filière", lambda need: need.filiere.name if need.filiere else None),
    ("Budget annuel (€)", lambda need: need.yearly_budget),
    ("Entrée souhaitée", lambda need: need.needed_from),
    ("État", lambda need: need.get_status_display()),
    ("Bien proposé", lambda need: need.matched_property.name if need.matched_property else None),
]
NEED_HEADER = [title for title, _ in NEED_COLUMNS]


def _need_rows(needs):
    for need in needs.iterator(chunk_size=2000):
        yield [value(need) for _, value in NEED_COLUMNS]


@require_GET
def premises_request_export(request, export_format: str = "csv"):
    """The needs of the register's filters, CSV streamed, XLSX or ODS through a temporary file (constant memory)."""
    _require_reader(request.user)
    _, needs = _filtered_needs(request)
    needs = needs.order_by("created_at", "pk")
    filename = f"besoins-de-locaux-{timezone.localdate():%Y-%m-%d}.{export_format}"
    return export_response(
        filename, NEED_HEADER, _need_rows(needs), export_format=export_format, title="Besoins de locaux"
    )


@require_GET
def committee_sitting_list(request):
    _require_reader(request.user)
    sittings = CommitteeSitting.objects.annotate(
        proposal_count=Count("proposals", distinct=True),
        pending_count=Count("proposals", filter=Q(proposals__decision=CommitteeDecision.PENDING), distinct=True),
    ).order_by("-held_on", "-pk")
    page = Paginator(sittings, SITTINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "fonciere/committee_sitting_list.html",
        {
            "page_obj": page,
            "sittings": page.object_list,
            "awaiting_count": PremisesRequest.objects.awaiting_committee().count(),
            "can_write": can_manage_fonciere(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def committee_sitting_create(request):
    _require_writer(request.user)
    form = CommitteeSittingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sitting = services.hold_sitting(by=request.user, **form.cleaned_data)
        messages.success(request, f"{sitting} enregistré : inscrivez les besoins à son ordre du jour.")
        return redirect(sitting)
    return render(request, "fonciere/committee_sitting_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def committee_sitting_update(request, pk: int):
    _require_writer(request.user)
    sitting = get_object_or_404(CommitteeSitting, pk=pk)
    initial = {name: getattr(sitting, name) for name in CommitteeSittingForm.base_fields}
    form = CommitteeSittingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_sitting(sitting=sitting, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(request, f"{sitting} modifié.")
            return redirect(sitting)
    return render(request, "fonciere/committee_sitting_form.html", {"form": form, "sitting": sitting})


@require_GET
def committee_sitting_detail(request, pk: int):
    _require_reader(request.user)
    proposals = CommitteeProposal.objects.select_related(
        "request__actor", "request__commune", "property", "decided_by"
    ).order_by("pk")
    sitting = get_object_or_404(
        CommitteeSitting.objects.prefetch_related(Prefetch("proposals", queryset=proposals)), pk=pk
    )
    can_write = can_manage_fonciere(request.user)
    return render(
        request,
        "fonciere/committee_sitting_detail.html",
        {
            "sitting": sitting,
            "proposals": sitting.proposals.all(),
            "can_write": can_write,
            "agenda_form": AgendaForm() if can_write else None,
            "is_past": sitting.held_on <= timezone.localdate(),
        },
    )


@require_POST
def committee_agenda_add(request, pk: int):
    _require_writer(request.user)
    sitting = get_object_or_404(CommitteeSitting, pk=pk)
    form = AgendaForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez un besoin qui attend le comité.")
        return redirect(sitting)
    try:
        proposal = services.put_on_agenda(sitting=sitting, need=form.cleaned_data["request"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Besoin de {proposal.request.actor.name} inscrit à l’ordre du jour.")
    return redirect(sitting)


@require_http_methods(["GET", "POST"])
def committee_proposal_decide(request, pk: int):
    _require_writer(request.user)
    proposal = get_object_or_404(
        CommitteeProposal.objects.select_related("sitting", "request__actor", "request__commune"), pk=pk
    )
    if proposal.decision != CommitteeDecision.PENDING:
        messages.info(request, "L’avis du comité sur ce besoin est déjà enregistré.")
        return redirect(proposal.sitting)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(proposal=proposal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(request, f"Avis du comité sur le besoin de {proposal.request.actor.name} enregistré.")
            return redirect(proposal.sitting)
    return render(request, "fonciere/committee_decision_form.html", {"form": form, "proposal": proposal})
