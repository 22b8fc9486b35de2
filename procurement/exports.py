"""Exports of the buyer directory: the documented columns a buyer chooses from, and the rows of exactly the
filtered listings (CSV streamed; XLSX and ODS written in constant memory to a temporary file).

Personal contacts are only exported where the person agreed (`Contact.is_public`).
"""

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.http import FileResponse
from django.utils import timezone

from actors.models import Agrement, Contact
from ess_portal.exports import (
    ODS_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_streaming_response,
    write_ods,
    write_xlsx,
)
from procurement.enums import ExportFormat
from procurement.models import ExportLog

CHUNK_SIZE = 2000


def _agrements(listing):
    return ", ".join(
        (f"SIAE ({a.siae_type.upper()})" if a.siae_type else a.kind.upper()) for a in listing.actor.agrements_in_force
    )


def _communes(listing):
    if listing.serves_whole_metropole:
        return "Toute la métropole"
    return ", ".join(commune.name for commune in listing.communes.all())


def _contacts(listing):
    return " | ".join(
        " – ".join(part for part in (c.name, c.role, c.email, c.phone) if part) for c in listing.actor.public_contacts
    )


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    description: str
    value: object


COLUMNS = [
    Column("nom", "Raison sociale", "Nom de la structure.", lambda li: li.actor.name),
    Column("siret", "SIRET", "Numéro SIRET (14 chiffres).", lambda li: li.actor.siret),
    Column("forme", "Forme juridique", "Famille juridique de l’ESS.", lambda li: li.actor.get_legal_form_display()),
    Column("agrements", "Agréments", "Agréments en vigueur (ESUS, SIAE et son type, EA, ESAT).", _agrements),
    Column(
        "articles",
        "Marchés réservés",
        "Articles du code de la commande publique ouvrant un marché réservé (L2113-12, L2113-13, L2113-15).",
        lambda li: ", ".join(li.reserved_articles()),
    ),
    Column("offre", "Offre", "Produits et services proposés.", lambda li: li.offers),
    Column(
        "cpv",
        "Codes CPV",
        "Codes CPV à 8 chiffres (sans clé) séparés par des virgules.",
        lambda li: ", ".join(c.full_code for c in li.cpv_codes.all()),
    ),
    Column("communes", "Communes desservies", "Communes desservies ou « Toute la métropole ».", _communes),
    Column("commune", "Commune du siège", "Commune où la structure est implantée.", lambda li: li.actor.commune.name),
    Column("etp", "Effectif (ETP)", "Équivalents temps plein.", lambda li: li.actor.fte),
    Column(
        "ca", "Chiffre d’affaires", "Tranche de chiffre d’affaires annuel.", lambda li: li.get_revenue_band_display()
    ),
    Column(
        "references",
        "Références de marchés publics",
        "Marchés publics déjà réalisés.",
        lambda li: li.public_contract_references,
    ),
    Column("site", "Site web", "Site web de la structure.", lambda li: li.actor.website),
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
        lambda li: li.last_verified_on,
    ),
]
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
DEFAULT_COLUMN_KEYS = [column.key for column in COLUMNS]


def chosen_columns(keys) -> list[Column]:
    """The chosen columns in their documented order; every column when none (or none known) is chosen."""
    wanted = {key for key in keys if key in COLUMNS_BY_KEY}
    return [column for column in COLUMNS if column.key in wanted] or list(COLUMNS)


def export_queryset(listings):
    """What the rows need, in a constant number of queries per chunk."""
    today = timezone.localdate()
    return listings.select_related("actor__commune").prefetch_related(
        "cpv_codes",
        "communes",
        Prefetch("actor__agrements", queryset=Agrement.objects.valid_on(today), to_attr="agrements_in_force"),
        Prefetch(
            "actor__contacts",
            queryset=Contact.objects.filter(is_public=True).order_by("name", "pk"),
            to_attr="public_contacts",
        ),
    )


def iter_rows(listings, columns: list[Column]) -> Iterator[list]:
    for listing in export_queryset(listings).iterator(chunk_size=CHUNK_SIZE):
        yield [column.value(listing) for column in columns]


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
