"""The PLIE reporting of contracts with insertion clauses: its documented columns, its rows (one per contract × lot ×
company × period), its log, and the background job writing a large spreadsheet."""

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.models import Job
from ess_portal.jobs.services import request_job
from procurement.contracts.insertion import HOURS, completion
from procurement.contracts.models import InsertionClause, InsertionHours

logger = logging.getLogger("procurement.contracts")


@dataclass(frozen=True)
class Column:
    title: str
    description: str


PLIE_COLUMNS = [
    Column("Référence du marché", "Référence attribuée par la direction des achats."),
    Column("Objet du marché", "Objet du marché."),
    Column("Direction acheteuse", "Direction de la Métropole qui a passé le marché."),
    Column("Début d’exécution", "Date de début d’exécution du marché."),
    Column("Fin d’exécution", "Date de fin d’exécution du marché."),
    Column("Lot", "Numéro du lot."),
    Column("Intitulé du lot", "Intitulé du lot."),
    Column("Titulaire du lot", "Entreprise titulaire du lot."),
    Column("SIRET du titulaire", "SIRET du titulaire (14 chiffres), s’il est connu."),
    Column("Publics concernés", "Publics visés par la clause d’insertion du lot."),
    Column("Heures exigées (lot)", "Heures d’insertion exigées par la clause du lot."),
    Column("Heures réalisées (lot)", "Total des heures déclarées sur le lot, toutes entreprises et périodes."),
    Column("Taux de réalisation du lot (%)", "Heures réalisées du lot / heures exigées × 100, arrondi à 0,1."),
    Column("Entreprise", "Entreprise ayant réalisé les heures (titulaire ou sous-traitant) ; vide sans déclaration."),
    Column("SIRET de l’entreprise", "SIRET de cette entreprise, s’il a été indiqué."),
    Column("Période du", "Premier jour de la période déclarée."),
    Column("Période au", "Dernier jour de la période déclarée."),
    Column("Heures réalisées (période)", "Heures déclarées pour cette entreprise et cette période."),
    Column("Personnes en insertion", "Nombre de personnes en insertion ayant réalisé ces heures."),
    Column("Commentaire", "Commentaire du facilitateur."),
]
PLIE_HEADER = [column.title for column in PLIE_COLUMNS]
CHUNK_SIZE = 2000
CENTS = Decimal("0.01")


def plie_clauses(contracts):
    """The clauses of the contracts with their lot total, in the order of the export (constant queries per chunk)."""
    lot_realised = (
        InsertionHours.objects.filter(clause=OuterRef("pk"))
        .values("clause")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return (
        InsertionClause.objects.filter(lot__contract__in=contracts.values("pk"))
        .select_related("lot__contract")
        .annotate(lot_realised=Coalesce(Subquery(lot_realised, output_field=HOURS), Value(0), output_field=HOURS))
        .prefetch_related(
            Prefetch("hours_reports", queryset=InsertionHours.objects.order_by("period_start", "company_name", "pk"))
        )
        .order_by("lot__contract__reference", "lot__number", "pk")
    )


def plie_row_count(contracts) -> int:
    """How many rows `plie_rows` gives: one per hours report, plus one per clause without any (two queries)."""
    clauses = InsertionClause.objects.filter(lot__contract__in=contracts.values("pk"))
    reports = InsertionHours.objects.filter(clause__in=clauses).count()
    return reports + clauses.filter(hours_reports__isnull=True).count()


def plie_export_inline_max_rows() -> int:
    """Above this many rows the PLIE spreadsheet is written by a background job (the CSV is always streamed)."""
    return settings.PLIE_EXPORT_INLINE_MAX_ROWS


def request_plie_export_job(*, user, filters: dict, rows: int) -> Job:
    """The PLIE spreadsheet of the contracts `user` may see, filtered by `filters`, written by a background job;
    logged now. The same request by the same user on the same day gives the same job."""
    log_plie_export(user=user, file_format="xlsx", filters=filters, rows=rows)
    key = hashlib.sha256(json.dumps([user.pk, sorted(filters.items()), str(timezone.localdate())]).encode())
    return request_job(
        kind=JobKind.PLIE_EXPORT,
        parameters={"filters": filters, "rows": rows},
        requested_by=user,
        idempotency_key=f"plie_export:{key.hexdigest()[:32]}",
    )


def plie_rows(contracts) -> Iterator[list]:
    """One row per contract × lot × company × period; a lot with a clause and no hours yet has one row without
    company, so that its required hours are in the file. Lots without clause are left out."""
    for clause in plie_clauses(contracts).iterator(chunk_size=CHUNK_SIZE):
        lot, contract = clause.lot, clause.lot.contract
        rate = completion(clause.hours_required, clause.lot_realised)
        lot_part = [
            contract.reference,
            contract.title,
            contract.buying_direction,
            contract.starts_on,
            contract.ends_on,
            lot.number,
            lot.title,
            lot.holder_name,
            lot.holder_siret,
            clause.public_concerned,
            clause.hours_required,
            Decimal(clause.lot_realised).quantize(CENTS),
            Decimal(rate).quantize(Decimal("0.1")) if rate is not None else None,
        ]
        reports = list(clause.hours_reports.all())
        if not reports:
            yield [*lot_part, "", "", None, None, None, None, ""]
        for report in reports:
            yield [
                *lot_part,
                report.company_name,
                report.company_siret,
                report.period_start,
                report.period_end,
                report.hours,
                report.beneficiaries,
                report.comment,
            ]


def logged_plie_rows(contracts, *, user, file_format: str, filters: dict) -> Iterator[list]:
    """The rows of `plie_rows`; the export is logged with its row count once the last row is written."""
    count = 0
    for row in plie_rows(contracts):
        count += 1
        yield row
    log_plie_export(user=user, file_format=file_format, filters=filters, rows=count)


def log_plie_export(*, user, file_format: str, filters: dict, rows: int) -> None:
    """The PLIE export log: a line of the `procurement.contracts` logger (who, format, filters, rows; the log
    record carries the time).

    `ExportLog` is the log of the ASR directory's exports (its verbose name, columns and formats are the
    directory's), so the contracts export does not write there.
    """
    logger.info(
        "Export PLIE %s par %s (utilisateur nº %s) : %s lignes, filtres %s",
        file_format.upper(),
        user.email,
        user.pk,
        rows,
        filters,
    )
