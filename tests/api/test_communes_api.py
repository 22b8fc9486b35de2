import pytest
from django.urls import reverse

from tests.actors.factories import CommuneFactory


def test_anonymous_visitors_cannot_list_communes(client, db):
    response = client.get(reverse("api:commune_list"))

    assert response.status_code in (401, 403)


def test_commune_list_gives_the_28_communes_with_their_centre(client, staff_user, reference_data):
    client.force_login(staff_user)

    response = client.get(reverse("api:commune_list"))

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 28
    bordeaux = next(row for row in data["results"] if row["insee_code"] == "33063")
    assert bordeaux == {
        "insee_code": "33063",
        "name": "Bordeaux",
        "slug": "bordeaux",
        "latitude": "44.83780",
        "longitude": "-0.57920",
    }


def test_commune_detail_is_found_by_insee_code(client, elected_user, reference_data):
    client.force_login(elected_user)

    response = client.get(reverse("api:commune_detail", args=["33281"]))

    assert response.status_code == 200
    assert response.json()["name"] == "Mérignac"


def test_unknown_commune_is_a_404(client, elected_user, reference_data):
    client.force_login(elected_user)

    assert client.get(reverse("api:commune_detail", args=["75056"])).status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_commune_list_runs_the_same_queries_whatever_the_number_of_rows(
    client, staff_user, django_assert_num_queries, rows
):
    CommuneFactory.create_batch(rows)
    client.force_login(staff_user)

    # session, user, count, page
    with django_assert_num_queries(4):
        response = client.get(reverse("api:commune_list"))

    assert len(response.json()["results"]) == rows
