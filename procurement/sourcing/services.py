"""Writes of sourcing requests: save the need, send it to the matching suppliers, notify them, close it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ess_portal.celery import send_on_commit
from procurement.enums import SourcingStatus
from procurement.sourcing.models import SourcingRecipient, SourcingRequest


@transaction.atomic
def save_sourcing_request(form, *, buyer) -> SourcingRequest:
    """Create or update a request not sent yet (the buyer then previews the suppliers it will reach)."""
    sourcing_request = form.save(commit=False)
    if sourcing_request.is_sent:
        raise ValidationError("Une demande déjà envoyée ne peut plus être modifiée.")
    sourcing_request.buyer = buyer
    sourcing_request.save()
    form.save_m2m()
    return sourcing_request


def send_sourcing_request(*, sourcing_request: SourcingRequest, today: date) -> int:
    """Send the request to every matching published supplier; returns how many structures it reaches.

    The recipients and the sending date are written in one transaction; the e-mails leave from a Celery task
    once it has committed, so a rolled-back send mails nobody and a mail never names a request that does not exist.
    """
    with transaction.atomic():
        locked = SourcingRequest.objects.select_for_update().get(pk=sourcing_request.pk)
        if locked.is_sent:
            raise ValidationError("Cette demande a déjà été envoyée.")
        if locked.status != SourcingStatus.OPEN:
            raise ValidationError("Cette demande est close.")
        if locked.answer_by < today:
            raise ValidationError(
                "La date limite de réponse est passée : modifiez la demande avant de l’envoyer.", code="answer_by"
            )
        listing_ids = list(locked.matching_listings(today).values_list("pk", flat=True))
        if not listing_ids:
            raise ValidationError(
                "Aucun fournisseur référencé ne correspond à cette demande : élargissez les codes CPV, les communes "
                "ou retirez la réservation du marché."
            )
        SourcingRecipient.objects.bulk_create(
            [SourcingRecipient(request=locked, listing_id=listing_id) for listing_id in listing_ids],
            batch_size=500,
        )
        locked.sent_at = timezone.now()
        locked.save(update_fields=["sent_at"])
        send_on_commit("procurement.notify_sourcing_recipients", locked.pk)
    sourcing_request.sent_at = locked.sent_at
    return len(listing_ids)
