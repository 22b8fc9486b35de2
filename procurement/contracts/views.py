"""Contracts with insertion clauses: list, contract page, create/edit with lots and clauses, hours reports, the
economic direction's follow-up page and the PLIE reporting export.

Who may do what is in `procurement/permissions.py`; every contract is read through
`Contract.objects.visible_to(user)`, so a contract someone may not see is a 404.
"""

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import F, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ess_portal.exports import XLSX_CONTENT_TYPE, csv_streaming_response, write_xlsx
from ess_portal.listing import sort_links
from procurement.contracts import exports, insertion
from procurement.contracts.filters import ContractFilter
from procurement.contracts.forms import ContractForm, HoursDeletionForm, InsertionHoursForm, LotFormSet
from procurement.contracts.models import Contract, InsertionHours
from procurement.permissions import can_manage_contracts, can_report_hours, can_view_contracts

CONTRACTS_PER_PAGE = 25
SORTABLE_COLUMNS = [
    ("reference", "Référence"),
    ("objet", "Objet"),
    ("direction", "Direction acheteuse"),
    ("debut", "Début"),
    ("fin", "Fin"),
    ("exigees", "Heures exigées"),
    ("realisees", "Heures réalisées"),
    ("taux", "Réalisation"),
]
EXPORT_FORMATS = ("csv", "xlsx")
DENIED = "Les marchés avec clause d’insertion sont réservés aux services de la Métropole et aux facilitateurs PLIE."


def _require(allowed: bool, reason: str = DENIED) -> None:
    if not allowed:
        raise PermissionDenied(reason)


def _contracts(request):
    return Contract.objects.visible_to(request.user).with_insertion_totals(timezone.localdate())


def _filtered(request, *, late_first: bool = False) -> ContractFilter:
    queryset = _contracts(request)
    if late_first:
        queryset = queryset.order_by(F("is_late").desc(), "ends_on", "reference")
    else:
        queryset = queryset.order_by("-starts_on", "reference")
    return ContractFilter(request.GET, queryset=queryset)


def _filter_parameters(request) -> dict:
    return {key: value for key, value in request.GET.items() if key in ContractFilter.base_filters and value}


@require_GET
def contract_list(request):
    """/achats/marches/: the contracts the user may see, filtered and sorted in the URL, with their hours."""
    _require(can_view_contracts(request.user))
    contract_filter = _filtered(request)
    contracts = contract_filter.qs.select_related("facilitator")
    page = Paginator(contracts, CONTRACTS_PER_PAGE).get_page(request.GET.get("page"))
    sort = request.GET.get("tri", "") if contract_filter.is_valid() else ""
    return render(
        request,
        "procurement/contracts/contract_list.html",
        {
            "filter": contract_filter,
            "page_obj": page,
            "contracts": page.object_list,
            "sort_links": sort_links(request.GET, sort, SORTABLE_COLUMNS),
            "can_manage": can_manage_contracts(request.user),
            "export_query": request.GET.urlencode(),
            "today": timezone.localdate(),
        },
    )


@require_GET
def contract_followup(request):
    """/achats/marches/suivi/: totals for the economic direction, late contracts first."""
    _require(can_manage_contracts(request.user), "Le suivi des clauses d’insertion est réservé aux services.")
    contract_filter = _filtered(request, late_first=True)
    contracts = contract_filter.qs
    page = Paginator(contracts.select_related("facilitator"), CONTRACTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "procurement/contracts/contract_followup.html",
        {
            "filter": contract_filter,
            "page_obj": page,
            "contracts": page.object_list,
            "totals": insertion.followup_totals(contracts.order_by()),
            "today": timezone.localdate(),
            "export_query": request.GET.urlencode(),
        },
    )


@require_GET
def contract_detail(request, pk):
    """/achats/marches/<pk>/: lots and clauses, hours per lot, per company and per period, history."""
    _require(can_view_contracts(request.user))
    contract = get_object_or_404(_contracts(request).select_related("facilitator", "created_by"), pk=pk)
    reports = (
        InsertionHours.objects.filter(clause__lot__contract=contract)
        .select_related("clause__lot", "reported_by")
        .order_by("period_start", "clause__lot__number", "company_name", "pk")
    )
    return render(
        request,
        "procurement/contracts/contract_detail.html",
        {
            "contract": contract,
            "lots": insertion.lots_with_hours(contract),
            "reports": reports,
            "companies": insertion.hours_by_company(contract),
            "history": insertion.contract_history(contract),
            "can_manage": can_manage_contracts(request.user),
            "can_report": can_report_hours(request.user, contract),
            "today": timezone.localdate(),
        },
    )


def _edit_contract(request, contract: Contract | None):
    instance = contract or Contract()
    lots = instance.lots.prefetch_related(Prefetch("insertion_clause")) if contract else None
    if request.method == "POST":
        form = ContractForm(request.POST, instance=instance)
        lot_formset = LotFormSet(request.POST, instance=instance, prefix="lots", queryset=lots)
        # The lots' total is checked against the amount typed in the form, not the stored one.
        if form.is_valid():
            lot_formset.instance.amount = form.cleaned_data["amount"]
        if form.is_valid() and lot_formset.is_valid():
            try:
                saved = insertion.save_contract(form=form, lot_formset=lot_formset, by=request.user)
            except IntegrityError:
                form.add_error(None, "Ce marché vient d’être modifié par ailleurs : vérifiez ses lots et réessayez.")
            else:
                if contract is None:
                    messages.success(request, f"Le marché « {saved.reference} » a été créé.")
                else:
                    messages.success(
                        request, f"Les modifications du marché « {saved.reference} » ont été enregistrées."
                    )
                return redirect("procurement:contract_detail", pk=saved.pk)
    else:
        form = ContractForm(instance=instance)
        lot_formset = LotFormSet(instance=instance, prefix="lots", queryset=lots)
    return render(
        request,
        "procurement/contracts/contract_form.html",
        {"form": form, "lot_formset": lot_formset, "contract": contract},
    )


@require_http_methods(["GET", "POST"])
def contract_create(request):
    _require(can_manage_contracts(request.user), "Seuls les services créent les marchés.")
    return _edit_contract(request, None)


@require_http_methods(["GET", "POST"])
def contract_edit(request, pk):
    _require(can_manage_contracts(request.user), "Seuls les services modifient les marchés.")
    return _edit_contract(request, get_object_or_404(Contract, pk=pk))


def _contract_to_report_on(request, pk) -> Contract:
    """The contract, if the user may see it (else 404) and report hours on it (else 403)."""
    _require(can_view_contracts(request.user))
    contract = get_object_or_404(Contract.objects.visible_to(request.user), pk=pk)
    _require(can_report_hours(request.user, contract), "Seul le facilitateur du marché ou les services déclarent.")
    return contract


def _report_of(contract: Contract, hours_pk) -> InsertionHours:
    """A report of this contract (another contract's report is a 404 through this URL)."""
    return get_object_or_404(InsertionHours.objects.filter(clause__lot__contract=contract), pk=hours_pk)


def _edit_hours(request, contract: Contract, report: InsertionHours | None):
    if not contract.lots.filter(insertion_clause__isnull=False).exists():
        messages.error(request, "Ce marché n’a aucune clause d’insertion : ajoutez-en une à un lot d’abord.")
        return redirect("procurement:contract_detail", pk=contract.pk)
    instance = report or InsertionHours()
    initial = {}
    if report is None:
        last = (
            InsertionHours.objects.filter(clause__lot__contract=contract, reported_by=request.user)
            .order_by("-reported_at")
            .first()
        )
        if last is not None:
            initial = {
                "clause": last.clause_id,
                "company_name": last.company_name,
                "company_siret": last.company_siret,
            }
    form = InsertionHoursForm(request.POST or None, instance=instance, contract=contract, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = insertion.report_hours(form=form, by=request.user)
        except IntegrityError:
            form.add_error(
                None, "Ces heures viennent d’être déclarées par ailleurs pour cette entreprise et cette période."
            )
        else:
            messages.success(request, f"Déclaration enregistrée : {saved.description}.")
            return redirect("procurement:contract_detail", pk=contract.pk)
    return render(
        request,
        "procurement/contracts/hours_form.html",
        {"form": form, "contract": contract, "report": report},
    )


@require_http_methods(["GET", "POST"])
def hours_create(request, pk):
    """/achats/marches/<pk>/heures/declarer/: managers on any contract, the facilitator on theirs."""
    return _edit_hours(request, _contract_to_report_on(request, pk), None)


@require_http_methods(["GET", "POST"])
def hours_edit(request, pk, hours_pk):
    """/achats/marches/<pk>/heures/<hours_pk>/modifier/: correct a report (kept in the history)."""
    contract = _contract_to_report_on(request, pk)
    return _edit_hours(request, contract, _report_of(contract, hours_pk))


@require_http_methods(["GET", "POST"])
def hours_delete(request, pk, hours_pk):
    """/achats/marches/<pk>/heures/<hours_pk>/supprimer/: delete a report, with a reason kept in its history."""
    contract = _contract_to_report_on(request, pk)
    report = _report_of(contract, hours_pk)
    form = HoursDeletionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        insertion.delete_hours(report, reason=form.cleaned_data["reason"])
        messages.success(request, f"La déclaration de {report.description} est supprimée.")
        return redirect("procurement:contract_detail", pk=contract.pk)
    return render(
        request,
        "procurement/contracts/hours_confirm_delete.html",
        {"form": form, "contract": contract, "report": report},
    )


@require_GET
def contract_export(request, export_format):
    """/achats/marches/export/<csv|xlsx>/?<filters of the list>: the PLIE reporting (see `exports.PLIE_COLUMNS`)."""
    if export_format not in EXPORT_FORMATS:
        raise Http404("Format d’export inconnu.")
    _require(can_view_contracts(request.user))
    contracts = _filtered(request).qs
    filters = _filter_parameters(request)
    filename = f"reporting-plie-{timezone.localdate():%Y-%m-%d}.{export_format}"
    if export_format == "csv":
        rows = exports.logged_plie_rows(contracts, user=request.user, file_format=export_format, filters=filters)
        return csv_streaming_response(filename, exports.PLIE_HEADER, rows)
    row_count = exports.plie_row_count(contracts)
    if row_count > exports.plie_export_inline_max_rows():
        # A very large spreadsheet would outlast the request: a background job writes it.
        job = exports.request_plie_export_job(user=request.user, filters=filters, rows=row_count)
        messages.info(
            request,
            f"Le reporting PLIE de {row_count} lignes au format XLSX est préparé en arrière-plan "
            f"(tâche nº {job.pk}) : vous pourrez télécharger le fichier sur cette page dès qu’il sera prêt.",
        )
        return redirect("jobs:job_list")
    output = tempfile.TemporaryFile(suffix=".xlsx")
    rows = exports.logged_plie_rows(contracts, user=request.user, file_format=export_format, filters=filters)
    write_xlsx(output, exports.PLIE_HEADER, rows, title="Reporting PLIE")
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


@require_GET
def contract_export_columns(request):
    """/achats/marches/export/colonnes/: the documented columns of the PLIE reporting."""
    _require(can_view_contracts(request.user))
    return render(request, "procurement/contracts/export_columns.html", {"columns": exports.PLIE_COLUMNS})
