"""Writing the valid rows of an analysis: actors, their filières, segments and agréments, their history; the
geocoding after commit and the report of the import."""

import codecs
import csv
import io

from django.db import connection
from django.utils import timezone

from actors.enums import LocationPrecision
from actors.importing.validation import (
    BATCH_SIZE,
    CREATE,
    REJECTED,
    SCALAR_FIELDS,
    UNCHANGED,
    UPDATE,
    Analysis,
    ParsedRow,
    chunks,
)
from actors.models import Actor, Agrement, normalize_search_text

ACTION_LABELS = {CREATE: "créée", UPDATE: "mise à jour", UNCHANGED: "inchangée", REJECTED: "rejetée"}


def write_actors(analysis: Analysis, *, by, reason: str) -> list[int]:
    """Bulk writes with their history; returns the ids of the actors to geocode."""
    now = timezone.now()
    history_date = now
    new_actors: list[Actor] = []
    created_rows = [row for row in analysis.rows if row.action == CREATE]
    for row in created_rows:
        actor = Actor(**row.values)
        commune = row.values["commune"]
        actor.set_location(latitude=commune.latitude, longitude=commune.longitude, precision=LocationPrecision.COMMUNE)
        if commune.latitude is None:
            actor.set_location(latitude=None, longitude=None, precision=LocationPrecision.NONE)
        actor.verified_at = now  # staff imported it from a trusted source
        actor.search_text = normalize_search_text(f"{actor.name} {actor.siret} {actor.description}")
        new_actors.append(actor)
    Actor.objects.bulk_create(new_actors, batch_size=BATCH_SIZE)
    for row, actor in zip(created_rows, new_actors, strict=True):
        analysis.existing[row.siret] = actor
        analysis.filieres_of[actor.pk] = set()
        analysis.segments_of[actor.pk] = set()
        analysis.agrement_kinds_of[actor.pk] = set()
    geocode_ids = [actor.pk for actor in new_actors if actor.address]

    updated_rows = [row for row in analysis.rows if row.action == UPDATE]
    updated_actors: list[Actor] = []
    update_fields = {"updated_at", "search_text"}
    for row in updated_rows:
        actor = analysis.existing[row.siret]
        moved = False
        for name in row.changed:
            if name in SCALAR_FIELDS:
                setattr(actor, name, row.values[name])
                update_fields.add(name)
                moved = moved or name in ("address", "postal_code")
            elif name == "commune":
                actor.commune = row.values["commune"]
                update_fields.add("commune")
                moved = True
        if (moved or not actor.has_coordinates) and actor.location_precision != LocationPrecision.MANUAL:
            commune = actor.commune
            actor.set_location(
                latitude=commune.latitude, longitude=commune.longitude, precision=LocationPrecision.COMMUNE
            )
            update_fields.update({"latitude", "longitude", "location_precision", "geocoded_at"})
            if actor.address:
                geocode_ids.append(actor.pk)
        actor.updated_at = now
        actor.search_text = normalize_search_text(f"{actor.name} {actor.siret} {actor.description}")
        updated_actors.append(actor)
    _update_rows(updated_actors, sorted(update_fields))

    _write_relations(analysis, created_rows + updated_rows, by=by, reason=reason, history_date=history_date)

    history = (
        Actor.history.bulk_history_create(
            new_actors, default_user=by, default_change_reason=reason, default_date=history_date, batch_size=BATCH_SIZE
        )
        or []
    )
    history += (
        Actor.history.bulk_history_create(
            updated_actors,
            update=True,
            default_user=by,
            default_change_reason=reason,
            default_date=history_date,
            batch_size=BATCH_SIZE,
        )
        or []
    )
    _snapshot_m2m_history(history)
    return geocode_ids


def _update_rows(actors: list[Actor], field_names: list[str]) -> None:
    """One UPDATE statement run for every actor (executemany): much faster than `bulk_update`'s CASE WHEN."""
    if not actors:
        return
    fields = [Actor._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(model_field.column)} = %s" for model_field in fields)
    sql = f"UPDATE {quote(Actor._meta.db_table)} SET {assignments} WHERE {quote(Actor._meta.pk.column)} = %s"
    params = [
        [model_field.get_db_prep_save(getattr(actor, model_field.attname), connection) for model_field in fields]
        + [actor.pk]
        for actor in actors
    ]
    with connection.cursor() as cursor:
        for chunk in chunks(params):
            cursor.executemany(sql, chunk)


def _write_relations(analysis: Analysis, rows: list[ParsedRow], *, by, reason: str, history_date) -> None:
    """Filières and segments (replaced when the file gives them), agréments (added when missing)."""
    for attribute, known, ids_of in (
        ("filieres", analysis.filieres_of, lambda row: row.filiere_ids),
        ("segments", analysis.segments_of, lambda row: row.segment_ids),
    ):
        through = getattr(Actor, attribute).through
        target = "filiere_id" if attribute == "filieres" else "segment_id"
        to_replace = {}
        for row in rows:
            wanted = ids_of(row)
            actor_id = analysis.existing[row.siret].pk
            if wanted is not None and wanted != known[actor_id]:
                to_replace[actor_id] = wanted
        for chunk in chunks(list(to_replace)):
            through.objects.filter(actor_id__in=chunk).delete()
        through.objects.bulk_create(
            [through(actor_id=actor_id, **{target: pk}) for actor_id, ids in to_replace.items() for pk in ids],
            batch_size=BATCH_SIZE,
        )
    new_agrements = []
    for row in rows:
        actor = analysis.existing[row.siret]
        for kind, siae_type in row.agrements:
            if kind not in analysis.agrement_kinds_of[actor.pk]:
                analysis.agrement_kinds_of[actor.pk].add(kind)
                new_agrements.append(Agrement(actor=actor, kind=kind, siae_type=siae_type))
    Agrement.objects.bulk_create(new_agrements, batch_size=BATCH_SIZE)
    Agrement.history.bulk_history_create(
        new_agrements, default_user=by, default_change_reason=reason, default_date=history_date, batch_size=BATCH_SIZE
    )


def _snapshot_m2m_history(history: list) -> None:
    """Copy the actors' filières and segments into their new history records, as django-simple-history does."""
    if not history:
        return
    historical_model = Actor.history.model
    record_of = {record.id: record for record in history}
    for attribute, relation, target in (
        ("filieres", "historicalactor_filieres", "filiere_id"),
        ("segments", "historicalactor_segments", "segment_id"),
    ):
        m2m_history_model = historical_model._meta.get_field(relation).related_model
        through = getattr(Actor, attribute).through
        snapshot = []
        for chunk in chunks(list(record_of)):
            for through_id, actor_id, target_id in through.objects.filter(actor_id__in=chunk).values_list(
                "id", "actor_id", target
            ):
                snapshot.append(
                    m2m_history_model(
                        history=record_of[actor_id], id=through_id, actor_id=actor_id, **{target: target_id}
                    )
                )
        m2m_history_model.objects.bulk_create(snapshot, batch_size=BATCH_SIZE)


def enqueue_geocoding(actor_ids: list[int]) -> None:
    from actors.tasks import geocode_actor

    for actor_id in actor_ids:
        geocode_actor.delay(actor_id)


def report_csv(analysis: Analysis) -> bytes:
    """One line per row of the file: what was done and why (UTF-8 with BOM, « ; », as spreadsheets expect)."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Ligne", "SIRET", "Raison sociale", "Résultat", "Motifs du rejet"])
    for row in analysis.rows:
        writer.writerow([row.line, row.siret, row.name, ACTION_LABELS[row.action], " ".join(row.errors)])
    return codecs.BOM_UTF8 + output.getvalue().encode("utf-8")
