from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import BudgetLine
from tests.funding.factories import BudgetLineFactory


def test_anonymous_visitors_cannot_list_budget_lines(client, db):
    response = client.get(reverse("api:budgetline_list"))

    assert response.status_code in (401, 403)


def test_budget_lines_filtered_by_year_section_and_plan(client, staff_user, reference_data):
    client.force_login(staff_user)

    response = client.get(
        reverse("api:budgetline_list"), {"year": 2022, "section": "fonctionnement", "is_in_plan": "true"}
    )

    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["code"] for row in results] == [
        "soutiens-directs-projets",
        "soutiens-accompagnement",
        "soutiens-cae",
        "soutiens-reseaux",
        "cotisations",
        "etudes-communication",
    ]
    assert sum(Decimal(row["voted_amount"]) for row in results) == Decimal("491031")


def test_out_of_plan_lines_are_filtered_with_is_in_plan_false(client, staff_user, reference_data):
    client.force_login(staff_user)

    response = client.get(reverse("api:budgetline_list"), {"year": 2025, "is_in_plan": "false"})

    assert [row["label"] for row in response.json()["results"]] == [
        "PLIE – clauses d’insertion",
        "Soutien à l’entrepreneuriat « conventionnel »",
        "Solidarité associations caritatives",
    ]


def test_investment_lines_of_a_year(client, elected_user, reference_data):
    client.force_login(elected_user)

    response = client.get(reverse("api:budgetline_list"), {"year": 2023, "section": "investissement"})

    amounts = {row["code"]: row["voted_amount"] for row in response.json()["results"]}
    assert amounts == {
        "aides-immobilier": "750000.00",
        "capitalisation-fonciere-solidaire": "1000000.00",
        "fonds-financement-acteurs-ess": "150000.00",
        "fonds-participation-scic": "120000.00",
    }


def test_an_invalid_filter_value_is_a_400(client, staff_user, db):
    client.force_login(staff_user)

    assert client.get(reverse("api:budgetline_list"), {"section": "autre"}).status_code == 400


def test_budget_line_detail(client, staff_user, reference_data):
    line = BudgetLine.objects.get(year=2022, code="cotisations")
    client.force_login(staff_user)

    response = client.get(reverse("api:budgetline_detail", args=[line.pk]))

    assert response.json() == {
        "id": line.pk,
        "year": 2022,
        "section": "fonctionnement",
        "is_in_plan": True,
        "code": "cotisations",
        "label": "Cotisations",
        "voted_amount": "5031.00",
        "position": 5,
    }


def test_budget_lines_are_paginated_by_50(client, staff_user, reference_data):
    client.force_login(staff_user)

    data = client.get(reverse("api:budgetline_list")).json()

    assert data["count"] == 65
    assert len(data["results"]) == 50
    assert data["next"]


@pytest.mark.parametrize("rows", [3, 30])
def test_budget_line_list_runs_the_same_queries_whatever_the_number_of_rows(
    client, staff_user, django_assert_num_queries, rows
):
    BudgetLineFactory.create_batch(rows)
    client.force_login(staff_user)

    with django_assert_num_queries(4):
        response = client.get(reverse("api:budgetline_list"))

    assert len(response.json()["results"]) == rows
