import pytest
from django.urls import reverse

from tests.filieres.factories import FiliereFactory, SegmentFactory


def test_anonymous_visitors_cannot_list_filieres(client, db):
    response = client.get(reverse("api:filiere_list"))

    assert response.status_code in (401, 403)


def test_filiere_list_nests_the_segments_in_plan_order(client, procurement_user, reference_data):
    client.force_login(procurement_user)

    response = client.get(reverse("api:filiere_list"))

    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["code"] for row in results] == ["1.1.1", "1.1.2", "1.1.3", "1.1.4"]
    logistics = results[0]
    assert logistics["name"] == "Logistique zéro carbone"
    assert logistics["partner_directions"] == ["DG Mobilités", "Mission fleuve", "Direction des achats"]
    assert [segment["slug"] for segment in logistics["segments"]] == [
        "cyclologistique",
        "points-logistiques-proximite",
        "logistique-fluviale",
    ]
    assert len(results[1]["segments"]) == 6


def test_filiere_detail_is_found_by_slug(client, partner_user, reference_data):
    client.force_login(partner_user)

    response = client.get(reverse("api:filiere_detail", args=["economie-de-proximite"]))

    assert response.status_code == 200
    assert response.json()["code"] == "1.1.4"
    assert {segment["slug"] for segment in response.json()["segments"]} >= {"reprise-transmission-scop"}


@pytest.mark.parametrize("rows", [3, 30])
def test_filiere_list_prefetches_segments(client, staff_user, django_assert_num_queries, rows):
    for filiere in FiliereFactory.create_batch(rows):
        SegmentFactory.create_batch(2, filiere=filiere)
    client.force_login(staff_user)

    # session, user, roles, count, filières, segments, têtes de filière
    with django_assert_num_queries(7):
        response = client.get(reverse("api:filiere_list"))

    assert len(response.json()["results"]) == rows
    assert all(len(row["segments"]) == 2 for row in response.json()["results"])
