"""Writes on ASR listings: submission by the structure, review by staff, expiry after 12 months and the renewal
reminder; large exports of the directory requested as background jobs."""

import hashlib
import json
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from actors.models import Contact
from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.models import Job
from ess_portal.jobs.services import request_job
from procurement.asr.exports import Column, export_response, inline_max_rows, log_export
from procurement.asr.models import AsrListing
from procurement.enums import ExportFormat, ListingStatus


@transaction.atomic
def save_listing(form, *, submit: bool) -> AsrListing:
    """Save a structure's listing form as a draft or submit it; any change goes back to staff review."""
    listing = form.save(commit=False)
    listing.status = ListingStatus.SUBMITTED if submit else ListingStatus.DRAFT
    listing.save()
    form.save_m2m()
    listing.refresh_search_text()
    listing.save(update_fields=["search_text", "status"])
    return listing


@transaction.atomic
def publish_listing(listing: AsrListing, *, today: date) -> AsrListing:
    """Staff checked the listing: published and verified today (shown to buyers for 12 months)."""
    listing.status = ListingStatus.PUBLISHED
    listing.last_verified_on = today
    listing.review_comment = ""
    listing.refresh_search_text()
    listing.save(update_fields=["status", "last_verified_on", "review_comment", "search_text", "updated_at"])
    return listing


def send_back_listing(listing: AsrListing, *, comment: str) -> AsrListing:
    """Staff return the listing to the structure as a draft, with what to correct."""
    listing.status = ListingStatus.DRAFT
    listing.review_comment = comment
    listing.save(update_fields=["status", "review_comment", "updated_at"])
    return listing


def expire_stale_listings(today: date) -> int:
    """Mark expired the published listings not verified for 12 months; returns how many."""
    return AsrListing.objects.stale(today).update(status=ListingStatus.EXPIRED)


def send_renewal_reminders(today: date) -> int:
    """E-mail the structures whose listing expires within a month (members and public contacts), once per
    verification; returns how many structures were reminded.

    Each listing is marked reminded right after its e-mail left, so a run interrupted by an SMTP failure only mails
    the others at the next run. A structure without any address is marked too: nobody can be reminded.
    """
    listings = list(AsrListing.objects.due_for_renewal_reminder(today).select_related("actor"))
    addresses = notification_addresses({listing.actor_id for listing in listings})
    reminded = 0
    for listing in listings:
        emails = addresses.get(listing.actor_id)
        if emails:
            context = {
                "listing": listing,
                "actor": listing.actor,
                "url": settings.SITE_URL.rstrip("/") + reverse("procurement:listing_edit", args=[listing.actor_id]),
            }
            subject = " ".join(render_to_string("procurement/emails/renewal_reminder_subject.txt", context).split())
            send_mail(subject, render_to_string("procurement/emails/renewal_reminder.txt", context), None, emails)
            reminded += 1
        AsrListing.objects.filter(pk=listing.pk).update(renewal_reminded_on=today)
    return reminded


def notification_addresses(actor_ids) -> dict[int, list[str]]:
    """E-mail addresses to notify, by structure: its members (applicants with an active membership and an
    active account) and its public contacts (those who agreed to be given to public buyers)."""
    addresses: dict[int, set[str]] = {actor_id: set() for actor_id in actor_ids}
    members = (
        User.objects.with_role(Role.APPLICANT)
        .filter(is_active=True, memberships__is_active=True, memberships__actor_id__in=addresses)
        .exclude(email="")
        .values_list("memberships__actor_id", "email")
    )
    contacts = Contact.objects.filter(actor_id__in=addresses, is_public=True).exclude(email="")
    for actor_id, email in [*members, *contacts.values_list("actor_id", "email")]:
        addresses[actor_id].add(email.lower())
    return {actor_id: sorted(emails) for actor_id, emails in addresses.items()}


def request_export_job(*, listings, columns: list[Column], file_format: str, user, filters: dict, rows: int) -> Job:
    """A spreadsheet too large to be written during the request: the export is logged now and the `asr_export`
    background job writes the file. The same user asking for the same export on the same day gets the same job."""
    log_export(listings=listings, columns=columns, file_format=file_format, user=user, filters=filters, rows=rows)
    column_keys = [column.key for column in columns]
    key = hashlib.sha256(
        json.dumps([user.pk, file_format, sorted(filters.items()), column_keys, str(timezone.localdate())]).encode()
    ).hexdigest()[:32]
    return request_job(
        kind=JobKind.ASR_EXPORT,
        parameters={"filters": filters, "columns": column_keys, "format": file_format, "rows": rows},
        requested_by=user,
        idempotency_key=f"asr_export:{key}",
    )


def export_listings(*, listings, columns: list[Column], file_format: str, user, filters: dict):
    """Export exactly `listings`, logged: the file's response (CSV streamed, a spreadsheet of at most
    `inline_max_rows()` rows written now), or the background job writing a larger spreadsheet."""
    export = {"columns": columns, "file_format": file_format, "user": user, "filters": filters}
    if file_format == ExportFormat.CSV:
        return export_response(listings, **export)
    rows = listings.count()
    if rows > inline_max_rows():
        return request_export_job(listings=listings, rows=rows, **export)
    return export_response(listings, rows=rows, **export)
