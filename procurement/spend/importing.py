"""Share of ESS spend: the purchases of a year imported from a file, matched against the ESS registry.

Steps: upload (year + CSV/XLSX file, type checked on content, columns recognised from their headers) →
preview (every row read and checked, nothing saved) → confirm (written in one transaction) → report.

Rules of an import:
- The file is read by the actor import's reader (`actors.importing`): CSV in UTF-8 (with or without BOM) or
  Windows/Latin-1, « ; » or « , » separated, or an XLSX workbook (first sheet), told apart by content.
- Amounts in French or international notation (« 1 234,56 », « 1234.56 », « 1 234,56 € »; negative amounts
  are credit notes and reduce the spend); dates « 31/12/2024 » or ISO « 2024-12-31 » (or date cells).
- A row with a bad amount or date, or a date outside the chosen year, is an error: the import is refused as
  a whole and every error is listed with its line number and reason. Nothing is saved.
- The supplier SIRET is not a reason to refuse: spaces, dots and dashes are removed, then python-stdnum checks
  it. A valid SIRET of an active actor of the registry is `matched` (ESS spend); a valid SIRET outside the
  registry is `unknown`; an empty or invalid one is `malformed`. Unknown and malformed rows are kept, counted
  and listed in the report: no purchase is lost, the total spend is the total of the file.
- The supplier's SIAE, EA/ESAT and ESUS status is frozen at import: the agréments in force on the purchase
  date (`Agrement.objects.valid_on`). Filières and commune are read from the registry when the report is shown.
- The last import of a year replaces the previous ones (kept, no longer current) in the same transaction.
- Files of more than `PURCHASE_IMPORT_INLINE_MAX_ROWS` rows (default 5,000) run as the `purchase_import`
  background job, with its progress; smaller ones run in the request.

Between the preview and the confirmation the uploaded file waits under MEDIA_ROOT (never served), named by a
random key inside a signed token that only its uploader can use for two days.
"""

import logging
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from actors.enums import AgrementKind
from actors.importing.mapping import ImportField, column_label, propose_mapping
from actors.importing.reading import ImportFileError, SourceFormat, cell_text, is_blank, iter_rows, read_upload
from actors.importing.validation import parse_siret, siret_error
from actors.models import Actor, Agrement
from procurement.enums import SiretMatch
from procurement.spend.exports import purchases_csv_bytes
from procurement.spend.models import Purchase, PurchaseImport

logger = logging.getLogger("procurement.spend")

MAX_FILE_SIZE = 20 * 1024 * 1024
BATCH_SIZE = 1000
PENDING_DIR = "imports/achats/en-attente"
TOKEN_SALT = "procurement.spend.pending-import"
TOKEN_MAX_AGE = timedelta(days=2)
PREVIEW_MAX_LISTED = 500
MAX_AMOUNT = Decimal("999999999999.99")  # Purchase.amount: 14 digits, 2 decimals
FILE_GONE = (
    "Le fichier déposé n’est plus disponible (import déjà enregistré ou dépôt trop ancien) : "
    "déposez-le à nouveau si besoin."
)

FIELDS = (
    ImportField(
        "siret",
        "SIRET du fournisseur",
        True,
        (
            "siret",
            "siret fournisseur",
            "siret du fournisseur",
            "siret titulaire",
            "siret du titulaire",
            "siret tiers",
            "n siret",
            "no siret",
            "numero siret",
        ),
    ),
    ImportField(
        "amount",
        "Montant HT",
        True,
        (
            "montant ht",
            "montant",
            "montant hors taxes",
            "montant ht eur",
            "montant ht en euros",
            "montant mandate ht",
            "montant engage ht",
            "mt ht",
            "montant en euros",
        ),
    ),
    ImportField(
        "purchased_on",
        "Date",
        True,
        (
            "date",
            "date d achat",
            "date de l achat",
            "date de mandatement",
            "date mandat",
            "date de commande",
            "date de la commande",
            "date facture",
            "date de facture",
            "date de paiement",
        ),
    ),
    ImportField(
        "buying_direction",
        "Direction acheteuse",
        True,
        ("direction", "direction acheteuse", "direction gestionnaire", "service acheteur", "service", "pole"),
    ),
    ImportField("cpv_code", "Code CPV", False, ("cpv", "code cpv", "cpv principal", "nomenclature cpv")),
    ImportField(
        "supplier_name",
        "Fournisseur",
        False,
        (
            "fournisseur",
            "nom du fournisseur",
            "nom fournisseur",
            "raison sociale",
            "raison sociale du fournisseur",
            "titulaire",
            "tiers",
            "denomination",
        ),
    ),
)
FIELDS_BY_KEY = {f.key: f for f in FIELDS}

CPV_PATTERN = re.compile(r"\d{2,8}(-\d)?")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?")
FRENCH_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: [\d:.]+)?")


def max_file_size() -> int:
    return getattr(settings, "PURCHASE_IMPORT_MAX_FILE_SIZE", MAX_FILE_SIZE)


def inline_max_rows() -> int:
    """Files with more rows than this are imported by a background job."""
    return getattr(settings, "PURCHASE_IMPORT_INLINE_MAX_ROWS", 5000)


def importable_years(today: date | None = None) -> list[int]:
    """The years a file may be imported for: this year and the eight before, most recent first."""
    this_year = (today or timezone.localdate()).year
    return list(range(this_year, this_year - 9, -1))


class ImportRefused(ImportFileError):
    """The file has rows in error: nothing is imported. `analysis` lists them."""

    def __init__(self, analysis: "Analysis"):
        self.analysis = analysis
        count = len(analysis.error_rows)
        super().__init__(
            f"Import refusé : {count} ligne{'s' if count > 1 else ''} en erreur. Aucun achat n’a été enregistré ; "
            "corrigez le fichier et déposez-le à nouveau."
        )


# --- The uploaded file, waiting between the preview and the confirmation ----------------------------------


@dataclass(frozen=True)
class PendingFile:
    """An uploaded purchases file and what the upload learnt about it; travels as a signed token."""

    key: str
    year: int
    original_filename: str
    file_format: str
    encoding: str
    delimiter: str
    headers: tuple[str, ...]
    mapping: dict
    row_count: int
    user_id: int

    @property
    def path(self) -> str:
        extension = "xlsx" if self.file_format == "xlsx" else "csv"
        return f"{PENDING_DIR}/{self.key}.{extension}"

    @property
    def source(self) -> SourceFormat:
        return SourceFormat(self.file_format, self.encoding, self.delimiter)

    @property
    def runs_as_job(self) -> bool:
        return self.row_count > inline_max_rows()

    @property
    def mapped_columns(self) -> list[tuple[str, str]]:
        """(field label, « Colonne B – Montant HT ») for each recognised column, for the preview."""
        return [
            (import_field.label, column_label(column, self.headers[column]))
            for import_field in FIELDS
            if (column := self.mapping.get(import_field.key)) is not None
        ]

    def token(self) -> str:
        values = asdict(self)
        values["headers"] = list(self.headers)
        return signing.dumps(values, salt=TOKEN_SALT, compress=True)

    @classmethod
    def from_token(cls, token: str, *, user) -> "PendingFile":
        """The pending file of a token signed for `user`; ImportFileError when it expired or is not theirs."""
        try:
            values = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
            values["headers"] = tuple(values["headers"])
            pending = cls(**values)
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise ImportFileError(
                "Ce dépôt de fichier a expiré ou n’est pas valide : déposez à nouveau le fichier."
            ) from None
        if pending.user_id != user.pk:
            raise ImportFileError("Ce dépôt de fichier a été fait par une autre personne : déposez votre fichier.")
        return pending

    def exists(self) -> bool:
        return default_storage.exists(self.path)

    def open(self):
        try:
            return default_storage.open(self.path, "rb")
        except FileNotFoundError:
            raise ImportFileError(FILE_GONE) from None

    def delete(self) -> None:
        default_storage.delete(self.path)


def store_upload(*, uploaded, year: int, by) -> PendingFile:
    """Check the uploaded file (size, type by content, header row, required columns) and keep it until confirmed.

    Raise ImportFileError with a French message when the file cannot be imported.
    """
    upload = read_upload(uploaded, max_size=max_file_size())
    data, source, headers, row_count = upload.data, upload.source, upload.headers, upload.row_count
    mapping = propose_mapping(headers, FIELDS)
    missing = [import_field for import_field in FIELDS if import_field.required and import_field.key not in mapping]
    if missing:
        raise ImportFileError(
            "La première ligne du fichier doit nommer les colonnes. Introuvable : "
            + " ; ".join(f"« {f.label} » (par exemple « {f.aliases[0].capitalize()} »)" for f in missing)
            + "."
        )
    if row_count == 0:
        raise ImportFileError("Le fichier ne contient aucune ligne d’achat sous la ligne des intitulés.")
    _delete_stale_pending_files()
    pending = PendingFile(
        key=uuid.uuid4().hex,
        year=year,
        original_filename=(uploaded.name or "fichier")[-255:],
        file_format=source.file_format,
        encoding=source.encoding,
        delimiter=source.delimiter,
        headers=tuple(headers),
        mapping=mapping,
        row_count=row_count,
        user_id=by.pk,
    )
    default_storage.save(pending.path, ContentFile(data))
    return pending


def _delete_stale_pending_files() -> None:
    """Files uploaded for a preview nobody confirmed are removed once their token has expired."""
    try:
        _, names = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return
    limit = timezone.now() - TOKEN_MAX_AGE - timedelta(hours=1)
    for name in names:
        path = f"{PENDING_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except FileNotFoundError:
            continue


# --- Reading and checking the rows --------------------------------------------------------------------------


def parse_amount(raw) -> Decimal:
    """« 1 234,56 », « 1234.56 », « 1 234,56 € », « 1.234,56 » or a number cell; raise ValueError (French)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        amount = Decimal(str(raw)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    else:
        text = cell_text(raw).replace("€", "").replace("EUR", "").replace("\u202f", "").replace(" ", "")
        if "," in text and "." in text:
            # The last separator is the decimal one: « 1.234,56 » or « 1,234.56 ».
            decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
            text = text.replace("." if decimal_mark == "," else ",", "")
        text = text.replace(",", ".")
        if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
            raise ValueError(f"montant invalide : « {cell_text(raw)} » (par exemple 1 234,56).")
        amount = Decimal(text)
        if amount != amount.quantize(Decimal("0.01")):
            raise ValueError(f"montant invalide : « {cell_text(raw)} » (deux décimales au plus).")
    if abs(amount) > MAX_AMOUNT:
        raise ValueError(f"montant trop grand : « {cell_text(raw)} ».")
    return amount


def parse_date(raw) -> date:
    """« 31/12/2024 », « 2024-12-31 » or a date cell; raise ValueError with a French message."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = cell_text(raw)
    try:
        if match := ISO_DATE.fullmatch(text):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := FRENCH_DATE.fullmatch(text):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        raise ValueError(f"date impossible : « {text} ».") from None
    raise ValueError(f"date invalide : « {text} » (jour/mois/année, par exemple 31/12/2024, ou 2024-12-31).")


@dataclass
class PurchaseRow:
    line: int
    raw_siret: str = ""
    siret: str = ""  # normalised, empty when malformed
    supplier_name: str = ""
    amount: Decimal | None = None
    purchased_on: date | None = None
    buying_direction: str = ""
    cpv_code: str = ""
    errors: list[str] = field(default_factory=list)
    siret_match: str = ""
    actor_id: int | None = None
    actor_name: str = ""

    # The names of the saved Purchase, so that one template lists rows of the preview and of the report.
    @property
    def row_number(self) -> int:
        return self.line

    @property
    def supplier_siret(self) -> str:
        return self.raw_siret


def parse_row(line: int, row: list, mapping: dict, year: int) -> PurchaseRow:
    """Check one data row; the errors are French sentences. The SIRET is never an error."""
    parsed = PurchaseRow(line=line)

    def cell(key):
        column = mapping.get(key)
        if column is None or column >= len(row):
            return None
        value = row[column]
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    raw_siret = cell("siret")
    if raw_siret is not None:
        parsed.raw_siret = cell_text(raw_siret)[:40]
        siret = parse_siret(raw_siret)
        if siret_error(siret) is None:
            parsed.siret = siret

    raw_amount = cell("amount")
    if raw_amount is None:
        parsed.errors.append("montant manquant.")
    else:
        try:
            parsed.amount = parse_amount(raw_amount)
        except (ValueError, InvalidOperation) as error:
            parsed.errors.append(str(error) if isinstance(error, ValueError) else "montant invalide.")

    raw_date = cell("purchased_on")
    if raw_date is None:
        parsed.errors.append("date manquante.")
    else:
        try:
            purchased_on = parse_date(raw_date)
        except ValueError as error:
            parsed.errors.append(str(error))
        else:
            if purchased_on.year != year:
                parsed.errors.append(f"date hors de l’année {year} : {purchased_on:%d/%m/%Y}.")
            else:
                parsed.purchased_on = purchased_on

    direction = cell_text(cell("buying_direction"))
    if len(direction) > 200:
        parsed.errors.append("direction acheteuse trop longue (200 caractères au plus).")
    parsed.buying_direction = direction[:200]

    cpv = cell_text(cell("cpv_code")).replace(" ", "")
    if cpv and not CPV_PATTERN.fullmatch(cpv):
        parsed.errors.append(f"code CPV invalide : « {cpv} » (par exemple 90910000-9 ou 9091).")
    parsed.cpv_code = cpv[:12]

    name = cell_text(cell("supplier_name"))
    if len(name) > 250:
        parsed.errors.append("nom du fournisseur trop long (250 caractères au plus).")
    parsed.supplier_name = name[:250]
    return parsed


@dataclass
class Analysis:
    """Every row of the file, checked and matched against the registry. Nothing written."""

    pending: PendingFile
    rows: list[PurchaseRow]

    @property
    def error_rows(self) -> list[PurchaseRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return not any(row.errors for row in self.rows)

    def rows_matched(self, siret_match: str) -> list[PurchaseRow]:
        return [row for row in self.rows if not row.errors and row.siret_match == siret_match]

    @property
    def figures(self) -> dict:
        """Counts and amounts of the preview (the file's rows, before anything is saved)."""
        valid = [row for row in self.rows if not row.errors]
        figures = {
            "rows": len(self.rows),
            "errors": len(self.rows) - len(valid),
            "total_amount": sum((row.amount for row in valid), Decimal("0.00")),
        }
        for siret_match in SiretMatch.values:
            rows = [row for row in valid if row.siret_match == siret_match]
            figures[f"{siret_match}_count"] = len(rows)
            figures[f"{siret_match}_amount"] = sum((row.amount for row in rows), Decimal("0.00"))
        return figures


def _chunks(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def read_rows(pending: PendingFile) -> Iterator[tuple[int, list]]:
    """(line number in the file, cells) of the data rows, blank rows skipped; line 1 is the header."""
    with pending.open() as handle:
        for line, row in enumerate(iter_rows(handle, pending.source), start=1):
            if line == 1 or is_blank(row):
                continue
            yield line, row


def analyse(pending: PendingFile, *, progress: Callable[[int, str], None] | None = None) -> Analysis:
    """Read and check every row, then match the valid SIRETs with the active actors of the registry."""
    mapping = {key: int(column) for key, column in pending.mapping.items()}
    rows: list[PurchaseRow] = []
    total = max(pending.row_count, 1)
    for line, cells in read_rows(pending):
        rows.append(parse_row(line, cells, mapping, pending.year))
        if progress and len(rows) % 1000 == 0:
            progress(min(40, 40 * len(rows) // total), f"Lecture du fichier : {len(rows)} lignes sur {total}")
    actors: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(sorted({row.siret for row in rows if row.siret})):
        found = Actor.objects.active().filter(siret__in=chunk).values_list("pk", "siret", "name")
        actors.update({siret: (pk, name) for pk, siret, name in found})
    for row in rows:
        if not row.siret:
            row.siret_match = SiretMatch.MALFORMED
        elif row.siret in actors:
            row.siret_match = SiretMatch.MATCHED
            row.actor_id, row.actor_name = actors[row.siret]
        else:
            row.siret_match = SiretMatch.UNKNOWN
    return Analysis(pending, rows)


def preview(pending: PendingFile) -> dict:
    """What the preview page shows: the figures, the rows in error and the rows outside the registry."""
    analysis = analyse(pending)
    error_rows = analysis.error_rows
    unmatched = [row for row in analysis.rows if not row.errors and row.siret_match != SiretMatch.MATCHED]
    return {
        "figures": analysis.figures,
        "is_valid": analysis.is_valid,
        "error_rows": error_rows[:PREVIEW_MAX_LISTED],
        "error_rows_hidden": max(0, len(error_rows) - PREVIEW_MAX_LISTED),
        "unmatched_rows": unmatched[:PREVIEW_MAX_LISTED],
        "unmatched_rows_hidden": max(0, len(unmatched) - PREVIEW_MAX_LISTED),
        "warning": pending.source.warning,
    }


# --- Writing the import -----------------------------------------------------------------------------------


def confirm_import(*, pending: PendingFile, by):
    """Import a small file now (returns the PurchaseImport) or hand a large one to a background job (the Job)."""
    from ess_portal.jobs.enums import JobKind
    from ess_portal.jobs.services import request_job

    if not pending.exists():
        raise ImportFileError(FILE_GONE)
    if not pending.runs_as_job:
        return run_import(pending=pending, by=by)
    return request_job(
        kind=JobKind.PURCHASE_IMPORT,
        parameters={"pending": pending.token(), "user_id": by.pk},
        requested_by=by,
        idempotency_key=f"{JobKind.PURCHASE_IMPORT}:{pending.key}",
    )


def run_import(
    *, pending: PendingFile, by, job=None, progress: Callable[[int, str], None] | None = None
) -> PurchaseImport:
    """Check the file again and write every row in one transaction, or nothing (ImportRefused).

    With a `job`, the new import's id is stored in the job's parameters in the same transaction, so a job run
    twice (worker crash after the commit) finds the import done and writes nothing the second time.
    """
    from ess_portal.jobs.models import Job

    progress = progress or (lambda percent, message: None)
    if job is not None and (done := _import_of_job(job)) is not None:
        return done
    analysis = analyse(pending, progress=progress)
    if not analysis.is_valid:
        raise ImportRefused(analysis)
    progress(45, f"Enregistrement de {len(analysis.rows)} achats")
    with transaction.atomic():
        if job is not None:
            locked_job = Job.objects.select_for_update().get(pk=job.pk)
            if (done := _import_of_job(locked_job)) is not None:
                return done
        # Lock the year's import in force, so that two imports of the same year never both stay current.
        replaced = list(PurchaseImport.objects.select_for_update().filter(year=pending.year, is_current=True))
        PurchaseImport.objects.filter(pk__in=[purchase_import.pk for purchase_import in replaced]).update(
            is_current=False
        )
        purchase_import = PurchaseImport.objects.create(
            year=pending.year, original_filename=pending.original_filename, imported_by=by, is_current=True
        )
        for number, chunk in enumerate(_chunks(analysis.rows), start=1):
            Purchase.objects.bulk_create(
                [
                    Purchase(
                        purchase_import=purchase_import,
                        row_number=row.line,
                        supplier_siret=row.raw_siret,
                        supplier_name=row.supplier_name,
                        siret_match=row.siret_match,
                        actor_id=row.actor_id,
                        amount=row.amount,
                        purchased_on=row.purchased_on,
                        buying_direction=row.buying_direction,
                        cpv_code=row.cpv_code,
                    )
                    for row in chunk
                ]
            )
            progress(45 + 45 * number * BATCH_SIZE // max(len(analysis.rows), 1), "Enregistrement des achats")
        freeze_classification(purchase_import)
        totals = purchase_import.purchases.aggregate(total=Sum("amount"))
        purchase_import.row_count = len(analysis.rows)
        purchase_import.total_amount = totals["total"] or Decimal("0.00")
        purchase_import.save(update_fields=["row_count", "total_amount"])
        if job is not None:
            Job.objects.filter(pk=job.pk).update(
                parameters={**locked_job.parameters, "purchase_import_id": purchase_import.pk}
            )
        transaction.on_commit(pending.delete)
    logger.info(
        "Purchase import %s: year %s, %s rows, replaces %s, by user %s",
        purchase_import.pk,
        pending.year,
        purchase_import.row_count,
        [purchase_import.pk for purchase_import in replaced] or "nothing",
        by.pk if by else None,
    )
    progress(100, "Import terminé")
    return purchase_import


def _import_of_job(job) -> PurchaseImport | None:
    purchase_import_id = job.parameters.get("purchase_import_id")
    if purchase_import_id is None:
        return None
    return PurchaseImport.objects.filter(pk=purchase_import_id).first()


def freeze_classification(purchase_import: PurchaseImport) -> None:
    """SIAE, EA/ESAT, ESUS: the supplier's agréments in force on each purchase's date, copied in one UPDATE."""

    def in_force(*kinds):
        return Exists(
            Agrement.objects.valid_on(OuterRef("purchased_on")).filter(actor=OuterRef("actor"), kind__in=kinds)
        )

    purchase_import.purchases.filter(actor__isnull=False).update(
        is_siae=in_force(AgrementKind.SIAE),
        is_ea_esat=in_force(AgrementKind.EA, AgrementKind.ESAT),
        is_esus=in_force(AgrementKind.ESUS),
    )


def run_import_job(job) -> ContentFile:
    """The `purchase_import` job: run the confirmed import; the result is the CSV of the purchases matched."""
    from accounts.models import User
    from ess_portal.jobs.registry import JobFailed

    user = User.objects.filter(pk=job.parameters.get("user_id")).first() or job.requested_by
    try:
        pending = PendingFile.from_token(job.parameters.get("pending", ""), user=user)
        purchase_import = run_import(pending=pending, by=user, job=job, progress=job.set_progress)
    except ImportRefused as error:
        reasons = " ".join(f"Ligne {row.line} : {' '.join(row.errors)}" for row in error.analysis.error_rows[:20])
        raise JobFailed(f"{error} {reasons}"[:2000]) from error
    except ImportFileError as error:
        raise JobFailed(str(error)) from error
    return ContentFile(
        purchases_csv_bytes(purchase_import.purchases.all()),
        name=f"achats-{purchase_import.year}-import-{purchase_import.pk}.csv",
    )
