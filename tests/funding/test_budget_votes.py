"""Projected, voted and amended amounts of the budget lines: the plan's figures stay the projection until staff
record the vote; décisions modificatives never go below what is committed; every change is kept with who and when."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from funding import reference, services
from funding.budget_services import record_budget_revision
from funding.enums import BudgetRevisionKind, CommitmentKind
from funding.models import BudgetLine, BudgetLineRevision
from programme.dashboard import dashboard_data

pytestmark = pytest.mark.usefixtures("reference_data")


def _line(year=2024, code="fonds-participation-scic"):
    return BudgetLine.objects.get(year=year, code=code)


def _form(**overrides):
    return {
        "form_key": str(uuid.uuid4()),
        "amount": "150000",
        "deliberation_number": "2024-BP-3",
        "deliberated_on": "2023-12-15",
    } | overrides


def test_the_plan_amounts_are_voted_in_2022_and_a_projection_from_2023():
    assert _line(2022, "cotisations").is_voted
    line = _line(2024)
    assert not line.is_voted and line.is_projection
    assert line.projected_amount == line.voted_amount == Decimal("120000.00")


def test_the_budget_page_and_the_dashboard_label_the_projection(client, staff_user):
    client.force_login(staff_user)

    page_2024 = client.get(reverse("funding:budget_execution", args=[2024])).content.decode()
    page_2022 = client.get(reverse("funding:budget_execution", args=[2022])).content.decode()

    assert "projection du plan</span>" in page_2024
    assert "projection du plan</span>" not in page_2022
    assert all(row.is_projection for row in dashboard_data(2024).budget_lines)
    assert not any(row.is_projection for row in dashboard_data(2022).budget_lines)


def test_staff_record_the_vote_then_an_amendment_with_who_and_when(client, staff_user):
    line = _line()
    client.force_login(staff_user)
    url = reverse("funding:budget_line_revision", args=[2024, line.pk])
    assert "Enregistrer le vote" in client.get(url).content.decode()

    response = client.post(url, _form(), follow=True)

    assert "Vote du budget enregistré pour « Fonds de participation dans des SCIC » : 150\xa0000,00\xa0€." in (
        response.content.decode()
    )
    line.refresh_from_db()
    assert line.is_voted and line.voted_amount == Decimal("150000.00") and line.voted_by == staff_user
    assert line.projected_amount == Decimal("120000.00") and line.voted_at is not None

    client.post(url, _form(amount="130000", deliberation_number="2024-DM-1"))

    history = list(line.revisions.values_list("kind", "previous_amount", "amount", "deliberation_number"))
    assert history == [
        (BudgetRevisionKind.VOTE, Decimal("120000.00"), Decimal("150000.00"), "2024-BP-3"),
        (BudgetRevisionKind.AMENDMENT, Decimal("150000.00"), Decimal("130000.00"), "2024-DM-1"),
    ]
    assert all(revision.recorded_by == staff_user for revision in line.revisions.all())


def test_a_double_submit_records_the_vote_once(client, staff_user):
    line = _line()
    client.force_login(staff_user)
    url = reverse("funding:budget_line_revision", args=[2024, line.pk])
    data = _form()

    client.post(url, data)
    client.post(url, data)

    assert line.revisions.count() == 1


def test_an_amount_below_the_committed_is_refused_next_to_the_amount_and_changes_nothing(client, staff_user):
    line = _line()
    services.commit_spending(
        budget_line=line,
        kind=CommitmentKind.SCIC_SHARES,
        amount=Decimal("90000"),
        label="Parts de la SCIC Exemple",
        by=staff_user,
        idempotency_key="scic",
        beneficiary_name="SCIC Exemple",
    )
    client.force_login(staff_user)

    response = client.post(reverse("funding:budget_line_revision", args=[2024, line.pk]), _form(amount="80000"))

    assert response.context["form"].errors["amount"] == [
        "Le montant de 80\xa0000,00\xa0€ est inférieur au montant déjà engagé sur la ligne "
        "« Fonds de participation dans des SCIC » (90\xa0000,00\xa0€)."
    ]
    line.refresh_from_db()
    assert not line.is_voted and line.voted_amount == Decimal("120000.00")
    assert not BudgetLineRevision.objects.exists()


def test_a_vote_is_recorded_once_and_an_amendment_needs_a_vote(staff_user):
    line = _line()
    with pytest.raises(ValidationError, match="Enregistrez d’abord le vote"):
        record_budget_revision(budget_line=line, kind=BudgetRevisionKind.AMENDMENT, amount=Decimal("1"), by=staff_user)
    record_budget_revision(budget_line=line, kind=BudgetRevisionKind.VOTE, amount=Decimal("100000"), by=staff_user)
    with pytest.raises(ValidationError, match="déjà voté"):
        record_budget_revision(budget_line=line, kind=BudgetRevisionKind.VOTE, amount=Decimal("1"), by=staff_user)


def test_load_reference_keeps_the_voted_amount_and_updates_the_projection(staff_user):
    voted, projected = _line(), _line(2025)
    record_budget_revision(budget_line=voted, kind=BudgetRevisionKind.VOTE, amount=Decimal("100000"), by=staff_user)
    BudgetLine.objects.filter(pk__in=[voted.pk, projected.pk]).update(projected_amount=0)
    BudgetLine.objects.filter(pk=projected.pk).update(voted_amount=1)

    assert reference.load() == 0

    voted.refresh_from_db()
    projected.refresh_from_db()
    assert (voted.voted_amount, voted.projected_amount) == (Decimal("100000.00"), Decimal("120000.00"))
    assert (projected.voted_amount, projected.projected_amount) == (Decimal("120000.00"), Decimal("120000.00"))


def test_elected_officials_and_applicants_cannot_record_a_vote(client, elected_user, applicant_user):
    line = _line()
    url = reverse("funding:budget_line_revision", args=[2024, line.pk])
    for user in (elected_user, applicant_user):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, _form()).status_code == 403
    line.refresh_from_db()
    assert not line.is_voted and not BudgetLineRevision.objects.exists()
    client.force_login(elected_user)
    assert url not in client.get(reverse("funding:budget_execution", args=[2024])).content.decode()


def test_the_admin_cannot_change_a_line_amount_behind_the_history(client, admin_user):
    line = _line()
    client.force_login(admin_user)

    page = client.get(reverse("admin:funding_budgetline_change", args=[line.pk])).content.decode()

    assert 'name="voted_amount"' not in page
    assert 'name="voted_amount"' in client.get(reverse("admin:funding_budgetline_add")).content.decode()
