"""The SCIC register's pages. Staff write; elected officials and partners read; the rules live in scic/services.py."""

import uuid
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ess_portal.exports import export_response
from ess_portal.formatting import format_euros
from ess_portal.forms import add_service_error
from funding.models import BudgetLine
from scic import pdf_jobs, services
from scic.filters import ScicFilter
from scic.forms import (
    CapitalForm,
    EndMandateForm,
    KeyedForm,
    LiaisonMeetingForm,
    MovementForm,
    PublicHoldingForm,
    PublicHoldingUpdateForm,
    RepresentativeForm,
    RepresentativeUpdateForm,
    ScicDeclarationForm,
    ScicUpdateForm,
    SubscriptionForm,
)
from scic.models import PUBLIC_SHARE_CAP_PERCENT, CapitalRecord, PublicHolding, Representative, Scic, ShareMovement
from scic.permissions import can_manage_scic, can_view_scic

REGISTER_PER_PAGE = 50
FUND_PER_PAGE = 50
# Which form field a refusal of the services belongs to (by the ValidationError's code); others go on top.
FIELD_OF_ERROR = {
    "not_a_scic": "actor",
    "duplicate": "actor",
    "amount": "amount",
    "held_until": "held_until",
    "shares": "shares",
    "nominal": "nominal",
    "fund_year": "fund_year",
    "insufficient_credits": "shares",
    "kind": "kind",
    "payment_order_number": "payment_order_number",
    "payment_above_commitment": "shares",
    "mandate_end_on": "mandate_end_on",
    "recorded_on": "recorded_on",
    "actor_locked": "actor",
}


def _require_reader(user) -> None:
    if not can_view_scic(user):
        raise PermissionDenied(
            "Le registre des SCIC est réservé aux agents de la Métropole, aux élus et aux partenaires."
        )


def _require_writer(user) -> None:
    if not can_manage_scic(user):
        raise PermissionDenied("Seul le service ESS tient le registre des SCIC.")


@require_GET
def register(request):
    _require_reader(request.user)
    scic_filter = ScicFilter(request.GET, queryset=Scic.objects.for_register())
    page = Paginator(scic_filter.qs, REGISTER_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "scic/scic_list.html",
        {
            "filter": scic_filter,
            "page_obj": page,
            "scics": page.object_list,
            "can_manage": can_manage_scic(request.user),
            "cap_percent": PUBLIC_SHARE_CAP_PERCENT,
            "current_year": timezone.localdate().year,
            "mandates_ending": Representative.objects.ending_soon()
            .select_related("scic__actor")
            .order_by("mandate_end_on", "pk"),
        },
    )


# The register's export: one column definition (title, value of an annotated SCIC) for CSV, XLSX and ODS.
REGISTER_COLUMNS = [
    ("SCIC", lambda scic: scic.actor.name),
    ("SIRET", lambda scic: scic.actor.siret),
    ("Commune", lambda scic: scic.actor.commune.name),
    ("Capital (€)", lambda scic: _euros(scic.capital_amount)),
    ("Parts de la Métropole", lambda scic: scic.metropole_shares),
    ("Détenu par la Métropole (€)", lambda scic: _euros(scic.metropole_amount)),
    ("Part de la Métropole (%)", lambda scic: scic.metropole_percent),
    ("Autres collectivités (€)", lambda scic: _euros(scic.other_public_amount)),
    ("Part publique (%)", lambda scic: scic.public_percent),
    ("Délibération cadre", lambda scic: scic.framework_deliberation_number),
]


@require_GET
def register_export(request, export_format: str = "csv"):
    """The filtered register as CSV (streamed), XLSX or ODS (the register holds a few dozen SCIC: written inline)."""
    _require_reader(request.user)
    scics = ScicFilter(request.GET, queryset=Scic.objects.for_register()).qs
    header = [title for title, _ in REGISTER_COLUMNS]
    rows = ([value(scic) for _, value in REGISTER_COLUMNS] for scic in scics.iterator(chunk_size=500))
    filename = f"registre-scic-{timezone.localdate():%Y-%m-%d}.{export_format}"
    return export_response(filename, header, rows, export_format=export_format, title="Registre des SCIC")


def _euros(value: Decimal | None) -> Decimal | None:
    # Sums computed by SQLite come back without their two decimals.
    return None if value is None else value.quantize(Decimal("0.01"))


def _scic_or_404(pk: int) -> Scic:
    return get_object_or_404(Scic.objects.select_related("actor__commune"), pk=pk)


@require_GET
def scic_detail(request, pk: int):
    _require_reader(request.user)
    scic = get_object_or_404(Scic.objects.with_figures().select_related("actor__commune"), pk=pk)
    return render(
        request,
        "scic/scic_detail.html",
        {
            "scic": scic,
            "capital_records": scic.capital_records.all(),
            "public_holdings": scic.public_holdings.all(),
            "movements": scic.movements.select_related("commitment__budget_line", "payment").order_by(
                "-moved_on", "-pk"
            ),
            "representatives": scic.representatives.all(),
            "liaison_meetings": scic.liaison_meetings.all(),
            "cap_percent": PUBLIC_SHARE_CAP_PERCENT,
            "can_manage": can_manage_scic(request.user),
            "dossier_key": uuid.uuid4(),
        },
    )


@require_POST
def stake_dossier_request(request, pk: int):
    """Staff ask for the deliberation dossier of a subscription; the job's file waits for them in « Mes tâches »."""
    _require_writer(request.user)
    movement = get_object_or_404(ShareMovement.objects.subscriptions(), pk=pk)
    form = KeyedForm(request.POST)
    form_key = form.cleaned_data["form_key"] if form.is_valid() else uuid.uuid4()
    job = pdf_jobs.request_stake_dossier(movement=movement, by=request.user, form_key=str(form_key))
    what = "Le dossier de délibération (PDF)"
    if job.is_done:
        messages.info(request, f"{what} est déjà prêt : téléchargez-le dans vos tâches.")
    elif job.is_failed:
        messages.warning(request, f"{what} n’a pas pu être produit : relancez la tâche depuis la liste de vos tâches.")
    else:
        messages.success(request, f"{what} est en préparation : vous pourrez le télécharger dans vos tâches.")
    return redirect("jobs:job_list")


@require_http_methods(["GET", "POST"])
def scic_create(request):
    _require_writer(request.user)
    form = ScicDeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scic = services.declare_scic(
                actor=data["actor"],
                by=request.user,
                idempotency_key=f"scic:{data['form_key']}",
                framework_deliberation_number=data["framework_deliberation_number"],
                framework_deliberation_on=data["framework_deliberation_on"],
                notes=data["notes"],
            )
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(request, f"SCIC « {scic.actor.name} » ajoutée au registre.")
            return redirect("scic:detail", pk=scic.pk)
    return render(request, "scic/scic_form.html", {"form": form})


def _scic_form_page(request, scic, form, *, title, submit, extra=None):
    context = {"scic": scic, "form": form, "title": title, "submit": submit, **(extra or {})}
    return render(request, "scic/scic_write_form.html", context)


@require_http_methods(["GET", "POST"])
def capital_create(request, pk: int):
    _require_writer(request.user)
    scic = _scic_or_404(pk)
    form = CapitalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_capital(scic=scic, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(
                request, f"Capital au {record.recorded_on:%d/%m/%Y} enregistré : {format_euros(record.amount)}."
            )
            return redirect("scic:detail", pk=scic.pk)
    return _scic_form_page(request, scic, form, title="Enregistrer le capital", submit="Enregistrer le capital")


@require_http_methods(["GET", "POST"])
def holding_create(request, pk: int):
    _require_writer(request.user)
    scic = _scic_or_404(pk)
    form = PublicHoldingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            holding = services.record_public_holding(
                scic=scic,
                holder_name=data["holder_name"],
                holder_kind=data["holder_kind"],
                amount=data["amount"],
                held_from=data["held_from"],
                held_until=data["held_until"],
                idempotency_key=f"scic-holding:{data['form_key']}",
            )
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(request, f"Participation de « {holding.holder_name} » enregistrée.")
            return redirect("scic:detail", pk=scic.pk)
    return _scic_form_page(
        request, scic, form, title="Ajouter la participation d’une autre collectivité", submit="Enregistrer"
    )


@require_http_methods(["GET", "POST"])
def subscribe(request, pk: int):
    _require_writer(request.user)
    scic = _scic_or_404(pk)
    today = timezone.localdate()
    form = SubscriptionForm(request.POST or None, initial={"fund_year": today.year, "subscribed_on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            movement = services.subscribe_shares(
                scic=scic,
                shares=data["shares"],
                nominal=data["nominal"],
                subscribed_on=data["subscribed_on"],
                fund_year=data["fund_year"],
                deliberation_number=data["deliberation_number"],
                deliberation_on=data["deliberation_on"],
                by=request.user,
                idempotency_key=f"scic-subscription:{data['form_key']}",
            )
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(
                request,
                f"Souscription de {movement.shares} parts ({format_euros(movement.amount)}) engagée sur le fonds "
                f"SCIC {data['fund_year']}.",
            )
            return redirect("scic:detail", pk=scic.pk)
    fund_lines = BudgetLine.objects.filter(code=services.SCIC_FUND_LINE_CODE).order_by("year")
    return _scic_form_page(
        request,
        scic,
        form,
        title="Souscrire des parts",
        submit="Souscrire et engager",
        extra={"fund_lines": fund_lines, "figures": scic.figures_on(today)},
    )


@require_http_methods(["GET", "POST"])
def movement_create(request, pk: int):
    _require_writer(request.user)
    scic = _scic_or_404(pk)
    form = MovementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            movement = services.record_movement(
                scic=scic,
                kind=data["kind"],
                shares=data["shares"],
                nominal=data["nominal"],
                moved_on=data["moved_on"],
                deliberation_number=data["deliberation_number"],
                deliberation_on=data["deliberation_on"],
                payment_order_number=data["payment_order_number"],
                by=request.user,
                idempotency_key=f"scic-movement:{data['form_key']}",
            )
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(
                request, f"{movement.get_kind_display().capitalize()} de {movement.shares} parts enregistrée."
            )
            return redirect("scic:detail", pk=scic.pk)
    return _scic_form_page(
        request, scic, form, title="Enregistrer une libération, un remboursement ou une cession", submit="Enregistrer"
    )


@require_http_methods(["GET", "POST"])
def representative_create(request, pk: int):
    _require_writer(request.user)
    scic = _scic_or_404(pk)
    form = RepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        key = data.pop("form_key")
        try:
            representative = services.designate_representative(
                scic=scic, idempotency_key=f"scic-representative:{key}", **data
            )
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(
                request, f"{representative.person_name} désigné·e au {representative.get_body_display()}."
            )
            return redirect("scic:detail", pk=scic.pk)
    return _scic_form_page(request, scic, form, title="Désigner un représentant", submit="Enregistrer")


@require_http_methods(["GET", "POST"])
def liaison_meeting_create(request, pk: int):
    _require_writer(request.user)
    scic = _scic_or_404(pk)
    form = LiaisonMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        key = data.pop("form_key")
        meeting = services.record_liaison_meeting(scic=scic, idempotency_key=f"scic-liaison:{key}", **data)
        messages.success(request, f"Comité de liaison du {meeting.held_on:%d/%m/%Y} enregistré.")
        return redirect("scic:detail", pk=scic.pk)
    return _scic_form_page(request, scic, form, title="Enregistrer un comité de liaison", submit="Enregistrer")


@require_GET
def fund(request, year: int):
    _require_reader(request.user)
    line = services.scic_fund_line(year)
    if line is None:
        raise Http404("Aucune ligne « Fonds de participation dans des SCIC » pour cet exercice.")
    stakes = (
        ShareMovement.objects.subscriptions()
        .filter(commitment__budget_line=line)
        .select_related("scic__actor", "commitment")
        .order_by("moved_on", "pk")
    )
    years = list(
        BudgetLine.objects.filter(code=services.SCIC_FUND_LINE_CODE).order_by("year").values_list("year", flat=True)
    )
    page = Paginator(stakes, FUND_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "scic/fund.html",
        {
            "line": line,
            "year": year,
            "years": years,
            "page_obj": page,
            "stakes": page.object_list,
            # The year's total is over every stake of the year, not the page's.
            "stakes_amount": stakes.holding().amount,
        },
    )


# --- Corrections: the SCIC, a capital record, another collectivity's holding, a representative and their mandate --


@require_http_methods(["GET", "POST"])
def scic_update(request, pk: int):
    _require_writer(request.user)
    scic = _scic_or_404(pk)
    form = ScicUpdateForm(
        request.POST or None,
        scic=scic,
        initial=model_to_dict(
            scic, fields=["actor", "framework_deliberation_number", "framework_deliberation_on", "notes"]
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            scic = services.update_scic(scic=scic, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(request, f"SCIC « {scic.actor.name} » modifiée.")
            return redirect("scic:detail", pk=scic.pk)
    return _scic_form_page(request, scic, form, title="Modifier la SCIC", submit="Enregistrer les modifications")


@require_http_methods(["GET", "POST"])
def capital_update(request, pk: int, record_pk: int):
    _require_writer(request.user)
    record = get_object_or_404(CapitalRecord.objects.select_related("scic__actor"), pk=record_pk, scic_id=pk)
    form = CapitalForm(request.POST or None, initial=model_to_dict(record, fields=["recorded_on", "amount", "source"]))
    if request.method == "POST" and form.is_valid():
        try:
            record = services.update_capital_record(record=record, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(
                request, f"Capital au {record.recorded_on:%d/%m/%Y} corrigé : {format_euros(record.amount)}."
            )
            return redirect("scic:detail", pk=pk)
    return _scic_form_page(request, record.scic, form, title="Corriger le capital", submit="Enregistrer")


@require_http_methods(["GET", "POST"])
def holding_update(request, pk: int, holding_pk: int):
    _require_writer(request.user)
    holding = get_object_or_404(PublicHolding.objects.select_related("scic__actor"), pk=holding_pk, scic_id=pk)
    form = PublicHoldingUpdateForm(
        request.POST or None,
        initial=model_to_dict(holding, fields=["holder_name", "holder_kind", "amount", "held_from", "held_until"]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            holding = services.update_public_holding(holding=holding, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(request, f"Participation de « {holding.holder_name} » modifiée.")
            return redirect("scic:detail", pk=pk)
    return _scic_form_page(
        request,
        holding.scic,
        form,
        title="Modifier la participation d’une autre collectivité",
        submit="Enregistrer",
        extra={"figures": holding.scic.figures_on(timezone.localdate())},
    )


def _representative_or_404(pk: int, representative_pk: int) -> Representative:
    return get_object_or_404(Representative.objects.select_related("scic__actor"), pk=representative_pk, scic_id=pk)


@require_http_methods(["GET", "POST"])
def representative_update(request, pk: int, representative_pk: int):
    _require_writer(request.user)
    representative = _representative_or_404(pk, representative_pk)
    form = RepresentativeUpdateForm(
        request.POST or None,
        initial=model_to_dict(
            representative,
            fields=[
                "person_name",
                "body",
                "deliberation_number",
                "deliberation_on",
                "mandate_start_on",
                "mandate_end_on",
            ],
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            representative = services.update_representative(representative=representative, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(request, f"Désignation de {representative.person_name} modifiée.")
            return redirect("scic:detail", pk=pk)
    return _scic_form_page(
        request, representative.scic, form, title=f"Modifier – {representative.person_name}", submit="Enregistrer"
    )


@require_http_methods(["GET", "POST"])
def mandate_end(request, pk: int, representative_pk: int):
    _require_writer(request.user)
    representative = _representative_or_404(pk, representative_pk)
    form = EndMandateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            representative = services.end_mandate(
                representative=representative, mandate_end_on=form.cleaned_data["mandate_end_on"]
            )
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(
                request,
                f"Fin du mandat de {representative.person_name} enregistrée au "
                f"{representative.mandate_end_on:%d/%m/%Y}.",
            )
            return redirect("scic:detail", pk=pk)
    return _scic_form_page(
        request,
        representative.scic,
        form,
        title=f"Mettre fin au mandat de {representative.person_name}",
        submit="Enregistrer la fin du mandat",
    )
