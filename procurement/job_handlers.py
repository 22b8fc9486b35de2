"""Background job kinds of the procurement app (see `ess_portal.jobs.registry`)."""

import tempfile

from django.core.files import File
from django.http import QueryDict
from django.utils import timezone

from ess_portal.exports import write_xlsx
from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.registry import JobFailed, register
from procurement.asr.exports import chosen_columns, export_filename, write_spreadsheet
from procurement.asr.filters import AsrListingFilter
from procurement.asr.models import AsrListing
from procurement.contracts.exports import PLIE_HEADER, plie_row_count, plie_rows
from procurement.contracts.filters import ContractFilter
from procurement.contracts.models import Contract


@register(JobKind.ASR_EXPORT, queue="reports")
def export_asr_listings(job) -> File:
    """A large export of the buyer directory (XLSX or ODS), written in constant memory to a temporary file.

    Parameters: `filters` (the directory's GET parameters), `columns` (chosen column keys), `format`.
    Idempotent: it only reads the database and writes a new file.
    """
    file_format = job.parameters.get("format")
    if file_format not in ("xlsx", "ods"):
        raise JobFailed("Format d’export inconnu : choisissez XLSX ou ODS.")
    data = QueryDict(mutable=True)
    for key, value in job.parameters.get("filters", {}).items():
        data[key] = value
    filterset = AsrListingFilter(data, queryset=AsrListing.objects.published(timezone.localdate()))
    if not filterset.is_valid():
        raise JobFailed("Les filtres de la recherche ne sont pas valides : relancez l’export depuis l’annuaire.")
    listings = filterset.qs.order_by("actor__name", "pk")
    job.set_progress(5, f"{listings.count()} fournisseurs à exporter")
    output = tempfile.TemporaryFile(suffix=f".{file_format}")
    write_spreadsheet(
        output, listings, columns=chosen_columns(job.parameters.get("columns", [])), file_format=file_format
    )
    output.seek(0)
    return File(output, name=export_filename(file_format))


@register(JobKind.PLIE_EXPORT, queue="reports")
def export_plie_reporting(job) -> File:
    """A large PLIE reporting spreadsheet: the contracts its requester may see (a facilitator: their own), filtered
    as on the contracts page when it was asked. Parameters: `filters`. Idempotent: it only reads and writes a new
    file."""
    if job.requested_by is None:
        raise JobFailed("Le demandeur de cet export n’existe plus.")
    data = QueryDict(mutable=True)
    for key, value in job.parameters.get("filters", {}).items():
        data[key] = value
    contracts = Contract.objects.visible_to(job.requested_by).with_insertion_totals(timezone.localdate())
    contract_filter = ContractFilter(data, queryset=contracts.order_by("-starts_on", "reference"))
    if not contract_filter.is_valid():
        raise JobFailed("Les filtres de la liste des marchés ne sont pas valides : relancez l’export depuis la liste.")
    job.set_progress(5, f"{plie_row_count(contract_filter.qs)} lignes à écrire")
    output = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(output, PLIE_HEADER, plie_rows(contract_filter.qs), title="Reporting PLIE")
    output.seek(0)
    return File(output, name=f"reporting-plie-{timezone.localdate():%Y-%m-%d}.xlsx")


@register(JobKind.PURCHASE_IMPORT)
def import_purchases(job) -> File:
    """A large purchases file (share of ESS spend), confirmed by its uploader; see `procurement.spend.importing`.

    Parameters: `pending` (the signed token of the uploaded file), `user_id`. Idempotent: the import's id is
    written into the job's parameters in the import's transaction, so a second run writes nothing.
    The result is the CSV of the imported purchases with their matching against the registry.
    """
    from procurement.spend import importing

    return importing.run_import_job(job)
