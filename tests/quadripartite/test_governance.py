"""The quadripartite convention's governance: rotation of the organiser, the plan's rhythm of meetings, the
follow-up of decisions, who writes what."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from quadripartite import services
from quadripartite.enums import Audience, CommitteeKind
from quadripartite.models import Decision, Meeting, meeting_rhythm, organisers
from tests.funding.factories import PDF_BYTES
from tests.quadripartite.factories import (
    DecisionFactory,
    MeetingFactory,
    PartnerFactory,
    PartnerMemberFactory,
    SignatoryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signatories():
    return [
        SignatoryFactory(short_name=name, slug=name.lower(), rotation_order=order)
        for order, name in enumerate(["Métropole", "Région", "Département", "Ville"], start=1)
    ]


def _organisers(years):
    return [organisers(years)[year][0].short_name for year in years]


def test_the_signatories_take_turns_each_year_over_eight_years_and_an_override_changes_one_year(
    signatories, staff_user
):
    years = range(2022, 2030)
    assert _organisers(years) == ["Métropole", "Région", "Département", "Ville"] * 2

    services.override_organiser(year=2026, partner=signatories[1], reason="La Métropole cède son tour.", by=staff_user)

    assert _organisers(years) == [
        "Métropole",
        "Région",
        "Département",
        "Ville",
        "Région",
        "Région",
        "Département",
        "Ville",
    ]
    assert organisers([2026])[2026][1].reason == "La Métropole cède son tour."
    services.cancel_override(year=2026)
    assert _organisers([2026]) == ["Métropole"]


def test_only_a_signatory_organises_and_an_override_needs_a_reason(signatories, staff_user):
    cress = PartnerFactory(short_name="CRESS", is_signatory=False)
    with pytest.raises(ValidationError, match="Seule une collectivité signataire"):
        services.override_organiser(year=2026, partner=cress, reason="x", by=staff_user)
    with pytest.raises(ValidationError, match="motif"):
        services.override_organiser(year=2026, partner=signatories[2], reason="  ", by=staff_user)


def test_a_year_short_of_its_expected_meetings_is_flagged_counting_the_scheduled_ones(signatories, staff_user):
    today = datetime.date.today()
    for held_on, committee in [
        (datetime.date(2025, 2, 1), CommitteeKind.STEERING),
        (datetime.date(2025, 3, 1), CommitteeKind.FOLLOW_UP),
        (datetime.date(2024, 3, 1), CommitteeKind.FOLLOW_UP),
        (datetime.date(2024, 9, 1), CommitteeKind.FOLLOW_UP),
        (datetime.date(2024, 10, 1), CommitteeKind.STEERING),
        (today + datetime.timedelta(days=40), CommitteeKind.FOLLOW_UP),
    ]:
        services.record_meeting(committee=committee, held_on=held_on, by=staff_user)

    rows = {row["year"]: row for row in meeting_rhythm([2024, 2025, (today + datetime.timedelta(days=40)).year])}
    follow_up_2025 = rows[2025]["committees"][1]
    assert (follow_up_2025["held"], follow_up_2025["missing"], rows[2025]["short"]) == (1, 1, True)
    assert rows[2024]["short"] is False
    future_year = rows[(today + datetime.timedelta(days=40)).year]["committees"][1]
    assert future_year["scheduled"] >= 1


def test_the_decisions_follow_up_puts_the_late_ones_first_then_the_open_ones_by_due_date_then_the_done_ones(
    staff_user,
):
    today = datetime.date.today()
    meeting = MeetingFactory(held_on=today - datetime.timedelta(days=400))
    later = DecisionFactory(meeting=meeting, text="à faire plus tard", due_on=today + datetime.timedelta(days=60))
    soon = DecisionFactory(meeting=meeting, text="à faire bientôt", due_on=today + datetime.timedelta(days=5))
    undated = DecisionFactory(meeting=meeting, text="sans échéance", due_on=None)
    late_old = DecisionFactory(meeting=meeting, text="très en retard", due_on=today - datetime.timedelta(days=90))
    late = DecisionFactory(meeting=meeting, text="en retard", due_on=today - datetime.timedelta(days=3))
    done_old = DecisionFactory(meeting=meeting, text="réalisée tôt", due_on=today - datetime.timedelta(days=200))
    done_recent = DecisionFactory(meeting=meeting, text="réalisée hier", due_on=today - datetime.timedelta(days=100))
    services.mark_done(decision=done_old, by=staff_user, done_on=today - datetime.timedelta(days=150))
    services.mark_done(decision=done_recent, by=staff_user, done_on=today - datetime.timedelta(days=1))

    ordered = list(Decision.objects.follow_up_order())

    assert ordered == [late_old, late, soon, later, undated, done_recent, done_old]


def test_a_partner_of_a_signatory_records_a_meeting_with_attendees_and_an_elected_official_only_reads(
    client, signatories, elected_user
):
    member = PartnerMemberFactory(partner=signatories[1])
    client.force_login(member.user)
    response = client.post(
        reverse("quadripartite:meeting_create"),
        {
            "committee": CommitteeKind.STEERING,
            "held_on": "2025-06-24",
            "place": "Hôtel de Région",
            "organiser": "",
            "agenda": "Bilan",
            "minutes": "Les élus valident le tableau commun.",
            f"attendees_{signatories[1].pk}": "Claire Darrieux – élue\nYann Lafitte",
        },
    )
    meeting = Meeting.objects.get()
    assert response.url == meeting.get_absolute_url()
    assert meeting.organiser == signatories[3]  # 2025 is the Ville's turn
    assert sorted(meeting.attendees.values_list("name", "audience")) == [
        ("Claire Darrieux", Audience.ELECTED),
        ("Yann Lafitte", Audience.TECHNICIAN),
    ]
    assert meeting.history.first().history_user == member.user

    client.force_login(elected_user)
    assertContains(client.get(meeting.get_absolute_url()), "Les élus valident le tableau commun.")
    assertNotContains(client.get(meeting.get_absolute_url()), "Ajouter une décision")
    assert client.post(reverse("quadripartite:meeting_create"), {}).status_code == 403
    assert client.post(reverse("quadripartite:decision_create", args=[meeting.pk]), {}).status_code == 403


def test_a_member_of_another_partner_body_reads_but_does_not_write_meetings(client, signatories):
    member = PartnerMemberFactory(partner=PartnerFactory(short_name="CRESS", is_signatory=False))
    client.force_login(member.user)
    assert client.get(reverse("quadripartite:space")).status_code == 200
    assert client.post(reverse("quadripartite:meeting_create"), {}).status_code == 403


@pytest.mark.parametrize("role_fixture", ["applicant_user", "procurement_user"])
def test_applicants_and_buyers_have_no_access(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(reverse("quadripartite:space")).status_code == 403
    assert client.get(reverse("quadripartite:decision_list")).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    assert reverse("accounts:login") in client.get(reverse("quadripartite:space")).url


def test_a_partner_marks_done_the_decisions_of_their_collectivity_only(client, signatories):
    member = PartnerMemberFactory(partner=signatories[1])
    theirs = DecisionFactory(meeting=MeetingFactory(organiser=signatories[0]), owner=signatories[1])
    others = DecisionFactory(meeting=theirs.meeting, owner=signatories[2])
    client.force_login(member.user)

    page = client.get(theirs.meeting.get_absolute_url())
    assertContains(page, reverse("quadripartite:decision_done", args=[theirs.pk]))
    assertNotContains(page, reverse("quadripartite:decision_done", args=[others.pk]))
    client.post(reverse("quadripartite:decision_done", args=[theirs.pk]))
    assert client.post(reverse("quadripartite:decision_done", args=[others.pk])).status_code == 403

    theirs.refresh_from_db()
    others.refresh_from_db()
    assert (theirs.done_on, theirs.done_by, others.done_on) == (datetime.date.today(), member.user, None)
    with pytest.raises(ValidationError, match="déjà marquée réalisée"):
        services.mark_done(decision=theirs, by=member.user)


def test_a_decision_cannot_be_due_before_its_meeting(signatories):
    meeting = MeetingFactory(held_on=datetime.date(2025, 6, 1), organiser=signatories[0])
    with pytest.raises(ValidationError, match="ne peut pas précéder la réunion"):
        services.add_decision(meeting=meeting, text="x", owner=signatories[0], due_on=datetime.date(2025, 5, 1))


def test_minutes_file_is_checked_and_downloaded_as_an_attachment(client, signatories, staff_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff_user)
    data = {"committee": CommitteeKind.FOLLOW_UP, "held_on": "2025-03-04", "place": "", "agenda": "", "minutes": ""}
    fake = SimpleUploadedFile("compte-rendu.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = client.post(reverse("quadripartite:meeting_create"), {**data, "minutes_file": fake})
    assert response.status_code == 200
    assert "minutes_file" in response.context["form"].errors
    assert not Meeting.objects.exists()
    assert not list(tmp_path.rglob("*.pdf"))

    real = SimpleUploadedFile("compte-rendu.pdf", PDF_BYTES, "application/pdf")
    client.post(reverse("quadripartite:meeting_create"), {**data, "minutes_file": real})
    meeting = Meeting.objects.get()
    download = client.get(reverse("quadripartite:meeting_minutes_download", args=[meeting.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="compte-rendu.pdf"'
    assert b"".join(download.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("count", [2, 12])
def test_the_lists_run_the_same_queries_whatever_their_size(
    client, signatories, staff_user, django_assert_num_queries, count
):
    for index in range(count):
        meeting = MeetingFactory(
            held_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=index), organiser=signatories[index % 4]
        )
        DecisionFactory(meeting=meeting, owner=signatories[(index + 1) % 4])
    client.force_login(staff_user)
    # session, user, groups, count, page of meetings (organiser joined, decisions counted)
    with django_assert_num_queries(5):
        client.get(reverse("quadripartite:meeting_list"))
    # session, user, groups, the filter's partners, count, page of decisions (owner and meeting joined)
    with django_assert_num_queries(6):
        client.get(reverse("quadripartite:decision_list"))
    # session, user, groups, the partner of the user, signatories and overrides (rhythm), meeting counts, documents,
    # signatories, bodies, last and next meeting, open decisions, their count and the late ones', the future
    # overrides, the forms' choices
    with django_assert_num_queries(17):
        client.get(reverse("quadripartite:space"))
    # session, user, groups, the meeting, its attendees, its decisions (owner joined), the decision form's partners
    with django_assert_num_queries(7):
        client.get(meeting.get_absolute_url())
