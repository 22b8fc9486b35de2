"""Exports of the staff registry: exactly the actors of the list page (same filters, same order).

Columns, in this order (French headers as written in the file):

=============================  ===========================================================
nom                            raison sociale
SIRET, SIREN                   SIREN = the 9 first digits of the SIRET
forme juridique                label of the legal form
agréments                      « ESUS (jusqu’au 31/12/2027) ; SIAE ACI » …
commune, code INSEE            commune of the actor
adresse, code postal
latitude, longitude            map pin (empty when not located)
ETP                            full-time equivalent staff
année de création
filières, segments             names separated by « ; »
site web
visible dans l’annuaire        oui / non
archivé                        oui / non
dernière modification          date and time (Paris)
contacts, e-mails des          staff only (personal data): one entry per contact,
contacts, téléphones des       separated by « | », in the same order in the three columns
contacts
=============================  ===========================================================
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from django.conf import settings

from actors.enums import LegalForm
from actors.filters import ActorFilter
from actors.models import Actor, Agrement, Contact
from filieres.models import Filiere, Segment

logger = logging.getLogger(__name__)

EXPORT_FORMATS = ("csv", "xlsx", "ods")
CHUNK_SIZE = 2000
# GET parameters of the list page that are not filters of the actor set.
NON_FILTER_PARAMETERS = ("page", "format")
INCLUDE_ARCHIVED_PARAMETER = "archives"

COLUMNS = [
    "nom",
    "SIRET",
    "SIREN",
    "forme juridique",
    "agréments",
    "commune",
    "code INSEE",
    "adresse",
    "code postal",
    "latitude",
    "longitude",
    "ETP",
    "année de création",
    "filières",
    "segments",
    "site web",
    "visible dans l’annuaire",
    "archivé",
    "dernière modification",
]
CONTACT_COLUMNS = ["contacts", "e-mails des contacts", "téléphones des contacts"]


def export_columns(*, include_contacts: bool) -> list[str]:
    return COLUMNS + CONTACT_COLUMNS if include_contacts else list(COLUMNS)


def inline_max_rows() -> int:
    """Above this many rows, XLSX and ODS exports run as a background job (CSV is always streamed)."""
    return getattr(settings, "ACTOR_EXPORT_INLINE_MAX_ROWS", 20_000)


def filter_parameters(query_dict) -> dict[str, str]:
    """The filters of a list URL as a plain dict (JSON-able, for a job), without the page number."""
    return {key: value for key, value in query_dict.items() if key not in NON_FILTER_PARAMETERS and value != ""}


def registry_filter(data) -> ActorFilter:
    """The registry's search: `ActorFilter` over every actor, archived ones only if `archives=1`.

    The list page and its exports both use it, so an export holds exactly the rows of the list.
    """
    actors = Actor.objects.all()
    if data.get(INCLUDE_ARCHIVED_PARAMETER) != "1":
        actors = actors.active()
    return ActorFilter(data, queryset=actors)


def registry_queryset(actor_filter: ActorFilter):
    """The filtered actors in a total order (the primary key breaks ties), for stable pages and exports."""
    queryset = actor_filter.qs
    ordering = list(queryset.query.order_by) or list(Actor._meta.ordering)
    return queryset.order_by(*ordering, "pk")


# Read as tuples: building model instances (and prefetch querysets) per actor costs more than the SQL.
ACTOR_FIELDS = [
    "pk",
    "name",
    "siret",
    "legal_form",
    "commune__name",
    "commune__insee_code",
    "address",
    "postal_code",
    "latitude",
    "longitude",
    "fte",
    "founded_year",
    "website",
    "is_public",
    "is_archived",
    "updated_at",
]


def _agrement_label(kind: str, siae_type: str, expires_on) -> str:
    label = kind.upper()
    if siae_type:
        label += f" {siae_type.upper()}"
    if expires_on:
        label += f" (jusqu’au {expires_on:%d/%m/%Y})"
    return label


def _by_actor(queryset, actor_ids, *fields) -> dict[int, list[tuple]]:
    """Related rows of a chunk of actors, grouped by actor (one query)."""
    grouped = defaultdict(list)
    for actor_id, *values in queryset.filter(actor_id__in=actor_ids).values_list("actor_id", *fields):
        grouped[actor_id].append(values)
    return grouped


def _names(related: Iterable[tuple], names: dict[int, str]) -> str:
    """Names of the related filières or segments, in the reference order (the dict's order)."""
    chosen = {pk for (pk,) in related}
    return " ; ".join(name for pk, name in names.items() if pk in chosen)


def _contact_columns(contacts: list[tuple]) -> list[str]:
    if not contacts:
        return ["", "", ""]
    return [
        " | ".join(f"{name} ({role})" if role else name for name, role, _, _ in contacts),
        " | ".join(email or "—" for _, _, email, _ in contacts),
        " | ".join(phone or "—" for _, _, _, phone in contacts),
    ]


def iter_actor_rows(queryset, *, include_contacts: bool, chunk_size: int = CHUNK_SIZE) -> Iterator[list]:
    """Rows of the export in the queryset's order, read `chunk_size` actors at a time.

    Each chunk costs one query per related table (agréments, filières, segments, contacts), so memory and
    queries per row stay flat on 200,000 actors.
    """
    legal_forms = dict(LegalForm.choices)
    # A handful of filières and segments: their names are read once, in their display order.
    filiere_names = dict(Filiere.objects.values_list("pk", "name"))
    segment_names = dict(Segment.objects.values_list("pk", "name"))
    actors = queryset.values_list(*ACTOR_FIELDS).iterator(chunk_size=chunk_size)
    while chunk := list(islice(actors, chunk_size)):
        ids = [row[0] for row in chunk]
        agrements = _by_actor(Agrement.objects.order_by("kind"), ids, "kind", "siae_type", "expires_on")
        filieres = _by_actor(Actor.filieres.through.objects.order_by(), ids, "filiere_id")
        segments = _by_actor(Actor.segments.through.objects.order_by(), ids, "segment_id")
        contacts = (
            _by_actor(Contact.objects.order_by("name", "pk"), ids, "name", "role", "email", "phone")
            if include_contacts
            else {}
        )
        for (
            pk,
            name,
            siret,
            legal_form,
            commune_name,
            insee_code,
            address,
            postal_code,
            latitude,
            longitude,
            fte,
            founded_year,
            website,
            is_public,
            is_archived,
            updated_at,
        ) in chunk:
            row = [
                name,
                siret,
                siret[:9],
                legal_forms.get(legal_form, legal_form),
                " ; ".join(_agrement_label(*agrement) for agrement in agrements.get(pk, ())),
                commune_name,
                insee_code,
                address,
                postal_code,
                latitude,
                longitude,
                fte,
                founded_year,
                _names(filieres.get(pk, ()), filiere_names),
                _names(segments.get(pk, ()), segment_names),
                website,
                is_public,
                is_archived,
                updated_at,
            ]
            if include_contacts:
                row += _contact_columns(contacts.get(pk, []))
            yield row


def log_export(*, user, export_format: str, filters: dict, rows: int | None, include_contacts: bool) -> None:
    logger.info(
        "Actor export by user %s (%s): format=%s rows=%s contacts=%s filters=%s",
        getattr(user, "pk", None),
        user,
        export_format,
        "streamed" if rows is None else rows,
        include_contacts,
        filters,
    )


def counting(rows: Iterable, *, every: int, callback) -> Iterator:
    """Pass rows through, calling `callback(count)` every `every` rows (job progress)."""
    count = 0
    for row in rows:
        yield row
        count += 1
        if count % every == 0:
            callback(count)
