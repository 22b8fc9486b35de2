"""The filière pages (/filieres/): public, with the actors each visitor may see."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from actors.models import Contact
from filieres.models import Filiere, HeadOfNetwork
from tests.actors.factories import ActorFactory
from tests.filieres.factories import FiliereFactory, SegmentFactory

LIST = reverse("filieres:filiere_list")


def detail_url(filiere):
    return reverse("filieres:filiere_detail", args=[filiere.slug])


def test_the_list_shows_the_four_filieres_with_segments_partner_directions_and_counts(client, reference_data):
    circular = Filiere.objects.get(slug="economie-circulaire")
    ActorFactory.create_batch(2, public=True, filieres=[circular])
    ActorFactory(filieres=[circular])  # not in the directory

    response = client.get(LIST)

    assert response.status_code == 200
    assert [filiere.code for filiere in response.context["filieres"]] == ["1.1.1", "1.1.2", "1.1.3", "1.1.4"]
    assert {filiere.slug: filiere.actor_count for filiere in response.context["filieres"]}["economie-circulaire"] == 2
    assertContains(response, "Logistique zéro carbone")
    assertContains(response, "Cyclologistique")
    assertContains(response, "DG Mobilités")
    assertContains(response, "2 structures dans l’annuaire")


def test_staff_count_every_active_actor_of_the_registry(client, staff_user, db):
    filiere = FiliereFactory()
    ActorFactory(public=True, filieres=[filiere])
    ActorFactory(filieres=[filiere])
    ActorFactory(filieres=[filiere], is_archived=True)
    client.force_login(staff_user)

    response = client.get(LIST)

    assert [row.actor_count for row in response.context["filieres"]] == [2]
    assertContains(response, "2 structures au registre")


def test_anonymous_visitors_see_only_public_heads_of_network_and_actors(client, db):
    filiere = FiliereFactory()
    public_head = ActorFactory(name="Réseau public", public=True, filieres=[filiere])
    hidden_head = ActorFactory(name="Réseau discret", filieres=[filiere])
    HeadOfNetwork.objects.create(filiere=filiere, actor=public_head, role_description="Animation du réseau")
    HeadOfNetwork.objects.create(filiere=filiere, actor=hidden_head)
    ActorFactory(name="Atelier discret", filieres=[filiere])
    Contact.objects.create(actor=public_head, name="Camille Secrète", email="camille@example.org", is_public=True)

    for url in (LIST, detail_url(filiere)):
        response = client.get(url)
        assertContains(response, "Réseau public")
        assertContains(response, "Animation du réseau")
        assertNotContains(response, "Réseau discret")
        assertNotContains(response, "Atelier discret")
        assertNotContains(response, "Camille")
        assertNotContains(response, "camille@example.org")


def test_the_detail_lists_and_maps_the_public_actors_of_the_filiere(client, db):
    filiere = FiliereFactory(slug="economie-circulaire")
    other = FiliereFactory()
    segment = SegmentFactory(filiere=filiere, name="Réemploi")
    ActorFactory(name="Ressourcerie", public=True, filieres=[filiere], segments=[segment])
    ActorFactory(name="Jardin", public=True, filieres=[other])

    response = client.get(detail_url(filiere))

    assert [actor.name for actor in response.context["actors"]] == ["Ressourcerie"]
    assertContains(response, 'Réemploi <span class="muted">(1 structure)</span>')
    assertContains(response, reverse("actors:public_detail", args=[response.context["actors"][0].pk]))
    geojson_url = f"{reverse('actors:directory_geojson')}?filiere=economie-circulaire"
    assertContains(response, f'data-geojson-url="{geojson_url}"')
    assertContains(response, 'href="#structures-filiere"')
    geojson = client.get(geojson_url).json()
    assert [feature["properties"]["name"] for feature in geojson["features"]] == ["Ressourcerie"]


def test_registry_viewers_see_every_active_actor_mapped_through_the_api(client, procurement_user, db):
    filiere = FiliereFactory(slug="economie-circulaire")
    actor = ActorFactory(name="Atelier discret", filieres=[filiere])
    ActorFactory(name="Archivée", filieres=[filiere], is_archived=True)
    client.force_login(procurement_user)

    response = client.get(detail_url(filiere))

    assert [row.name for row in response.context["actors"]] == ["Atelier discret"]
    assertContains(response, reverse("actors:actor_detail", args=[actor.pk]))
    assertContains(response, f'data-geojson-url="{reverse("api:actor_geojson")}?filiere=economie-circulaire"')


def test_an_unknown_filiere_is_a_404(client, db):
    assert client.get(reverse("filieres:filiere_detail", args=["inconnue"])).status_code == 404


def test_the_detail_paginates_its_actors(client, db):
    filiere = FiliereFactory()
    ActorFactory.create_batch(25, public=True, filieres=[filiere])

    first = client.get(detail_url(filiere))
    second = client.get(detail_url(filiere), {"page": 2})

    assert len(first.context["actors"]) == 20 and len(second.context["actors"]) == 5
    assertContains(first, "?page=2")


@pytest.mark.parametrize("rows", [10, 200])
def test_the_list_runs_the_same_number_of_queries_whatever_the_number_of_actors(
    client, db, django_assert_num_queries, rows
):
    filieres = FiliereFactory.create_batch(4)
    for filiere in filieres:
        SegmentFactory.create_batch(2, filiere=filiere)
    for actor in ActorFactory.create_batch(rows, public=True, filieres=filieres):
        HeadOfNetwork.objects.create(filiere=filieres[0], actor=actor)

    # filières with their counts, segments, têtes de filière
    with django_assert_num_queries(3):
        client.get(LIST)


@pytest.mark.parametrize("rows", [10, 200])
def test_the_detail_runs_the_same_number_of_queries_whatever_the_number_of_actors(
    client, db, django_assert_num_queries, rows
):
    filiere = FiliereFactory()
    segments = SegmentFactory.create_batch(3, filiere=filiere)
    ActorFactory.create_batch(rows, public=True, filieres=[filiere], segments=segments)

    # filière, its têtes de filière; segments with their counts; actors count, page, filières, agréments
    with django_assert_num_queries(7):
        client.get(detail_url(filiere))
