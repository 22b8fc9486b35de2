"""Background job kinds of the procurement app (see `ess_portal.jobs.registry`)."""

import tempfile

from django.core.files import File
from django.http import QueryDict
from django.utils import timezone

from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.registry import JobFailed, register
from procurement.exports import chosen_columns, export_filename, write_spreadsheet
from procurement.filters import AsrListingFilter
from procurement.models import AsrListing


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
