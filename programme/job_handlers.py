"""The `indicator_report` job ("reports" queue): the PDF and the XLSX of an indicator report (programme/reports.py).

Idempotent: a run that is repeated (worker crash, « Relancer ») replaces the report's files, in one transaction.
The automatic (quarterly, annual) reports are e-mailed to the elected officials once produced.
"""

import logging

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone

import programme.report_tasks  # noqa: F401  (registers the beat task in every process that loads the jobs)
from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.registry import JobFailed, register
from ess_portal.pdf import render_pdf
from programme.models import IndicatorReport
from programme.report_content import pdf_context, report_content, write_workbook
from programme.reports import email_report
from programme.services import refresh_computed_measurements

logger = logging.getLogger(__name__)

REPORT_TEMPLATE = "programme/pdf/indicator_report.html"


@register(JobKind.INDICATOR_REPORT, queue="reports")
def build_indicator_report(job) -> File:
    report = IndicatorReport.objects.filter(job_id=job.pk).first()
    if report is None:
        raise JobFailed("Ce rapport d’indicateurs a été supprimé : il ne peut plus être produit.")
    year = report.ends_on.year
    job.set_progress(5, f"Mise à jour des indicateurs calculés de {year}")
    refresh_computed_measurements(year)

    job.set_progress(25, "Calcul des indicateurs, du budget et des aides")
    content = report_content(report)

    job.set_progress(45, "Mise en page du rapport PDF")
    try:
        pdf = render_pdf(REPORT_TEMPLATE, pdf_context(content))
    except (TemplateDoesNotExist, TemplateSyntaxError) as error:
        raise JobFailed(
            "Le modèle du rapport d’indicateurs est introuvable ou invalide : le PDF n’a pas pu être produit. "
            "L’équipe technique doit corriger le modèle ; vous pourrez ensuite relancer la tâche."
        ) from error

    job.set_progress(80, "Écriture du tableur XLSX")
    with write_workbook(content) as xlsx:
        job.set_progress(90, "Enregistrement des fichiers")
        _store(report, pdf=pdf, xlsx=File(xlsx))

    if report.requested_by_id is None:  # email_report only sends the automatic (quarterly, annual) ones
        job.set_progress(95, "Envoi aux élus")
        try:
            email_report(report=report)
        except Exception:  # the files are there; the daily beat task sends it later
            logger.exception("Indicator report %s produced but not e-mailed; the beat task will try again.", report.pk)
    return ContentFile(pdf, name=report.download_name("pdf"))


def _store(report: IndicatorReport, *, pdf: bytes, xlsx: File) -> None:
    """Replace the report's files (a previous run's, if any) and record when it was produced, all or nothing."""
    storage = report.pdf_file.storage
    old_names = [field.name for field in (report.pdf_file, report.xlsx_file) if field]
    new_names = []
    try:
        with transaction.atomic():
            report = IndicatorReport.objects.select_for_update().get(pk=report.pk)
            report.pdf_file.save(report.download_name("pdf"), ContentFile(pdf), save=False)
            new_names.append(report.pdf_file.name)
            report.xlsx_file.save(report.download_name("xlsx"), xlsx, save=False)
            new_names.append(report.xlsx_file.name)
            report.generated_at = timezone.now()
            report.save(update_fields=["pdf_file", "xlsx_file", "generated_at"])
            # The previous run's files are removed only once the new ones are recorded.
            transaction.on_commit(lambda: [storage.delete(name) for name in old_names if name not in new_names])
    except Exception:
        for name in new_names:
            storage.delete(name)
        raise
