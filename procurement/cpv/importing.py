"""Import of the official CPV 2008 list (the EU's XLSX: a `CODE` column such as « 03000000-1 » and one label
column per language) into `CpvCode`: codes stored as their significant digits, French labels, parents linked.

An administrator uploads the workbook, reads the preview (new, updated, unchanged and invalid rows with the reason),
then confirms: every valid row is written in one transaction. `manage.py import_cpv <file.xlsx>` does the same.
"""

import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from openpyxl import load_workbook

from actors.importing.reading import ImportFileError, detect_format
from actors.models import ActorImport
from procurement.cpv.models import CpvCode, significant_cpv_digits

MAX_FILE_SIZE = 20 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
LABEL_MAX_LENGTH = CpvCode._meta.get_field("label").max_length
OFFICIAL_CODE = re.compile(r"(\d{8})(?:-(\d))?")

NEW, UPDATED, UNCHANGED, INVALID = "new", "updated", "unchanged", "invalid"


class CpvFileError(ImportFileError):
    """A workbook that cannot be read as the CPV list; the message (in French) is shown to the administrator."""


def significant_code(raw) -> str:
    """« 45000000-7 » → « 45 », « 90511000-2 » → « 90511 »: no check digit, no trailing zeros, at least the
    2-digit division. Raises ValueError when the text is not an 8-digit CPV code."""
    if isinstance(raw, int):
        raw = f"{raw:08d}"
    match = OFFICIAL_CODE.fullmatch("".join(str(raw).split()))
    if match is None:
        raise ValueError(raw)
    return significant_cpv_digits(match[1])


def header_key(value) -> str:
    """« Code », « CODE  », « fr » → « CODE », « FR »: the official file's headers whatever their case or spaces."""
    return "".join(str(value or "").split()).upper()


@dataclass
class CpvRow:
    line: int
    raw_code: str
    label: str
    code: str = ""
    action: str = ""
    reason: str = ""


@dataclass
class CpvAnalysis:
    rows: list[CpvRow]
    parents: dict[str, str | None] = field(default_factory=dict)  # code → parent code, after the import
    relinked: int = 0  # codes already stored but absent from the file whose parent changes

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in (NEW, UPDATED, UNCHANGED, INVALID)}

    @property
    def invalid_rows(self) -> list[CpvRow]:
        return [row for row in self.rows if row.action == INVALID]


def read_workbook(data: bytes) -> list[tuple[int, object, object]]:
    """The (line, code, French label) of every non-blank row under the header row of the sheet holding the
    `CODE` and `FR` columns. Checks the file is a real XLSX workbook by its content."""
    if len(data) > MAX_FILE_SIZE:
        raise CpvFileError(
            f"Le fichier pèse {len(data) / 1024 / 1024:.1f} Mo : la limite est de {MAX_FILE_SIZE // (1024 * 1024)} Mo."
        )
    if detect_format(data).file_format != ActorImport.FileFormat.XLSX:
        raise CpvFileError("Ce fichier n’est pas un classeur Excel (.xlsx) : déposez le fichier XLSX officiel.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on a damaged workbook
        raise CpvFileError("Le classeur Excel n’a pas pu être lu : il est peut-être endommagé.") from error
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            for line, row in enumerate(rows, start=1):
                if line > HEADER_SEARCH_ROWS:
                    break
                keys = [header_key(cell) for cell in row]
                if "CODE" in keys and "FR" in keys:
                    code_index, label_index = keys.index("CODE"), keys.index("FR")
                    result = []
                    for data_line, cells in enumerate(rows, start=line + 1):
                        cells = list(cells) + [None] * (max(code_index, label_index) + 1 - len(cells))
                        if all(cell is None or str(cell).strip() == "" for cell in cells):
                            continue
                        result.append((data_line, cells[code_index], cells[label_index]))
                    return result
    finally:
        workbook.close()
    raise CpvFileError(
        "Aucune feuille du classeur n’a de colonnes « CODE » et « FR » : déposez la nomenclature CPV officielle "
        "(fichier XLSX publié par l’Union européenne, une colonne par langue)."
    )


def analyse(data: bytes) -> CpvAnalysis:
    """Validate every row and compare it with the stored codes; writes nothing."""
    rows: list[CpvRow] = []
    first_line_of: dict[str, int] = {}
    for line, raw_code, raw_label in read_workbook(data):
        row = CpvRow(line=line, raw_code=str(raw_code or "").strip(), label=" ".join(str(raw_label or "").split()))
        rows.append(row)
        if not row.raw_code:
            row.action, row.reason = INVALID, "Code manquant."
            continue
        try:
            row.code = significant_code(raw_code)
        except ValueError:
            row.action = INVALID
            row.reason = (
                f"Code « {row.raw_code} » invalide : 8 chiffres et le chiffre de contrôle attendus (ex. 45000000-7)."
            )
            continue
        if not row.label:
            row.action, row.reason = INVALID, "Libellé français (colonne FR) manquant."
            continue
        if len(row.label) > LABEL_MAX_LENGTH:
            row.action = INVALID
            row.reason = f"Libellé trop long ({len(row.label)} caractères, {LABEL_MAX_LENGTH} au plus)."
            continue
        first_line = first_line_of.setdefault(row.code, line)
        if first_line != line:
            row.action, row.reason = INVALID, f"Code déjà présent ligne {first_line} du fichier."
    if not rows:
        raise CpvFileError("Le classeur ne contient aucun code sous la ligne des intitulés « CODE » et « FR ».")

    existing = {
        code: (label, parent) for code, label, parent in CpvCode.objects.values_list("code", "label", "parent__code")
    }
    valid = [row for row in rows if not row.action]
    all_codes = set(existing) | {row.code for row in valid}
    parents = {code: _longest_prefix(code, all_codes) for code in all_codes}
    for row in valid:
        if row.code not in existing:
            row.action = NEW
        elif existing[row.code] != (row.label, parents[row.code]):
            row.action = UPDATED
        else:
            row.action = UNCHANGED
    in_file = {row.code for row in valid}
    relinked = sum(1 for code, (_, parent) in existing.items() if code not in in_file and parents[code] != parent)
    return CpvAnalysis(rows=rows, parents=parents, relinked=relinked)


def _longest_prefix(code: str, codes: set[str]) -> str | None:
    return next((code[:length] for length in range(len(code) - 1, 1, -1) if code[:length] in codes), None)


@transaction.atomic
def import_codes(analysis: CpvAnalysis) -> dict[str, int]:
    """Write every valid row (new codes, new labels), then link each code to its longest stored prefix."""
    to_create = [CpvCode(code=row.code, label=row.label) for row in analysis.rows if row.action == NEW]
    CpvCode.objects.bulk_create(to_create, batch_size=1000)
    labels = {row.code: row.label for row in analysis.rows if row.action == UPDATED}
    stored = {cpv.code: cpv for cpv in CpvCode.objects.select_for_update()}
    changed_labels = []
    for code, label in labels.items():
        if stored[code].label != label:
            stored[code].label = label
            changed_labels.append(stored[code])
    CpvCode.objects.bulk_update(changed_labels, ["label"], batch_size=1000)
    relinked = []
    codes = set(stored)
    for code, cpv in stored.items():
        parent_code = _longest_prefix(code, codes)
        parent_id = stored[parent_code].pk if parent_code else None
        if cpv.parent_id != parent_id:
            cpv.parent_id = parent_id
            relinked.append(cpv)
    CpvCode.objects.bulk_update(relinked, ["parent"], batch_size=1000)
    return analysis.counts
