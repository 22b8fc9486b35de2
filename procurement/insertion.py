"""Contracts with insertion clauses: writes spanning several models, totals computed in SQL, the PLIE reporting.

The hours of a contract are summed in SQL (`Contract.objects.with_insertion_totals`, documented with the late rule);
here are the writes (contract with its lots and clauses, hours reports) and the aggregates of pages and exports.
"""

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, Count, DecimalField, FloatField, OuterRef, Prefetch, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils import timezone

from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.models import Job
from ess_portal.jobs.services import request_job
from procurement.contracts.models import Contract, ContractLot, InsertionClause, InsertionHours

logger = logging.getLogger("procurement.contracts")

HOURS = DecimalField(max_digits=12, decimal_places=2)


# --- Writes ---


@transaction.atomic
def save_contract(*, form, lot_formset, by) -> Contract:
    """Create or update a contract, its lots and their insertion clauses from validated forms, all or nothing.

    A lot whose « heures exigées » is emptied loses its clause (the forms refuse it once hours were reported).
    """
    is_new = form.instance.pk is None
    contract = form.save(commit=False)
    if is_new:
        contract.created_by = by
    contract._change_reason = "Création" if is_new else "Modification"
    contract.save()
    for lot_form in lot_formset.forms:
        if lot_form.instance.pk is None and not lot_form.has_changed():
            continue
        if lot_formset.can_delete and lot_formset._should_delete_form(lot_form):
            if lot_form.instance.pk is not None:
                lot_form.instance.delete()
            continue
        lot = lot_form.save(commit=False)
        lot.contract = contract
        lot.save()
        _save_clause(lot, lot_form.existing_clause, lot_form.cleaned_data)
    return contract


def _save_clause(lot: ContractLot, clause: InsertionClause | None, data: dict) -> None:
    hours, public = data.get("hours_required"), data.get("public_concerned", "")
    if not hours:
        if clause is not None:
            clause.delete()
        return
    if clause is None:
        InsertionClause.objects.create(lot=lot, hours_required=hours, public_concerned=public)
    elif (clause.hours_required, clause.public_concerned) != (hours, public):
        clause.hours_required, clause.public_concerned = hours, public
        clause.save()


@transaction.atomic
def report_hours(*, form, by) -> InsertionHours:
    """Save a validated hours report (new or corrected); the history keeps who changed what."""
    report = form.save(commit=False)
    if report.pk is None:
        report.reported_by = by
    report.save()
    return report


def delete_hours(report: InsertionHours, *, reason: str) -> None:
    """Delete a report of hours; its history keeps the values, who deleted it (the request's user) and why."""
    report._change_reason = reason
    report.delete()


# --- Aggregates ---


def lots_with_hours(contract: Contract | None = None):
    """Lots (of `contract`, if given) with their clause and the hours realised under it (one query)."""
    lots = ContractLot.objects.all() if contract is None else ContractLot.objects.filter(contract=contract)
    return (
        lots.select_related("insertion_clause")
        .annotate(
            hours_realised=Coalesce(Sum("insertion_clause__hours_reports__hours"), Value(0), output_field=HOURS),
            beneficiaries=Coalesce(Sum("insertion_clause__hours_reports__beneficiaries"), Value(0)),
        )
        .annotate(
            completion=Case(
                When(
                    insertion_clause__hours_required__gt=0,
                    then=Cast("hours_realised", FloatField())
                    * 100
                    / Cast("insertion_clause__hours_required", FloatField()),
                ),
                default=None,
                output_field=FloatField(),
            )
        )
        .order_by("number")
    )


def hours_by_company(contract: Contract):
    """Hours and beneficiaries per company over the whole contract, largest first (one query)."""
    return (
        InsertionHours.objects.filter(clause__lot__contract=contract)
        .values("company_name")
        .annotate(hours=Sum("hours"), beneficiaries=Sum("beneficiaries"), reports=Count("pk"))
        .order_by("-hours", "company_name")
    )


def completion(required, realised) -> float | None:
    """Realised / required in %, None without required hours."""
    if not required:
        return None
    return float(realised) * 100 / float(required)


@dataclass(frozen=True)
class Totals:
    label: str
    contracts: int
    late: int
    hours_required: Decimal
    hours_realised: Decimal

    @property
    def completion(self) -> float | None:
        return completion(self.hours_required, self.hours_realised)


def _totals(label: str, row: dict) -> Totals:
    return Totals(
        label=label,
        contracts=row["contracts"],
        late=row["late"],
        hours_required=row["hours_required"] or Decimal(0),
        hours_realised=row["hours_realised"] or Decimal(0),
    )


def _aggregates() -> dict:
    return {
        "contracts": Count("pk"),
        "late": Count("pk", filter=Q(is_late=True)),
        "hours_required_sum": Sum("hours_required"),
        "hours_realised_sum": Sum("hours_realised"),
    }


def _renamed(row: dict) -> dict:
    return {**row, "hours_required": row["hours_required_sum"], "hours_realised": row["hours_realised_sum"]}


def followup_totals(contracts) -> dict:
    """Totals of contracts annotated by `with_insertion_totals`: overall, per starting year and per direction.

    Three aggregate queries, whatever the number of contracts.
    """
    overall = _renamed(contracts.aggregate(**_aggregates()))
    by_year = (
        contracts.annotate(year=ExtractYear("starts_on")).values("year").annotate(**_aggregates()).order_by("-year")
    )
    by_direction = contracts.values("buying_direction").annotate(**_aggregates()).order_by("buying_direction")
    return {
        "overall": _totals("Tous les marchés", overall),
        "by_year": [_totals(str(row["year"]), _renamed(row)) for row in by_year],
        "by_direction": [_totals(row["buying_direction"], _renamed(row)) for row in by_direction],
    }


# --- PLIE reporting export ---


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


# --- History shown on the contract page ---

HISTORY_LIMIT = 30
ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    date: object
    user: object
    subject: str
    action: str
    changes: list
    reason: str = ""  # why a record was deleted


def _display(model, field_name: str, value, users: dict) -> str:
    if value is None or value == "":
        return "—"
    if field_name == "facilitator":
        return users.get(value, f"utilisateur nº {value}")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    return str(value)


def _hours_text(hours: Decimal) -> str:
    return f"{hours:f}".replace(".", ",") + " h"


def _entries(records, model, subject, users: dict, hidden=()) -> list[HistoryEntry]:
    entries, previous_of = [], {}
    for record in reversed(records):
        previous = previous_of.get(record.id)
        changes = []
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, excluded_fields=list(hidden))
            changes = [
                Change(
                    str(model._meta.get_field(change.field).verbose_name).capitalize(),
                    _display(model, change.field, change.old, users),
                    _display(model, change.field, change.new, users),
                )
                for change in delta.changes
            ]
        previous_of[record.id] = record
        if record.history_type == "~" and previous is not None and not changes:
            continue  # saved without any change shown here
        entries.append(
            HistoryEntry(
                date=record.history_date,
                user=record.history_user,
                subject=subject(record),
                action=ACTIONS.get(record.history_type, record.history_type),
                changes=changes,
                reason=(record.history_change_reason or "") if record.history_type == "-" else "",
            )
        )
    return entries


def contract_history(contract: Contract, *, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest changes of the contract, its clauses and its hours reports, newest first (5 queries)."""

    def latest(history):
        return list(history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])

    contract_records = latest(contract.history.all())
    facilitator_ids = {record.facilitator_id for record in contract_records if record.facilitator_id}
    users = {
        user.pk: user.get_full_name() or user.email for user in get_user_model().objects.filter(pk__in=facilitator_ids)
    }
    lot_numbers = dict(ContractLot.objects.filter(contract=contract).values_list("pk", "number"))
    clause_lots = dict(InsertionClause.objects.filter(lot__contract=contract).values_list("pk", "lot_id"))

    def lot_label(lot_id) -> str:
        number = lot_numbers.get(lot_id)
        return f"lot {number}" if number is not None else "lot supprimé"

    entries = _entries(contract_records, Contract, lambda record: "Marché", users)
    entries += _entries(
        latest(InsertionClause.history.filter(lot_id__in=lot_numbers)),
        InsertionClause,
        lambda record: f"Clause d’insertion du {lot_label(record.lot_id)}",
        users,
    )
    entries += _entries(
        latest(InsertionHours.history.filter(clause_id__in=clause_lots)),
        InsertionHours,
        lambda record: (
            f"Heures de {record.company_name} ({lot_label(clause_lots.get(record.clause_id))}, "
            f"du {record.period_start:%d/%m/%Y} au {record.period_end:%d/%m/%Y}, {_hours_text(record.hours)})"
        ),
        users,
        hidden=("reported_at",),
    )
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries[:limit]
