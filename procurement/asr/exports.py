"""Exports of the buyer directory: the documented columns a buyer chooses from, and the rows of exactly the
filtered listings (CSV streamed; XLSX and ODS written in constant memory to a temporary file).

Personal contacts are only exported where the person agreed (`Contact.is_public`).
"""

import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone

from actors.enums import LegalForm
from actors.models import Agrement, Commune, Contact
from ess_portal.exports import (
    ODS_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_streaming_response,
    id_set,
    write_ods,
    write_xlsx,
)
from filieres.models import Filiere
from procurement.asr.eligibility import reserved_articles
from procurement.asr.filters import AsrListingFilter
from procurement.asr.models import AsrListing, ExportLog
from procurement.cpv.models import CpvCode, cpv_display_code
from procurement.enums import ExportFormat, RevenueBand

CHUNK_SIZE = 2000


@dataclass(slots=True)
class ExportRow:
    """What the columns read of one listing: plain values fetched in bulk, no model instance (see `iter_rows`)."""

    name: str
    siret: str
    legal_form: str
    agrements: list  # (kind, siae_type) of the agréments in force
    offers: str
    cpv_codes: list  # significant digits, ordered
    serves_whole_metropole: bool
    communes: list  # names of the communes served, ordered
    commune: str
    fte: object
    revenue_band: str
    references: str
    website: str
    contacts: list  # (name, role, email, phone) of the contacts who agreed to be shown
    last_verified_on: object


LEGAL_FORM_LABELS = dict(LegalForm.choices)
REVENUE_BAND_LABELS = dict(RevenueBand.choices)


def _agrements(row):
    return ", ".join(
        (f"SIAE ({siae_type.upper()})" if siae_type else kind.upper()) for kind, siae_type in row.agrements
    )


def _communes(row):
    if row.serves_whole_metropole:
        return "Toute la métropole"
    return ", ".join(row.communes)


def _contacts(row):
    return " | ".join(" – ".join(part for part in contact if part) for contact in row.contacts)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    description: str
    value: object


COLUMNS = [
    Column("nom", "Raison sociale", "Nom de la structure.", lambda row: row.name),
    Column("siret", "SIRET", "Numéro SIRET (14 chiffres).", lambda row: row.siret),
    Column(
        "forme",
        "Forme juridique",
        "Famille juridique de l’ESS.",
        lambda row: str(LEGAL_FORM_LABELS.get(row.legal_form, row.legal_form)),
    ),
    Column("agrements", "Agréments", "Agréments en vigueur (ESUS, SIAE et son type, EA, ESAT).", _agrements),
    Column(
        "articles",
        "Marchés réservés",
        "Articles du code de la commande publique ouvrant un marché réservé (L2113-12, L2113-13, L2113-15).",
        lambda row: ", ".join(reserved_articles(row.legal_form, [kind for kind, _ in row.agrements])),
    ),
    Column("offre", "Offre", "Produits et services proposés.", lambda row: row.offers),
    Column(
        "cpv",
        "Codes CPV",
        "Codes CPV à 8 chiffres (sans clé) séparés par des virgules.",
        lambda row: ", ".join(cpv_display_code(code) for code in row.cpv_codes),
    ),
    Column("communes", "Communes desservies", "Communes desservies ou « Toute la métropole ».", _communes),
    Column("commune", "Commune du siège", "Commune où la structure est implantée.", lambda row: row.commune),
    Column("etp", "Effectif (ETP)", "Équivalents temps plein.", lambda row: row.fte),
    Column(
        "ca",
        "Chiffre d’affaires",
        "Tranche de chiffre d’affaires annuel.",
        lambda row: str(REVENUE_BAND_LABELS.get(row.revenue_band, "")),
    ),
    Column(
        "references",
        "Références de marchés publics",
        "Marchés publics déjà réalisés.",
        lambda row: row.references,
    ),
    Column("site", "Site web", "Site web de la structure.", lambda row: row.website),
    Column(
        "contact",
        "Contact",
        "Contacts ayant accepté d’être communiqués aux acheteurs (nom, fonction, e-mail, téléphone).",
        _contacts,
    ),
    Column(
        "verification",
        "Dernière vérification",
        "Date de la dernière vérification du référencement par le service ESS.",
        lambda row: row.last_verified_on,
    ),
]
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
DEFAULT_COLUMN_KEYS = [column.key for column in COLUMNS]


def chosen_columns(keys) -> list[Column]:
    """The chosen columns in their documented order; every column when none (or none known) is chosen."""
    wanted = {key for key in keys if key in COLUMNS_BY_KEY}
    return [column for column in COLUMNS if column.key in wanted] or list(COLUMNS)


LISTING_FIELDS = (
    "pk",
    "actor_id",
    "actor__name",
    "actor__siret",
    "actor__legal_form",
    "offers",
    "serves_whole_metropole",
    "actor__commune__name",
    "actor__fte",
    "revenue_band",
    "public_contract_references",
    "actor__website",
    "last_verified_on",
)


def _grouped(pairs) -> dict:
    grouped = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return grouped


def _export_rows(chunk: list[tuple], today, *, cpv_codes: dict, commune_names: dict) -> Iterator[ExportRow]:
    """The rows of one chunk of listings, with their related values fetched in four queries (the CPV codes' and
    communes' labels come from the small dictionaries `cpv_codes` and `commune_names`, without a join)."""
    listing_ids = [values[0] for values in chunk]
    actor_ids = [values[1] for values in chunk]
    cpv = _grouped(
        AsrListing.cpv_codes.through.objects.filter(asrlisting_id__in=id_set(listing_ids))
        .order_by()
        .values_list("asrlisting_id", "cpvcode_id")
    )
    communes = _grouped(
        AsrListing.communes.through.objects.filter(asrlisting_id__in=id_set(listing_ids))
        .order_by()
        .values_list("asrlisting_id", "commune_id")
    )
    agrements = _grouped(
        (actor_id, (kind, siae_type))
        for actor_id, kind, siae_type in Agrement.objects.valid_on(today)
        .filter(actor_id__in=id_set(actor_ids))
        .order_by("kind", "-obtained_on")
        .values_list("actor_id", "kind", "siae_type")
    )
    contacts = _grouped(
        (actor_id, contact)
        for actor_id, *contact in Contact.objects.filter(is_public=True, actor_id__in=id_set(actor_ids))
        .order_by("name", "pk")
        .values_list("actor_id", "name", "role", "email", "phone")
    )
    for pk, actor_id, name, siret, legal_form, offers, whole, commune, fte, band, refs, website, verified in chunk:
        yield ExportRow(
            name=name,
            siret=siret,
            legal_form=legal_form,
            agrements=agrements.get(actor_id, []),
            offers=offers,
            cpv_codes=sorted(cpv_codes[code_id] for code_id in cpv.get(pk, ())),
            serves_whole_metropole=whole,
            communes=sorted(commune_names[commune_id] for commune_id in communes.get(pk, ())),
            commune=commune,
            fte=fte,
            revenue_band=band,
            references=refs,
            website=website,
            contacts=contacts.get(actor_id, []),
            last_verified_on=verified,
        )


def iter_rows(listings, columns: list[Column]) -> Iterator[list]:
    """The export's rows in the queryset's order, in constant memory: plain values read by chunks of
    `CHUNK_SIZE` listings with four queries per chunk (building model instances and prefetching through the ORM was
    four times slower at 200,000 listings)."""
    today = timezone.localdate()
    labels = {
        "cpv_codes": dict(CpvCode.objects.values_list("pk", "code")),
        "commune_names": dict(Commune.objects.values_list("pk", "name")),
    }
    chunk = []
    for values in listings.values_list(*LISTING_FIELDS).iterator(chunk_size=CHUNK_SIZE):
        chunk.append(values)
        if len(chunk) == CHUNK_SIZE:
            for row in _export_rows(chunk, today, **labels):
                yield [column.value(row) for column in columns]
            chunk = []
    if chunk:
        for row in _export_rows(chunk, today, **labels):
            yield [column.value(row) for column in columns]


def inline_max_rows() -> int:
    """Above this many rows, XLSX and ODS exports are written by a background job (CSV is always streamed)."""
    return getattr(settings, "ASR_EXPORT_INLINE_MAX_ROWS", 20_000)


def log_export(*, listings, columns: list[Column], file_format: str, user, filters: dict, rows=None) -> int:
    rows = listings.count() if rows is None else rows
    ExportLog.objects.create(
        user=user, filters=filters, columns=[column.key for column in columns], row_count=rows, file_format=file_format
    )
    return rows


def write_spreadsheet(output, listings, *, columns: list[Column], file_format: str) -> str:
    """Write XLSX or ODS in constant memory into `output`; returns its content type."""
    header = [column.title for column in columns]
    rows = iter_rows(listings, columns)
    if file_format == ExportFormat.XLSX:
        write_xlsx(output, header, rows, title="Annuaire ASR")
        return XLSX_CONTENT_TYPE
    write_ods(output, header, rows, title="Annuaire ASR")
    return ODS_CONTENT_TYPE


def export_filename(file_format: str) -> str:
    return f"annuaire-asr-{timezone.localdate().isoformat()}.{file_format}"


def export_response(listings, *, columns: list[Column], file_format: str, user, filters: dict, rows=None):
    """The download of `listings` in `file_format`, logged in ExportLog (`rows`: the count, when known)."""
    log_export(listings=listings, columns=columns, file_format=file_format, user=user, filters=filters, rows=rows)
    if file_format == ExportFormat.CSV:
        header = [column.title for column in columns]
        return csv_streaming_response(export_filename(file_format), header, iter_rows(listings, columns))
    spool = tempfile.TemporaryFile()
    content_type = write_spreadsheet(spool, listings, columns=columns, file_format=file_format)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=export_filename(file_format), content_type=content_type)


# --- The export log, read by auditors ---


def describe_filters(logs) -> dict[int, list[str]]:
    """« Label : value » of each logged export's filters, as the directory's form shows them (two queries for a
    page of logs: the communes and filières it names)."""
    fields = AsrListingFilter.base_filters
    named = {"commune": set(), "filiere": set()}
    for log in logs:
        for key in named:
            if log.filters.get(key):
                named[key].add(log.filters[key])
    communes = dict(Commune.objects.filter(insee_code__in=named["commune"]).values_list("insee_code", "name"))
    filieres = dict(Filiere.objects.filter(slug__in=named["filiere"]).values_list("slug", "name"))
    labels = {"commune": communes, "filiere": filieres}
    descriptions = {}
    for log in logs:
        parts = []
        for key, value in log.filters.items():
            field = fields.get(key)
            if field is None or value in ("", None):
                continue
            choices = labels.get(key) or dict(field.extra.get("choices") or [])
            parts.append(f"{field.label} : {choices.get(value, value)}")
        descriptions[log.pk] = parts
    return descriptions
