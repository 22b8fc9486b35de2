import io
import tracemalloc
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.etree import ElementTree

from openpyxl import load_workbook

from ess_portal.exports import csv_streaming_response, write_ods, write_xlsx

HEADER = ["nom", "montant", "date", "actif"]
ROWS = [
    ["Café <solidaire> & co", Decimal("12.5"), date(2024, 3, 1), True],
    ['=HYPERLINK("http://evil")', 3, None, False],
    ["Ligne « accentuée » ; avec séparateur", 0.25, datetime(2024, 3, 1, 14, 30), None],
]
NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def read_ods(data: bytes) -> list[list[tuple[str | None, str]]]:
    """(value type, value or text) for each cell of the first table."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        ElementTree.fromstring(archive.read("META-INF/manifest.xml"))
        root = ElementTree.fromstring(archive.read("content.xml"))
    rows = []
    for row in root.iterfind(".//table:table-row", NS):
        cells = []
        for cell in row.iterfind("table:table-cell", NS):
            value_type = cell.get(f"{{{NS['office']}}}value-type")
            if value_type == "float":
                cells.append((value_type, cell.get(f"{{{NS['office']}}}value")))
            elif value_type == "date":
                cells.append((value_type, cell.get(f"{{{NS['office']}}}date-value")))
            else:
                cells.append((value_type, "".join(cell.itertext())))
        rows.append(cells)
    return rows


def test_csv_is_utf8_with_bom_semicolons_and_decimal_commas():
    response = csv_streaming_response("export.csv", HEADER, iter(ROWS))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="export.csv"'
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "nom;montant;date;actif"
    assert lines[1] == "Café <solidaire> & co;12,5;01/03/2024;oui"
    # A formula is neutralised (CSV injection).
    assert lines[2] == '"\'=HYPERLINK(""http://evil"")";3;;non'
    assert lines[3] == '"Ligne « accentuée » ; avec séparateur";0,25;01/03/2024 14:30;'


def test_csv_keeps_phone_numbers_as_they_are():
    response = csv_streaming_response("export.csv", ["téléphone"], [["+33 5 56 00 00 00"], ["-Moins"]])
    lines = b"".join(response.streaming_content).decode("utf-8-sig").split("\r\n")
    assert lines[1:3] == ["+33 5 56 00 00 00", "'-Moins"]


def test_xlsx_reads_back_with_typed_cells_and_no_formula():
    output = io.BytesIO()
    write_xlsx(output, HEADER, iter(ROWS), title="Acteurs")
    output.seek(0)
    sheet = load_workbook(output)["Acteurs"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert rows[1] == ["Café <solidaire> & co", 12.5, datetime(2024, 3, 1), "oui"]
    assert rows[2] == ['=HYPERLINK("http://evil")', 3, None, "non"]
    assert rows[3][3] is None and rows[3][2] == datetime(2024, 3, 1, 14, 30)


def test_ods_is_a_valid_opendocument_with_escaped_text_and_typed_numbers():
    output = io.BytesIO()
    write_ods(output, HEADER, iter(ROWS), title="Acteurs")
    rows = read_ods(output.getvalue())
    assert rows[0] == [("string", name) for name in HEADER]
    assert rows[1] == [
        ("string", "Café <solidaire> & co"),
        ("float", "12.5"),
        ("date", "2024-03-01"),
        ("string", "oui"),
    ]
    assert rows[2][1] == ("float", "3")
    assert rows[2][2] == (None, "")
    assert rows[3][2] == ("date", "2024-03-01T14:30:00")


def test_ods_drops_control_characters_that_xml_forbids():
    output = io.BytesIO()
    write_ods(output, ["texte"], [["bip\x07 fin"]])
    assert read_ods(output.getvalue())[1] == [("string", "bip fin")]


def _rows(count):
    for number in range(count):
        yield [f"Structure {number}", Decimal(number) / 10, date(2024, 1, 1), number % 2 == 0, "x" * 40]


def _peak_memory(write, count) -> int:
    tracemalloc.start()
    try:
        write(count)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_ods_and_xlsx_writers_use_flat_memory_whatever_the_number_of_rows(tmp_path):
    def ods(count):
        with open(tmp_path / f"{count}.ods", "wb") as output:
            write_ods(output, ["a", "b", "c", "d", "e"], _rows(count))

    def xlsx(count):
        write_xlsx(tmp_path / f"{count}.xlsx", ["a", "b", "c", "d", "e"], _rows(count))

    for write in (ods, xlsx):
        small, large = _peak_memory(write, 500), _peak_memory(write, 5_000)
        # Ten times the rows, not ten times the memory.
        assert large < small * 1.5, (write.__name__, small, large)
