"""Share of ESS spend: import of a year's purchases and the report (rules in procurement/spend/importing.py, figures
in procurement/spend/report.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actors.importing.reading import ImportFileError
from ess_portal.exports import XLSX_CONTENT_TYPE, csv_streaming_response
from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.models import Job
from procurement.enums import SiretMatch
from procurement.permissions import can_import_purchases, can_read_spend_report, can_see_purchase_lines
from procurement.spend import importing
from procurement.spend.exports import PURCHASE_COLUMNS, purchase_rows, report_workbook
from procurement.spend.forms import PurchaseImportForm, UnmatchedFilterForm
from procurement.spend.models import Purchase, PurchaseImport
from procurement.spend.report import SpendReport, year_summaries
from procurement.spend.report import spend_report as year_report

IMPORTS_PER_PAGE = 20
PURCHASES_PER_PAGE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Cet espace est réservé à un autre profil d’utilisateur.")


def _current_import_or_404(year: int) -> PurchaseImport:
    purchase_import = PurchaseImport.objects.current().filter(year=year).first()
    if purchase_import is None:
        raise Http404(f"Aucun fichier d’achats n’a été importé pour {year}.")
    return purchase_import


def _report_or_404(year: int) -> SpendReport:
    report = year_report(year)
    if report is None:
        raise Http404(f"Aucun fichier d’achats n’a été importé pour {year}.")
    return report


@require_GET
def spend_index(request):
    """/achats/part-ess/: the years imported with their ESS share, the imports (history) and those running."""
    _require(can_read_spend_report(request.user))
    can_import = can_import_purchases(request.user)
    page = Paginator(PurchaseImport.objects.with_people(), IMPORTS_PER_PAGE).get_page(request.GET.get("page"))
    running = []
    if can_import:
        running = list(Job.objects.filter(kind=JobKind.PURCHASE_IMPORT, requested_by=request.user).active())
    return render(
        request,
        "procurement/spend/index.html",
        {
            "years": year_summaries(),
            "page_obj": page,
            "imports": page.object_list,
            "can_import": can_import,
            "running_jobs": running,
        },
    )


@require_http_methods(["GET", "POST"])
def spend_import(request):
    """Step 1: the year and the file; a valid file leads to its preview (nothing saved yet)."""
    _require(can_import_purchases(request.user))
    form = PurchaseImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            pending = importing.store_upload(
                uploaded=form.cleaned_data["file"], year=form.cleaned_data["year"], by=request.user
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect(f"{reverse('procurement:spend_import_preview')}?jeton={pending.token()}")
    return render(
        request,
        "procurement/spend/import.html",
        {"form": form, "max_rows": importing.inline_max_rows(), "fields": importing.FIELDS},
    )


@require_GET
def spend_import_preview(request):
    """Step 2: counts, total, rows in error (which refuse the import) and rows outside the registry."""
    _require(can_import_purchases(request.user))
    try:
        pending = importing.PendingFile.from_token(request.GET.get("jeton", ""), user=request.user)
        context = importing.preview(pending)
    except ImportFileError as error:
        messages.error(request, str(error))
        return redirect("procurement:spend_import")
    replaced = PurchaseImport.objects.current().filter(year=pending.year).first()
    return render(
        request,
        "procurement/spend/preview.html",
        {**context, "pending": pending, "token": request.GET["jeton"], "replaced": replaced},
    )


@require_POST
def spend_import_confirm(request):
    """Step 3: import now, or as a background job for a large file."""
    _require(can_import_purchases(request.user))
    try:
        pending = importing.PendingFile.from_token(request.POST.get("jeton", ""), user=request.user)
        result = importing.confirm_import(pending=pending, by=request.user)
    except importing.ImportRefused as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('procurement:spend_import_preview')}?jeton={request.POST['jeton']}")
    except ImportFileError as error:
        messages.error(request, str(error))
        return redirect("procurement:spend_index")
    if isinstance(result, Job):
        messages.success(
            request,
            f"L’import de {pending.row_count} lignes a été lancé en arrière-plan. Suivez son avancement ici ; "
            f"le rapport {pending.year} sera à jour dès la fin de la tâche.",
        )
        return redirect("jobs:job_detail", pk=result.pk)
    unmatched = result.purchases.unmatched().count()
    messages.success(
        request,
        f"Import terminé : {result.row_count} achats de {result.year} enregistrés"
        + (f", dont {unmatched} hors registre ESS ou sans SIRET valide (listés ci-dessous)." if unmatched else "."),
    )
    return redirect("procurement:spend_report", year=result.year)


@require_GET
def spend_report(request, year):
    """/achats/part-ess/<année>/: total spend, ESS share and its breakdowns, and the rows outside the registry."""
    _require(can_read_spend_report(request.user))
    report = _report_or_404(year)
    return render(
        request,
        "procurement/spend/report.html",
        {
            "report": report,
            "summary": report.summary,
            "can_import": can_import_purchases(request.user),
            "can_see_lines": can_see_purchase_lines(request.user),
        },
    )


@require_GET
def spend_unmatched(request, year):
    """The purchases whose SIRET is unknown to the registry or malformed, paginated."""
    _require(can_see_purchase_lines(request.user))
    purchase_import = _current_import_or_404(year)
    form = UnmatchedFilterForm(request.GET or None)
    purchases = Purchase.objects.filter(purchase_import=purchase_import).unmatched()
    if form.siret_match:
        purchases = purchases.filter(siret_match=form.siret_match)
    page = Paginator(purchases.order_by("row_number", "pk"), PURCHASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "procurement/spend/unmatched.html",
        {"year": year, "form": form, "page_obj": page, "purchases": page.object_list},
    )


@require_GET
def spend_purchases_csv(request, year):
    """Every purchase of the year's import with its matching (or only those outside the registry), streamed."""
    _require(can_see_purchase_lines(request.user))
    purchases = Purchase.objects.filter(purchase_import=_current_import_or_404(year))
    form = UnmatchedFilterForm(request.GET or None)
    suffix = ""
    if request.GET.get("hors_registre"):
        purchases = purchases.unmatched()
        suffix = "-hors-registre"
        if form.siret_match:
            purchases = purchases.filter(siret_match=form.siret_match)
            suffix = f"-{'siret-inconnu' if form.siret_match == SiretMatch.UNKNOWN else 'siret-invalide'}"
    return csv_streaming_response(f"achats-{year}{suffix}.csv", PURCHASE_COLUMNS, purchase_rows(purchases))


@require_GET
def spend_export(request, year):
    """The report as an XLSX workbook: summary, by direction, by filière, by commune."""
    _require(can_read_spend_report(request.user))
    report = _report_or_404(year)
    response = HttpResponse(report_workbook(report), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"part-achats-ess-{year}.xlsx")
    return response
