"""Reading an uploaded file: its size, its type told by content, its encoding and delimiter, its rows.

Also used by the purchases import (procurement.spend.importing) and the CPV import (procurement.cpv.importing)."""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from openpyxl import load_workbook

from actors.models import ActorImport

MAX_FILE_SIZE = 20 * 1024 * 1024
XLSX_MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)


def max_file_size() -> int:
    return getattr(settings, "ACTOR_IMPORT_MAX_FILE_SIZE", MAX_FILE_SIZE)


class ImportFileError(Exception):
    """A file that cannot be imported; the message (in French) is shown to the staff member."""


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


def clean_headers(row: list) -> list[str]:
    headers = [cell_text(cell) for cell in row]
    while headers and not headers[-1]:
        headers.pop()
    return headers


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
