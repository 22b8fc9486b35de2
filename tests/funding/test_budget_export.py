"""The budget execution page's lines, with a total row, downloaded as CSV, XLSX or ODS by its readers."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funding import services
from funding.enums import CommitmentKind
from funding.models import BudgetLine

pytestmark = pytest.mark.usefixtures("reference_data")


def _scic_line(year=2023):
    return BudgetLine.objects.get(year=year, code="fonds-participation-scic")


def _download(client, year, export_format):
    response = client.get(reverse("funding:budget_export", args=[year, export_format]))
    return response, b"".join(response.streaming_content if response.streaming else [response.content])


def test_the_csv_holds_every_line_with_its_committed_amount_by_kind(client, staff_user):
    line = _scic_line()
    services.commit_spending(
        budget_line=line,
        kind=CommitmentKind.SCIC_SHARES,
        amount=Decimal("30000"),
        label="Parts de la SCIC Exemple",
        beneficiary_name="SCIC Exemple",
        by=staff_user,
        idempotency_key="scic-1",
    )
    client.force_login(staff_user)

    response, content = _download(client, 2023, "csv")

    text = content.decode("utf-8-sig")
    rows = [row.split(";") for row in text.splitlines()]
    assert response["Content-Disposition"] == 'attachment; filename="execution-budgetaire-2023.csv"'
    assert len(rows) == 1 + BudgetLine.objects.for_year(2023).count()
    header, scic = rows[0], next(row for row in rows if row[4] == line.label)
    assert scic[header.index("Engagé (€)")] == "30000,00"
    assert scic[header.index("Engagé – souscription de parts de SCIC (€)")] == "30000,00"
    assert scic[header.index("Disponible (€)")] == "90000,00"
    assert scic[header.index("Statut du montant")] == "projection du plan"


def test_elected_officials_download_the_xlsx_and_the_ods(client, elected_user):
    client.force_login(elected_user)

    xlsx_response, xlsx = _download(client, 2024, "xlsx")
    ods_response, ods = _download(client, 2024, "ods")

    sheet = load_workbook(io.BytesIO(xlsx), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Exercice", "Section", "Part du plan", "Code", "Ligne")
    assert len(rows) == 1 + BudgetLine.objects.for_year(2024).count()
    assert {row[5] for row in rows[1:]} == {"projection du plan"}
    assert ods_response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert "Fonds de participation dans des SCIC" in zipfile.ZipFile(io.BytesIO(ods)).read("content.xml").decode()


@pytest.mark.parametrize("role_fixture", ["applicant_user", "procurement_user", "partner_user"])
def test_other_roles_cannot_download_the_budget(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))

    response = client.get(reverse("funding:budget_export", args=[2024, "csv"]))

    assert response.status_code == 403


def test_an_unknown_format_is_not_found(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("funding:budget_export", args=[2024, "pdf"])).status_code == 404


def test_the_lines_table_ends_with_the_year_total(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("funding:budget_execution", args=[2022]))

    totals = response.context["line_totals"]
    assert totals["voted_amount"] == BudgetLine.objects.for_year(2022).total_voted()
    assert "Total 2022</th>" in response.content.decode()
    assert reverse("funding:budget_export", args=[2022, "xlsx"]) in response.content.decode()
