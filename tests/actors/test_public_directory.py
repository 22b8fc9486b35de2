"""The public directory (/annuaire/) and the public actor page: only opted-in actors, never a contact."""

from datetime import date, timedelta
from decimal import Decimal

import django_filters
import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from actors.enums import AgrementKind, LegalForm, LocationPrecision
from actors.models import Agrement, Contact
from actors.views.public import PublicActorFilter
from filieres.models import HeadOfNetwork
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.filieres.factories import FiliereFactory, SegmentFactory

DIRECTORY = reverse("actors:directory")


def names_in(response):
    return [actor.name for actor in response.context["actors"]]


def test_anonymous_visitors_see_only_actors_that_opted_in_and_are_not_archived(client, db):
    ActorFactory(name="Recyclerie publique", public=True)
    ActorFactory(name="Atelier discret")
    ActorFactory(name="Ancienne coopérative", public=True, is_archived=True)

    response = client.get(DIRECTORY)

    assert response.status_code == 200
    assert names_in(response) == ["Recyclerie publique"]
    assertContains(response, "Recyclerie publique")
    assertNotContains(response, "Atelier discret")
    assertNotContains(response, "Ancienne coopérative")


def test_logged_in_staff_also_see_only_public_actors_in_the_directory(client, staff_user):
    ActorFactory(name="Recyclerie publique", public=True)
    ActorFactory(name="Atelier discret")
    client.force_login(staff_user)

    assert names_in(client.get(DIRECTORY)) == ["Recyclerie publique"]


def test_the_directory_and_the_public_page_never_show_contacts(client, db):
    actor = ActorFactory(name="Recyclerie publique", public=True)
    Contact.objects.create(
        actor=actor,
        name="Camille Secrète",
        email="camille.secrete@example.org",
        phone="06 12 34 56 78",
        is_public=True,
    )

    for url in (DIRECTORY, reverse("actors:public_detail", args=[actor.pk])):
        response = client.get(url)
        assert response.status_code == 200
        for personal in ("Camille Secrète", "camille.secrete@example.org", "06 12 34 56 78"):
            assertNotContains(response, personal)


def test_the_card_shows_legal_form_commune_filieres_agrements_in_force_description_and_website(client, db):
    filiere = FiliereFactory(name="Économie circulaire")
    actor = ActorFactory(
        name="Recyclerie publique",
        public=True,
        legal_form=LegalForm.SCIC,
        commune=CommuneFactory(name="Bègles"),
        description="Réemploi de matériaux du bâtiment.",
        website="https://recyclerie.example.org",
        filieres=[filiere],
    )
    Agrement.objects.create(actor=actor, kind=AgrementKind.ESUS, expires_on=date.today() + timedelta(days=30))
    Agrement.objects.create(
        actor=actor, kind=AgrementKind.EA, obtained_on=date(2015, 1, 1), expires_on=date.today() - timedelta(days=1)
    )

    response = client.get(DIRECTORY)

    card = response.content.decode()
    assert "Coopérative – SCIC · Bègles" in card
    assert "Économie circulaire" in card
    assert ">ESUS<" in card
    assert ">EA<" not in card  # expired
    assert "Réemploi de matériaux du bâtiment." in card
    assert 'href="https://recyclerie.example.org"' in card
    assertContains(response, reverse("actors:public_detail", args=[actor.pk]))


def test_filters_by_filiere_commune_legal_form_agrement_and_text(client, db):
    circular = FiliereFactory(slug="economie-circulaire")
    begles, merignac = CommuneFactory(insee_code="33039"), CommuneFactory(insee_code="33281")
    wanted = ActorFactory(
        name="Ressourcerie des Étangs", public=True, commune=begles, filieres=[circular], legal_form=LegalForm.SCOP
    )
    Agrement.objects.create(actor=wanted, kind=AgrementKind.ESUS)
    ActorFactory(name="Ressourcerie d'ailleurs", public=True, commune=merignac, filieres=[circular])
    ActorFactory(name="Jardin partagé", public=True, commune=begles)

    assert names_in(client.get(DIRECTORY, {"filiere": "economie-circulaire", "commune": "33039"})) == [
        "Ressourcerie des Étangs"
    ]
    assert names_in(client.get(DIRECTORY, {"forme": "scop"})) == ["Ressourcerie des Étangs"]
    assert names_in(client.get(DIRECTORY, {"agrement": "esus"})) == ["Ressourcerie des Étangs"]
    assert names_in(client.get(DIRECTORY, {"q": "etangs"})) == ["Ressourcerie des Étangs"]


def test_filters_by_segment_and_fte_range(client, db):
    segment = SegmentFactory()
    ActorFactory(name="Petite", public=True, fte=Decimal("2"), segments=[segment])
    ActorFactory(name="Grande", public=True, fte=Decimal("40"))

    assert names_in(client.get(DIRECTORY, {"segment": segment.pk})) == ["Petite"]
    assert names_in(client.get(DIRECTORY, {"etp_min": "10"})) == ["Grande"]
    assert names_in(client.get(DIRECTORY, {"etp_max": "10"})) == ["Petite"]


def test_results_are_counted_paginated_and_sorted_with_the_filters_kept(client, db):
    commune = CommuneFactory(insee_code="33039")
    for number in range(25):
        ActorFactory(name=f"Structure {number:02d}", public=True, commune=commune)
    ActorFactory(name="Ailleurs", public=True)

    first = client.get(DIRECTORY, {"commune": "33039"})
    second = client.get(DIRECTORY, {"commune": "33039", "page": 2})
    reverse_sorted = client.get(DIRECTORY, {"commune": "33039", "tri": "-nom"})

    assert first.context["result_count"] == 25
    assertContains(first, "25</strong> structures trouvées")
    assert len(names_in(first)) == 20 and len(names_in(second)) == 5
    assert set(names_in(first)).isdisjoint(names_in(second))
    assertContains(first, "?commune=33039&amp;page=2")
    assert names_in(reverse_sorted)[0] == "Structure 24"


def test_the_map_is_fed_by_the_geojson_url_carrying_the_current_filters(client, db):
    ActorFactory(public=True)

    response = client.get(DIRECTORY, {"commune": "33039", "tri": "-nom", "page": "1"})

    assert response.context["geojson_url"] == reverse("actors:directory_geojson") + "?commune=33039"
    assertContains(response, f'data-geojson-url="{reverse("actors:directory_geojson")}?commune=33039"')
    assertContains(response, 'aria-label="Carte des structures trouvées"')
    assertContains(response, 'href="#resultats"')  # the skip link to the list alternative
    assertContains(response, 'id="resultats"')


def test_the_map_takes_its_tile_server_from_the_settings(client, db, settings):
    settings.MAP_TILE_URL = "https://tuiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Exemple"
    ActorFactory(public=True)

    response = client.get(DIRECTORY)

    assertContains(response, 'data-tile-url="https://tuiles.example.org/{z}/{x}/{y}.png"')
    assertContains(response, 'data-tile-attribution="© Exemple"')


def test_the_directory_pages_have_no_inline_script(client, db):
    actor = ActorFactory(public=True)

    for url in (DIRECTORY, reverse("actors:public_detail", args=[actor.pk])):
        html = client.get(url).content.decode()
        assert "<script>" not in html and " style=" not in html
        assert 'src="/static/js/map.js"' in html


def test_an_invalid_filter_value_is_ignored_with_a_message(client, db):
    ActorFactory(name="Recyclerie publique", public=True)

    response = client.get(DIRECTORY, {"commune": "99999", "etp_min": "-3"})

    assert response.status_code == 200
    assert names_in(response) == ["Recyclerie publique"]
    assert response.context["form"].errors


def test_an_empty_search_says_so(client, db):
    response = client.get(DIRECTORY, {"q": "introuvable"})

    assertContains(response, "Aucune structure ne correspond à votre recherche.")


def test_staff_only_filters_added_to_the_shared_filter_set_stay_out_of_the_directory(client, db, monkeypatch):
    # As if the registry added an « archived » toggle to ActorFilter: the directory drops it.
    staff_only = django_filters.BooleanFilter(field_name="is_archived")
    monkeypatch.setitem(PublicActorFilter.base_filters, "archivees", staff_only)
    ActorFactory(name="Recyclerie publique", public=True)

    response = client.get(DIRECTORY, {"archivees": "true"})

    assert "archivees" not in response.context["form"].fields
    assert names_in(response) == ["Recyclerie publique"]


def test_the_public_page_of_an_actor(client, db):
    filiere = FiliereFactory(name="Économie circulaire")
    actor = ActorFactory(
        name="Recyclerie publique", public=True, address="3 quai de la Souys", postal_code="33100", filieres=[filiere]
    )
    HeadOfNetwork.objects.create(filiere=filiere, actor=actor, role_description="Animation du réseau du réemploi")

    response = client.get(reverse("actors:public_detail", args=[actor.pk]))

    assertContains(response, "<h1>Recyclerie publique</h1>", html=True)
    assertContains(response, "3 quai de la Souys")
    assertContains(response, "Animation du réseau du réemploi")
    assertContains(response, reverse("filieres:filiere_detail", args=[filiere.slug]))
    assertContains(response, 'data-latitude="44.83780"')


def test_the_public_page_flags_an_approximate_location(client, db):
    actor = ActorFactory(public=True, location_precision=LocationPrecision.COMMUNE)

    assertContains(client.get(reverse("actors:public_detail", args=[actor.pk])), "Localisation approximative")


def test_the_public_page_of_an_actor_without_coordinates_says_it_is_not_located(client, db):
    actor = ActorFactory(public=True, latitude=None, longitude=None)

    response = client.get(reverse("actors:public_detail", args=[actor.pk]))

    assertContains(response, "pas encore localisée")
    assertNotContains(response, "data-latitude")


@pytest.mark.parametrize("kwargs", [{}, {"public": True, "is_archived": True}])
def test_a_non_public_actor_page_is_a_404(client, db, kwargs):
    actor = ActorFactory(name="Atelier discret", **kwargs)

    response = client.get(reverse("actors:public_detail", args=[actor.pk]))

    assert response.status_code == 404
    assertNotContains(response, "Atelier discret", status_code=404)


def test_a_wrong_id_is_a_404(client, db):
    assert client.get(reverse("actors:public_detail", args=[999999])).status_code == 404


def test_the_home_page_and_the_navigation_link_to_the_directory(client, db):
    response = client.get(reverse("home"))

    assertContains(response, "Consulter l’annuaire des acteurs")
    assertContains(response, f'<a href="{DIRECTORY}">Annuaire des acteurs</a>', html=True)


@pytest.mark.parametrize("rows", [10, 200])
def test_the_directory_runs_the_same_number_of_queries_whatever_the_number_of_actors(
    client, db, django_assert_num_queries, rows
):
    filieres = FiliereFactory.create_batch(2)
    commune = CommuneFactory()
    for actor in ActorFactory.create_batch(rows, public=True, commune=commune, filieres=filieres):
        Agrement.objects.create(actor=actor, kind=AgrementKind.ESUS)

    # the chosen filière; filter form choices: communes, filières, segments;
    # count, page of actors, their filières and their agréments
    with django_assert_num_queries(8):
        response = client.get(DIRECTORY, {"filiere": filieres[0].slug})

    assert response.context["result_count"] == rows
