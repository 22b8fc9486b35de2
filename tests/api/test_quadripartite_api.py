import datetime
from decimal import Decimal

import pytest

from funding.cofinancing_services import record_cofinancing
from tests.funding.factories import ApplicationFactory
from tests.quadripartite.factories import DecisionFactory, MeetingFactory, PartnerMemberFactory, SignatoryFactory

pytestmark = pytest.mark.django_db


def test_readers_get_the_meetings_with_attendees_and_decisions_and_the_decisions_late_first(client, elected_user):
    meeting = MeetingFactory(held_on=datetime.date(2025, 3, 4))
    late = DecisionFactory(meeting=meeting, due_on=datetime.date(2025, 4, 1))
    later = DecisionFactory(meeting=meeting, due_on=datetime.date.today() + datetime.timedelta(days=30))
    client.force_login(elected_user)

    meetings = client.get("/api/v1/quadripartite/reunions/", {"year": 2025}).json()["results"]
    assert [item["id"] for item in meetings] == [meeting.pk]
    assert [item["id"] for item in meetings[0]["decisions"]] == [late.pk, later.pk]
    decisions = client.get("/api/v1/quadripartite/decisions/", {"open": "true"}).json()["results"]
    assert [item["id"] for item in decisions] == [late.pk, later.pk]


def test_applicants_get_403_on_the_quadripartite_api(client, applicant_user):
    client.force_login(applicant_user)
    assert client.get("/api/v1/quadripartite/reunions/").status_code == 403
    assert client.get("/api/v1/cofinancements/").status_code == 403


def test_a_partner_reads_only_their_collectivitys_cofinancing_rows(client, staff_user):
    region, departement = SignatoryFactory(slug="region-api"), SignatoryFactory(slug="departement-api")
    application = ApplicationFactory()
    for partner in (region, departement):
        record_cofinancing(application=application, partner=partner, year=2025, pledged=Decimal("100"), by=staff_user)
    member = PartnerMemberFactory(partner=region)

    client.force_login(member.user)
    rows = client.get("/api/v1/cofinancements/").json()["results"]
    assert [(row["partner"], row["pledged"]) for row in rows] == [("region-api", "100.00")]
    client.force_login(staff_user)
    assert len(client.get("/api/v1/cofinancements/", {"year": 2025}).json()["results"]) == 2
