"""Writes on ASR listings: submission by the structure, review by staff, expiry after 12 months; large exports of
the directory requested as background jobs."""

import hashlib
import json
from datetime import date

from django.db import transaction
from django.utils import timezone

from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.models import Job
from ess_portal.jobs.services import request_job
from procurement.enums import ExportFormat, ListingStatus
from procurement.exports import Column, export_response, inline_max_rows, log_export
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
