"""Writes of the quadripartite space: meetings with their attendees and decisions, a decision marked done, the
yearly organiser's override, the convention's documents (files checked by `ess_portal.uploads`)."""

import datetime
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ess_portal.uploads import check_upload
from quadripartite.models import (
    Attendee,
    ConventionDocument,
    Decision,
    Meeting,
    OrganiserOverride,
    Partner,
    organisers,
)


def organiser_of(year: int) -> Partner | None:
    return organisers([year])[year][0]


def _original_name(upload) -> str:
    return PurePath(upload.name or "fichier").name[:255]


@transaction.atomic
def record_meeting(
    *,
    committee: str,
    held_on: datetime.date,
    by,
    place: str = "",
    organiser: Partner | None = None,
    agenda: str = "",
    minutes: str = "",
    minutes_file=None,
    attendees: list[tuple[Partner, str, str]] = (),
) -> Meeting:
    """A meeting of a committee; its organiser defaults to the year's organiser; `attendees` are (partner, name,
    audience)."""
    organiser = organiser or organiser_of(held_on.year)
    if organiser is None:
        raise ValidationError("Aucune collectivité organisatrice n’est définie pour cette année.", code="organiser")
    meeting = Meeting(
        committee=committee,
        held_on=held_on,
        place=place,
        organiser=organiser,
        agenda=agenda,
        minutes=minutes,
        created_by=by,
    )
    _attach_minutes_file(meeting, minutes_file)
    meeting.save()
    replace_attendees(meeting=meeting, attendees=attendees)
    return meeting


def _attach_minutes_file(meeting: Meeting, upload) -> None:
    if upload:
        check_upload(upload)
        meeting.minutes_file = upload
        meeting.minutes_file_name = _original_name(upload)


@transaction.atomic
def update_meeting(*, meeting: Meeting, attendees=None, minutes_file=None, **fields) -> Meeting:
    for name, value in fields.items():
        setattr(meeting, name, value)
    _attach_minutes_file(meeting, minutes_file)
    meeting.save()
    if attendees is not None:
        replace_attendees(meeting=meeting, attendees=attendees)
    return meeting


def replace_attendees(*, meeting: Meeting, attendees) -> None:
    meeting.attendees.all().delete()
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, partner=partner, name=name.strip(), audience=audience)
        for partner, name, audience in attendees
        if name.strip()
    )


def add_decision(*, meeting: Meeting, text: str, owner: Partner, due_on: datetime.date | None = None) -> Decision:
    if due_on is not None and due_on < meeting.held_on:
        raise ValidationError(
            "L’échéance (%(due)s) ne peut pas précéder la réunion (%(held)s).",
            code="due_on",
            params={"due": due_on.strftime("%d/%m/%Y"), "held": meeting.held_on.strftime("%d/%m/%Y")},
        )
    return Decision.objects.create(meeting=meeting, text=text, owner=owner, due_on=due_on)


@transaction.atomic
def mark_done(*, decision: Decision, by, done_on: datetime.date | None = None) -> Decision:
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.done_on is not None:
        raise ValidationError(
            "Cette décision est déjà marquée réalisée (le %(day)s).",
            code="done",
            params={"day": decision.done_on.strftime("%d/%m/%Y")},
        )
    decision.done_on = done_on or timezone.localdate()
    decision.done_by = by
    decision.save(update_fields=["done_on", "done_by"])
    return decision


@transaction.atomic
def override_organiser(*, year: int, partner: Partner, reason: str, by) -> OrganiserOverride:
    """Another signatory organises the year's committees; the rotation of the other years is unchanged."""
    if not partner.is_signatory:
        raise ValidationError(
            "Seule une collectivité signataire de la convention organise les comités.", code="partner"
        )
    if not reason.strip():
        raise ValidationError("Indiquez le motif du changement d’organisateur.", code="reason")
    override, _ = OrganiserOverride.objects.update_or_create(
        year=year, defaults={"partner": partner, "reason": reason.strip(), "created_by": by}
    )
    return override


def cancel_override(*, year: int) -> None:
    OrganiserOverride.objects.filter(year=year).delete()


def add_convention_document(
    *, kind: str, title: str, signed_on: datetime.date, by, summary: str = "", upload=None
) -> ConventionDocument:
    document = ConventionDocument(kind=kind, title=title, signed_on=signed_on, summary=summary, created_by=by)
    if upload:
        check_upload(upload)
        document.file = upload
        document.original_name = _original_name(upload)
    document.save()
    return document
