"""Indicator reports: elected officials, staff and admins read and download them; staff and admins request one for
any period and relaunch a failed one. The files are produced by the `indicator_report` job."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from ess_portal.jobs.services import retry_job
from programme.models import IndicatorReport
from programme.permissions import can_request_reports, can_view_reports
from programme.report_forms import ReportRequestForm
from programme.reports import Period, request_indicator_report

REPORTS_PER_PAGE = 20


def _require_reader(user) -> None:
    if not can_view_reports(user):
        raise PermissionDenied("Les rapports d’indicateurs sont réservés aux élus et aux agents du service ESS.")


def _require_requester(user) -> None:
    if not can_request_reports(user):
        raise PermissionDenied("Seuls les agents du service ESS demandent ou relancent un rapport d’indicateurs.")


def _reports():
    return IndicatorReport.objects.select_related("job", "requested_by")


def _list(request, *, form=None, status=200):
    page = Paginator(_reports(), REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    can_request = can_request_reports(request.user)
    return render(
        request,
        "programme/reports/report_list.html",
        {
            "page_obj": page,
            "reports": page.object_list,
            "can_request": can_request,
            "form": form or (ReportRequestForm() if can_request else None),
        },
        status=status,
    )


@require_GET
def report_list(request):
    _require_reader(request.user)
    return _list(request)


@require_POST
def report_request(request):
    _require_requester(request.user)
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        return _list(request, form=form, status=400)
    period = form.cleaned_data["period"]
    report = request_indicator_report(
        starts_on=period.starts_on, ends_on=period.ends_on, period_kind=period.kind, by=request.user
    )
    job = report.job
    if report.pdf_file:
        messages.info(request, "Ce rapport existe déjà pour cette période : téléchargez-le ci-dessous.")
    elif job is not None and job.is_failed:
        messages.warning(
            request, "Ce rapport a déjà été demandé mais n’a pas pu être produit : relancez-le ci-dessous."
        )
    elif report.requested_by_id == request.user.pk:
        messages.success(
            request,
            "Le rapport est en préparation : suivez-le ici ou dans « Mes tâches », il sera prêt dans un instant.",
        )
    else:
        messages.info(request, "Ce rapport est déjà en préparation : il sera prêt dans un instant.")
    return redirect("programme:report_detail", pk=report.pk)


@require_GET
def report_detail(request, pk: int):
    _require_reader(request.user)
    report = get_object_or_404(_reports(), pk=pk)
    return render(
        request,
        "programme/reports/report_detail.html",
        {
            "report": report,
            "period": Period(report.period_kind, report.starts_on, report.ends_on),
            "job": report.job,
            "can_request": can_request_reports(request.user),
        },
    )


@require_GET
def report_download(request, pk: int, file_format: str):
    _require_reader(request.user)
    return report_file_response(get_object_or_404(IndicatorReport, pk=pk), file_format)


def report_file_response(report: IndicatorReport | None, file_format: str) -> FileResponse:
    """The report's PDF or spreadsheet as a download (404 while it is not produced, or when the file is gone)."""
    field = report.file(file_format) if report else None
    if field is None:
        raise Http404("Ce fichier n’est pas encore produit.")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("Le fichier de ce rapport n’existe plus.") from None
    return FileResponse(handle, as_attachment=True, filename=report.download_name(file_format))


@require_POST
def report_retry(request, pk: int):
    _require_requester(request.user)
    report = get_object_or_404(_reports(), pk=pk)
    if report.job is None or not report.job.is_failed:
        messages.error(request, "Seul un rapport dont la production a échoué peut être relancé.")
    else:
        retry_job(job=report.job)
        messages.success(request, "La production du rapport a été relancée : il sera prêt dans un instant.")
    return redirect("programme:report_detail", pk=report.pk)
