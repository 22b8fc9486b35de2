"""/api/v1/acteurs/: filtered, paginated actors; the registry for métropole roles; contacts for staff only."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from actors.enums import AgrementKind
from actors.models import Agrement, Contact
from filieres.models import HeadOfNetwork
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.filieres.factories import FiliereFactory

LIST = reverse("api:actor_list")
GEOJSON = reverse("api:actor_geojson")


def names(response):
    return [row["name"] for row in response.json()["results"]]


@pytest.fixture
def actors(db):
    public = ActorFactory(name="Recyclerie publique", public=True)
    Contact.objects.create(actor=public, name="Camille Secrète", email="camille@example.org", phone="0600000000")
    ActorFactory(name="Atelier discret")
    ActorFactory(name="Ancienne coopérative", public=True, is_archived=True)
    return public


@pytest.mark.parametrize("url", [LIST, GEOJSON, reverse("api:actor_detail", args=[1])])
def test_anonymous_visitors_are_refused(client, db, url):
    assert client.get(url).status_code in (401, 403)


def test_staff_get_every_active_actor_with_its_contacts(client, staff_user, actors):
    client.force_login(staff_user)

    response = client.get(LIST)

    assert response.status_code == 200
    assert names(response) == ["Atelier discret", "Recyclerie publique"]
    public = response.json()["results"][1]
    assert public["contacts"] == [
        {
            "id": actors.contacts.get().pk,
            "name": "Camille Secrète",
            "role": "",
            "email": "camille@example.org",
            "phone": "0600000000",
            "is_public": False,
        }
    ]


@pytest.mark.parametrize("role", [Role.ELECTED, Role.PROCUREMENT, Role.PARTNER])
def test_read_only_metropole_roles_get_the_registry_without_contacts(client, user_with_role, actors, role):
    client.force_login(user_with_role(role))

    response = client.get(LIST)

    assert names(response) == ["Atelier discret", "Recyclerie publique"]
    assert all("contacts" not in row for row in response.json()["results"])
    assert b"Camille" not in response.content


def test_applicants_get_only_public_actors_and_no_contacts(client, applicant_user, actors):
    client.force_login(applicant_user)

    response = client.get(LIST)

    assert names(response) == ["Recyclerie publique"]
    assert "contacts" not in response.json()["results"][0]
    assert b"Camille" not in response.content
    assert b"camille@example.org" not in response.content


def test_the_detail_of_an_actor_the_user_may_not_see_is_a_404(client, applicant_user, db):
    hidden = ActorFactory(name="Atelier discret")
    client.force_login(applicant_user)

    assert client.get(reverse("api:actor_detail", args=[hidden.pk])).status_code == 404


def test_the_detail_nests_commune_filieres_and_agrements(client, staff_user, db):
    filiere = FiliereFactory(slug="economie-circulaire")
    actor = ActorFactory(commune=CommuneFactory(insee_code="33039", name="Bègles"), filieres=[filiere])
    Agrement.objects.create(actor=actor, kind=AgrementKind.SIAE, siae_type="aci")
    client.force_login(staff_user)

    row = client.get(reverse("api:actor_detail", args=[actor.pk])).json()

    assert row["commune"] == {"insee_code": "33039", "name": "Bègles"}
    assert row["filieres"] == ["economie-circulaire"]
    assert row["agrements"] == [{"kind": "siae", "siae_type": "aci", "obtained_on": None, "expires_on": None}]
    assert row["siren"] == actor.siret[:9]
    assert row["legal_form_label"] == "Association"
    assert row["contacts"] == []


def test_the_list_uses_the_registry_filters_and_sorting(client, staff_user, db):
    circular = FiliereFactory(slug="economie-circulaire")
    begles = CommuneFactory(insee_code="33039")
    ActorFactory(name="Ressourcerie B", commune=begles, filieres=[circular])
    ActorFactory(name="Ressourcerie A", commune=begles, filieres=[circular])
    ActorFactory(name="Ressourcerie d'ailleurs", filieres=[circular])
    ActorFactory(name="Jardin", commune=begles)
    client.force_login(staff_user)

    assert names(client.get(LIST, {"filiere": "economie-circulaire", "commune": "33039"})) == [
        "Ressourcerie A",
        "Ressourcerie B",
    ]
    assert names(client.get(LIST, {"commune": "33039", "tri": "-nom"}))[0] == "Ressourcerie B"
    assert names(client.get(LIST, {"q": "jardin"})) == ["Jardin"]


def test_the_list_is_paginated(client, staff_user, db):
    ActorFactory.create_batch(55)
    client.force_login(staff_user)

    first = client.get(LIST).json()

    assert first["count"] == 55
    assert len(first["results"]) == 50
    assert len(client.get(first["next"]).json()["results"]) == 5


def test_the_geojson_follows_the_filters_and_the_users_visibility(client, staff_user, applicant_user, actors):
    client.force_login(applicant_user)
    applicant_view = client.get(GEOJSON).json()
    client.force_login(staff_user)
    staff_response = client.get(GEOJSON, {"q": "atelier"})
    staff_view = staff_response.json()

    assert [feature["properties"]["name"] for feature in applicant_view["features"]] == ["Recyclerie publique"]
    assert applicant_view["features"][0]["properties"]["url"] == reverse("actors:public_detail", args=[actors.pk])
    assert [feature["properties"]["name"] for feature in staff_view["features"]] == ["Atelier discret"]
    assert staff_view["features"][0]["properties"]["url"].startswith("/acteurs/")
    assert staff_response["Content-Type"] == "application/geo+json"


@pytest.mark.parametrize("rows", [10, 200])
def test_the_list_runs_the_same_number_of_queries_whatever_the_number_of_actors(
    client, staff_user, django_assert_num_queries, rows
):
    filieres = FiliereFactory.create_batch(2)
    for actor in ActorFactory.create_batch(rows, filieres=filieres):
        Agrement.objects.create(actor=actor, kind=AgrementKind.ESUS)
        Contact.objects.create(actor=actor, name="Contact fictif")
    client.force_login(staff_user)

    # session, user, roles; count, actors, filières, segments, agréments, contacts
    with django_assert_num_queries(9):
        response = client.get(LIST)

    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [10, 200])
def test_the_geojson_runs_the_same_number_of_queries_whatever_the_number_of_actors(
    client, staff_user, django_assert_num_queries, rows
):
    ActorFactory.create_batch(rows)
    client.force_login(staff_user)

    # session, user, roles; features
    with django_assert_num_queries(4):
        response = client.get(GEOJSON)

    assert len(response.json()["features"]) == rows


def test_the_filiere_api_lists_the_heads_of_network_the_user_may_see(client, applicant_user, staff_user, db):
    filiere = FiliereFactory(slug="economie-circulaire")
    public_head = ActorFactory(name="Réseau public", public=True)
    HeadOfNetwork.objects.create(filiere=filiere, actor=public_head, role_description="Animation")
    HeadOfNetwork.objects.create(filiere=filiere, actor=ActorFactory(name="Réseau discret"))
    url = reverse("api:filiere_detail", args=["economie-circulaire"])

    client.force_login(applicant_user)
    applicant_view = client.get(url).json()["heads_of_network"]
    client.force_login(staff_user)
    staff_view = client.get(url).json()["heads_of_network"]

    assert applicant_view == [
        {"actor_id": public_head.pk, "actor_name": "Réseau public", "since_on": None, "role_description": "Animation"}
    ]
    assert [head["actor_name"] for head in staff_view] == ["Réseau discret", "Réseau public"]
