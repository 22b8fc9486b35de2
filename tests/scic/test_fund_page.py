"""The fund page of a year lists its stakes a page at a time, in the same number of queries whatever their number,
with the year's total over every stake."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from scic import services
from tests.scic.factories import ScicFactory, scic_fund_line

pytestmark = pytest.mark.django_db


def _stakes(count, *, by):
    scic_fund_line(2024, voted_amount=Decimal("1000000"))
    for n in range(count):
        services.subscribe_shares(
            scic=ScicFactory(capital=Decimal("1000000")),
            shares=10,
            nominal=Decimal("100"),
            subscribed_on=datetime.date(2024, 5, 1) + datetime.timedelta(days=n),
            fund_year=2024,
            deliberation_number=f"2024/{n}",
            deliberation_on=None,
            by=by,
            idempotency_key=f"fund-page-{n}",
        )


# session, user, groups (role), the fund line, the years of the fund, the count, the total, the page of stakes
FUND_PAGE_QUERIES = 8


@pytest.mark.parametrize("count", [3, 30])
def test_the_fund_page_runs_the_same_queries_for_3_or_30_stakes(client, staff_user, django_assert_num_queries, count):
    _stakes(count, by=staff_user)
    client.force_login(staff_user)

    with django_assert_num_queries(FUND_PAGE_QUERIES):
        response = client.get(reverse("scic:fund", args=[2024]))

    assert response.status_code == 200
    assert len(response.context["stakes"]) == count
    assert response.context["stakes_amount"] == Decimal("1000.00") * count


def test_the_fund_page_paginates_the_stakes_and_totals_the_whole_year(client, staff_user, monkeypatch):
    monkeypatch.setattr("scic.views.FUND_PER_PAGE", 10)
    _stakes(25, by=staff_user)
    client.force_login(staff_user)

    first = client.get(reverse("scic:fund", args=[2024]))
    last = client.get(reverse("scic:fund", args=[2024]), {"page": 3})

    assert [stake.deliberation_number for stake in first.context["stakes"]] == [f"2024/{n}" for n in range(10)]
    assert [stake.deliberation_number for stake in last.context["stakes"]] == [f"2024/{n}" for n in range(20, 25)]
    for response in (first, last):
        assert response.context["stakes_amount"] == Decimal("25000.00")
        assertContains(response, "25\xa0000,00\xa0€")
        assertContains(response, "Total de l’exercice (25 prises de participation)")
    assertContains(first, "Page 1 sur 3")
    assertContains(first, '<a href="?page=2" rel="next">Page suivante</a>', html=True)
    assertContains(last, "Page 3 sur 3")
