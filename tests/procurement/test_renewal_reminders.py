"""A month before a listing expires, its structure is reminded (once per verification) to have it verified again;
staff see the listings to verify again in their own tab and confirm a verification in one click."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actors.models import Contact
from procurement.asr.models import AsrListing
from procurement.asr.services import publish_listing, send_renewal_reminders
from procurement.enums import ListingStatus
from tests.accounts.factories import MembershipFactory
from tests.actors.factories import ActorFactory
from tests.procurement.factories import AsrListingFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def listing_verified(days_ago: int, **kwargs) -> AsrListing:
    return AsrListingFactory(
        status=ListingStatus.PUBLISHED, last_verified_on=TODAY - timedelta(days=days_ago), **kwargs
    )


def test_a_structure_is_reminded_once_a_month_before_its_listing_expires():
    listing = listing_verified(340, actor=ActorFactory(name="Lave & Reviens"))
    MembershipFactory(actor=listing.actor, user__email="gerante@lave-reviens.fr")
    Contact.objects.create(actor=listing.actor, name="Achats", email="marches@lave-reviens.fr", is_public=True)
    Contact.objects.create(actor=listing.actor, name="Privé", email="prive@lave-reviens.fr", is_public=False)

    assert send_renewal_reminders(TODAY) == 1
    assert send_renewal_reminders(TODAY + timedelta(days=3)) == 0  # once per verification

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["gerante@lave-reviens.fr", "marches@lave-reviens.fr"]
    expires_on = listing.last_verified_on + timedelta(days=365)
    assert message.subject.endswith(f"« achats socialement responsables » expire le {expires_on:%d/%m/%Y}")
    assert "Lave & Reviens" in message.body
    assert reverse("procurement:listing_edit", args=[listing.actor_id]) in message.body
    listing.refresh_from_db()
    assert listing.renewal_reminded_on == TODAY


@pytest.mark.parametrize(
    ("days_ago", "status"),
    [(300, ListingStatus.PUBLISHED), (400, ListingStatus.PUBLISHED), (340, ListingStatus.DRAFT)],
    ids=["expires-in-65-days", "already-expired", "draft"],
)
def test_no_reminder_too_early_after_expiry_or_for_an_unpublished_listing(days_ago, status):
    listing = AsrListingFactory(status=status, last_verified_on=TODAY - timedelta(days=days_ago))
    MembershipFactory(actor=listing.actor)

    assert send_renewal_reminders(TODAY) == 0
    assert mail.outbox == []


def test_a_listing_verified_again_is_reminded_again_before_its_next_expiry():
    listing = listing_verified(340)
    MembershipFactory(actor=listing.actor)
    send_renewal_reminders(TODAY)

    publish_listing(listing, today=TODAY)
    assert send_renewal_reminders(TODAY + timedelta(days=100)) == 0
    assert send_renewal_reminders(TODAY + timedelta(days=340)) == 1
    assert len(mail.outbox) == 2


def test_a_structure_without_any_address_is_marked_and_not_counted():
    listing = listing_verified(350)

    assert send_renewal_reminders(TODAY) == 0
    listing.refresh_from_db()
    assert listing.renewal_reminded_on == TODAY


def test_staff_see_the_listings_to_verify_again_and_confirm_one(client, staff_user):
    soon = listing_verified(350, actor=ActorFactory(name="Compost’Ensemble"))
    listing_verified(100, actor=ActorFactory(name="Vérifié récemment"))
    client.force_login(staff_user)

    response = client.get(reverse("procurement:review_list"), {"etat": "a-reverifier"})

    assert [listing.actor.name for listing in response.context["page_obj"]] == ["Compost’Ensemble"]
    assert {tab["status"]: tab["count"] for tab in response.context["tabs"]}["a-reverifier"] == 1
    assert (soon.last_verified_on + timedelta(days=365)).strftime("%d/%m/%Y") in response.content.decode()

    detail = reverse("procurement:review_detail", args=[soon.pk])
    assert "Confirmer la vérification" in client.get(detail).content.decode()
    client.post(detail, {"publish": "1"})
    soon.refresh_from_db()
    assert (soon.status, soon.last_verified_on) == (ListingStatus.PUBLISHED, TODAY)
    again = client.get(reverse("procurement:review_list"), {"etat": "a-reverifier"})
    assert again.context["page_obj"].paginator.count == 0
