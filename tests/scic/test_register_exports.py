"""The register's XLSX and ODS exports: the CSV's rows and columns, opened back; formula-like names stay text."""

import datetime
import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from scic.views import REGISTER_COLUMNS
from tests.scic.factories import PublicHoldingFactory, ScicFactory, ShareMovementFactory

pytestmark = pytest.mark.django_db
NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
HEADER = [title for title, _ in REGISTER_COLUMNS]


def ods_rows(data: bytes) -> list[list[tuple[str | None, str | None]]]:
    """(value type, value or text) of each cell of the first table of an ODS file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        root = ElementTree.fromstring(archive.read("content.xml"))
    rows = []
    for row in root.iterfind(".//table:table-row", NS):
        cells = []
        for cell in row.iterfind("table:table-cell", NS):
            value_type = cell.get(f"{{{NS['office']}}}value-type")
            if value_type == "float":
                cells.append((value_type, cell.get(f"{{{NS['office']}}}value")))
            else:
                cells.append((value_type, "".join(cell.itertext())))
        rows.append(cells)
    return rows


@pytest.fixture
def scic():
    scic = ScicFactory(actor__name="Coop Vélo Bordeaux", capital=Decimal("100000"))
    ShareMovementFactory(scic=scic, shares=100, nominal=Decimal("50"), moved_on=datetime.date(2024, 3, 1))
    PublicHoldingFactory(scic=scic, amount=Decimal("10000"), held_from=datetime.date(2023, 1, 1))
    return scic


def test_the_xlsx_export_has_the_csv_columns_and_one_row_per_scic(client, staff_user, scic):
    client.force_login(staff_user)

    response = client.get(reverse("scic:register_export_xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) == 2
    assert list(rows[1]) == [
        "Coop Vélo Bordeaux",
        scic.actor.siret,
        scic.actor.commune.name,
        105000,
        100,
        5000,
        4.8,
        10000,
        14.3,
        "2023/001",
    ]


def test_the_ods_export_has_the_csv_columns_and_one_row_per_scic(client, partner_user, scic):
    client.force_login(partner_user)

    response = client.get(reverse("scic:register_export_ods"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    rows = ods_rows(b"".join(response.streaming_content))
    assert [text for _, text in rows[0]] == HEADER
    assert len(rows) == 2
    assert rows[1][0] == ("string", "Coop Vélo Bordeaux")
    assert rows[1][3:9] == [
        ("float", "105000.00"),
        ("float", "100"),
        ("float", "5000.00"),
        ("float", "4.8"),
        ("float", "10000.00"),
        ("float", "14.3"),
    ]


def test_the_spreadsheets_follow_the_register_filters(client, staff_user, scic):
    ScicFactory(actor__name="Coop d’ailleurs", actor__commune__insee_code="33318")
    client.force_login(staff_user)

    response = client.get(reverse("scic:register_export_ods"), {"commune": "33318"})

    rows = ods_rows(b"".join(response.streaming_content))
    assert [row[0][1] for row in rows[1:]] == ["Coop d’ailleurs"]


@pytest.mark.parametrize("name", ["=1+1", "+SOMME(A1)", "-2+3", "@cmd"])
def test_a_formula_like_name_stays_text_in_both_spreadsheets(client, staff_user, name):
    ScicFactory(actor__name=name)
    client.force_login(staff_user)

    csv = b"".join(client.get(reverse("scic:register_export")).streaming_content).decode("utf-8-sig")
    xlsx = client.get(reverse("scic:register_export_xlsx"))
    cell = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active["A2"]
    ods = ods_rows(b"".join(client.get(reverse("scic:register_export_ods")).streaming_content))

    # CSV has no cell types: the value is prefixed with an apostrophe; the spreadsheets type it as text.
    assert csv.splitlines()[1].startswith(f"'{name};")
    assert (cell.data_type, cell.value) == ("s", name)
    assert ods[1][0] == ("string", name)


@pytest.mark.parametrize("url_name", ["scic:register_export_xlsx", "scic:register_export_ods"])
@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PROCUREMENT])
def test_the_spreadsheets_are_refused_to_users_outside_the_register(client, user_with_role, url_name, role):
    client.force_login(user_with_role(role))

    assert client.get(reverse(url_name)).status_code == 403
