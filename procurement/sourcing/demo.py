"""Demo data of sourcing requests: a buyer's need sent to three published suppliers, one of which viewed it and
one answered « intéressé ». Idempotent: natural keys (the actor of a listing, the title of a request)."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from actors.models import Actor, Commune
from procurement.asr.models import AsrListing
from procurement.cpv.models import CpvCode
from procurement.enums import ListingStatus, SourcingAnswer
from procurement.sourcing.models import SourcingRecipient, SourcingRequest

# Index in the demo actors, offer, CPV codes, communes served (empty: the whole métropole).
DEMO_LISTINGS = [
    (
        0,
        "Livraison de colis et de courrier en vélo-cargo, logistique urbaine du dernier kilomètre.",
        ["601", "60161"],
        [],
    ),
    (
        1,
        "Collecte et livraison de contenants consignés, tournées de livraison en véhicule électrique.",
        ["601"],
        [],
    ),
    (4, "Coursiers à vélo : plis urgents, courrier interne, petits colis.", ["6016"], ["Bordeaux", "Mérignac"]),
]

DEMO_REQUEST_TITLE = "Navettes de courrier interne entre les sites de la Métropole"


def _published_listing(actor: Actor, *, offers: str, codes: list[str], communes: list[str], today) -> AsrListing:
    listing, created = AsrListing.objects.get_or_create(
        actor=actor,
        defaults={
            "offers": offers,
            "serves_whole_metropole": not communes,
            "status": ListingStatus.PUBLISHED,
            "last_verified_on": today,
            "revenue_band": "100k-500k",
        },
    )
    if created:
        listing.cpv_codes.set(CpvCode.objects.filter(code__in=codes))
        listing.communes.set(Commune.objects.filter(name__in=communes))
        listing.refresh_search_text()
        listing.save(update_fields=["search_text"])
    return listing


def load_sourcing_demo(*, actors: list[Actor], buyer: User, applicant: User) -> SourcingRequest:
    """Three demo suppliers listed for urban logistics and one request of the demo buyer sent to them."""
    today = timezone.localdate()
    now = timezone.now()
    for index, offers, codes, communes in DEMO_LISTINGS:
        _published_listing(actors[index], offers=offers, codes=codes, communes=communes, today=today)

    sourcing_request, _ = SourcingRequest.objects.update_or_create(
        buyer=buyer,
        title=DEMO_REQUEST_TITLE,
        defaults={
            "description": (
                "La direction de la logistique prépare un marché de navettes quotidiennes de courrier et de petits "
                "colis entre l’hôtel de Métropole et une dizaine de sites (Bordeaux, Mérignac, Pessac), "
                "de préférence en mobilité douce. Démarrage envisagé au printemps, pour trois ans."
            ),
            "buying_direction": "Direction des achats – logistique",
            "answer_by": today + timedelta(days=21),
            "sent_at": now - timedelta(days=2),
        },
    )
    sourcing_request.cpv_codes.set(CpvCode.objects.filter(code="6016"))
    for listing in sourcing_request.matching_listings(today):
        SourcingRecipient.objects.get_or_create(
            request=sourcing_request, listing=listing, defaults={"notified_at": sourcing_request.sent_at}
        )

    recipients = {
        recipient.listing.actor_id: recipient for recipient in sourcing_request.recipients.select_related("listing")
    }
    interested = recipients.get(actors[0].pk)
    if interested and not interested.answer:
        interested.viewed_at = now - timedelta(days=1)
        interested.answer = SourcingAnswer.INTERESTED
        interested.answer_message = (
            "Nous assurons déjà des tournées quotidiennes pour la Ville de Bègles avec trois vélos-cargos ; "
            "nous pouvons présenter nos références et nos tarifs."
        )
        interested.answered_at = now - timedelta(days=1)
        interested.answered_by = applicant
        interested.save()
    viewed = recipients.get(actors[4].pk)
    if viewed and not viewed.viewed_at:
        viewed.viewed_at = now - timedelta(hours=5)
        viewed.save(update_fields=["viewed_at"])
    return sourcing_request
