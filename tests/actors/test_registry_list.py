from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from actors.enums import AgrementKind, LegalForm, SiaeType
from actors.models import Actor, Agrement
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.filieres.factories import FiliereFactory, SegmentFactory

LIST_URL = reverse("actors:actor_list")


def names_on_page(response) -> list[str]:
    return [actor.name for actor in response.context["actors"]]


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_applicants_may_not_open_the_registry(client, applicant_user):
    ActorFactory(members=[applicant_user])
    client.force_login(applicant_user)
    assert client.get(LIST_URL).status_code == 403


@pytest.mark.parametrize("role_fixture", ["staff_user", "elected_user", "procurement_user", "partner_user"])
def test_staff_and_read_only_roles_see_the_registry(client, db, request, role_fixture):
    ActorFactory(name="Recyclerie du Bourg")
    client.force_login(request.getfixturevalue(role_fixture))
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assertContains(response, "Recyclerie du Bourg")


def test_only_staff_see_the_create_button(client, staff_user, elected_user):
    client.force_login(elected_user)
    assertNotContains(client.get(LIST_URL), reverse("actors:actor_create"))
    client.force_login(staff_user)
    assertContains(client.get(LIST_URL), reverse("actors:actor_create"))


def test_the_list_shows_the_result_count_and_an_empty_state(client, staff_user):
    ActorFactory.create_batch(3)
    client.force_login(staff_user)
    assertContains(client.get(LIST_URL), "3 acteurs")
    response = client.get(LIST_URL, {"q": "introuvable"})
    assertContains(response, "<strong>0 acteur</strong>")
    assertContains(response, "Aucun acteur ne correspond à cette recherche.")


def test_text_search_ignores_accents_and_case(client, staff_user):
    ActorFactory(name="Maison de l’Économie Circulaire")
    ActorFactory(name="Jardin partagé")
    client.force_login(staff_user)
    assert names_on_page(client.get(LIST_URL, {"q": "economie"})) == ["Maison de l’Économie Circulaire"]
    assert names_on_page(client.get(LIST_URL, {"q": "ÉCONOMIE circulaire"})) == ["Maison de l’Économie Circulaire"]


def test_text_search_finds_a_siret_and_words_of_the_description(client, staff_user):
    target = ActorFactory(name="Atelier vélo", description="Réparation de bicyclettes et cyclologistique")
    ActorFactory(name="Autre structure")
    client.force_login(staff_user)
    assert names_on_page(client.get(LIST_URL, {"q": target.siret})) == ["Atelier vélo"]
    assert names_on_page(client.get(LIST_URL, {"q": "bicyclettes"})) == ["Atelier vélo"]


def test_filters_by_commune_legal_form_agrement_filiere_segment_and_fte(client, staff_user):
    merignac = CommuneFactory(insee_code="33281", name="Mérignac", slug="merignac")
    filiere = FiliereFactory(slug="economie-circulaire")
    segment = SegmentFactory(filiere=filiere)
    match = ActorFactory(
        name="Cible", commune=merignac, legal_form=LegalForm.SCIC, fte=Decimal("12"), filieres=[filiere]
    )
    match.segments.set([segment])
    Agrement.objects.create(actor=match, kind=AgrementKind.SIAE, siae_type=SiaeType.ACI)
    ActorFactory(name="Autre commune", legal_form=LegalForm.SCIC, fte=Decimal("12"))
    ActorFactory(name="Autre forme", commune=merignac, legal_form=LegalForm.ASSOCIATION, fte=Decimal("12"))
    ActorFactory(name="Trop petite", commune=merignac, legal_form=LegalForm.SCIC, fte=Decimal("2"))
    client.force_login(staff_user)

    assert names_on_page(client.get(LIST_URL, {"commune": "33281"})) == ["Autre forme", "Cible", "Trop petite"]
    assert names_on_page(client.get(LIST_URL, {"commune": "33281", "forme": "scic"})) == ["Cible", "Trop petite"]
    assert names_on_page(client.get(LIST_URL, {"agrement": "siae"})) == ["Cible"]
    assert names_on_page(client.get(LIST_URL, {"filiere": "economie-circulaire"})) == ["Cible"]
    assert names_on_page(client.get(LIST_URL, {"segment": segment.pk})) == ["Cible"]
    assert names_on_page(client.get(LIST_URL, {"etp_min": "10", "etp_max": "20"})) == [
        "Autre commune",
        "Autre forme",
        "Cible",
    ]


def test_archived_actors_are_hidden_unless_asked_for(client, staff_user):
    ActorFactory(name="Active")
    ActorFactory(name="Fermée", is_archived=True)
    client.force_login(staff_user)
    assert names_on_page(client.get(LIST_URL)) == ["Active"]
    response = client.get(LIST_URL, {"archives": "1"})
    assert names_on_page(response) == ["Active", "Fermée"]
    assertContains(response, 'name="archives" value="1" id="id_archives" checked')


def test_columns_sort_both_ways_and_header_links_keep_the_filters(client, staff_user):
    ActorFactory(name="Bêta", fte=Decimal("3"))
    ActorFactory(name="Alpha", fte=Decimal("30"))
    ActorFactory(name="Gamma", fte=Decimal("10"))
    client.force_login(staff_user)

    assert names_on_page(client.get(LIST_URL, {"tri": "etp"})) == ["Bêta", "Gamma", "Alpha"]
    assert names_on_page(client.get(LIST_URL, {"tri": "-etp"})) == ["Alpha", "Gamma", "Bêta"]
    response = client.get(LIST_URL, {"tri": "nom", "forme": "association"})
    links = {link["key"]: link for link in response.context["sort_links"]}
    assert links["nom"]["aria_sort"] == "ascending"
    assert links["nom"]["url"] == "?tri=-nom&forme=association"
    assert links["etp"]["url"] == "?tri=etp&forme=association"
    assertContains(response, 'aria-sort="ascending"')


def test_pagination_shows_50_actors_and_its_links_keep_the_filters(client, staff_user):
    ActorFactory.create_batch(55, legal_form=LegalForm.SCOP)
    client.force_login(staff_user)
    response = client.get(LIST_URL, {"forme": "scop"})
    assert len(response.context["actors"]) == 50
    assertContains(response, "Page 1 sur 2")
    assertContains(response, "?forme=scop&amp;page=2")
    assert len(client.get(LIST_URL, {"forme": "scop", "page": "2"}).context["actors"]) == 5


def test_filter_form_fields_have_labels(client, staff_user):
    client.force_login(staff_user)
    response = client.get(LIST_URL)
    for field in ("q", "commune", "forme", "agrement", "filiere", "segment", "etp_min", "etp_max"):
        assertContains(response, f'<label for="id_{field}">')


@pytest.mark.parametrize("count", [10, 200])
def test_the_list_runs_the_same_queries_whatever_the_number_of_actors(
    client, staff_user, django_assert_num_queries, count
):
    filiere = FiliereFactory()
    commune = CommuneFactory()
    actors = ActorFactory.create_batch(count, commune=commune, filieres=[filiere])
    Agrement.objects.bulk_create(Agrement(actor=actor, kind=AgrementKind.ESUS) for actor in actors)
    client.force_login(staff_user)
    client.get(LIST_URL)  # warm the session
    # session, user, roles, the chosen filière (validation), count, filter choices (communes, filières,
    # segments), page of actors with their commune, agréments of the page
    with django_assert_num_queries(10):
        response = client.get(LIST_URL, {"filiere": filiere.slug, "tri": "commune"})
    assert response.status_code == 200
    assert len(response.context["actors"]) == min(count, 50)
    assert Actor.objects.count() == count
