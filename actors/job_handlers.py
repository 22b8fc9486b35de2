"""Background job kinds of the actors app (see `ess_portal.jobs.registry`)."""

import tempfile

from django.core.files import File
from django.utils import timezone

from actors.exports import (
    CHUNK_SIZE,
    counting,
    export_columns,
    iter_actor_rows,
    log_export,
    registry_filter,
    registry_queryset,
)
from ess_portal.exports import write_ods, write_xlsx
from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.registry import JobFailed, register

WRITERS = {"xlsx": write_xlsx, "ods": write_ods}


@register(JobKind.ACTOR_EXPORT, queue="reports")
def export_actors(job) -> File:
    """A large registry export (XLSX or ODS), written in constant memory to a temporary file.

    Parameters: `filters` (the list page's GET parameters), `format` ("xlsx" or "ods"), `include_contacts`.
    Idempotent: it only reads the database and writes a new file.
    """
    export_format = job.parameters.get("format")
    if export_format not in WRITERS:
        raise JobFailed("Format d’export inconnu : choisissez XLSX ou ODS.")
    filters = job.parameters.get("filters", {})
    include_contacts = bool(job.parameters.get("include_contacts"))
    actor_filter = registry_filter(filters)
    if not actor_filter.is_valid():
        raise JobFailed("Les filtres de la recherche ne sont pas valides : relancez l’export depuis la liste.")
    queryset = registry_queryset(actor_filter)
    total = queryset.count()
    job.set_progress(1, f"{total} acteurs à exporter")

    def report(count):
        job.set_progress(min(99, 1 + 98 * count // max(total, 1)), f"{count} acteurs sur {total}")

    rows = counting(iter_actor_rows(queryset, include_contacts=include_contacts), every=CHUNK_SIZE, callback=report)
    # Deleted when closed, once the job has stored it.
    output = tempfile.TemporaryFile(suffix=f".{export_format}")
    WRITERS[export_format](output, export_columns(include_contacts=include_contacts), rows, title="Acteurs")
    output.seek(0)
    log_export(
        user=job.requested_by,
        export_format=export_format,
        filters=filters,
        rows=total,
        include_contacts=include_contacts,
    )
    return File(output, name=f"acteurs-{timezone.localdate():%Y-%m-%d}-{job.pk}.{export_format}")
