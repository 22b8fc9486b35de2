"""Import of actors from a CSV or XLSX file (such as a CRESS export), by staff.

Steps: upload (type checked on content, size limit) → column mapping (proposed from the headers) →
preview (every row validated, counts to create / update / leave unchanged / reject) → confirm (run).

Rules of an import:
- Idempotent on SIRET: a SIRET already in the registry (archived actors included) updates that actor, a new
  SIRET creates one. Running the same file twice creates nothing the second time (rows are « inchangées »).
- A SIRET present on several lines of the file: the first line is imported, the next ones are rejected.
- An empty cell never erases a value already in the registry; filières and segments given in the file replace
  the actor's; agréments in the file are added when missing (never removed, dates are entered by staff).
- All or nothing: the valid rows are written together in one transaction (rejected rows are never written).
  If anything fails while writing, nothing is written and the import can be run again. The file is read and
  validated again at run time, so the final report (not the preview) says exactly what was done.
- Files of more than `ACTOR_IMPORT_INLINE_MAX_ROWS` rows (default 1,000) run as a background job
  (`actor_import`) with its progress; smaller ones run in the request.
- History: every created or updated actor gets a history record (with its filières and segments) naming the
  staff member who confirmed the import, with the reason « Import nº N ».
- Actors without coordinates are placed at their commune's centre (flagged `commune`) and geocoded from their
  address after commit (task `actors.geocode_actor`) when `ACTOR_IMPORT_GEOCODE` is true (default).
"""

import codecs
import csv
import difflib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from stdnum import exceptions as stdnum_errors
from stdnum.fr import siret as siret_check

from actors.enums import ActorImportStatus, AgrementKind, LegalForm, LocationPrecision, SiaeType
from actors.models import Actor, ActorImport, Agrement, Commune, normalize_search_text
from filieres.models import Filiere, Segment

MAX_FILE_SIZE = 20 * 1024 * 1024
BATCH_SIZE = 500
PREVIEW_SAMPLE_SIZE = 20
XLSX_MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)

CREATE, UPDATE, UNCHANGED, REJECTED = "create", "update", "unchanged", "rejected"
ACTION_LABELS = {CREATE: "créée", UPDATE: "mise à jour", UNCHANGED: "inchangée", REJECTED: "rejetée"}
PREVIEW_LABELS = {CREATE: "à créer", UPDATE: "à mettre à jour", UNCHANGED: "inchangée", REJECTED: "rejetée"}


def max_file_size() -> int:
    return getattr(settings, "ACTOR_IMPORT_MAX_FILE_SIZE", MAX_FILE_SIZE)


def inline_max_rows() -> int:
    """Files with more rows than this run as a background job."""
    return getattr(settings, "ACTOR_IMPORT_INLINE_MAX_ROWS", 1000)


class ImportFileError(Exception):
    """A file that cannot be imported; the message (in French) is shown to the staff member."""


# --- Reading the file -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceFormat:
    file_format: str
    encoding: str = ""
    delimiter: str = ""

    @property
    def warning(self) -> str:
        if self.encoding in ("cp1252", "latin-1"):
            return (
                "Le fichier n’est pas encodé en UTF-8 : il a été lu comme un fichier Windows (Latin-1). "
                "Vérifiez les accents dans l’aperçu ; en cas de doute, enregistrez-le en « CSV UTF-8 »."
            )
        return ""


def detect_format(data: bytes) -> SourceFormat:
    """Tell an XLSX workbook from a CSV text by content (never by the file name); raise ImportFileError."""
    if not data:
        raise ImportFileError("Le fichier est vide.")
    if data.startswith(OLE_SIGNATURE):
        raise ImportFileError(
            "Les classeurs Excel 97-2003 (.xls) ne sont pas acceptés : enregistrez le fichier au format .xlsx "
            "ou CSV, puis déposez-le à nouveau."
        )
    if data.startswith(b"PK\x03\x04"):
        return SourceFormat(_check_xlsx(data))
    if b"\x00" in data[:65536]:
        raise ImportFileError("Ce fichier n’est ni un fichier CSV (texte) ni un classeur Excel (.xlsx).")
    text, encoding = decode_text(data)
    return SourceFormat(ActorImport.FileFormat.CSV, encoding, sniff_delimiter(text))


def _check_xlsx(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                raise ImportFileError(
                    "Les classeurs OpenDocument (.ods) ne sont pas acceptés : enregistrez le fichier au format "
                    ".xlsx ou CSV, puis déposez-le à nouveau."
                )
            if "[Content_Types].xml" not in names:
                raise ImportFileError("Ce fichier compressé n’est pas un classeur Excel (.xlsx).")
            content_types = archive.read("[Content_Types].xml").decode("utf-8", errors="replace")
    except zipfile.BadZipFile:
        raise ImportFileError("Le classeur Excel est endommagé et ne peut pas être lu.") from None
    if XLSX_MAIN_CONTENT_TYPE not in content_types:
        raise ImportFileError(
            "Ce fichier n’est pas un classeur Excel (.xlsx) sans macros : enregistrez-le au format .xlsx ou CSV."
        )
    return ActorImport.FileFormat.XLSX


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), else Windows-1252 / Latin-1 (the usual encodings of spreadsheet exports)."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        first_line = sample.split("\n", 1)[0]
        return max(";,\t", key=first_line.count) if any(char in first_line for char in ";,\t") else ";"


def iter_rows(handle, source: SourceFormat) -> Iterator[list]:
    """Every row of the file's first sheet as a list of cell values (str, numbers, dates or None)."""
    if source.file_format == ActorImport.FileFormat.XLSX:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds of errors on a damaged workbook
            raise ImportFileError("Le classeur Excel n’a pas pu être lu : il est peut-être endommagé.") from error
        try:
            sheet = workbook.worksheets[0]
            for row in sheet.iter_rows(values_only=True):
                yield list(row)
        finally:
            workbook.close()
        return
    text = io.TextIOWrapper(handle, encoding=source.encoding, newline="")
    try:
        yield from csv.reader(text, delimiter=source.delimiter)
    except csv.Error as error:
        raise ImportFileError(f"Le fichier CSV est mal formé : {error}.") from error
    finally:
        text.detach()


def is_blank(row: list) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def read_table(actor_import: ActorImport) -> Iterator[tuple[int, list]]:
    """(line number in the file, cells) of the data rows, blank rows skipped; line 1 is the header."""
    source = SourceFormat(actor_import.file_format, actor_import.encoding, actor_import.delimiter)
    with actor_import.file.open("rb") as handle:
        for line, row in enumerate(iter_rows(handle, source), start=1):
            if line == 1 or is_blank(row):
                continue
            yield line, row


def clean_headers(row: list) -> list[str]:
    headers = [cell_text(cell) for cell in row]
    while headers and not headers[-1]:
        headers.pop()
    return headers


# --- Columns and mapping ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help_text: str = ""


FIELDS = (
    ImportField("name", "Raison sociale", True, ("raison sociale", "nom", "denomination", "nom de la structure")),
    ImportField("siret", "SIRET", True, ("siret", "n siret", "numero siret", "no siret")),
    ImportField(
        "legal_form",
        "Forme juridique",
        True,
        ("forme juridique", "statut juridique", "famille", "famille ess", "statut"),
        "Association, SCOP, SCIC, CAE, coopérative, mutuelle, fondation ou société commerciale de l’ESS.",
    ),
    ImportField(
        "commune",
        "Commune",
        True,
        ("code insee", "code commune", "insee", "commune", "ville", "localite"),
        "Code INSEE ou nom d’une des 28 communes de la Métropole.",
    ),
    ImportField("address", "Adresse", aliases=("adresse", "adresse postale", "voie", "rue")),
    ImportField("postal_code", "Code postal", aliases=("code postal", "cp")),
    ImportField("fte", "Effectif (ETP)", aliases=("etp", "effectif", "effectif etp", "effectifs", "salaries")),
    ImportField(
        "founded_year", "Année de création", aliases=("annee de creation", "date de creation", "creation", "annee")
    ),
    ImportField("website", "Site web", aliases=("site web", "site internet", "site", "url", "web")),
    ImportField(
        "description", "Présentation", aliases=("description", "activite", "presentation", "objet", "activites")
    ),
    ImportField(
        "filieres",
        "Filières",
        aliases=("filieres", "filiere"),
        help_text="Noms ou codes (1.1.1…) séparés par « , » ou « | ».",
    ),
    ImportField("segments", "Segments", aliases=("segments", "segment"), help_text="Noms séparés par « , » ou « | »."),
    ImportField(
        "agrements",
        "Agréments",
        aliases=("agrements", "agrement"),
        help_text="ESUS, SIAE-ACI (EI, ETTI, AI, EITI), EA, ESAT, séparés par « , » ou « | ».",
    ),
)
FIELDS_BY_KEY = {f.key: f for f in FIELDS}


def header_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", normalize_search_text(text)).split())


def column_label(index: int, header: str) -> str:
    return f"Colonne {get_column_letter(index + 1)} – {header or '(sans titre)'}"


def propose_mapping(headers: list[str], fields: tuple[ImportField, ...] = FIELDS) -> dict[str, int]:
    """Guess which column holds each of `fields` from the headers (accents, case and punctuation ignored).

    `fields` are the actor import's by default; other imports (e.g. purchases) pass their own.

    An exact alias beats an alias contained in the header, which beats a close spelling; a longer alias wins a
    tie (« Code postal de la commune » is the postal code, not the commune). Each column is used once.
    """
    keys = [header_key(header) for header in headers]
    scores = []
    for order, import_field in enumerate(fields):
        for alias_rank, alias in enumerate(import_field.aliases):
            for column, key in enumerate(keys):
                if not key:
                    continue
                if key == alias:
                    level = 3
                elif re.search(rf"\b{re.escape(alias)}\b", key):
                    level = 2
                elif difflib.SequenceMatcher(None, key, alias).ratio() >= 0.85:
                    level = 1
                else:
                    continue
                scores.append(((-level, -len(alias), alias_rank, order, column), import_field.key, column))
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for _, key, column in sorted(scores):
        if key not in mapping and column not in used:
            mapping[key] = column
            used.add(column)
    return mapping


# --- Cell values ------------------------------------------------------------------------------------------


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).replace("\u00a0", " ").split())


def lookup_key(text: str) -> str:
    key = header_key(text)
    key = re.sub(r"\bst\b", "saint", key)
    return re.sub(r"\bste\b", "sainte", key)


def split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[|,;\n]", text) if part.strip()]


LEGAL_FORM_SYNONYMS = {
    "association": LegalForm.ASSOCIATION,
    "association loi 1901": LegalForm.ASSOCIATION,
    "association loi 1908": LegalForm.ASSOCIATION,
    "asso": LegalForm.ASSOCIATION,
    "scop": LegalForm.SCOP,
    "scop sa": LegalForm.SCOP,
    "scop sarl": LegalForm.SCOP,
    "scop sas": LegalForm.SCOP,
    "societe cooperative et participative": LegalForm.SCOP,
    "societe cooperative ouvriere de production": LegalForm.SCOP,
    "scic": LegalForm.SCIC,
    "scic sa": LegalForm.SCIC,
    "scic sarl": LegalForm.SCIC,
    "scic sas": LegalForm.SCIC,
    "societe cooperative d interet collectif": LegalForm.SCIC,
    "cae": LegalForm.CAE,
    "cooperative d activite et d emploi": LegalForm.CAE,
    "cooperative": LegalForm.COOPERATIVE,
    "autre cooperative": LegalForm.COOPERATIVE,
    "cooperatives": LegalForm.COOPERATIVE,
    "mutuelle": LegalForm.MUTUELLE,
    "mutuelles": LegalForm.MUTUELLE,
    "fondation": LegalForm.FONDATION,
    "fondations": LegalForm.FONDATION,
    "societe commerciale de l ess": LegalForm.SOCIETE_ESS,
    "societe commerciale ess": LegalForm.SOCIETE_ESS,
    "entreprise commerciale de l ess": LegalForm.SOCIETE_ESS,
    "societe commerciale": LegalForm.SOCIETE_ESS,
}
AGREMENT_TOKENS = {
    "esus": (AgrementKind.ESUS, ""),
    "ea": (AgrementKind.EA, ""),
    "entreprise adaptee": (AgrementKind.EA, ""),
    "esat": (AgrementKind.ESAT, ""),
    **{siae_type.value: (AgrementKind.SIAE, siae_type.value) for siae_type in SiaeType},
    **{f"siae {siae_type.value}": (AgrementKind.SIAE, siae_type.value) for siae_type in SiaeType},
}


class Lookups:
    """Reference data loaded once per import: communes, legal forms, filières, segments."""

    def __init__(self):
        communes = list(Commune.objects.all())
        self.communes = {commune.insee_code: commune for commune in communes}
        self.communes.update({lookup_key(commune.name): commune for commune in communes})
        self.legal_forms = {lookup_key(value): value for value in LegalForm.values}
        self.legal_forms.update({lookup_key(label): value for value, label in LegalForm.choices})
        self.legal_forms.update(LEGAL_FORM_SYNONYMS)
        self.filieres = {}
        for filiere in Filiere.objects.all():
            for key in (filiere.code, lookup_key(filiere.name), lookup_key(filiere.slug)):
                self.filieres[key] = filiere
        self.segments = {}
        for segment in Segment.objects.select_related("filiere"):
            for key in (lookup_key(segment.name), lookup_key(segment.slug)):
                self.segments[key] = segment


@dataclass
class ParsedRow:
    line: int
    siret: str = ""
    name: str = ""
    values: dict = field(default_factory=dict)  # model field → value, only for non-empty cells
    filiere_ids: set | None = None
    segment_ids: set | None = None
    agrements: list = field(default_factory=list)  # [(kind, siae_type)]
    errors: list[str] = field(default_factory=list)
    action: str = ""
    changed: list[str] = field(default_factory=list)
    commune_name: str = ""


def parse_siret(raw) -> str:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # A spreadsheet stores a SIRET typed as a number without its leading zeros.
        return str(int(raw)).zfill(14)
    return re.sub(r"[\s.\-]", "", cell_text(raw))


def siret_error(siret: str) -> str | None:
    try:
        siret_check.validate(siret)
    except stdnum_errors.InvalidLength:
        return f"SIRET invalide : « {siret} » (14 chiffres attendus)."
    except stdnum_errors.InvalidFormat:
        return f"SIRET invalide : « {siret} » (chiffres uniquement)."
    except stdnum_errors.InvalidChecksum:
        return f"SIRET invalide : « {siret} » (clé de contrôle)."
    except stdnum_errors.ValidationError:
        return f"SIRET invalide : « {siret} »."
    return None


def parse_decimal(raw) -> Decimal:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return Decimal(str(raw))
    text = cell_text(raw).replace(" ", "").replace("\u202f", "").replace(",", ".")
    return Decimal(text)


def parse_row(line: int, row: list, mapping: dict[str, int], lookups: Lookups) -> ParsedRow:
    """Validate one data row with the model's rules; the errors are French sentences."""
    parsed = ParsedRow(line=line)

    def cell(key):
        column = mapping.get(key)
        if column is None or column >= len(row):
            return None
        value = row[column]
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    errors = parsed.errors
    name = cell_text(cell("name"))
    if not name:
        errors.append("raison sociale manquante.")
    elif len(name) > 200:
        errors.append("raison sociale trop longue (200 caractères au plus).")
    else:
        parsed.values["name"] = parsed.name = name

    raw_siret = cell("siret")
    if raw_siret is None:
        errors.append("SIRET manquant.")
    else:
        siret = parse_siret(raw_siret)
        parsed.siret = siret
        error = siret_error(siret)
        if error:
            errors.append(error)
        else:
            parsed.values["siret"] = siret

    raw_form = cell("legal_form")
    if raw_form is None:
        errors.append("forme juridique manquante.")
    else:
        legal_form = lookups.legal_forms.get(lookup_key(cell_text(raw_form)))
        if legal_form is None:
            errors.append(
                f"forme juridique inconnue : « {cell_text(raw_form)} » (association, SCOP, SCIC, CAE, coopérative, "
                "mutuelle, fondation ou société commerciale de l’ESS)."
            )
        else:
            parsed.values["legal_form"] = legal_form

    raw_commune = cell("commune")
    if raw_commune is None:
        errors.append("commune manquante.")
    else:
        text = cell_text(raw_commune)
        commune = lookups.communes.get(text.zfill(5) if text.isdigit() else lookup_key(text))
        if commune is None:
            errors.append(
                f"commune inconnue : « {text} » (code INSEE ou nom d’une des 28 communes de Bordeaux Métropole)."
            )
        else:
            parsed.values["commune"] = commune
            parsed.commune_name = commune.name

    address = cell_text(cell("address"))
    if len(address) > 250:
        errors.append("adresse trop longue (250 caractères au plus).")
    elif address:
        parsed.values["address"] = address

    raw_postal_code = cell("postal_code")
    if raw_postal_code is not None:
        postal_code = cell_text(raw_postal_code)
        if isinstance(raw_postal_code, int | float):
            postal_code = postal_code.zfill(5)
        if re.fullmatch(r"\d{5}", postal_code):
            parsed.values["postal_code"] = postal_code
        else:
            errors.append(f"code postal invalide : « {postal_code} » (5 chiffres).")

    raw_fte = cell("fte")
    if raw_fte is not None:
        try:
            fte = parse_decimal(raw_fte)
            if not fte.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(f"effectif (ETP) invalide : « {cell_text(raw_fte)} » (nombre attendu, par exemple 12,5).")
        else:
            if fte < 0:
                errors.append("effectif (ETP) négatif.")
            elif fte >= 1_000_000:
                errors.append(f"effectif (ETP) trop grand : « {cell_text(raw_fte)} ».")
            else:
                parsed.values["fte"] = fte.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    raw_year = cell("founded_year")
    if raw_year is not None:
        year = _parse_year(raw_year)
        if year is None:
            errors.append(f"année de création invalide : « {cell_text(raw_year)} » (par exemple 2015).")
        elif not 1800 <= year <= timezone.localdate().year:
            errors.append(f"année de création invalide : {year} (entre 1800 et aujourd’hui).")
        else:
            parsed.values["founded_year"] = year

    website = cell_text(cell("website"))
    if website:
        if not re.match(r"^[a-z][a-z0-9+.-]*://", website, re.IGNORECASE):
            website = f"https://{website}"
        try:
            URLValidator(schemes=["http", "https"])(website)
            if len(website) > 200:
                raise ValidationError("too long")
        except ValidationError:
            errors.append(f"site web invalide : « {cell_text(cell('website'))} ».")
        else:
            parsed.values["website"] = website

    description = cell("description")
    if description is not None:
        parsed.values["description"] = str(description).strip()

    raw_filieres = cell_text(cell("filieres"))
    if raw_filieres:
        parsed.filiere_ids = set()
        for part in split_list(raw_filieres):
            filiere = lookups.filieres.get(part) or lookups.filieres.get(lookup_key(part))
            if filiere is None:
                errors.append(f"filière inconnue : « {part} ».")
            else:
                parsed.filiere_ids.add(filiere.pk)

    raw_segments = cell_text(cell("segments"))
    if raw_segments:
        parsed.segment_ids = set()
        for part in split_list(raw_segments):
            segment = lookups.segments.get(lookup_key(part))
            if segment is None:
                errors.append(f"segment inconnu : « {part} ».")
            else:
                parsed.segment_ids.add(segment.pk)
                # A segment belongs to its filière: the actor is then in that filière too.
                parsed.filiere_ids = (parsed.filiere_ids or set()) | {segment.filiere_id}

    raw_agrements = cell_text(cell("agrements"))
    if raw_agrements:
        for part in split_list(raw_agrements):
            key = lookup_key(part)
            if key == "siae":
                errors.append(
                    "agrément SIAE sans son type : écrivez SIAE-ACI, SIAE-EI, SIAE-ETTI, SIAE-AI ou SIAE-EITI."
                )
            elif key in AGREMENT_TOKENS:
                if AGREMENT_TOKENS[key] not in parsed.agrements:
                    parsed.agrements.append(AGREMENT_TOKENS[key])
            else:
                errors.append(f"agrément inconnu : « {part} » (ESUS, SIAE-ACI, SIAE-EI…, EA ou ESAT).")
    return parsed


def _parse_year(raw) -> int | None:
    if isinstance(raw, datetime | date):
        return raw.year
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return int(raw) if float(raw).is_integer() else None
    text = cell_text(raw)
    match = re.fullmatch(r"(?:\d{1,2}[/.-]\d{1,2}[/.-])?(\d{4})(?:[/.-]\d{1,2}[/.-]\d{1,2})?", text)
    return int(match.group(1)) if match else None


# --- Analysis: what the import would do -------------------------------------------------------------------

SCALAR_FIELDS = ["name", "legal_form", "address", "postal_code", "fte", "founded_year", "website", "description"]


@dataclass
class Analysis:
    rows: list[ParsedRow]
    existing: dict  # SIRET → Actor
    filieres_of: dict  # actor id → set of filière ids
    segments_of: dict
    agrement_kinds_of: dict  # actor id → set of kinds

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict:
        return {action: self.count(action) for action in (CREATE, UPDATE, UNCHANGED, REJECTED)}


def _chunks(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def analyse(actor_import: ActorImport, *, progress: Callable[[int, str], None] | None = None) -> Analysis:
    """Read and validate every row, then compare the valid ones with the registry (by SIRET). No writes."""
    lookups = Lookups()
    mapping = {key: int(column) for key, column in actor_import.mapping.items()}
    rows: list[ParsedRow] = []
    first_line_of: dict[str, int] = {}
    total = max(actor_import.row_count, 1)
    for line, cells in read_table(actor_import):
        parsed = parse_row(line, cells, mapping, lookups)
        if parsed.siret and "siret" in parsed.values:
            first_line = first_line_of.setdefault(parsed.siret, line)
            if first_line != line:
                parsed.errors.append(f"SIRET {parsed.siret} déjà présent ligne {first_line} du fichier.")
        rows.append(parsed)
        if progress and len(rows) % 1000 == 0:
            progress(min(40, 40 * len(rows) // total), f"Lecture du fichier : {len(rows)} lignes sur {total}")

    valid_sirets = [row.siret for row in rows if not row.errors]
    existing: dict[str, Actor] = {}
    for chunk in _chunks(valid_sirets):
        existing.update({actor.siret: actor for actor in Actor.objects.filter(siret__in=chunk)})
    ids = [actor.pk for actor in existing.values()]
    filieres_of: dict[int, set] = {pk: set() for pk in ids}
    segments_of: dict[int, set] = {pk: set() for pk in ids}
    agrement_kinds_of: dict[int, set] = {pk: set() for pk in ids}
    for chunk in _chunks(ids):
        for actor_id, filiere_id in Actor.filieres.through.objects.filter(actor_id__in=chunk).values_list(
            "actor_id", "filiere_id"
        ):
            filieres_of[actor_id].add(filiere_id)
        for actor_id, segment_id in Actor.segments.through.objects.filter(actor_id__in=chunk).values_list(
            "actor_id", "segment_id"
        ):
            segments_of[actor_id].add(segment_id)
        for actor_id, kind in Agrement.objects.filter(actor_id__in=chunk).values_list("actor_id", "kind"):
            agrement_kinds_of[actor_id].add(kind)

    analysis = Analysis(rows, existing, filieres_of, segments_of, agrement_kinds_of)
    for row in rows:
        if row.errors:
            row.action = REJECTED
            continue
        actor = existing.get(row.siret)
        if actor is None:
            row.action = CREATE
            continue
        row.changed = _changes(row, actor, analysis)
        row.action = UPDATE if row.changed else UNCHANGED
    return analysis


def _changes(row: ParsedRow, actor: Actor, analysis: Analysis) -> list[str]:
    changed = [name for name in SCALAR_FIELDS if name in row.values and getattr(actor, name) != row.values[name]]
    if row.values["commune"].pk != actor.commune_id:
        changed.append("commune")
    if row.filiere_ids is not None and row.filiere_ids != analysis.filieres_of[actor.pk]:
        changed.append("filieres")
    if row.segment_ids is not None and row.segment_ids != analysis.segments_of[actor.pk]:
        changed.append("segments")
    if any(kind not in analysis.agrement_kinds_of[actor.pk] for kind, _ in row.agrements):
        changed.append("agrements")
    return changed


# --- Steps called by the views ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """An uploaded CSV/XLSX file read once: its bytes, format, header row and number of non-blank data rows."""

    data: bytes
    source: SourceFormat
    headers: list[str]
    row_count: int


def read_upload(uploaded, *, max_size: int) -> Upload:
    """Check the size and the type by content of an uploaded file and read its header row and row count; raise
    ImportFileError with a French message. Shared by the actor import and the purchases import."""
    if uploaded.size > max_size:
        raise ImportFileError(
            f"Le fichier pèse {uploaded.size / 1024 / 1024:.1f} Mo : la limite est de "
            f"{max_size // (1024 * 1024)} Mo. Découpez-le en plusieurs fichiers."
        )
    data = uploaded.read()
    source = detect_format(data)
    headers: list[str] = []
    row_count = 0
    for line, row in enumerate(iter_rows(io.BytesIO(data), source), start=1):
        if line == 1:
            headers = clean_headers(row)
        elif not is_blank(row):
            row_count += 1
    return Upload(data=data, source=source, headers=headers, row_count=row_count)


def create_import(*, uploaded, by) -> ActorImport:
    """Check the uploaded file, store it privately and propose a column mapping; raise ImportFileError."""
    upload = read_upload(uploaded, max_size=max_file_size())
    data, source, headers, row_count = upload.data, upload.source, upload.headers, upload.row_count
    if len([header for header in headers if header]) < 2:
        raise ImportFileError(
            "La première ligne du fichier doit contenir les intitulés des colonnes (au moins la raison sociale, "
            "le SIRET, la forme juridique et la commune), séparés par des points-virgules ou des virgules."
        )
    if row_count == 0:
        raise ImportFileError("Le fichier ne contient aucune ligne d’acteur sous la ligne des intitulés.")
    actor_import = ActorImport(
        original_name=(uploaded.name or "fichier")[-255:],
        file_format=source.file_format,
        encoding=source.encoding,
        delimiter=source.delimiter,
        headers=headers,
        row_count=row_count,
        mapping={key: column for key, column in propose_mapping(headers).items()},
        created_by=by,
    )
    extension = "xlsx" if source.file_format == ActorImport.FileFormat.XLSX else "csv"
    actor_import.file.save(f"import-acteurs-{timezone.now():%Y%m%d-%H%M%S}.{extension}", ContentFile(data), save=False)
    actor_import.save()
    return actor_import


def build_preview(*, actor_import: ActorImport, mapping: dict[str, int]) -> ActorImport:
    """Validate every row with the chosen mapping and store the counts, the rejected rows and a sample."""
    actor_import.mapping = mapping
    analysis = analyse(actor_import)
    counts = analysis.counts
    valid_rows = [row for row in analysis.rows if row.action != REJECTED]
    actor_import.preview = {
        "counts": counts,
        "valid": len(valid_rows),
        "rejected_rows": _rejected_rows(analysis),
        "sample": [
            {
                "line": row.line,
                "siret": row.siret,
                "name": row.name,
                "commune": row.commune_name,
                "action": PREVIEW_LABELS[row.action],
            }
            for row in valid_rows[:PREVIEW_SAMPLE_SIZE]
        ],
        "warning": SourceFormat(actor_import.file_format, actor_import.encoding).warning,
    }
    actor_import.status = ActorImportStatus.PREVIEWED
    actor_import.save(update_fields=["mapping", "preview", "status"])
    return actor_import


def _rejected_rows(analysis: Analysis) -> list[dict]:
    return [
        {"line": row.line, "siret": row.siret, "name": row.name, "errors": row.errors}
        for row in analysis.rows
        if row.action == REJECTED
    ]


def confirm_import(*, actor_import: ActorImport, by):
    """Run a small import now, or hand a large one to a background job; returns the job or None."""
    from ess_portal.jobs.enums import JobKind
    from ess_portal.jobs.services import request_job

    if actor_import.row_count <= inline_max_rows():
        run_import(actor_import=actor_import, by=by)
        return None
    with transaction.atomic():
        locked = ActorImport.objects.select_for_update().get(pk=actor_import.pk)
        if not locked.can_be_confirmed:
            return locked.job
        job = request_job(
            kind=JobKind.ACTOR_IMPORT,
            parameters={"import_id": actor_import.pk, "user_id": by.pk},
            requested_by=by,
            idempotency_key=f"{JobKind.ACTOR_IMPORT}:{actor_import.pk}",
        )
        locked.job = job
        locked.status = ActorImportStatus.QUEUED
        locked.save(update_fields=["job", "status"])
    actor_import.refresh_from_db()
    return job


def run_import(*, actor_import: ActorImport, by, progress: Callable[[int, str], None] | None = None) -> ActorImport:
    """Import the file: every valid row written in one transaction, then the report. Idempotent.

    A second run of the same import (double click, job retried after a crash) finds it done and does nothing.
    """
    progress = progress or (lambda percent, message: None)
    if ActorImport.objects.filter(pk=actor_import.pk, status=ActorImportStatus.DONE).exists():
        actor_import.refresh_from_db()
        return actor_import
    analysis = analyse(actor_import, progress=progress)
    progress(45, f"Enregistrement de {analysis.count(CREATE) + analysis.count(UPDATE)} acteurs")
    geocode_ids: list[int] = []
    with transaction.atomic():
        locked = ActorImport.objects.select_for_update().get(pk=actor_import.pk)
        if locked.status == ActorImportStatus.DONE:
            actor_import.refresh_from_db()
            return actor_import
        reason = f"Import nº {actor_import.pk} ({actor_import.original_name})"[:100]
        geocode_ids = _write(analysis, by=by, reason=reason)
        counts = analysis.counts
        locked.created_count = counts[CREATE]
        locked.updated_count = counts[UPDATE]
        locked.unchanged_count = counts[UNCHANGED]
        locked.rejected_count = counts[REJECTED]
        locked.rejected_rows = _rejected_rows(analysis)
        locked.status = ActorImportStatus.DONE
        locked.error_message = ""
        locked.finished_at = timezone.now()
        locked.report_file.save(f"rapport-import-{locked.pk}.csv", ContentFile(report_csv(analysis)), save=False)
        locked.save()
        if geocode_ids and getattr(settings, "ACTOR_IMPORT_GEOCODE", True):
            transaction.on_commit(lambda: enqueue_geocoding(geocode_ids))
    progress(100, "Import terminé")
    actor_import.refresh_from_db()
    return actor_import


def enqueue_geocoding(actor_ids: list[int]) -> None:
    from actors.tasks import geocode_actor

    for actor_id in actor_ids:
        geocode_actor.delay(actor_id)


def mark_failed(*, actor_import: ActorImport, message: str) -> None:
    ActorImport.objects.filter(pk=actor_import.pk).exclude(status=ActorImportStatus.DONE).update(
        status=ActorImportStatus.FAILED, error_message=message
    )


def _write(analysis: Analysis, *, by, reason: str) -> list[int]:
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
        for chunk in _chunks(params):
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
        for chunk in _chunks(list(to_replace)):
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
        for chunk in _chunks(list(record_of)):
            for through_id, actor_id, target_id in through.objects.filter(actor_id__in=chunk).values_list(
                "id", "actor_id", target
            ):
                snapshot.append(
                    m2m_history_model(
                        history=record_of[actor_id], id=through_id, actor_id=actor_id, **{target: target_id}
                    )
                )
        m2m_history_model.objects.bulk_create(snapshot, batch_size=BATCH_SIZE)


def report_csv(analysis: Analysis) -> bytes:
    """One line per row of the file: what was done and why (UTF-8 with BOM, « ; », as spreadsheets expect)."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Ligne", "SIRET", "Raison sociale", "Résultat", "Motifs du rejet"])
    for row in analysis.rows:
        writer.writerow([row.line, row.siret, row.name, ACTION_LABELS[row.action], " ".join(row.errors)])
    return codecs.BOM_UTF8 + output.getvalue().encode("utf-8")
