"""Tabular exports (CSV, XLSX, ODS) written in constant memory, whatever the number of rows.

Every helper takes a header (list of column titles) and an iterable of rows (sequences of plain values:
`str`, `int`, `Decimal`, `float`, `bool`, `date`, `datetime` or `None`), consumed once, lazily:

- `csv_streaming_response(filename, header, rows)`: UTF-8 with BOM, `;` separator, decimal comma (what a
  French spreadsheet opens without an import dialog), streamed to the client row by row;
- `write_xlsx(path_or_file, header, rows)`: openpyxl's write-only mode (rows go to a temporary file);
- `write_ods(file, header, rows)`: an OpenDocument spreadsheet whose `content.xml` is written row by row
  straight into the zip entry.
"""

import csv
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS_CONTENT_TYPE = "application/vnd.oasis.opendocument.spreadsheet"

BOM = "\ufeff"
# A cell starting like a formula is run by spreadsheets (CSV injection); a phone number such as
# « +33 5 56 … » is harmless and left alone.
FORMULA_START = re.compile(r"^[=@\t\r]|^[+-](?![\d\s.()]*$)")

Row = Sequence[object]


def id_set(ids: list[int]):
    """The right-hand side of an `__in` filter on many ids read by chunks for an export: on PostgreSQL one array
    parameter (`IN (SELECT unnest(%s))`), which the database and psycopg handle three times faster than thousands of
    separate parameters; elsewhere the plain list."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])
    return ids


def _naive(value: datetime) -> datetime:
    """Spreadsheets have no time zones: local (Paris) time, without tzinfo."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def _text(value: str) -> str:
    return f"'{value}" if FORMULA_START.match(value) else value


def csv_value(value) -> str:
    if type(value) is str:  # most cells: skip the checks below
        return _text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, datetime):
        return _naive(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return _text(str(value))


class _Echo:
    """A file-like object whose `write` hands the line back, so csv.writer feeds a generator."""

    def write(self, value):
        return value


def iter_csv(header: Sequence[str], rows: Iterable[Row]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_value(value) for value in row])


def csv_streaming_response(filename: str, header: Sequence[str], rows: Iterable[Row]) -> StreamingHttpResponse:
    """A CSV download streamed row by row: memory does not grow with the number of rows."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in iter_csv(header, rows)), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _xlsx_value(sheet, value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return _naive(value)
    if isinstance(value, str) and value.startswith("="):
        # Forced to a text cell: openpyxl would store « =… » as a formula.
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


def write_xlsx(path_or_file, header: Sequence[str], rows: Iterable[Row], *, title: str = "Export") -> None:
    """Write an XLSX workbook with openpyxl's write-only mode (constant memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
    workbook.save(path_or_file)


ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
ODS_MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{ODS_MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'office:version="1.2"'
)
ODS_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {ODS_NAMESPACES}><office:styles/></office:document-styles>
"""
# Date cells need a data style to show as dates rather than day numbers.
ODS_AUTOMATIC_STYLES = (
    "<office:automatic-styles>"
    '<number:date-style style:name="N-date"><number:day number:style="long"/><number:text>/</number:text>'
    '<number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/>'
    "</number:date-style>"
    '<number:date-style style:name="N-datetime"><number:day number:style="long"/><number:text>/</number:text>'
    '<number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/>'
    '<number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text>'
    '<number:minutes number:style="long"/></number:date-style>'
    '<style:style style:name="ce-date" style:family="table-cell" style:data-style-name="N-date"/>'
    '<style:style style:name="ce-datetime" style:family="table-cell" style:data-style-name="N-datetime"/>'
    "</office:automatic-styles>"
)
# XML 1.0 forbids most control characters, which may hide in pasted text.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _ods_text_cell(text: str) -> str:
    text = XML_INVALID.sub("", text)
    return f'<table:table-cell office:value-type="string"><text:p>{escape(text)}</text:p></table:table-cell>'


def ods_cell(value) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        return _ods_text_cell("oui" if value else "non")
    if isinstance(value, int | float | Decimal):
        number = f"{value:f}" if isinstance(value, Decimal) else repr(value)
        return f'<table:table-cell office:value-type="float" office:value="{number}"/>'
    if isinstance(value, datetime):
        stamp = _naive(value).isoformat()
        return (
            f'<table:table-cell table:style-name="ce-datetime" office:value-type="date" '
            f"office:date-value={quoteattr(stamp)}/>"
        )
    if isinstance(value, date):
        return (
            f'<table:table-cell table:style-name="ce-date" office:value-type="date" '
            f'office:date-value="{value.isoformat()}"/>'
        )
    return _ods_text_cell(str(value))


def write_ods(file, header: Sequence[str], rows: Iterable[Row], *, title: str = "Export") -> None:
    """Write an OpenDocument spreadsheet to `file` (a path or a seekable binary file), row by row.

    The zip holds `mimetype` (first and uncompressed, as the format requires), `META-INF/manifest.xml`,
    `styles.xml` and `content.xml`, the latter streamed into its (deflated) zip entry.
    """
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        archive.writestr("styles.xml", ODS_STYLES)
        with archive.open("content.xml", "w", force_zip64=True) as content:
            content.write(
                (
                    '<?xml version="1.0" encoding="UTF-8"?>\n'
                    f"<office:document-content {ODS_NAMESPACES}>{ODS_AUTOMATIC_STYLES}"
                    f"<office:body><office:spreadsheet><table:table table:name={quoteattr(title)}>"
                    f'<table:table-column table:number-columns-repeated="{len(header)}"/>'
                ).encode()
            )
            content.write(_ods_row(header))
            for row in rows:
                content.write(_ods_row(row))
            content.write(b"</table:table></office:spreadsheet></office:body></office:document-content>")


def _ods_row(values: Row) -> bytes:
    return ("<table:table-row>" + "".join(ods_cell(value) for value in values) + "</table:table-row>").encode()


SPREADSHEET_WRITERS = {"xlsx": (write_xlsx, XLSX_CONTENT_TYPE), "ods": (write_ods, ODS_CONTENT_TYPE)}
EXPORT_FORMATS = ("csv", *SPREADSHEET_WRITERS)


def export_response(filename: str, header: Sequence[str], rows: Iterable[Row], *, export_format: str, title: str):
    """The download of a list in the portal's CSV (streamed), XLSX or ODS (written in constant memory to a temporary
    file): one call for every register's export."""
    if export_format == "csv":
        return csv_streaming_response(filename, header, rows)
    writer, content_type = SPREADSHEET_WRITERS[export_format]
    output = tempfile.TemporaryFile(suffix=f".{export_format}")
    writer(output, header, rows, title=title)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=filename, content_type=content_type)
