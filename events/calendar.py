"""A user's private iCalendar feed (RFC 5545): the quadripartite meetings and the ESS events they may read, as
all-day VEVENTs with stable UIDs, for Outlook, Thunderbird and phone calendars subscribed to the token URL.

The foncière's comité d'engagement sittings are not in it: `fonciere` and `events` are siblings in the import
layers and never import each other.
"""

import datetime

import icalendar
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from accounts.enums import Role
from events.models import Event
from events.permissions import can_view_events
from quadripartite.models import Meeting, partner_of

UID_DOMAIN = "ess.bordeaux-metropole.fr"
CALENDAR_NAME = "Agenda ESS – Bordeaux Métropole"


def calendar_entries(user) -> tuple[QuerySet[Meeting], QuerySet[Event]]:
    """The meetings and events in `user`'s calendar, the broadest of their roles winning:

    - staff, administrators and elected officials: every quadripartite meeting and every event, internal ones too;
    - partners: every quadripartite meeting, the public events and the internal events their collectivity
      organises (`Event.organising_partners`);
    - applicants: the public events and those where one of their structures (active memberships) is involved
      (`Event.actors`);
    - any other role: the public events.

    Two querysets, each read in one query (subqueries, no duplicate rows, no per-row query).
    """
    meetings = Meeting.objects.none()
    events = Event.objects.all()
    if any(user.has_role(role) for role in (Role.STAFF, Role.ADMIN, Role.ELECTED)):
        meetings = Meeting.objects.all()
    else:
        visible = Q(is_public=True)
        partner = partner_of(user) if user.has_role(Role.PARTNER) else None
        if partner is not None:
            meetings = Meeting.objects.all()
            organised = Event.organising_partners.through.objects.filter(partner=partner).values("event_id")
            visible |= Q(pk__in=organised)
        if user.has_role(Role.APPLICANT):
            structures = user.memberships.active().values("actor_id")
            involved = Event.actors.through.objects.filter(actor__in=structures).values("event_id")
            visible |= Q(pk__in=involved)
        events = events.filter(visible)
    meetings = meetings.select_related("organiser").order_by("held_on", "pk")
    events = events.select_related("commune").order_by("starts_on", "pk")
    return meetings, events


def _location(place: str, commune=None) -> str:
    return ", ".join(part for part in (place, commune.name if commune else "") if part)


def _meeting_vevent(meeting: Meeting, *, base_url: str, stamp: datetime.datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", f"meeting-{meeting.pk}@{UID_DOMAIN}")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", meeting.held_on)
    vevent.add("dtend", meeting.held_on + datetime.timedelta(days=1))
    vevent.add("summary", f"{capfirst(meeting.get_committee_display())} de la convention quadripartite")
    if meeting.place:
        vevent.add("location", meeting.place)
    description = f"Collectivité organisatrice : {meeting.organiser.short_name}"
    if meeting.agenda:
        description += f"\n\nOrdre du jour :\n{meeting.agenda}"
    vevent.add("description", description)
    vevent.add("url", base_url + meeting.get_absolute_url())
    return vevent


def _event_vevent(event: Event, *, base_url: str, page: str | None, stamp: datetime.datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", f"event-{event.pk}@{UID_DOMAIN}")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.starts_on)
    vevent.add("dtend", event.last_day + datetime.timedelta(days=1))  # DATE values: the end is exclusive
    vevent.add("summary", event.title)
    location = _location(event.place, event.commune)
    if location:
        vevent.add("location", location)
    description = capfirst(event.get_kind_display())
    if not event.is_public:
        description += " (évènement interne)"
    if event.description:
        description += f"\n\n{event.description}"
    vevent.add("description", description)
    vevent.add("url", base_url + (page or event.get_absolute_url()))
    return vevent


def build_calendar(user, *, base_url: str) -> bytes:
    """The VCALENDAR of `user`'s meetings and events; `base_url` ("https://host") makes the URLs absolute. Events
    link to their page in the register for its readers, to the public agenda for the others."""
    meetings, events = calendar_entries(user)
    stamp = timezone.now().astimezone(datetime.UTC)
    event_page = None if can_view_events(user) else reverse("events:agenda")
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Bordeaux Métropole//Portail ESS//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("x-wr-timezone", "Europe/Paris")
    for meeting in meetings:
        calendar.add_component(_meeting_vevent(meeting, base_url=base_url, stamp=stamp))
    for event in events:
        calendar.add_component(_event_vevent(event, base_url=base_url, page=event_page, stamp=stamp))
    return calendar.to_ical()
