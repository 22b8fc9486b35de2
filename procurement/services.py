"""Writes on ASR listings: submission by the structure, review by staff, expiry after 12 months."""

from datetime import date

from django.db import transaction

from procurement.enums import ListingStatus
from procurement.models import AsrListing


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
