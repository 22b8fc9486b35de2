"""Celery tasks of the procurement app (their names are those of the beat schedule and of queued messages). Tasks
import the services they run; services enqueue a task by its name (`ess_portal.celery.send_on_commit`)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from procurement.asr.services import expire_stale_listings, notification_addresses, send_renewal_reminders
from procurement.sourcing.models import SourcingRecipient, SourcingRequest


@shared_task(name="procurement.expire_listings", ignore_result=True)
def expire_listings() -> int:
    """Nightly (beat entry "expire-asr-listings"): mark expired the listings not verified for 12 months."""
    return expire_stale_listings(timezone.localdate())


@shared_task(name="procurement.remind_listing_renewals", ignore_result=True)
def remind_listing_renewals() -> int:
    """Daily (beat entry "remind-asr-renewals"): remind the structures whose listing expires within a month."""
    return send_renewal_reminders(timezone.localdate())


@shared_task(bind=True, name="procurement.notify_sourcing_recipients", max_retries=5, ignore_result=True)
def notify_sourcing_recipients(self, request_id: int) -> int:
    """E-mail each structure a sourcing request was sent to; returns how many e-mails left.

    Idempotent: a structure is marked notified as soon as its e-mail left, so a retry (SMTP down, worker lost)
    only mails the structures not notified yet. A structure without any address stays « not notified »; its
    members still find the request on the portal.
    """
    sourcing_request = SourcingRequest.objects.filter(pk=request_id, sent_at__isnull=False).first()
    if sourcing_request is None:
        return 0
    recipients = list(
        SourcingRecipient.objects.filter(request=sourcing_request).to_notify().select_related("listing__actor")
    )
    addresses = notification_addresses({recipient.listing.actor_id for recipient in recipients})
    sent = 0
    for recipient in recipients:
        emails = addresses.get(recipient.listing.actor_id)
        if not emails:
            continue
        context = {
            "sourcing_request": sourcing_request,
            "recipient": recipient,
            "actor": recipient.listing.actor,
            "url": settings.SITE_URL.rstrip("/")
            + reverse("procurement:sourcing_received_detail", args=[recipient.pk]),
        }
        subject = " ".join(render_to_string("procurement/sourcing/emails/notification_subject.txt", context).split())
        body = render_to_string("procurement/sourcing/emails/notification.txt", context)
        try:
            send_mail(subject, body, None, emails)
        except OSError as error:  # SMTP unreachable: the structures not notified yet are mailed at the next try
            if self.request.is_eager:
                raise
            raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
        SourcingRecipient.objects.filter(pk=recipient.pk).update(notified_at=timezone.now())
        sent += 1
    return sent
