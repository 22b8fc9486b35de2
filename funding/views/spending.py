"""Spending on any budget line that is not a grant (SCIC shares, foncière capitalisation, memberships, studies and
services): commit it from the budget execution page, list a year's, read one with its payments and record a payment.
Staff act; elected officials read; the rules live in funding/services.py (`commit_spending`, `add_payment`)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ess_portal.formatting import format_euros
from ess_portal.forms import add_service_error
from funding import services
from funding.filters import SpendingFilter
from funding.instruction_forms import SpendingForm, SpendingPaymentForm
from funding.models import BudgetLine, Commitment
from funding.permissions import can_commit_spending, can_view_spending

SPENDING_PER_PAGE = 50
# Which form field a refusal of the services belongs to (by the ValidationError's code); others go on top.
FIELD_OF_ERROR = {
    "grant_kind": "kind",
    "kind": "kind",
    "amount": "amount",
    "insufficient_credits": "amount",
    "payment_above_commitment": "amount",
    "label": "label",
    "beneficiary": "beneficiary",
    "payment_order_number": "payment_order_number",
}


def _require_reader(user) -> None:
    if not can_view_spending(user):
        raise PermissionDenied("Les dépenses engagées sont réservées aux agents de la Métropole et aux élus.")


def _require_writer(user) -> None:
    if not can_commit_spending(user):
        raise PermissionDenied("Seul le service ESS engage des dépenses et enregistre leurs versements.")


def _spending_detail_queryset():
    return Commitment.objects.spending().select_related("budget_line", "beneficiary", "committed_by")


@require_http_methods(["GET", "POST"])
def spending_create(request, year: int, line_pk: int):
    _require_writer(request.user)
    line = get_object_or_404(BudgetLine, pk=line_pk, year=year)
    form = SpendingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = services.commit_spending(
                budget_line=line,
                kind=data["kind"],
                amount=data["amount"],
                label=data["label"],
                by=request.user,
                idempotency_key=f"spending:{data['form_key']}",
                beneficiary=data["beneficiary"],
                beneficiary_name=data["beneficiary_name"],
                deliberation_number=data["deliberation_number"],
                deliberation_on=data["deliberation_on"],
                legal_commitment_number=data["legal_commitment_number"],
            )
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(
                request,
                f"Dépense engagée : {format_euros(commitment.amount)} sur la ligne « {line.label} » "
                f"(engagement {commitment.legal_commitment_number}).",
            )
            return redirect("funding:spending_detail", pk=commitment.pk)
    return render(request, "funding/spending_form.html", {"line": line, "form": form})


@require_GET
def spending_list(request, year: int):
    _require_reader(request.user)
    if not BudgetLine.objects.for_year(year).exists():
        raise Http404("Aucun budget voté pour cet exercice.")
    spending_filter = SpendingFilter(
        request.GET, queryset=Commitment.objects.spending().for_year(year), year=year, request=request
    )
    commitments = spending_filter.qs.select_related("budget_line", "beneficiary").order_by("-committed_at", "-pk")
    page = Paginator(commitments, SPENDING_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/spending_list.html",
        {
            "year": year,
            "filter": spending_filter,
            "page_obj": page,
            "commitments": page.object_list,
        },
    )


def _render_detail(request, commitment, payment_form=None):
    can_write = can_commit_spending(request.user)
    if can_write and payment_form is None:
        payment_form = SpendingPaymentForm()
    return render(
        request,
        "funding/spending_detail.html",
        {
            "commitment": commitment,
            "payments": commitment.payments.select_related("recorded_by"),
            "payment_form": payment_form if can_write else None,
        },
    )


@require_GET
def spending_detail(request, pk: int):
    _require_reader(request.user)
    return _render_detail(request, get_object_or_404(_spending_detail_queryset(), pk=pk))


@require_POST
def spending_record_payment(request, pk: int):
    _require_writer(request.user)
    commitment = get_object_or_404(_spending_detail_queryset(), pk=pk)
    form = SpendingPaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.add_payment(
                commitment=commitment,
                amount=data["amount"],
                kind=data["kind"],
                by=request.user,
                paid_on=data["paid_on"],
                payment_order_number=data["payment_order_number"],
                idempotency_key=f"spending-payment:{data['form_key']}",
            )
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(
                request,
                f"Versement de {format_euros(payment.amount)} enregistré (mandat {payment.payment_order_number}).",
            )
            return redirect("funding:spending_detail", pk=commitment.pk)
    commitment.refresh_from_db()
    return _render_detail(request, commitment, payment_form=form)
