import csv
import io
import zipfile
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actors.enums import AgrementKind, LegalForm
from actors.models import Agrement, Contact
from procurement.asr.exports import COLUMNS
from procurement.asr.models import ExportLog
from procurement.enums import ListingStatus
from tests.actors.factories import ActorFactory
from tests.procurement.factories import AsrListingFactory, CpvCodeFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("procurement:directory_export")
ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@pytest.fixture
def buyer(client, procurement_user):
    client.force_login(procurement_user)
    return client


@pytest.fixture
def listings():
    cleaning = CpvCodeFactory(code="9091", label="Services de nettoyage")
    scop = AsrListingFactory(
        published=True,
        actor=ActorFactory(name="Nettoyage Coop", legal_form=LegalForm.SCOP, siret="", fte=12),
        cpv_codes=[cleaning],
        offers="Nettoyage de bureaux",
    )
    Agrement.objects.create(actor=scop.actor, kind=AgrementKind.EA)
    Contact.objects.create(actor=scop.actor, name="Alice Publique", email="alice@example.org", is_public=True)
    Contact.objects.create(actor=scop.actor, name="Bob Privé", email="bob@example.org", is_public=False)
    AsrListingFactory(published=True, actor=ActorFactory(name="Asso Traiteur"), offers="Traiteur")
    AsrListingFactory(
        status=ListingStatus.SUBMITTED, actor=ActorFactory(name="Pas encore publiée", legal_form=LegalForm.SCOP)
    )
    return scop


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


def ods_rows(response) -> list[list[str]]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    root = ElementTree.fromstring(archive.read("content.xml"))
    rows = []
    for row in root.iter(f"{ODS_TABLE}table-row"):
        cells = []
        for cell in row.iter(f"{ODS_TABLE}table-cell"):
            text = "".join(p.text or "" for p in cell.iter(f"{ODS_TEXT}p"))
            cells.append(text or cell.get("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value") or "")
        rows.append(cells)
    return rows


READERS = {"csv": csv_rows, "xlsx": xlsx_rows, "ods": ods_rows}


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_an_export_holds_exactly_the_filtered_listings_with_the_chosen_columns(buyer, listings, file_format):
    response = buyer.get(EXPORT, {"forme": "scop", "format": file_format, "colonnes": ["siret", "nom", "cpv"]})

    assert response.status_code == 200
    assert f".{file_format}" in response["Content-Disposition"]
    rows = READERS[file_format](response)
    assert rows == [["Raison sociale", "SIRET", "Codes CPV"], ["Nettoyage Coop", "", "90910000"]]


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_without_a_choice_every_documented_column_is_exported(buyer, listings, file_format):
    rows = READERS[file_format](buyer.get(EXPORT, {"format": file_format}))

    assert rows[0] == [column.title for column in COLUMNS]
    assert [row[0] for row in rows[1:]] == ["Asso Traiteur", "Nettoyage Coop"]


def test_the_csv_export_keeps_the_documented_column_order_and_shows_public_contacts_only(buyer, listings):
    response = buyer.get(
        EXPORT, {"q": "nettoyage", "format": "csv", "colonnes": ["nom", "articles", "agrements", "contact", "etp"]}
    )

    rows = csv_rows(response)
    assert rows == [
        ["Raison sociale", "Agréments", "Marchés réservés", "Effectif (ETP)", "Contact"],
        ["Nettoyage Coop", "EA", "L2113-12, L2113-15", "12,0", "Alice Publique – alice@example.org"],
    ]
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_contacts_who_did_not_agree_are_in_no_export(buyer, listings):
    for file_format in ("csv", "xlsx", "ods"):
        response = buyer.get(EXPORT, {"format": file_format})
        rows = READERS[file_format](response)
        assert "Bob Privé" not in str(rows)
        assert "bob@example.org" not in str(rows)


def test_every_export_is_logged(buyer, listings, procurement_user):
    b"".join(
        buyer.get(EXPORT, {"forme": "scop", "format": "xlsx", "colonnes": ["nom"], "page": "2"}).streaming_content
    )

    log = ExportLog.objects.get()
    assert (log.user, log.file_format, log.row_count) == (procurement_user, "xlsx", 1)
    assert log.filters == {"forme": "scop"}
    assert log.columns == ["nom"]


def test_an_unknown_format_falls_back_to_csv(buyer, listings):
    response = buyer.get(EXPORT, {"format": "pdf"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_the_export_query_count_does_not_grow_with_the_listings(buyer, django_assert_num_queries, size, file_format):
    cpv = CpvCodeFactory(code="9091", label="Services de nettoyage")
    for _ in range(size):
        listing = AsrListingFactory(published=True, cpv_codes=[cpv])
        Contact.objects.create(actor=listing.actor, name="Contact", is_public=True)

    # session, user, groups, log insert, count (+ savepoint pair), CPV and commune labels, rows, then per chunk of
    # 2,000 listings: cpv, communes, agréments, contacts
    with django_assert_num_queries(12):
        response = buyer.get(EXPORT, {"format": file_format})
        rows = READERS[file_format](response)

    assert len(rows) == size + 1
