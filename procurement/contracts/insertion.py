"""Contracts with insertion clauses: writes spanning several models, totals computed in SQL, the contract's history.

The hours of a contract are summed in SQL (`Contract.objects.with_insertion_totals`, documented with the late rule);
here are the writes (contract with its lots and clauses, hours reports) and the aggregates of pages and exports.
The PLIE reporting is in `procurement/contracts/exports.py`.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, Count, DecimalField, FloatField, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractYear

from procurement.contracts.models import Contract, ContractLot, InsertionClause, InsertionHours

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
