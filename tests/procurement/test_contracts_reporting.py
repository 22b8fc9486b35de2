"""The follow-up page's totals, the PLIE export (columns, rows, filters, log) and flat query counts."""

import csv
import io
import logging
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from procurement.contracts.exports import PLIE_HEADER
from procurement.contracts.models import Contract, ContractLot, InsertionClause, InsertionHours
from tests.procurement.factories import ContractFactory, InsertionClauseFactory, InsertionHoursFactory

pytestmark = pytest.mark.django_db

LIST = reverse("procurement:contract_list")
FOLLOWUP = reverse("procurement:contract_followup")


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


@pytest.fixture
def plie_data(db):
    """A contract with two lots with a clause (one without hours) and a lot without clause; a second contract."""
    contract = ContractFactory(reference="2025-M-0001", title="Voirie", buying_direction="Direction des routes")
    first = InsertionClauseFactory(
        lot__contract=contract, lot__number=1, lot__holder_name="Routes SCOP", hours_required=Decimal("400")
    )
    InsertionClauseFactory(lot__contract=contract, lot__number=2, hours_required=Decimal("50"))
    ContractLot.objects.create(contract=contract, number=3, title="Études", amount=Decimal("1000"))
    InsertionHoursFactory(clause=first, company_name="Routes SCOP", hours=Decimal("120.5"), beneficiaries=3)
    InsertionHoursFactory(
        clause=first,
        company_name="Sous-traitant",
        company_siret="73282932000074",
        period_start=date(2025, 4, 1),
        period_end=date(2025, 6, 30),
        hours=Decimal("30"),
    )
    other = ContractFactory(
        reference="2024-M-0009", buying_direction="Direction du patrimoine", starts_on=date(2024, 1, 1)
    )
    InsertionHoursFactory(clause=InsertionClauseFactory(lot__contract=other), company_name="Autre")
    return contract


def test_the_plie_csv_has_one_row_per_lot_company_and_period_with_the_lot_totals(
    client, procurement_user, plie_data, caplog
):
    client.force_login(procurement_user)
    caplog.set_level(logging.INFO, logger="procurement.contracts")

    response = client.get(reverse("procurement:contract_export", args=["csv"]), {"direction": "Direction des routes"})

    rows = read_csv(response)
    assert rows[0] == PLIE_HEADER
    assert [row[5] for row in rows[1:]] == ["1", "1", "2"]  # lot 3 has no clause: not in the file
    routes, subcontractor, empty_lot = (dict(zip(PLIE_HEADER, row, strict=True)) for row in rows[1:])
    assert routes["Référence du marché"] == "2025-M-0001"
    assert routes["Heures exigées (lot)"] == "400,00"
    assert routes["Heures réalisées (lot)"] == "150,50"
    assert routes["Taux de réalisation du lot (%)"] == "37,6"
    assert (routes["Entreprise"], routes["Période du"], routes["Heures réalisées (période)"]) == (
        "Routes SCOP",
        "01/01/2025",
        "120,50",
    )
    assert subcontractor["SIRET de l’entreprise"] == "73282932000074"
    assert (empty_lot["Entreprise"], empty_lot["Heures réalisées (lot)"], empty_lot["Période du"]) == ("", "0,00", "")
    assert "Export PLIE CSV" in caplog.text and "3 lignes" in caplog.text and procurement_user.email in caplog.text


def test_the_plie_xlsx_holds_the_same_rows_as_the_csv(client, staff_user, plie_data):
    client.force_login(staff_user)

    csv_rows = read_csv(client.get(reverse("procurement:contract_export", args=["csv"])))
    response = client.get(reverse("procurement:contract_export", args=["xlsx"]))

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows[0] == PLIE_HEADER
    assert len(xlsx_rows) == len(csv_rows) == 5
    assert [row[0] for row in xlsx_rows[1:]] == [row[0] for row in csv_rows[1:]]
    assert sum(Decimal(str(row[17])) for row in xlsx_rows[1:] if row[17] is not None) == sum(
        InsertionHours.objects.values_list("hours", flat=True)
    )


def test_a_facilitator_exports_only_their_contracts(client, plie_data):
    from tests.accounts.factories import UserFactory

    facilitator = UserFactory()
    Contract.objects.filter(pk=plie_data.pk).update(facilitator=facilitator)
    client.force_login(facilitator)

    rows = read_csv(client.get(reverse("procurement:contract_export", args=["csv"])))

    assert {row[0] for row in rows[1:]} == {"2025-M-0001"}


def _xlsx_rows(content: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    workbook.close()
    return rows


def test_the_row_count_is_the_number_of_rows_written(client, plie_data):
    from procurement.contracts.exports import plie_row_count, plie_rows

    contracts = Contract.objects.all()
    assert plie_row_count(contracts) == len(list(plie_rows(contracts))) == 4


def test_a_large_plie_spreadsheet_is_written_by_a_background_job_with_the_same_rows(
    client, procurement_user, plie_data, settings, tmp_path, caplog, django_capture_on_commit_callbacks
):
    from ess_portal.jobs.enums import JobKind, JobStatus
    from ess_portal.jobs.models import Job

    client.force_login(procurement_user)
    export = reverse("procurement:contract_export", args=["xlsx"])
    inline = _xlsx_rows(b"".join(client.get(export, {"annee": "2025"}).streaming_content))
    settings.PLIE_EXPORT_INLINE_MAX_ROWS = 2
    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.INFO, logger="procurement.contracts")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("procurement:contract_export", args=["xlsx"]), {"annee": "2025"})

    assert response.status_code == 302 and response.url == reverse("jobs:job_list")
    job = Job.objects.get(kind=JobKind.PLIE_EXPORT)
    assert job.status == JobStatus.DONE  # eager in tests
    with job.result_file.open("rb") as handle:
        assert _xlsx_rows(handle.read()) == inline
    assert len(inline) == 1 + 3  # the 2025 contract: three rows
    assert "Export PLIE XLSX" in caplog.text and "3 lignes" in caplog.text
    # Asking again the same day gives the same job.
    client.get(reverse("procurement:contract_export", args=["xlsx"]), {"annee": "2025"})
    assert Job.objects.filter(kind=JobKind.PLIE_EXPORT).count() == 1


def test_a_facilitators_background_plie_export_holds_only_their_contracts(
    client, plie_data, settings, tmp_path, django_capture_on_commit_callbacks
):
    from ess_portal.jobs.models import Job
    from tests.accounts.factories import UserFactory

    facilitator = UserFactory()
    Contract.objects.filter(pk=plie_data.pk).update(facilitator=facilitator)
    settings.PLIE_EXPORT_INLINE_MAX_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    client.force_login(facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("procurement:contract_export", args=["xlsx"]))

    with Job.objects.get().result_file.open("rb") as handle:
        rows = _xlsx_rows(handle.read())
    assert {row[0] for row in rows[1:]} == {"2025-M-0001"}


def test_the_follow_up_totals_add_up_per_year_and_direction(client, procurement_user, plie_data):
    client.force_login(procurement_user)

    totals = client.get(FOLLOWUP).context["totals"]

    assert totals["overall"].hours_required == sum(InsertionClause.objects.values_list("hours_required", flat=True))
    assert totals["overall"].hours_realised == sum(InsertionHours.objects.values_list("hours", flat=True))
    assert totals["overall"].contracts == 2
    assert {row.label: row.hours_required for row in totals["by_year"]} == {"2025": 450, "2024": 1000}
    assert {row.label: row.hours_realised for row in totals["by_direction"]} == {
        "Direction des routes": Decimal("150.5"),
        "Direction du patrimoine": Decimal("100"),
    }
    # Both contracts ended on 31/12/2025 short of their hours.
    assert totals["overall"].late == 2


def test_late_contracts_come_first_on_the_follow_up_page_and_the_late_filter_keeps_them_only(client, procurement_user):
    today = date.today()
    on_track = ContractFactory(
        reference="A-ON-TRACK", starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=10)
    )
    InsertionHoursFactory(
        clause=InsertionClauseFactory(lot__contract=on_track, hours_required=Decimal("100")),
        hours=60,
        period_start=on_track.starts_on,
        period_end=today,
    )
    late = ContractFactory(
        reference="Z-LATE", starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=10)
    )
    InsertionClauseFactory(lot__contract=late, hours_required=Decimal("100"))
    client.force_login(procurement_user)

    followup = client.get(FOLLOWUP)
    late_only = client.get(LIST, {"retard": "oui"})

    assert [contract.reference for contract in followup.context["contracts"]] == ["Z-LATE", "A-ON-TRACK"]
    assert "En retard" in followup.content.decode()
    assert [contract.reference for contract in late_only.context["contracts"]] == ["Z-LATE"]


def test_the_list_is_sorted_by_completion_on_request(client, procurement_user):
    for reference, hours in [("B", "50"), ("A", "90"), ("C", "10")]:
        clause = InsertionClauseFactory(lot__contract=ContractFactory(reference=reference), hours_required=100)
        InsertionHoursFactory(clause=clause, hours=Decimal(hours))
    client.force_login(procurement_user)

    response = client.get(LIST, {"tri": "-taux"})

    assert [contract.reference for contract in response.context["contracts"]] == ["A", "B", "C"]


def make_contracts(count: int, *, start: int = 0) -> None:
    """`count` contracts, each with two lots with a clause and two hours reports (bulk, for speed)."""
    contracts = Contract.objects.bulk_create(
        [
            Contract(
                reference=f"BULK-{index:04d}",
                title=f"Marché {index}",
                buying_direction=f"Direction {index % 7}",
                starts_on=date(2020 + index % 6, 1, 1),
                ends_on=date(2027, 12, 31),
                amount=Decimal("1000"),
            )
            for index in range(start, start + count)
        ]
    )
    lots = ContractLot.objects.bulk_create(
        [ContractLot(contract=c, number=n, title="Lot", amount=Decimal("10")) for c in contracts for n in (1, 2)]
    )
    clauses = InsertionClause.objects.bulk_create(
        [InsertionClause(lot=lot, hours_required=Decimal("100"), public_concerned="RSA") for lot in lots]
    )
    InsertionHours.objects.bulk_create(
        [
            InsertionHours(
                clause=clause,
                company_name=f"Entreprise {n}",
                period_start=clause.lot.contract.starts_on,
                period_end=clause.lot.contract.starts_on,
                hours=Decimal("10"),
            )
            for clause in clauses
            for n in (1, 2)
        ]
    )


@pytest.mark.parametrize("url", [LIST, FOLLOWUP])
def test_the_list_and_follow_up_pages_run_a_constant_number_of_queries(
    client, procurement_user, django_assert_num_queries, url
):
    client.force_login(procurement_user)
    make_contracts(10)
    client.get(url)  # warm-up: session, permissions cache
    queries = {LIST: 7, FOLLOWUP: 10}[url]

    with django_assert_num_queries(queries):
        assert client.get(url, {"page": 1}).status_code == 200
    make_contracts(190, start=10)
    with django_assert_num_queries(queries):
        response = client.get(url, {"page": 1})
    assert response.context["page_obj"].paginator.count == 200


def test_the_plie_export_runs_a_constant_number_of_queries(client, procurement_user, django_assert_num_queries):
    client.force_login(procurement_user)
    make_contracts(10)
    url = reverse("procurement:contract_export", args=["csv"])

    with django_assert_num_queries(7) as small:
        rows_small = read_csv(client.get(url))
    make_contracts(190, start=10)
    with django_assert_num_queries(7):
        rows_large = read_csv(client.get(url))
    assert len(small) == 7
    assert (len(rows_small), len(rows_large)) == (1 + 10 * 2 * 2, 1 + 200 * 2 * 2)
