"""The leases' XLSX and ODS exports: the CSV's rows and columns (one row per lease and year of in-kind aid),
opened back; formula-like names stay text; readers of the foncière only."""

import datetime
import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from fonciere.views import CSV_HEADER
from tests.fonciere.factories import LeaseFactory

pytestmark = pytest.mark.django_db
NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}


def ods_rows(data: bytes) -> list[list[tuple[str | None, str | None]]]:
    """(value type, value, date or text) of each cell of the first table of an ODS file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        root = ElementTree.fromstring(archive.read("content.xml"))
    office = f"{{{NS['office']}}}"
    rows = []
    for row in root.iterfind(".//table:table-row", NS):
        cells = []
        for cell in row.iterfind("table:table-cell", NS):
            value_type = cell.get(f"{office}value-type")
            if value_type == "float":
                cells.append((value_type, cell.get(f"{office}value")))
            elif value_type == "date":
                cells.append((value_type, cell.get(f"{office}date-value")))
            else:
                cells.append((value_type, "".join(cell.itertext())))
        rows.append(cells)
    return rows


@pytest.fixture
def lease():
    return LeaseFactory(
        property__name="Halle des Possibles",
        occupant__name="Recyclerie du Bec",
        surface=Decimal("50"),
        rent=Decimal("100"),
        market_rent=Decimal("160"),
        starts_on=datetime.date(2024, 7, 1),
        ends_on=datetime.date(2025, 6, 30),
    )


def test_the_xlsx_export_has_one_row_per_lease_and_year_like_the_csv(client, staff_user, lease):
    client.force_login(staff_user)

    response = client.get(reverse("fonciere:lease_export_xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert list(rows[0]) == CSV_HEADER
    assert [row[-2:] for row in rows[1:]] == [(2024, 1508.2), (2025, 1487.67)]
    assert list(rows[1][:11]) == [
        lease.pk,
        "Halle des Possibles",
        lease.property.commune.name,
        "Recyclerie du Bec",
        lease.occupant.siret,
        50,
        datetime.datetime(2024, 7, 1),
        datetime.datetime(2025, 6, 30),
        100,
        160,
        datetime.datetime(2024, 12, 15),
    ]


def test_the_ods_export_has_one_row_per_lease_and_year_like_the_csv(client, elected_user, lease):
    client.force_login(elected_user)

    response = client.get(reverse("fonciere:lease_export_ods"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    rows = ods_rows(b"".join(response.streaming_content))
    assert [text for _, text in rows[0]] == CSV_HEADER
    assert [row[-2:] for row in rows[1:]] == [
        [("float", "2024"), ("float", "1508.20")],
        [("float", "2025"), ("float", "1487.67")],
    ]
    assert rows[1][1] == ("string", "Halle des Possibles")
    assert rows[1][6] == ("date", "2024-07-01")


def test_an_unsigned_lease_has_one_row_without_aid(client, staff_user):
    LeaseFactory(unsigned=True)
    client.force_login(staff_user)

    rows = ods_rows(b"".join(client.get(reverse("fonciere:lease_export_ods")).streaming_content))

    assert len(rows) == 2
    assert rows[1][-3:] == [(None, ""), (None, ""), (None, "")]


@pytest.mark.parametrize("name", ["=1+1", "+SOMME(A1)", "-2+3", "@cmd"])
def test_a_formula_like_occupant_name_stays_text_in_both_spreadsheets(client, staff_user, name):
    LeaseFactory(occupant__name=name)
    client.force_login(staff_user)

    csv = b"".join(client.get(reverse("fonciere:lease_export")).streaming_content).decode("utf-8-sig")
    xlsx = client.get(reverse("fonciere:lease_export_xlsx"))
    cell = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active["D2"]
    ods = ods_rows(b"".join(client.get(reverse("fonciere:lease_export_ods")).streaming_content))

    assert csv.splitlines()[1].split(";")[3] == f"'{name}"
    assert (cell.data_type, cell.value) == ("s", name)
    assert ods[1][3] == ("string", name)


@pytest.mark.parametrize("url_name", ["fonciere:lease_export_xlsx", "fonciere:lease_export_ods"])
def test_applicants_may_not_download_the_spreadsheets(client, user_with_role, url_name):
    LeaseFactory()
    client.force_login(user_with_role(Role.APPLICANT))

    assert client.get(reverse(url_name)).status_code == 403
