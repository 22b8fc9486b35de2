"""Who sees and does what with contracts: managers everything, a facilitator only their contracts, others nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.enums import Role
from procurement.contracts.models import InsertionHours
from tests.accounts.factories import UserFactory
from tests.procurement.factories import ContractFactory, InsertionClauseFactory, InsertionHoursFactory

pytestmark = pytest.mark.django_db

LIST = reverse("procurement:contract_list")
FOLLOWUP = reverse("procurement:contract_followup")


def hours_payload(clause, **overrides):
    return {
        "clause": clause.pk,
        "company_name": "Bâti Solidaire SCOP",
        "company_siret": "",
        "period_start": "2025-01-01",
        "period_end": "2025-01-31",
        "hours": "120",
        "beneficiaries": "3",
        "comment": "",
        **overrides,
    }


@pytest.fixture
def facilitator(db):
    return UserFactory(role=Role.PARTNER)


@pytest.fixture
def own_clause(facilitator):
    return InsertionClauseFactory(lot__contract=ContractFactory(reference="2025-M-MINE", facilitator=facilitator))


@pytest.fixture
def other_clause(db):
    return InsertionClauseFactory(lot__contract=ContractFactory(reference="2025-M-OTHER"))


def test_a_facilitator_sees_only_the_contracts_they_facilitate(client, facilitator, own_clause, other_clause):
    client.force_login(facilitator)

    response = client.get(LIST)

    assert response.status_code == 200
    assert [contract.reference for contract in response.context["contracts"]] == ["2025-M-MINE"]
    assert client.get(reverse("procurement:contract_detail", args=[own_clause.lot.contract_id])).status_code == 200
    assert client.get(reverse("procurement:contract_detail", args=[other_clause.lot.contract_id])).status_code == 404


def test_a_facilitator_reports_hours_on_their_contract_only(client, facilitator, own_clause, other_clause):
    client.force_login(facilitator)

    own = client.post(
        reverse("procurement:hours_create", args=[own_clause.lot.contract_id]), hours_payload(own_clause)
    )
    other = client.post(
        reverse("procurement:hours_create", args=[other_clause.lot.contract_id]), hours_payload(other_clause)
    )

    assert own.status_code == 302
    assert other.status_code == 404
    report = InsertionHours.objects.get()
    assert (report.clause, report.reported_by, report.hours) == (own_clause, facilitator, Decimal("120"))


def test_a_facilitator_cannot_edit_a_contract_nor_open_the_follow_up_page(client, facilitator, own_clause):
    client.force_login(facilitator)
    contract = own_clause.lot.contract

    assert client.get(reverse("procurement:contract_edit", args=[contract.pk])).status_code == 403
    assert (
        client.post(reverse("procurement:contract_edit", args=[contract.pk]), {"title": "Changé"}).status_code == 403
    )
    assert client.get(reverse("procurement:contract_create")).status_code == 403
    assert client.get(FOLLOWUP).status_code == 403
    contract.refresh_from_db()
    assert contract.title != "Changé"


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.ELECTED, Role.PARTNER])
def test_other_roles_are_refused_every_contract_page(client, role, other_clause):
    client.force_login(UserFactory(role=role))
    contract_id = other_clause.lot.contract_id

    for url in [
        LIST,
        FOLLOWUP,
        reverse("procurement:contract_create"),
        reverse("procurement:contract_detail", args=[contract_id]),
        reverse("procurement:hours_create", args=[contract_id]),
        reverse("procurement:contract_export", args=["csv"]),
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("procurement:hours_create", args=[contract_id]), hours_payload(other_clause))
    assert response.status_code == 403
    assert not InsertionHours.objects.exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.PROCUREMENT, Role.ADMIN])
def test_managers_see_and_report_on_every_contract(client, role, own_clause, other_clause):
    client.force_login(UserFactory(role=role))

    assert len(client.get(LIST).context["contracts"]) == 2
    assert client.get(FOLLOWUP).status_code == 200
    response = client.post(
        reverse("procurement:hours_create", args=[other_clause.lot.contract_id]), hours_payload(other_clause)
    )
    assert response.status_code == 302
    assert InsertionHours.objects.filter(clause=other_clause).count() == 1


def test_a_wrong_contract_or_hours_id_is_a_404(client, procurement_user, own_clause, other_clause):
    report = InsertionHoursFactory(clause=other_clause)
    client.force_login(procurement_user)
    own_contract = own_clause.lot.contract_id

    assert client.get(reverse("procurement:contract_detail", args=[99999])).status_code == 404
    assert client.get(reverse("procurement:contract_edit", args=[99999])).status_code == 404
    # A report of another contract is not reachable through this contract's URL.
    assert client.get(reverse("procurement:hours_edit", args=[own_contract, report.pk])).status_code == 404
    assert client.get(reverse("procurement:contract_export", args=["pdf"])).status_code == 404


def test_the_contract_page_shows_hours_per_lot_company_and_period(client, procurement_user):
    contract = ContractFactory(reference="2025-M-0042")
    first = InsertionClauseFactory(lot__contract=contract, lot__number=1, hours_required=Decimal("400"))
    second = InsertionClauseFactory(lot__contract=contract, lot__number=2, hours_required=Decimal("100"))
    InsertionHoursFactory(clause=first, company_name="Alpha", hours=Decimal("150"), beneficiaries=2)
    InsertionHoursFactory(
        clause=first, company_name="Alpha", period_start=date(2025, 4, 1), period_end=date(2025, 6, 30), hours=50
    )
    InsertionHoursFactory(clause=second, company_name="Bêta", hours=Decimal("25"), beneficiaries=1)
    client.force_login(procurement_user)

    response = client.get(reverse("procurement:contract_detail", args=[contract.pk]))

    lots = {lot.number: lot for lot in response.context["lots"]}
    assert (lots[1].hours_realised, lots[1].completion) == (Decimal("200"), 50)
    assert (lots[2].hours_realised, lots[2].completion) == (Decimal("25"), 25)
    companies = {row["company_name"]: row for row in response.context["companies"]}
    assert companies["Alpha"]["hours"] == Decimal("200") and companies["Alpha"]["reports"] == 2
    assert companies["Bêta"]["beneficiaries"] == 1
    contract = response.context["contract"]
    assert (contract.hours_required, contract.hours_realised, contract.completion) == (500, 225, 45)
    assert len(response.context["reports"]) == 3
    assert "Heures de Alpha" in response.content.decode()  # the history lists the reports


def test_a_facilitator_deletes_reports_of_their_contracts_only(client, facilitator, own_clause, other_clause):
    mine = InsertionHoursFactory(clause=own_clause)
    theirs = InsertionHoursFactory(clause=other_clause)
    client.force_login(facilitator)

    other_url = reverse("procurement:hours_delete", args=[other_clause.lot.contract_id, theirs.pk])
    assert client.post(other_url, {"reason": "erreur"}).status_code == 404
    # Another contract's report is not reachable through their own contract's URL either.
    crossed = reverse("procurement:hours_delete", args=[own_clause.lot.contract_id, theirs.pk])
    assert client.post(crossed, {"reason": "erreur"}).status_code == 404
    own_url = reverse("procurement:hours_delete", args=[own_clause.lot.contract_id, mine.pk])
    assert client.post(own_url, {"reason": "erreur de période"}).status_code == 302
    assert list(InsertionHours.objects.all()) == [theirs]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.ELECTED])
def test_other_roles_cannot_delete_a_report(client, role, other_clause):
    report = InsertionHoursFactory(clause=other_clause)
    client.force_login(UserFactory(role=role))

    url = reverse("procurement:hours_delete", args=[other_clause.lot.contract_id, report.pk])
    assert client.post(url, {"reason": "erreur"}).status_code == 403
    assert InsertionHours.objects.filter(pk=report.pk).exists()
