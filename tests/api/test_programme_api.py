import pytest
from django.urls import reverse

from tests.programme.factories import ActionFactory
from tests.quadripartite.factories import PartnerFactory


def test_anonymous_visitors_cannot_list_actions_or_partners(client, db):
    assert client.get(reverse("api:action_list")).status_code in (401, 403)
    assert client.get(reverse("api:partner_list")).status_code in (401, 403)


def test_action_list_follows_the_plan(client, elected_user, reference_data):
    client.force_login(elected_user)

    results = client.get(reverse("api:action_list")).json()["results"]

    assert len(results) == 19
    gsef = next(row for row in results if row["code"] == "3.1.2")
    assert (gsef["axis"], gsef["sheet"], gsef["parent"]) == (3, 3, "3.1")
    assert "Participation au Forum de Dakar (2023)" in gsef["calendar"]


def test_action_detail_is_found_by_code(client, partner_user, reference_data):
    client.force_login(partner_user)

    response = client.get(reverse("api:action_detail", args=["2.2"]))

    assert response.status_code == 200
    assert response.json()["parent"] is None
    assert response.json()["calendar"][-1] == "Premières prises de participation à partir de 2023"


def test_partner_list_gives_the_four_collectivities_then_the_other_partner_bodies(
    client, partner_user, reference_data
):
    client.force_login(partner_user)

    results = client.get(reverse("api:partner_list")).json()["results"]

    assert [row["short_name"] for row in results if row["is_signatory"]] == [
        "Région",
        "Département",
        "Métropole",
        "Ville de Bordeaux",
    ]
    assert [row["short_name"] for row in results if not row["is_signatory"]] == [
        "CRESS",
        "INAE",
        "3AR",
        "PLIE",
        "CMA",
        "CCI",
    ]


@pytest.mark.parametrize("rows", [3, 30])
def test_action_list_runs_the_same_queries_whatever_the_number_of_rows(
    client, staff_user, django_assert_num_queries, rows
):
    parent = ActionFactory()
    ActionFactory.create_batch(rows - 1, parent=parent, sheet=parent.sheet)
    client.force_login(staff_user)

    # Session, user, roles, count, page, milestones, and the plan's tree for the rolled-up progress.
    with django_assert_num_queries(7):
        response = client.get(reverse("api:action_list"))

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_partner_list_runs_the_same_queries_whatever_the_number_of_rows(
    client, staff_user, django_assert_num_queries, rows
):
    PartnerFactory.create_batch(rows)
    client.force_login(staff_user)

    with django_assert_num_queries(4):
        client.get(reverse("api:partner_list"))
