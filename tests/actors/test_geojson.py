"""/annuaire/carte.geojson: the located public actors matching the directory's filters."""

from decimal import Decimal

import pytest
from django.urls import reverse

from actors.enums import LocationPrecision
from actors.location import feature_collection
from actors.models import Actor, Contact
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.filieres.factories import FiliereFactory

GEOJSON = reverse("actors:directory_geojson")


def test_the_geojson_is_a_feature_collection_of_the_located_public_actors(client, db):
    commune = CommuneFactory(name="Bègles")
    actor = ActorFactory(
        name="Recyclerie publique",
        public=True,
        commune=commune,
        latitude=Decimal("44.80830"),
        longitude=Decimal("-0.54720"),
        location_precision=LocationPrecision.ADDRESS,
    )

    response = client.get(GEOJSON)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response.json() == {
        "type": "FeatureCollection",
        "truncated": False,
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-0.5472, 44.8083]},
                "properties": {
                    "id": actor.pk,
                    "name": "Recyclerie publique",
                    "legal_form": "Association",
                    "commune": "Bègles",
                    "url": reverse("actors:public_detail", args=[actor.pk]),
                    "precision": "address",
                    "approximate": False,
                },
            }
        ],
    }


def test_anonymous_visitors_never_get_non_public_archived_or_personal_data(client, db):
    public = ActorFactory(name="Recyclerie publique", public=True)
    Contact.objects.create(actor=public, name="Camille Secrète", email="camille@example.org", is_public=True)
    ActorFactory(name="Atelier discret")
    ActorFactory(name="Ancienne coopérative", public=True, is_archived=True)

    response = client.get(GEOJSON)

    assert [feature["properties"]["name"] for feature in response.json()["features"]] == ["Recyclerie publique"]
    assert b"Camille" not in response.content and b"camille@example.org" not in response.content


def test_actors_without_coordinates_are_left_out_and_approximate_ones_flagged(client, db):
    ActorFactory(name="Sans adresse", public=True, latitude=None, longitude=None)
    ActorFactory(name="Au centre de la commune", public=True, location_precision=LocationPrecision.COMMUNE)

    features = client.get(GEOJSON).json()["features"]

    assert [feature["properties"]["name"] for feature in features] == ["Au centre de la commune"]
    assert features[0]["properties"]["approximate"] is True


def test_the_geojson_follows_the_directory_filters(client, db):
    circular = FiliereFactory(slug="economie-circulaire")
    begles = CommuneFactory(insee_code="33039")
    ActorFactory(name="Ressourcerie", public=True, commune=begles, filieres=[circular])
    ActorFactory(name="Ressourcerie d'ailleurs", public=True, filieres=[circular])
    ActorFactory(name="Jardin", public=True, commune=begles)

    response = client.get(GEOJSON, {"filiere": "economie-circulaire", "commune": "33039"})

    assert [feature["properties"]["name"] for feature in response.json()["features"]] == ["Ressourcerie"]


def test_the_collection_is_bounded_and_says_when_it_is_truncated(db):
    ActorFactory.create_batch(5, public=True)

    collection = feature_collection(Actor.objects.public(), limit=3)

    assert len(collection["features"]) == 3
    assert collection["truncated"] is True
    assert collection["total"] == 5


@pytest.mark.parametrize("rows", [10, 200])
def test_the_geojson_runs_the_same_number_of_queries_whatever_the_number_of_actors(
    client, db, django_assert_num_queries, rows
):
    commune = CommuneFactory(insee_code="33039")
    ActorFactory.create_batch(rows, public=True, commune=commune)

    # the chosen commune, then the features in one query (values(), no model instances)
    with django_assert_num_queries(2):
        response = client.get(GEOJSON, {"commune": "33039"})

    assert len(response.json()["features"]) == rows
