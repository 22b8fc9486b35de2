"""/api/v1/scic/ and /api/v1/scic/mouvements/: the register for its readers (staff, admins, elected officials,
partners), read-only; representatives' names for staff only; applicants and buyers refused."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.enums import Role
from scic.enums import MovementKind
from tests.scic.factories import (
    PublicHoldingFactory,
    RepresentativeFactory,
    ScicFactory,
    ShareMovementFactory,
)

pytestmark = pytest.mark.django_db
LIST = reverse("api:scic_list")
MOVEMENTS = reverse("api:scic_movement_list")
D = datetime.date


@pytest.fixture
def scic():
    scic = ScicFactory(actor__name="Coop Vélo Bordeaux", capital=Decimal("100000"))
    ShareMovementFactory(scic=scic, shares=100, nominal=Decimal("50"), moved_on=D(2024, 3, 1))
    PublicHoldingFactory(scic=scic, amount=Decimal("10000"), held_from=D(2023, 1, 1))
    RepresentativeFactory(scic=scic, person_name="Camille Secrète")
    return scic


@pytest.mark.parametrize("url", [LIST, MOVEMENTS, reverse("api:scic_detail", args=[1])])
def test_anonymous_visitors_are_refused(client, url):
    assert client.get(url).status_code in (401, 403)


@pytest.mark.parametrize("url", [LIST, MOVEMENTS, reverse("api:scic_detail", args=[1])])
@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PROCUREMENT])
def test_users_outside_the_register_are_forbidden(client, user_with_role, scic, url, role):
    client.force_login(user_with_role(role))

    response = client.get(url.replace("/1/", f"/{scic.pk}/"))

    assert response.status_code == 403
    assert b"Coop" not in response.content


def test_staff_get_each_scic_with_its_figures_today_and_its_representatives(client, staff_user, scic):
    client.force_login(staff_user)

    response = client.get(LIST)

    assert response.status_code == 200
    assert response.json()["count"] == 1
    row = response.json()["results"][0]
    assert row["actor"] == {"id": scic.actor.pk, "name": "Coop Vélo Bordeaux", "siret": scic.actor.siret}
    assert row["commune"] == {"insee_code": scic.actor.commune.insee_code, "name": scic.actor.commune.name}
    assert row["capital_amount"] == "105000.00"
    assert row["metropole_shares"] == 100
    assert row["metropole_amount"] == "5000.00"
    assert row["metropole_percent"] == "4.8"
    assert row["other_public_amount"] == "10000.00"
    assert row["public_amount"] == "15000.00"
    assert row["public_percent"] == "14.3"
    assert row["is_over_cap"] is False
    assert [person["person_name"] for person in row["representatives"]] == ["Camille Secrète"]


@pytest.mark.parametrize("role", [Role.ELECTED, Role.PARTNER])
def test_elected_officials_and_partners_read_the_register_without_representatives_names(
    client, user_with_role, scic, role
):
    client.force_login(user_with_role(role))

    list_response = client.get(LIST)
    detail_response = client.get(reverse("api:scic_detail", args=[scic.pk]))

    assert list_response.json()["results"][0]["public_percent"] == "14.3"
    assert detail_response.json()["capital_amount"] == "105000.00"
    for response in (list_response, detail_response):
        assert b"Camille" not in response.content
        assert b"representatives" not in response.content


def test_staff_get_the_representatives_in_the_detail(client, staff_user, scic):
    client.force_login(staff_user)

    row = client.get(reverse("api:scic_detail", args=[scic.pk])).json()

    assert [(person["person_name"], person["body"]) for person in row["representatives"]] == [
        ("Camille Secrète", "general_meeting")
    ]


def test_the_new_endpoints_are_in_the_openapi_schema(client, staff_user):
    client.force_login(staff_user)

    schema = client.get(reverse("api:schema")).content

    for path in [b"/api/v1/scic/", b"/api/v1/scic/mouvements/", b"/api/v1/fonciere/biens/", b"/api/v1/fonciere/baux/"]:
        assert path in schema


def test_the_detail_of_an_unknown_scic_is_a_404(client, admin_user):
    client.force_login(admin_user)

    assert client.get(reverse("api:scic_detail", args=[999])).status_code == 404


def test_the_register_is_filtered_by_commune_like_the_page(client, staff_user, scic):
    ScicFactory(actor__name="Coop d’ailleurs", actor__commune__insee_code="33318")
    client.force_login(staff_user)

    response = client.get(LIST, {"commune": "33318"})

    assert [row["actor"]["name"] for row in response.json()["results"]] == ["Coop d’ailleurs"]


def test_the_api_is_read_only(client, staff_user, scic):
    client.force_login(staff_user)

    assert client.post(LIST, {}).status_code == 405
    assert client.delete(reverse("api:scic_detail", args=[scic.pk])).status_code == 405
    assert client.post(MOVEMENTS, {}).status_code == 405


def test_movements_are_filtered_by_scic_and_year(client, partner_user, scic):
    other = ScicFactory(actor__name="Autre coop")
    ShareMovementFactory(scic=scic, kind=MovementKind.PAYING_UP, shares=40, moved_on=D(2025, 2, 1))
    ShareMovementFactory(scic=other, moved_on=D(2025, 5, 1))
    client.force_login(partner_user)

    by_scic = client.get(MOVEMENTS, {"scic": scic.pk}).json()["results"]
    by_year = client.get(MOVEMENTS, {"year": 2025}).json()["results"]
    both = client.get(MOVEMENTS, {"scic": scic.pk, "year": 2025}).json()["results"]

    assert [(row["moved_on"], row["kind"]) for row in by_scic] == [
        ("2025-02-01", "paying_up"),
        ("2024-03-01", "subscription"),
    ]
    assert [row["scic_name"] for row in by_year] == ["Autre coop", "Coop Vélo Bordeaux"]
    assert len(both) == 1
    assert both[0] == {
        "id": both[0]["id"],
        "scic": scic.pk,
        "scic_name": "Coop Vélo Bordeaux",
        "kind": "paying_up",
        "kind_label": "libération",
        "moved_on": "2025-02-01",
        "shares": 40,
        "nominal": "50.00",
        "amount": "2000.00",
        "deliberation_number": "",
        "deliberation_on": None,
    }


def test_the_lists_are_paginated(client, staff_user):
    scic = ScicFactory()
    ShareMovementFactory.create_batch(55, scic=scic)
    client.force_login(staff_user)

    response = client.get(MOVEMENTS)

    assert response.json()["count"] == 55
    assert len(response.json()["results"]) == 50
    assert response.json()["next"].endswith("page=2")


@pytest.mark.parametrize("rows", [3, 30])
def test_the_register_runs_the_same_queries_whatever_the_number_of_scic(
    client, staff_user, django_assert_num_queries, rows
):
    for _ in range(rows):
        scic = ScicFactory(capital=Decimal("50000"))
        ShareMovementFactory(scic=scic)
        RepresentativeFactory(scic=scic)
    client.force_login(staff_user)
    client.get(LIST)

    # session, user, roles, count, SCIC with their figures (subqueries), representatives
    with django_assert_num_queries(6):
        response = client.get(LIST)

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_register_runs_the_same_queries_for_a_partner(client, partner_user, django_assert_num_queries, rows):
    for _ in range(rows):
        RepresentativeFactory(scic=ScicFactory(capital=Decimal("50000")))
    client.force_login(partner_user)
    client.get(LIST)

    # session, user, roles, count, SCIC with their figures (no representatives)
    with django_assert_num_queries(5):
        response = client.get(LIST)

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_movements_run_the_same_queries_whatever_the_number_of_rows(
    client, elected_user, django_assert_num_queries, rows
):
    ShareMovementFactory.create_batch(rows)
    client.force_login(elected_user)
    client.get(MOVEMENTS)

    # session, user, roles, count, movements with their SCIC's actor
    with django_assert_num_queries(5):
        response = client.get(MOVEMENTS)

    assert len(response.json()["results"]) == rows
