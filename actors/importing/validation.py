"""Validation of every row of the file, and the analysis of what the import would do (no writes)."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from stdnum import exceptions as stdnum_errors
from stdnum.fr import siret as siret_check

from actors.enums import AgrementKind, LegalForm, SiaeType
from actors.importing.mapping import header_key
from actors.importing.reading import cell_text, read_table
from actors.models import Actor, ActorImport, Agrement, Commune
from filieres.models import Filiere, Segment

BATCH_SIZE = 500
CREATE, UPDATE, UNCHANGED, REJECTED = "create", "update", "unchanged", "rejected"


# --- Cell values ------------------------------------------------------------------------------------------


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


def chunks(items: list, size: int = BATCH_SIZE):
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
    for chunk in chunks(valid_sirets):
        existing.update({actor.siret: actor for actor in Actor.objects.filter(siret__in=chunk)})
    ids = [actor.pk for actor in existing.values()]
    filieres_of: dict[int, set] = {pk: set() for pk in ids}
    segments_of: dict[int, set] = {pk: set() for pk in ids}
    agrement_kinds_of: dict[int, set] = {pk: set() for pk in ids}
    for chunk in chunks(ids):
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
