import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from funding import services
from funding.enums import ApplicationStatus, BudgetSection
from funding.models import BudgetLine, Commitment
from tests.funding.factories import ApplicationFactory, SupportSchemeFactory
from tests.funding.lifecycle import approved_application

pytestmark = pytest.mark.usefixtures("reference_data")


def _commit_on(line, amount, *, paid=Decimal("0")):
    application = ApplicationFactory(scheme=SupportSchemeFactory(budget_line=line), status=ApplicationStatus.APPROVED)
    commitment = services.commit_budget(
        application=application, amount=amount, by=None, idempotency_key=f"k{application.pk}"
    )
    Commitment.objects.filter(pk=commitment.pk).update(paid_amount=paid)


def test_the_budget_execution_totals_match_the_reference_plan(client, staff_user):
    line = BudgetLine.objects.for_year(2022).filter(section=BudgetSection.FONCTIONNEMENT, is_in_plan=True).first()
    _commit_on(line, Decimal("10000"), paid=Decimal("4000"))
    client.force_login(staff_user)

    response = client.get(reverse("funding:budget_execution", args=[2022]))

    assert response.status_code == 200
    groups = {(g["section"], g["is_in_plan"]): g for g in response.context["groups"]}
    operating = groups[(BudgetSection.FONCTIONNEMENT, True)]
    assert operating["voted"] == Decimal("491031.00")
    assert operating["committed"] == Decimal("10000.00")
    assert operating["paid"] == Decimal("4000.00")
    assert operating["available"] == Decimal("481031.00")
    assert groups[(BudgetSection.FONCTIONNEMENT, False)]["voted"] == Decimal("378800.00")
    reference = BudgetLine.objects.for_year(2022).summary_totals()
    assert response.context["total"]["voted"] == reference["total"]
    assert response.context["total"]["available"] == reference["total"] - Decimal("10000.00")
    assert "491\xa0031,00\xa0€" in response.content.decode()
    assert len(response.context["lines"]) == 13


def test_the_budget_page_shows_a_council_approval(client, staff_user):
    scheme = SupportSchemeFactory(
        budget_line=BudgetLine.objects.get(year=2026, code=BudgetLine.objects.filter(year=2026).first().code)
    )
    application = approved_application(by=staff_user, scheme=scheme, amount=Decimal("12000"))
    client.force_login(staff_user)
    response = client.get(reverse("funding:budget_execution", args=[2026]))
    line = next(line for line in response.context["lines"] if line.pk == scheme.budget_line_id)
    assert line.committed_amount == Decimal("12000.00")
    assert line.commitment_count == 1
    assert application.commitment.budget_line_id == line.pk


def _populate(count):
    lines = list(BudgetLine.objects.for_year(2024).filter(voted_amount__gte=10000))
    for n in range(count):
        _commit_on(lines[n % len(lines)], Decimal("10"), paid=Decimal("5"))


@pytest.mark.parametrize("count", [10, 200])
def test_the_budget_page_runs_the_same_queries_for_10_or_200_commitments(
    count, client, staff_user, django_assert_num_queries
):
    _populate(count)
    client.force_login(staff_user)
    # session, user, roles (groups), budget lines with paid totals, paid per section, voted per section, years
    with django_assert_num_queries(7):
        response = client.get(reverse("funding:budget_execution", args=[2024]))
    assert response.status_code == 200
    assert response.context["total"]["committed"] == Decimal("10") * count


def test_elected_officials_read_the_budget_and_applicants_do_not(client, elected_user, applicant_user):
    client.force_login(elected_user)
    assert client.get(reverse("funding:budget_execution", args=[2024])).status_code == 200
    client.force_login(applicant_user)
    assert client.get(reverse("funding:budget_execution", args=[2024])).status_code == 403


def test_a_year_without_budget_is_not_found_and_the_current_year_redirects(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("funding:budget_execution", args=[1999])).status_code == 404
    response = client.get(reverse("funding:budget_current"))
    assert response.status_code == 302
    year = datetime.date.today().year
    assert response.url == reverse("funding:budget_execution", args=[year if year <= 2026 else 2026])
