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
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Prefetch

from actors.enums import LegalForm
from actors.filters import ActorFilter
from actors.models import Actor, Agrement, Contact

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


def _agrement_label(agrement: Agrement) -> str:
    label = agrement.kind.upper()
    if agrement.siae_type:
        label += f" {agrement.siae_type.upper()}"
    if agrement.expires_on:
        label += f" (jusqu’au {agrement.expires_on:%d/%m/%Y})"
    return label


def export_queryset(queryset, *, include_contacts: bool):
    prefetches = [
        Prefetch("agrements", queryset=Agrement.objects.order_by("kind")),
        "filieres",
        "segments",
    ]
    if include_contacts:
        prefetches.append(Prefetch("contacts", queryset=Contact.objects.order_by("name", "pk")))
    return queryset.select_related("commune").prefetch_related(*prefetches)


def actor_row(actor: Actor, *, include_contacts: bool) -> list:
    legal_forms = dict(LegalForm.choices)
    row = [
        actor.name,
        actor.siret,
        actor.siren,
        legal_forms.get(actor.legal_form, actor.legal_form),
        " ; ".join(_agrement_label(agrement) for agrement in actor.agrements.all()),
        actor.commune.name,
        actor.commune.insee_code,
        actor.address,
        actor.postal_code,
        actor.latitude,
        actor.longitude,
        actor.fte,
        actor.founded_year,
        " ; ".join(filiere.name for filiere in actor.filieres.all()),
        " ; ".join(segment.name for segment in actor.segments.all()),
        actor.website,
        actor.is_public,
        actor.is_archived,
        actor.updated_at,
    ]
    if include_contacts:
        contacts = list(actor.contacts.all())
        row += [
            " | ".join(f"{contact.name} ({contact.role})" if contact.role else contact.name for contact in contacts),
            " | ".join(contact.email or "—" for contact in contacts) if contacts else "",
            " | ".join(contact.phone or "—" for contact in contacts) if contacts else "",
        ]
    return row


def iter_actor_rows(queryset, *, include_contacts: bool, chunk_size: int = CHUNK_SIZE) -> Iterator[list]:
    """Rows of the export, read `chunk_size` actors at a time (related rows are prefetched per chunk)."""
    for actor in export_queryset(queryset, include_contacts=include_contacts).iterator(chunk_size=chunk_size):
        yield actor_row(actor, include_contacts=include_contacts)


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
