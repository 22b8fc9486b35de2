import datetime

import pytest
from django.urls import reverse

from accounts.enums import Role
from tests.events.factories import EventFactory
from tests.quadripartite.factories import PartnerFactory

pytestmark = pytest.mark.django_db
EVENTS = reverse("api:ess_event_list")


def test_anonymous_visitors_are_refused(client):
    assert client.get(EVENTS).status_code in (401, 403)


@pytest.mark.parametrize("role", [Role.STAFF, Role.ELECTED, Role.PARTNER])
def test_readers_get_the_events_with_their_attendance(client, user_with_role, role):
    EventFactory(title="Forum ESS", held=True, organising_partners=[PartnerFactory(slug="region")])
    client.force_login(user_with_role(role))
    row = client.get(EVENTS).json()["results"][0]
    assert row["title"] == "Forum ESS"
    assert row["participant_count"] == 125
    assert row["organising_partners"][0]["slug"] == "region"


def test_applicants_are_refused(client, applicant_user):
    client.force_login(applicant_user)
    assert client.get(EVENTS).status_code == 403


def test_writes_are_not_allowed(client, staff_user):
    client.force_login(staff_user)
    assert client.post(EVENTS, {"title": "x"}).status_code == 405


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_runs_the_same_queries_whatever_the_number_of_events(
    client, staff_user, django_assert_num_queries, count
):
    for _ in range(count):
        EventFactory(held=True, organising_partners=[PartnerFactory()])
    client.force_login(staff_user)
    # session, user, groups (role), count, page, partners, communes, actors
    with django_assert_num_queries(8):
        response = client.get(EVENTS)
    assert len(response.json()["results"]) == count


def test_the_year_filter(client, staff_user):
    EventFactory(title="2025")
    EventFactory(title="2024", starts_on=datetime.date(2024, 3, 1))
    client.force_login(staff_user)
    assert [row["title"] for row in client.get(EVENTS, {"year": 2024}).json()["results"]] == ["2024"]
