import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from actors.enums import AgrementKind
from actors.models import Agrement
from procurement.asr.models import AsrListing
from procurement.asr.services import expire_stale_listings
from procurement.enums import ListingStatus
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.procurement.factories import AsrListingFactory, CpvCodeFactory

TODAY = date(2026, 11, 26)

pytestmark = pytest.mark.django_db


def test_only_published_listings_verified_within_twelve_months_are_shown_to_buyers():
    shown = AsrListingFactory(published=True, last_verified_on=TODAY - timedelta(days=365))
    AsrListingFactory(published=True, last_verified_on=TODAY - timedelta(days=366))
    AsrListingFactory(status=ListingStatus.DRAFT)
    AsrListingFactory(status=ListingStatus.SUBMITTED, last_verified_on=TODAY)
    AsrListingFactory(status=ListingStatus.EXPIRED, last_verified_on=TODAY)
    AsrListingFactory(published=True, last_verified_on=TODAY, actor=ActorFactory(is_archived=True))

    assert list(AsrListing.objects.published(TODAY)) == [shown]


def test_listings_not_verified_for_twelve_months_are_marked_expired():
    fresh = AsrListingFactory(published=True, last_verified_on=TODAY - timedelta(days=365))
    stale = AsrListingFactory(published=True, last_verified_on=TODAY - timedelta(days=366))
    draft = AsrListingFactory(status=ListingStatus.DRAFT, last_verified_on=TODAY - timedelta(days=800))

    assert expire_stale_listings(TODAY) == 1

    for listing in (fresh, stale, draft):
        listing.refresh_from_db()
    assert (fresh.status, stale.status, draft.status) == ("published", "expired", "draft")


def test_the_expiry_command_expires_stale_listings():
    stale = AsrListingFactory(published=True, last_verified_on=date.today() - timedelta(days=400))

    out = io.StringIO()
    call_command("expire_asr_listings", stdout=out)

    assert "1 référencement(s) expiré(s)" in out.getvalue()

    stale.refresh_from_db()
    assert stale.status == ListingStatus.EXPIRED


def test_a_member_proposes_and_submits_the_listing_of_the_structure(client, applicant_user):
    actor = ActorFactory(members=[applicant_user])
    commune = CommuneFactory()
    CpvCodeFactory(code="9091", label="Services de nettoyage")
    client.force_login(applicant_user)

    response = client.post(
        reverse("procurement:listing_edit", args=[actor.pk]),
        {"offers": "Nettoyage de bureaux", "cpv_codes": "90910000-9", "communes": [commune.pk], "submit": "1"},
    )

    assert response.status_code == 302
    listing = actor.asr_listing
    assert listing.status == ListingStatus.SUBMITTED
    assert list(listing.communes.all()) == [commune]
    assert "services de nettoyage" in listing.search_text
    assert "90910000" in listing.search_text


def test_a_member_saves_a_draft(client, applicant_user):
    actor = ActorFactory(members=[applicant_user])
    client.force_login(applicant_user)

    client.post(
        reverse("procurement:listing_edit", args=[actor.pk]),
        {"offers": "Traiteur", "serves_whole_metropole": "on", "draft": "1"},
    )

    assert actor.asr_listing.status == ListingStatus.DRAFT


def test_a_listing_needs_an_area_served(client, applicant_user):
    actor = ActorFactory(members=[applicant_user])
    client.force_login(applicant_user)

    response = client.post(reverse("procurement:listing_edit", args=[actor.pk]), {"offers": "Traiteur", "submit": "1"})

    assert response.status_code == 200
    assert not AsrListing.objects.exists()


def test_updating_a_published_listing_sends_it_back_to_review(client, applicant_user):
    listing = AsrListingFactory(published=True, actor=ActorFactory(members=[applicant_user]))
    client.force_login(applicant_user)

    client.post(
        reverse("procurement:listing_edit", args=[listing.actor.pk]),
        {"offers": "Nouvelle offre", "serves_whole_metropole": "on", "submit": "1"},
    )

    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUBMITTED
    assert listing.offers == "Nouvelle offre"


def test_an_applicant_cannot_see_or_edit_the_listing_of_another_structure(client, applicant_user):
    other = AsrListingFactory(status=ListingStatus.DRAFT, offers="Offre confidentielle")
    client.force_login(applicant_user)

    assert client.get(reverse("procurement:listing_edit", args=[other.actor.pk])).status_code == 404
    response = client.get(reverse("procurement:my_listings"))
    assert "Offre confidentielle" not in response.content.decode()
    assert other.actor.name not in response.content.decode()


def test_my_listings_lists_the_structures_of_the_member(client, applicant_user):
    actor = ActorFactory(members=[applicant_user], name="Régie de quartier")
    client.force_login(applicant_user)

    response = client.get(reverse("procurement:my_listings"))

    assert "Régie de quartier" in response.content.decode()
    assert reverse("procurement:listing_edit", args=[actor.pk]) in response.content.decode()


def test_staff_publish_a_submitted_listing_verified_today(client, staff_user):
    listing = AsrListingFactory(status=ListingStatus.SUBMITTED, review_comment="Ancien commentaire")
    client.force_login(staff_user)

    assert listing.actor.name in client.get(reverse("procurement:review_list")).content.decode()
    response = client.post(reverse("procurement:review_detail", args=[listing.pk]), {"publish": "1"})

    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.last_verified_on == date.today()
    assert listing.review_comment == ""


def test_staff_send_a_listing_back_with_a_comment(client, staff_user):
    listing = AsrListingFactory(status=ListingStatus.SUBMITTED)
    client.force_login(staff_user)

    client.post(
        reverse("procurement:review_detail", args=[listing.pk]), {"send_back": "1", "comment": "Précisez les CPV."}
    )

    listing.refresh_from_db()
    assert (listing.status, listing.review_comment) == (ListingStatus.DRAFT, "Précisez les CPV.")


def test_sending_back_requires_a_comment(client, staff_user):
    listing = AsrListingFactory(status=ListingStatus.SUBMITTED)
    client.force_login(staff_user)

    response = client.post(reverse("procurement:review_detail", args=[listing.pk]), {"send_back": "1"})

    assert response.status_code == 200
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUBMITTED


@pytest.mark.parametrize("fixture", ["applicant_user", "procurement_user", "partner_user", "elected_user"])
def test_only_staff_review_listings(client, request, fixture):
    listing = AsrListingFactory(status=ListingStatus.SUBMITTED)
    client.force_login(request.getfixturevalue(fixture))

    assert client.get(reverse("procurement:review_list")).status_code == 403
    assert client.post(reverse("procurement:review_detail", args=[listing.pk]), {"publish": "1"}).status_code == 403
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUBMITTED


def test_the_review_page_shows_the_agrements_and_the_derived_articles(client, staff_user):
    listing = AsrListingFactory(status=ListingStatus.SUBMITTED)
    Agrement.objects.create(actor=listing.actor, kind=AgrementKind.ESAT)
    client.force_login(staff_user)

    page = client.get(reverse("procurement:review_detail", args=[listing.pk])).content.decode()

    assert "ESAT – établissement et service d’aide par le travail" in page
    assert "L2113-12, L2113-15" in page
    assert reverse("actors:actor_detail", args=[listing.actor.pk]) in page


@pytest.mark.parametrize("size", [10, 200])
def test_the_review_list_query_count_does_not_grow(client, staff_user, django_assert_num_queries, size):
    AsrListingFactory.create_batch(size, status=ListingStatus.SUBMITTED)
    client.force_login(staff_user)

    # session, user, groups, counts by state, listings to verify again, count, page (with actor and commune)
    with django_assert_num_queries(7):
        response = client.get(reverse("procurement:review_list"))

    assert response.context["page_obj"].paginator.count == size


@pytest.mark.parametrize("size", [2, 20])
def test_my_listings_query_count_does_not_grow(client, applicant_user, django_assert_num_queries, size):
    for _ in range(size):
        AsrListingFactory(actor=ActorFactory(members=[applicant_user]))
    client.force_login(applicant_user)

    # session, user, groups, actors with their listing
    with django_assert_num_queries(4):
        response = client.get(reverse("procurement:my_listings"))

    assert len(response.context["actors"]) == size


def test_the_review_list_counts_listings_by_state_and_finds_a_structure_by_name(client, staff_user):
    AsrListingFactory(status=ListingStatus.SUBMITTED, actor=ActorFactory(name="Atelier Couture Solidaire"))
    AsrListingFactory(status=ListingStatus.SUBMITTED, actor=ActorFactory(name="Garage des Coteaux"))
    AsrListingFactory(published=True, actor=ActorFactory(name="Atelier Bois Local"))
    client.force_login(staff_user)

    response = client.get(reverse("procurement:review_list"))
    counts = {tab["status"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {"draft": 0, "submitted": 2, "published": 1, "expired": 0, "a-reverifier": 0}

    response = client.get(reverse("procurement:review_list"), {"q": "atelier", "etat": "submitted"})
    assert [listing.actor.name for listing in response.context["page_obj"]] == ["Atelier Couture Solidaire"]
    assert {tab["status"]: tab["count"] for tab in response.context["tabs"]}["published"] == 1
    assert (
        "Aucun référencement dans cet état ne correspond à « zzz »."
        in client.get(reverse("procurement:review_list"), {"q": "zzz"}).content.decode()
    )
