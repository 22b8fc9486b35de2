"""The « Historique » of an actor page: who changed what, when, on the actor, its agréments and its contacts.

Built from django-simple-history's records with a fixed number of queries, whatever the number of records:
the latest records of each model are read once (with their user), then each record is compared with the
previous record of the same object (`diff_against`) in memory.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import formats, timezone

from actors.models import Actor, Agrement, Commune, Contact
from filieres.models import Filiere, Segment

HISTORY_LIMIT = 50
ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}
# Technical or derived fields the page does not need to show in a diff.
HIDDEN_FIELDS = {"geocoded_at"}
# Many-to-many fields of the actor's history: the prefetched through rows, and their column for the target.
M2M_FIELDS = {
    "filieres": ("historicalactor_filieres_set", "filiere_id"),
    "segments": ("historicalactor_segments_set", "segment_id"),
}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    date: datetime
    user: object
    subject: str
    action: str
    reason: str = ""
    changes: list[Change] = field(default_factory=list)
    details_unknown: bool = False


def _display(model, field_name: str, value, names: dict) -> str:
    if value is None or value == "" or value == []:
        return "—"
    model_field = model._meta.get_field(field_name)
    if field_name in names:
        if isinstance(value, set | list | tuple):
            return ", ".join(sorted(names[field_name].get(pk, f"nº {pk}") for pk in value)) or "—"
        return names[field_name].get(value, f"nº {value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, date):
        return formats.date_format(value, "d/m/Y")
    if isinstance(value, Decimal):
        return formats.number_format(value)
    return str(value)


def _label(model, field_name: str) -> str:
    return str(model._meta.get_field(field_name).verbose_name).capitalize()


def _m2m_ids(record, field_name: str) -> set[int]:
    accessor, column = M2M_FIELDS[field_name]
    return {getattr(row, column) for row in getattr(record, accessor).all()}


def _diff(record, previous, model, names: dict) -> list[Change]:
    delta = record.diff_against(previous, excluded_fields=[*M2M_FIELDS, *HIDDEN_FIELDS])
    changes = [
        Change(
            _label(model, change.field),
            _display(model, change.field, change.old, names),
            _display(model, change.field, change.new, names),
        )
        for change in delta.changes
    ]
    if model is Actor:
        for field_name in M2M_FIELDS:
            old, new = _m2m_ids(previous, field_name), _m2m_ids(record, field_name)
            if old != new:
                changes.append(
                    Change(
                        _label(model, field_name),
                        _display(model, field_name, old, names),
                        _display(model, field_name, new, names),
                    )
                )
    return changes


def _entries(records, model, subject, names) -> list[HistoryEntry]:
    """Entries of records (newest first, possibly of several objects): each is diffed with its predecessor."""
    entries = []
    older_of = {}
    # Walk from the oldest so each record meets the previous record of the same object.
    for record in reversed(records):
        previous = older_of.get(record.id)
        entry = HistoryEntry(
            date=record.history_date,
            user=record.history_user,
            subject=subject(record),
            action=ACTIONS.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
        )
        if record.history_type == "~":
            if previous is None:
                entry.details_unknown = True
            else:
                entry.changes = _diff(record, previous, model, names)
        older_of[record.id] = record
        entries.append(entry)
    return entries


def _names(actor_records) -> dict:
    """Names of the communes, filières and segments the records mention (one query each, only if needed)."""
    commune_ids = {record.commune_id for record in actor_records}
    filiere_ids, segment_ids = set(), set()
    if len(actor_records) > 1:
        for record in actor_records:
            filiere_ids |= _m2m_ids(record, "filieres")
            segment_ids |= _m2m_ids(record, "segments")
    return {
        "commune": {commune.pk: commune.name for commune in Commune.objects.filter(pk__in=commune_ids)},
        "filieres": {filiere.pk: filiere.name for filiere in Filiere.objects.filter(pk__in=filiere_ids)},
        "segments": {segment.pk: segment.name for segment in Segment.objects.filter(pk__in=segment_ids)},
    }


def actor_history(actor: Actor, *, include_contacts: bool, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The `limit` latest changes of the actor, its agréments and (if allowed) its contacts, newest first."""
    # One more record than shown, so the oldest shown record can be compared with its predecessor.
    actor_records = list(
        actor.history.select_related("history_user")
        .prefetch_related(*(accessor for accessor, _ in M2M_FIELDS.values()))
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    names = _names(actor_records)
    entries = _entries(actor_records, Actor, lambda record: "Fiche de l’acteur", names)
    agrement_kinds = dict(Agrement._meta.get_field("kind").flatchoices)
    agrement_records = list(
        Agrement.history.filter(actor_id=actor.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries += _entries(
        agrement_records,
        Agrement,
        lambda record: f"Agrément {str(agrement_kinds.get(record.kind, record.kind)).split(' –')[0]}",
        names,
    )
    if include_contacts:
        contact_records = list(
            Contact.history.filter(actor_id=actor.pk)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[: limit + 1]
        )
        entries += _entries(contact_records, Contact, lambda record: f"Contact {record.name}", names)
    # The extra record read for comparison of each model is not shown if older than the others.
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries[:limit]
