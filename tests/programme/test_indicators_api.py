"""API: indicators with targets and measurements, and the tracking fields of the plan's actions."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from programme.enums import ActionStatus, Rollup
from programme.models import Action
from tests.programme.factories import (
    IndicatorFactory,
    IndicatorTargetFactory,
    MeasurementFactory,
    MilestoneFactory,
)

LIST_URL = reverse("api:indicator_list")


def detail_url(code):
    return reverse("api:indicator_detail", args=[code])


@pytest.fixture
def jobs(db):
    indicator = IndicatorFactory(code="emplois-crees", unit="ETP", kind="impact")
    IndicatorTargetFactory(indicator=indicator, year=2025, value=Decimal("80"))
    IndicatorTargetFactory(indicator=indicator, year=2024, value=Decimal("60"))
    MeasurementFactory(indicator=indicator, year=2024, value=Decimal("47"))
    MeasurementFactory(indicator=indicator, year=2025, value=Decimal("68"))
    MeasurementFactory(indicator=indicator, year=2025, breakdown="economie-circulaire", value=Decimal("26"))
    return indicator


def test_anonymous_visitors_applicants_and_buyers_cannot_read_indicators_or_actions(
    client, applicant_user, procurement_user, jobs
):
    assert client.get(LIST_URL).status_code in (401, 403)
    for user in (applicant_user, procurement_user):
        client.force_login(user)
        assert client.get(LIST_URL).status_code == 403
        assert client.get(detail_url(jobs.code)).status_code == 403
        assert client.get(reverse("api:action_list")).status_code == 403


def test_the_list_gives_active_indicators_with_their_targets(client, elected_user, jobs):
    IndicatorFactory(code="ancien", is_active=False)
    client.force_login(elected_user)

    results = client.get(LIST_URL).json()["results"]

    assert [row["code"] for row in results] == ["emplois-crees"]
    assert results[0]["kind"] == "impact"
    assert results[0]["is_computed"] is False
    assert results[0]["targets"] == [{"year": 2024, "value": "60.00"}, {"year": 2025, "value": "80.00"}]


def test_the_detail_gives_measurements_and_filters_them_by_year(client, partner_user, jobs):
    client.force_login(partner_user)

    every_year = client.get(detail_url(jobs.code)).json()
    one_year = client.get(detail_url(jobs.code), {"annee": 2025}).json()

    assert [(row["year"], row["breakdown"], row["value"]) for row in every_year["measurements"]] == [
        (2024, "", "47.00"),
        (2025, "", "68.00"),
        (2025, "economie-circulaire", "26.00"),
    ]
    assert {row["year"] for row in one_year["measurements"]} == {2025}
    assert one_year["measurements"][0]["source"] == "entered"
    assert client.get(detail_url(jobs.code), {"annee": "deux-mille"}).status_code == 400
    assert client.get(detail_url("inconnu")).status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_the_indicator_list_runs_the_same_queries_whatever_the_number_of_rows(
    client, staff_user, django_assert_num_queries, rows
):
    for indicator in IndicatorFactory.create_batch(rows):
        IndicatorTargetFactory(indicator=indicator)
    client.force_login(staff_user)

    # Session, user, roles, count, page, targets.
    with django_assert_num_queries(6):
        response = client.get(LIST_URL)

    assert len(response.json()["results"]) == rows


def test_actions_carry_their_tracking_with_rolled_up_progress_and_overdue_milestones(
    client, elected_user, reference_data
):
    Action.objects.filter(code="1.1.1").update(progress=100, status=ActionStatus.DONE)
    Action.objects.filter(code="1.1.2").update(progress=60, status=ActionStatus.IN_PROGRESS)
    Action.objects.filter(code="1.1").update(rollup=Rollup.AVERAGE, responsible_service="Service ESS et emploi")
    today = timezone.localdate()
    MilestoneFactory(action=Action.objects.get(code="1.1"), title="Comité", due_on=today - datetime.timedelta(days=3))
    MilestoneFactory(action=Action.objects.get(code="1.1"), title="Bilan", due_on=today + datetime.timedelta(days=3))
    client.force_login(elected_user)

    results = {row["code"]: row for row in client.get(reverse("api:action_list")).json()["results"]}
    detail = client.get(reverse("api:action_detail", args=["1.1"])).json()

    assert results["1.1"]["progress"] == detail["progress"] == 40  # (100 + 60 + 0 + 0) / 4
    assert results["1.1.1"]["status"] == "done"
    assert results["1.1.1"]["status_label"] == "Réalisée"
    assert detail["responsible_service"] == "Service ESS et emploi"
    assert [(row["title"], row["overdue"]) for row in detail["milestones"]] == [("Comité", True), ("Bilan", False)]
