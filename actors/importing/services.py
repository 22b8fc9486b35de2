"""The steps of an actor import called by the staff views and the background job (rules in the package's
docstring, actors/importing/__init__.py)."""

from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from actors.enums import ActorImportStatus
from actors.importing.mapping import propose_mapping
from actors.importing.reading import ImportFileError, SourceFormat, max_file_size, read_upload
from actors.importing.validation import CREATE, REJECTED, UNCHANGED, UPDATE, Analysis, analyse
from actors.importing.writing import enqueue_geocoding, report_csv, write_actors
from actors.models import ActorImport

PREVIEW_SAMPLE_SIZE = 20
PREVIEW_LABELS = {CREATE: "à créer", UPDATE: "à mettre à jour", UNCHANGED: "inchangée", REJECTED: "rejetée"}


def inline_max_rows() -> int:
    """Files with more rows than this run as a background job."""
    return getattr(settings, "ACTOR_IMPORT_INLINE_MAX_ROWS", 1000)


def create_import(*, uploaded, by) -> ActorImport:
    """Check the uploaded file, store it privately and propose a column mapping; raise ImportFileError."""
    upload = read_upload(uploaded, max_size=max_file_size())
    data, source, headers, row_count = upload.data, upload.source, upload.headers, upload.row_count
    if len([header for header in headers if header]) < 2:
        raise ImportFileError(
            "La première ligne du fichier doit contenir les intitulés des colonnes (au moins la raison sociale, "
            "le SIRET, la forme juridique et la commune), séparés par des points-virgules ou des virgules."
        )
    if row_count == 0:
        raise ImportFileError("Le fichier ne contient aucune ligne d’acteur sous la ligne des intitulés.")
    actor_import = ActorImport(
        original_name=(uploaded.name or "fichier")[-255:],
        file_format=source.file_format,
        encoding=source.encoding,
        delimiter=source.delimiter,
        headers=headers,
        row_count=row_count,
        mapping={key: column for key, column in propose_mapping(headers).items()},
        created_by=by,
    )
    extension = "xlsx" if source.file_format == ActorImport.FileFormat.XLSX else "csv"
    actor_import.file.save(f"import-acteurs-{timezone.now():%Y%m%d-%H%M%S}.{extension}", ContentFile(data), save=False)
    actor_import.save()
    return actor_import


def build_preview(*, actor_import: ActorImport, mapping: dict[str, int]) -> ActorImport:
    """Validate every row with the chosen mapping and store the counts, the rejected rows and a sample."""
    actor_import.mapping = mapping
    analysis = analyse(actor_import)
    counts = analysis.counts
    valid_rows = [row for row in analysis.rows if row.action != REJECTED]
    actor_import.preview = {
        "counts": counts,
        "valid": len(valid_rows),
        "rejected_rows": _rejected_rows(analysis),
        "sample": [
            {
                "line": row.line,
                "siret": row.siret,
                "name": row.name,
                "commune": row.commune_name,
                "action": PREVIEW_LABELS[row.action],
            }
            for row in valid_rows[:PREVIEW_SAMPLE_SIZE]
        ],
        "warning": SourceFormat(actor_import.file_format, actor_import.encoding).warning,
    }
    actor_import.status = ActorImportStatus.PREVIEWED
    actor_import.save(update_fields=["mapping", "preview", "status"])
    return actor_import


def _rejected_rows(analysis: Analysis) -> list[dict]:
    return [
        {"line": row.line, "siret": row.siret, "name": row.name, "errors": row.errors}
        for row in analysis.rows
        if row.action == REJECTED
    ]


def confirm_import(*, actor_import: ActorImport, by):
    """Run a small import now, or hand a large one to a background job; returns the job or None."""
    from ess_portal.jobs.enums import JobKind
    from ess_portal.jobs.services import request_job

    if actor_import.row_count <= inline_max_rows():
        run_import(actor_import=actor_import, by=by)
        return None
    with transaction.atomic():
        locked = ActorImport.objects.select_for_update().get(pk=actor_import.pk)
        if not locked.can_be_confirmed:
            return locked.job
        job = request_job(
            kind=JobKind.ACTOR_IMPORT,
            parameters={"import_id": actor_import.pk, "user_id": by.pk},
            requested_by=by,
            idempotency_key=f"{JobKind.ACTOR_IMPORT}:{actor_import.pk}",
        )
        locked.job = job
        locked.status = ActorImportStatus.QUEUED
        locked.save(update_fields=["job", "status"])
    actor_import.refresh_from_db()
    return job


def run_import(*, actor_import: ActorImport, by, progress: Callable[[int, str], None] | None = None) -> ActorImport:
    """Import the file: every valid row written in one transaction, then the report. Idempotent.

    A second run of the same import (double click, job retried after a crash) finds it done and does nothing.
    """
    progress = progress or (lambda percent, message: None)
    if ActorImport.objects.filter(pk=actor_import.pk, status=ActorImportStatus.DONE).exists():
        actor_import.refresh_from_db()
        return actor_import
    analysis = analyse(actor_import, progress=progress)
    progress(45, f"Enregistrement de {analysis.count(CREATE) + analysis.count(UPDATE)} acteurs")
    geocode_ids: list[int] = []
    with transaction.atomic():
        locked = ActorImport.objects.select_for_update().get(pk=actor_import.pk)
        if locked.status == ActorImportStatus.DONE:
            actor_import.refresh_from_db()
            return actor_import
        reason = f"Import nº {actor_import.pk} ({actor_import.original_name})"[:100]
        geocode_ids = write_actors(analysis, by=by, reason=reason)
        counts = analysis.counts
        locked.created_count = counts[CREATE]
        locked.updated_count = counts[UPDATE]
        locked.unchanged_count = counts[UNCHANGED]
        locked.rejected_count = counts[REJECTED]
        locked.rejected_rows = _rejected_rows(analysis)
        locked.status = ActorImportStatus.DONE
        locked.error_message = ""
        locked.finished_at = timezone.now()
        locked.report_file.save(f"rapport-import-{locked.pk}.csv", ContentFile(report_csv(analysis)), save=False)
        locked.save()
        if geocode_ids and getattr(settings, "ACTOR_IMPORT_GEOCODE", True):
            transaction.on_commit(lambda: enqueue_geocoding(geocode_ids))
    progress(100, "Import terminé")
    actor_import.refresh_from_db()
    return actor_import


def mark_failed(*, actor_import: ActorImport, message: str) -> None:
    ActorImport.objects.filter(pk=actor_import.pk).exclude(status=ActorImportStatus.DONE).update(
        status=ActorImportStatus.FAILED, error_message=message
    )
