from datetime import date, timedelta

import pytest
from django.urls import reverse

from actors.enums import AgrementKind
from actors.models import Agrement
from procurement.enums import ListingStatus
from tests.actors.factories import ActorFactory
from tests.procurement.factories import AsrListingFactory, CpvCodeFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:asr_listing_list")


def test_the_asr_api_lists_published_listings_with_their_eligibility(client, procurement_user):
    cpv = CpvCodeFactory(code="9091", label="Services de nettoyage")
    listing = AsrListingFactory(published=True, actor=ActorFactory(name="Publiée"), cpv_codes=[cpv])
    Agrement.objects.create(actor=listing.actor, kind=AgrementKind.ESAT)
    AsrListingFactory(status=ListingStatus.DRAFT)
    AsrListingFactory(published=True, last_verified_on=date.today() - timedelta(days=366))
    client.force_login(procurement_user)

    data = client.get(LIST).json()

    assert data["count"] == 1
    result = data["results"][0]
    assert result["actor"]["name"] == "Publiée"
    assert result["reserved_articles"] == ["L2113-12", "L2113-15"]
    assert result["cpv_codes"] == [{"code": "9091", "full_code": "90910000", "label": "Services de nettoyage"}]


def test_the_asr_api_takes_the_directory_filters(client, staff_user):
    cpv = CpvCodeFactory(code="5552", label="Services traiteur")
    AsrListingFactory(published=True, actor=ActorFactory(name="Traiteur"), cpv_codes=[cpv])
    AsrListingFactory(published=True, actor=ActorFactory(name="Autre"))
    client.force_login(staff_user)

    data = client.get(LIST, {"cpv": "55"}).json()

    assert [row["actor"]["name"] for row in data["results"]] == ["Traiteur"]


def test_an_unpublished_listing_is_a_404_in_the_api(client, procurement_user):
    draft = AsrListingFactory(status=ListingStatus.SUBMITTED)
    client.force_login(procurement_user)

    assert client.get(reverse("api:asr_listing_detail", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("fixture", ["applicant_user", "partner_user", "elected_user"])
def test_other_roles_are_refused_by_the_asr_api(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))

    assert client.get(LIST).status_code == 403


def test_anonymous_callers_are_refused_by_the_asr_api(client):
    assert client.get(LIST).status_code in (401, 403)
