"""The read-only API of contracts with insertion clauses and of hours reports."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.enums import Role
from tests.accounts.factories import UserFactory
from tests.procurement.factories import ContractFactory, InsertionClauseFactory, InsertionHoursFactory

pytestmark = pytest.mark.django_db

CONTRACTS = reverse("api:contract_list")
HOURS = reverse("api:insertion_hours_list")


@pytest.fixture
def contract(db):
    contract = ContractFactory(reference="2025-M-0007", buying_direction="Direction des routes")
    clause = InsertionClauseFactory(lot__contract=contract, lot__number=1, hours_required=Decimal("200"))
    InsertionHoursFactory(clause=clause, company_name="Alpha", hours=Decimal("50"))
    InsertionHoursFactory(
        clause=clause, company_name="Alpha", period_start=date(2025, 7, 1), period_end=date(2025, 9, 30), hours=30
    )
    return contract


def test_the_api_lists_contracts_with_lots_clauses_and_totals(client, procurement_user, contract):
    ContractFactory(reference="2024-M-0001", buying_direction="Direction du patrimoine")
    client.force_login(procurement_user)

    data = client.get(CONTRACTS, {"direction": "Direction des routes"}).json()

    assert data["count"] == 1
    result = data["results"][0]
    assert result["reference"] == "2025-M-0007"
    assert (result["hours_required"], result["hours_realised"]) == ("200.00", "80.00")
    assert result["completion"] == pytest.approx(40)
    assert result["is_late"] is True  # ended on 31/12/2025 with 80 of 200 hours
    lot = result["lots"][0]
    assert lot["insertion_clause"]["hours_required"] == "200.00"
    assert lot["hours_realised"] == "80.00"


def test_the_api_lists_hours_reports_by_contract_and_period(client, staff_user, contract):
    InsertionHoursFactory(company_name="Ailleurs")
    client.force_login(staff_user)

    by_contract = client.get(HOURS, {"marche": contract.pk}).json()
    summer = client.get(HOURS, {"marche": contract.pk, "du": "2025-06-01", "au": "2025-12-31"}).json()

    assert by_contract["count"] == 2
    assert [row["hours"] for row in summer["results"]] == ["30.00"]
    assert summer["results"][0]["contract"] == contract.pk


def test_the_contracts_api_list_runs_a_constant_number_of_queries(client, admin_user, django_assert_num_queries):
    client.force_login(admin_user)
    for _ in range(3):
        InsertionHoursFactory()
    client.get(CONTRACTS)

    with django_assert_num_queries(8):
        client.get(CONTRACTS)
    for _ in range(10):
        InsertionHoursFactory()
    with django_assert_num_queries(8):
        assert client.get(CONTRACTS).json()["count"] == 13


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.ELECTED, Role.PARTNER])
def test_other_roles_and_facilitators_are_refused_by_the_contracts_api(client, role, contract):
    user = UserFactory(role=role)
    contract.facilitator = user
    contract.save()
    client.force_login(user)

    assert client.get(CONTRACTS).status_code == 403
    assert client.get(HOURS).status_code == 403
    assert client.get(reverse("api:contract_detail", args=[contract.pk])).status_code == 403


def test_an_unknown_contract_is_a_404_in_the_api(client, procurement_user):
    client.force_login(procurement_user)

    assert client.get(reverse("api:contract_detail", args=[99999])).status_code == 404
