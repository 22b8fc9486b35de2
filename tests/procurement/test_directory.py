from datetime import date, timedelta

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from actors.enums import AgrementKind, LegalForm, SiaeType
from actors.models import Agrement
from procurement.enums import ListingStatus
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.filieres.factories import FiliereFactory
from tests.procurement.factories import AsrListingFactory, CpvCodeFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("procurement:directory")
BUYER_URLS = [
    DIRECTORY,
    reverse("procurement:directory_geojson"),
    reverse("procurement:directory_export"),
    reverse("procurement:verify_siret"),
]


def names(response) -> set[str]:
    return {listing.actor.name for listing in response.context["listings"]}


@pytest.fixture
def buyer(client, procurement_user):
    client.force_login(procurement_user)
    return client


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in BUYER_URLS:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("fixture", ["applicant_user", "partner_user", "elected_user"])
def test_other_roles_never_reach_the_buyer_pages(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    for url in BUYER_URLS:
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("fixture", ["procurement_user", "staff_user", "admin_user"])
def test_buyers_and_staff_open_the_directory(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(DIRECTORY).status_code == 200


def test_the_directory_shows_only_published_and_fresh_listings(buyer):
    AsrListingFactory(published=True, actor=ActorFactory(name="Publiée"))
    AsrListingFactory(status=ListingStatus.DRAFT, actor=ActorFactory(name="Brouillon"))
    AsrListingFactory(status=ListingStatus.SUBMITTED, actor=ActorFactory(name="Soumise"))
    AsrListingFactory(status=ListingStatus.EXPIRED, actor=ActorFactory(name="Expirée"))
    AsrListingFactory(
        published=True, last_verified_on=date.today() - timedelta(days=400), actor=ActorFactory(name="Périmée")
    )

    response = buyer.get(DIRECTORY)

    assert names(response) == {"Publiée"}
    assert response.context["result_count"] == 1
    assert "Brouillon" not in response.content.decode()


def test_the_search_covers_offers_and_cpv_labels_ignoring_accents(buyer):
    cleaning = CpvCodeFactory(code="9091", label="Services de nettoyage")
    AsrListingFactory(published=True, actor=ActorFactory(name="A"), offers="Création de jardins partagés")
    AsrListingFactory(published=True, actor=ActorFactory(name="B"), offers="Divers", cpv_codes=[cleaning])

    assert names(buyer.get(DIRECTORY, {"q": "creation JARDINS"})) == {"A"}
    assert names(buyer.get(DIRECTORY, {"q": "nettoyage"})) == {"B"}
    assert names(buyer.get(DIRECTORY, {"q": "90910000"})) == {"B"}


def test_the_cpv_filter_matches_a_code_prefix(buyer):
    cleaning = CpvCodeFactory(code="9091", label="Services de nettoyage")
    waste = CpvCodeFactory(code="9051", label="Élimination et traitement des ordures")
    catering = CpvCodeFactory(code="5552", label="Services traiteur")
    AsrListingFactory(published=True, actor=ActorFactory(name="Propre"), cpv_codes=[cleaning])
    AsrListingFactory(published=True, actor=ActorFactory(name="Déchets"), cpv_codes=[waste, catering])
    AsrListingFactory(published=True, actor=ActorFactory(name="Traiteur"), cpv_codes=[catering])

    assert names(buyer.get(DIRECTORY, {"cpv": "90"})) == {"Propre", "Déchets"}
    assert names(buyer.get(DIRECTORY, {"cpv": "90910000"})) == {"Propre"}
    assert names(buyer.get(DIRECTORY, {"cpv": "55"})) == {"Déchets", "Traiteur"}


def test_the_commune_filter_includes_suppliers_serving_the_whole_metropole(buyer):
    begles, pessac = CommuneFactory(insee_code="33039"), CommuneFactory(insee_code="33318")
    AsrListingFactory(published=True, actor=ActorFactory(name="Partout"), serves_whole_metropole=True)
    AsrListingFactory(
        published=True, actor=ActorFactory(name="Bègles"), serves_whole_metropole=False, communes=[begles]
    )
    AsrListingFactory(
        published=True, actor=ActorFactory(name="Pessac"), serves_whole_metropole=False, communes=[pessac]
    )

    assert names(buyer.get(DIRECTORY, {"commune": "33039"})) == {"Partout", "Bègles"}


def test_the_reserved_contract_filter_follows_the_agrements_in_force(buyer):
    esat = AsrListingFactory(published=True, actor=ActorFactory(name="ESAT")).actor
    Agrement.objects.create(actor=esat, kind=AgrementKind.ESAT)
    siae = AsrListingFactory(published=True, actor=ActorFactory(name="SIAE")).actor
    Agrement.objects.create(actor=siae, kind=AgrementKind.SIAE, siae_type=SiaeType.EI)
    expired = AsrListingFactory(published=True, actor=ActorFactory(name="EA échue")).actor
    Agrement.objects.create(actor=expired, kind=AgrementKind.EA, expires_on=date.today() - timedelta(days=1))

    assert names(buyer.get(DIRECTORY, {"article": "L2113-12"})) == {"ESAT"}
    assert names(buyer.get(DIRECTORY, {"article": "L2113-13"})) == {"SIAE"}
    assert names(buyer.get(DIRECTORY, {"article": "L2113-15"})) == {"ESAT", "SIAE", "EA échue"}
    assert names(buyer.get(DIRECTORY, {"agrement": "siae"})) == {"SIAE"}


def test_legal_form_filiere_and_fte_filters(buyer):
    filiere = FiliereFactory()
    AsrListingFactory(
        published=True, actor=ActorFactory(name="Scop", legal_form=LegalForm.SCOP, fte=30, filieres=[filiere])
    )
    AsrListingFactory(published=True, actor=ActorFactory(name="Asso", legal_form=LegalForm.ASSOCIATION, fte=3))

    assert names(buyer.get(DIRECTORY, {"forme": "scop"})) == {"Scop"}
    assert names(buyer.get(DIRECTORY, {"filiere": filiere.slug})) == {"Scop"}
    assert names(buyer.get(DIRECTORY, {"etp_min": "10"})) == {"Scop"}


def test_the_filters_are_kept_in_the_pagination_links(buyer):
    for number in range(25):
        AsrListingFactory(published=True, actor=ActorFactory(name=f"Structure {number:02d}"))

    response = buyer.get(DIRECTORY, {"forme": "association"})

    assert response.context["result_count"] == 25
    assert "?forme=association&amp;page=2" in response.content.decode()


@pytest.mark.parametrize("size", [10, 200])
def test_the_directory_query_count_does_not_grow_with_the_listings(buyer, django_assert_num_queries, size):
    cpv = CpvCodeFactory(code="9091", label="Services de nettoyage")
    commune = CommuneFactory()
    for _ in range(size):
        listing = AsrListingFactory(published=True, cpv_codes=[cpv], communes=[commune], serves_whole_metropole=False)
        Agrement.objects.create(actor=listing.actor, kind=AgrementKind.ESUS)

    # session, user, groups, count, page, cpv, communes, filières, agréments, filter form choices (commune, filière)
    with django_assert_num_queries(11):
        response = buyer.get(DIRECTORY, {"cpv": "90"})

    assert response.context["result_count"] == size


def test_the_map_geojson_holds_the_located_suppliers_of_the_filtered_listings(buyer):
    cleaning = CpvCodeFactory(code="9091", label="Services de nettoyage")
    shown = AsrListingFactory(published=True, actor=ActorFactory(name="Propre"), cpv_codes=[cleaning])
    AsrListingFactory(published=True, actor=ActorFactory(name="Autre"))
    AsrListingFactory(status=ListingStatus.DRAFT, actor=ActorFactory(name="Brouillon"), cpv_codes=[cleaning])
    AsrListingFactory(published=True, actor=ActorFactory(name="Sans position", latitude=None, longitude=None))

    page = buyer.get(DIRECTORY, {"cpv": "9091"})
    data = buyer.get(reverse("procurement:directory_geojson"), {"cpv": "9091"}).json()

    assert 'data-geojson-url="/achats/annuaire/carte.geojson?cpv=9091"' in page.content.decode()
    assert [feature["properties"]["name"] for feature in data["features"]] == ["Propre"]
    assert data["features"][0]["properties"]["url"] == reverse("actors:actor_detail", args=[shown.actor.pk])


def test_the_map_geojson_is_for_buyers_only(client, applicant_user):
    client.force_login(applicant_user)

    assert client.get(reverse("procurement:directory_geojson")).status_code == 403


def test_staff_find_the_listings_to_review_from_the_directory(client, staff_user, procurement_user):
    client.force_login(staff_user)
    assert reverse("procurement:review_list") in client.get(DIRECTORY).content.decode()

    client.force_login(procurement_user)
    assert reverse("procurement:review_list") not in client.get(DIRECTORY).content.decode()


def test_a_very_broad_search_says_more_than_the_cap_and_pages_only_through_it(client, procurement_user, monkeypatch):
    from procurement.asr import views

    monkeypatch.setattr(views, "DIRECTORY_COUNT_CAP", 3)
    for _ in range(5):
        AsrListingFactory(published=True)
    client.force_login(procurement_user)
    response = client.get(DIRECTORY)
    assert response.context["count_is_capped"] is True
    assert response.context["result_count"] == 3
    assertContains(response, "Plus de <strong>3</strong> fournisseurs trouvés")
    monkeypatch.setattr(views, "DIRECTORY_COUNT_CAP", 5)
    response = client.get(DIRECTORY)
    assert response.context["count_is_capped"] is False
    assertContains(response, "<strong>5</strong> fournisseurs trouvés")


def test_an_empty_search_suggests_widening_it_and_offers_no_export(client, procurement_user):
    AsrListingFactory(published=True)
    client.force_login(procurement_user)

    response = client.get(DIRECTORY, {"q": "introuvable"})

    assertContains(response, "Aucun fournisseur ne correspond à ces critères.")
    assertContains(response, "Élargissez la recherche")
    assertNotContains(response, "Exporter les résultats")


def test_the_export_form_offers_every_documented_column_checked_with_its_description(client, procurement_user):
    from procurement.asr.exports import COLUMNS

    AsrListingFactory(published=True)
    client.force_login(procurement_user)

    response = client.get(DIRECTORY)

    assertContains(response, "Exporter les résultats (1 fournisseur)")
    for column in COLUMNS:
        assertContains(
            response,
            f'<input type="checkbox" name="colonnes" value="{column.key}" id="colonne-{column.key}" '
            f'aria-describedby="colonne-{column.key}-aide" checked>',
        )
        assertContains(response, f'<small id="colonne-{column.key}-aide" class="help">{column.description}</small>')


def test_the_procurement_root_leads_buyers_to_the_directory_and_structures_to_their_listings(
    client, procurement_user, applicant_user
):
    client.force_login(procurement_user)
    assert client.get("/achats/").url == DIRECTORY
    client.force_login(applicant_user)
    assert client.get("/achats/").url == reverse("procurement:my_listings")
