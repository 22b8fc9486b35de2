import datetime

import icalendar
import pytest
from django.urls import reverse

from accounts.enums import Role
from events.models import CalendarToken
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.actors.factories import ActorFactory
from tests.events.factories import EventFactory
from tests.quadripartite.factories import MeetingFactory, PartnerMemberFactory, SignatoryFactory

pytestmark = pytest.mark.django_db


def feed_url(user) -> str:
    token, _ = CalendarToken.objects.get_or_create(user=user)
    return reverse("events:calendar_feed", args=[token.token])


def fetch(client, user) -> icalendar.Calendar:
    response = client.get(feed_url(user))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def uids(calendar) -> set[str]:
    return {str(component["UID"]) for component in calendar.walk("VEVENT")}


def meeting_uid(meeting) -> str:
    return f"meeting-{meeting.pk}@ess.bordeaux-metropole.fr"


def event_uid(event) -> str:
    return f"event-{event.pk}@ess.bordeaux-metropole.fr"


@pytest.fixture
def world():
    """Two collectivities, a meeting, a public event, an internal event of each collectivity, an internal event
    involving an actor, and a plain internal event."""
    partner_a, partner_b = SignatoryFactory(), SignatoryFactory()
    actor = ActorFactory()
    involving = EventFactory(internal=True, title="Atelier des lauréats")
    involving.actors.add(actor)
    return {
        "partner_a": partner_a,
        "partner_b": partner_b,
        "actor": actor,
        "meeting": MeetingFactory(organiser=partner_a, agenda="1. Bilan 2025\n2. Programme 2026", place="Mérignac"),
        "public": EventFactory(title="Forum ESS 2025"),
        "internal_a": EventFactory(internal=True, organising_partners=[partner_a]),
        "internal_b": EventFactory(internal=True, organising_partners=[partner_b]),
        "involving": involving,
        "internal": EventFactory(internal=True),
    }


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN, Role.ELECTED])
def test_staff_admins_and_elected_officials_get_every_meeting_and_every_event(client, world, role):
    calendar = fetch(client, UserFactory(role=role))
    expected = {meeting_uid(world["meeting"])} | {
        event_uid(world[key]) for key in ("public", "internal_a", "internal_b", "involving", "internal")
    }
    assert uids(calendar) == expected


def test_a_partner_gets_the_meetings_public_events_and_the_internal_events_of_their_collectivity(client, world):
    member_a = PartnerMemberFactory(partner=world["partner_a"]).user
    member_b = PartnerMemberFactory(partner=world["partner_b"]).user
    common = {meeting_uid(world["meeting"]), event_uid(world["public"])}
    assert uids(fetch(client, member_a)) == common | {event_uid(world["internal_a"])}
    assert uids(fetch(client, member_b)) == common | {event_uid(world["internal_b"])}


def test_an_applicant_gets_public_events_and_those_involving_their_structures(client, world):
    involved = MembershipFactory(actor=world["actor"]).user
    outsider = MembershipFactory().user
    former = MembershipFactory(actor=world["actor"], is_active=False).user
    assert uids(fetch(client, involved)) == {event_uid(world["public"]), event_uid(world["involving"])}
    assert uids(fetch(client, outsider)) == {event_uid(world["public"])}
    assert uids(fetch(client, former)) == {event_uid(world["public"])}


@pytest.mark.parametrize("role", [Role.PROCUREMENT, None])
def test_other_users_get_the_public_events_only(client, world, role):
    assert uids(fetch(client, UserFactory(role=role))) == {event_uid(world["public"])}


def test_vevents_are_all_day_with_french_summary_location_description_and_link(client, world):
    world["public"].ends_on = datetime.date(2025, 11, 19)
    world["public"].description = "Trois jours de rencontres ; tables rondes, stands, etc."
    world["public"].save()
    calendar = fetch(client, UserFactory(role=Role.STAFF))
    vevents = {str(vevent["UID"]): vevent for vevent in calendar.walk("VEVENT")}

    meeting = vevents[meeting_uid(world["meeting"])]
    assert meeting.decoded("DTSTART") == datetime.date(2025, 3, 4)
    assert meeting.decoded("DTEND") == datetime.date(2025, 3, 5)
    assert str(meeting["SUMMARY"]) == "Comité de suivi de la convention quadripartite"
    assert str(meeting["LOCATION"]) == "Mérignac"
    assert "1. Bilan 2025\n2. Programme 2026" in str(meeting["DESCRIPTION"])
    assert "Compte rendu" not in str(meeting["DESCRIPTION"])
    assert str(meeting["URL"]) == f"http://testserver/quadripartite/reunions/{world['meeting'].pk}/"
    assert isinstance(meeting.decoded("DTSTAMP"), datetime.datetime)

    event = vevents[event_uid(world["public"])]
    assert event.decoded("DTSTART") == datetime.date(2025, 11, 17)
    assert event.decoded("DTEND") == datetime.date(2025, 11, 20)  # exclusive end of an all-day span
    assert str(event["SUMMARY"]) == "Forum ESS 2025"
    assert str(event["LOCATION"]) == f"Hangar 14, {world['public'].commune.name}"
    assert str(event["DESCRIPTION"]) == "Forum ESS\n\nTrois jours de rencontres ; tables rondes, stands, etc."
    assert str(event["URL"]) == f"http://testserver/evenements/{world['public'].pk}/"


def test_events_link_to_the_public_agenda_for_users_who_do_not_read_the_register(client, world):
    calendar = fetch(client, MembershipFactory().user)
    (event,) = calendar.walk("VEVENT")
    assert str(event["URL"]) == "http://testserver/agenda/"


def test_the_raw_feed_escapes_and_folds_long_lines(client, world):
    world["public"].description = "Virgules, points-virgules; et un texte long " + "très " * 40
    world["public"].save()
    body = client.get(feed_url(UserFactory(role=Role.STAFF))).content
    assert b"Virgules\\, points-virgules\\; et" in body
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))


def test_an_unknown_token_answers_404(client):
    assert client.get(reverse("events:calendar_feed", args=["x" * 43])).status_code == 404


def test_a_revoked_token_answers_404(client, staff_user):
    url = feed_url(staff_user)
    client.force_login(staff_user)
    response = client.post(reverse("events:calendar_subscription"), {"action": "revoke"})
    assert response.status_code == 302
    assert not CalendarToken.objects.filter(user=staff_user).exists()
    client.logout()
    assert client.get(url).status_code == 404


def test_a_regenerated_token_replaces_the_old_one(client, staff_user):
    old_url = feed_url(staff_user)
    client.force_login(staff_user)
    client.post(reverse("events:calendar_subscription"), {"action": "regenerate"})
    client.logout()
    new_url = reverse("events:calendar_feed", args=[CalendarToken.objects.get(user=staff_user).token])
    assert new_url != old_url
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200


def test_a_deactivated_user_s_feed_answers_404(client, staff_user):
    url = feed_url(staff_user)
    staff_user.is_active = False
    staff_user.save()
    assert client.get(url).status_code == 404


def test_a_user_creates_their_token_and_reads_the_full_subscription_url(client, partner_user):
    client.force_login(partner_user)
    page = client.get(reverse("events:calendar_subscription"))
    assert page.status_code == 200
    assert "Créer mon lien d’abonnement" in page.content.decode()

    client.post(reverse("events:calendar_subscription"), {"action": "create"})
    token = CalendarToken.objects.get(user=partner_user).token
    assert len(token) >= 32
    page = client.get(reverse("events:calendar_subscription")).content.decode()
    assert f"http://testserver/agenda/calendrier/{token}.ics" in page
    assert "Outlook" in page and "Thunderbird" in page


def test_creating_twice_keeps_the_same_token(client, staff_user):
    client.force_login(staff_user)
    client.post(reverse("events:calendar_subscription"), {"action": "create"})
    token = CalendarToken.objects.get(user=staff_user).token
    client.post(reverse("events:calendar_subscription"), {"action": "create"})
    assert CalendarToken.objects.get(user=staff_user).token == token


def test_the_history_never_keeps_the_secret(staff_user):
    token = CalendarToken.objects.create(user=staff_user)
    token.regenerate()
    assert token.history.count() == 2
    assert not hasattr(token.history.first(), "token")


def test_anonymous_visitors_cannot_open_the_management_page(client):
    response = client.get(reverse("events:calendar_subscription"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_profile_and_the_agenda_link_to_the_management_page(client, applicant_user):
    client.force_login(applicant_user)
    url = reverse("events:calendar_subscription")
    assert url in client.get(reverse("accounts:profile")).content.decode()
    assert url in client.get(reverse("events:agenda")).content.decode()


@pytest.mark.parametrize("size", [1, 12])
def test_the_feed_reads_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    partner = SignatoryFactory()
    member = PartnerMemberFactory(partner=partner).user
    applicant = MembershipFactory().user
    for _ in range(size):
        MeetingFactory(organiser=partner)
        EventFactory(organising_partners=[partner]).actors.add(applicant.memberships.get().actor)
        EventFactory(internal=True, organising_partners=[partner]).actors.add(applicant.memberships.get().actor)
    partner_url, applicant_url = feed_url(member), feed_url(applicant)
    # The token with its user, the user's groups, their partner, the meetings, the events.
    with django_assert_num_queries(5):
        assert client.get(partner_url).status_code == 200
    # The token with its user, the user's groups, the meetings (none: no query), the events.
    with django_assert_num_queries(3):
        assert client.get(applicant_url).status_code == 200
