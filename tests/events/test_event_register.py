import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.enums import Role
from events.enums import EventKind
from events.models import Event
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.events.factories import EventFactory, PrizeCandidateFactory
from tests.quadripartite.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_staff_record_an_event_with_its_organisers(client, staff_user):
    client.force_login(staff_user)
    commune = CommuneFactory()
    partner = PartnerFactory()
    actor, other_actor = ActorFactory(), ActorFactory()
    response = client.post(
        reverse("events:event_create"),
        {
            "kind": EventKind.PETIT_DEJEUNER,
            "title": "Petit déjeuner ESS : achats",
            "starts_on": "2026-03-12",
            "ends_on": "",
            "place": "Maison de l’emploi",
            "commune": commune.pk,
            "organising_partners": [partner.pk],
            "organising_communes": [commune.pk],
            "actors": f"{actor.pk}, {other_actor.pk}",
            "plan_action_code": "2.6",
            "is_public": "on",
            "description": "",
        },
    )
    event = Event.objects.get()
    assert response.url == reverse("events:event_detail", args=[event.pk])
    assert list(event.organising_partners.all()) == [partner]
    assert set(event.actors.all()) == {actor, other_actor}
    assert event.created_by == staff_user
    assertContains(client.get(response.url), "Petit déjeuner ESS : achats")


def test_an_event_ending_before_it_starts_is_refused(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("events:event_create"),
        {"kind": EventKind.FORUM, "title": "Forum", "starts_on": "2026-03-12", "ends_on": "2026-03-10"},
    )
    assert response.status_code == 200
    assert not Event.objects.exists()


def test_a_wrong_plan_action_code_is_refused(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("events:event_create"),
        {"kind": EventKind.FORUM, "title": "Forum", "starts_on": "2026-03-12", "plan_action_code": "trois"},
    )
    assert "plan_action_code" in response.context["form"].errors
    assert not Event.objects.exists()


@pytest.mark.parametrize("role", [Role.ELECTED, Role.PARTNER])
def test_elected_officials_and_partners_read_but_cannot_write(client, user_with_role, role):
    event = EventFactory(internal=True)
    client.force_login(user_with_role(role))
    assert client.get(reverse("events:event_list")).status_code == 200
    assert client.get(reverse("events:event_detail", args=[event.pk])).status_code == 200
    assert client.get(reverse("events:event_create")).status_code == 403
    assert client.post(reverse("events:event_update", args=[event.pk]), {"title": "x"}).status_code == 403
    response = client.post(
        reverse("events:event_attendance", args=[event.pk]), {"elected": 1, "staff": 1, "public": 1}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert not event.has_attendance


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PROCUREMENT])
def test_other_roles_may_not_read_the_register(client, user_with_role, role):
    client.force_login(user_with_role(role))
    assert client.get(reverse("events:event_list")).status_code == 403
    assert client.get(reverse("events:event_export")).status_code == 403


def test_staff_record_the_attendance_after_the_event(client, staff_user):
    event = EventFactory(starts_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(staff_user)
    client.post(reverse("events:event_attendance", args=[event.pk]), {"elected": 4, "staff": 12, "public": 80})
    event.refresh_from_db()
    assert (event.elected_count, event.staff_count, event.public_count) == (4, 12, 80)
    assert event.participant_count == 96


def test_attendance_is_refused_before_the_event(client, staff_user):
    event = EventFactory(starts_on=timezone.localdate() + datetime.timedelta(days=3))
    client.force_login(staff_user)
    response = client.post(
        reverse("events:event_attendance", args=[event.pk]), {"elected": 4, "staff": 12, "public": 80}, follow=True
    )
    assertContains(response, "La participation s’enregistre après l’évènement")
    event.refresh_from_db()
    assert not event.has_attendance


def test_the_register_filters_by_year_kind_and_commune_in_the_url(client, staff_user):
    commune = CommuneFactory(name="Bègles")
    EventFactory(title="Forum de Bègles", commune=commune)
    EventFactory(title="Forum ailleurs")
    EventFactory(title="Marché de Bègles", commune=commune, kind=EventKind.MARCHE_NOEL)
    EventFactory(title="Forum de Bègles 2024", commune=commune, starts_on=datetime.date(2024, 11, 5))
    client.force_login(staff_user)
    response = client.get(
        reverse("events:event_list"), {"annee": 2025, "type": EventKind.FORUM, "commune": commune.pk}
    )
    assert [event.title for event in response.context["events"]] == ["Forum de Bègles"]


@pytest.mark.parametrize("count", [2, 12])
def test_the_register_runs_the_same_queries_whatever_the_number_of_events(
    client, staff_user, django_assert_num_queries, count
):
    for _ in range(count):
        EventFactory(held=True)
    client.force_login(staff_user)
    # session, user, groups (role), communes of the filter, count, page
    with django_assert_num_queries(6):
        response = client.get(reverse("events:event_list"))
    assert len(response.context["events"]) == count


@pytest.mark.parametrize("export_format", ["csv", "xlsx", "ods"])
def test_the_export_holds_the_filtered_events(client, elected_user, export_format):
    EventFactory(title="Forum exporté", held=True, organising_partners=[PartnerFactory(short_name="Région")])
    EventFactory(title="Forum de 2024", starts_on=datetime.date(2024, 11, 5))
    client.force_login(elected_user)
    name = {"csv": "events:event_export", "xlsx": "events:event_export_xlsx", "ods": "events:event_export_ods"}
    response = client.get(reverse(name[export_format]), {"annee": 2025})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    response.close()
    if export_format == "csv":
        content = content.decode()
        assert "Forum exporté" in content
        assert "Région" in content
        assert "Forum de 2024" not in content


def test_the_public_agenda_shows_upcoming_public_events_to_visitors(client):
    today = timezone.localdate()
    EventFactory(title="Marché de Noël à venir", starts_on=today + datetime.timedelta(days=7))
    EventFactory(title="Réunion interne à venir", starts_on=today + datetime.timedelta(days=7), internal=True)
    EventFactory(title="Forum passé", starts_on=today - datetime.timedelta(days=30))
    EventFactory(
        title="Salon en cours",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
    )
    response = client.get(reverse("events:agenda"))
    assert response.status_code == 200
    assertContains(response, "Marché de Noël à venir")
    assertContains(response, "Salon en cours")
    assertNotContains(response, "Réunion interne à venir")
    assertNotContains(response, "Forum passé")


def test_visitors_and_applicants_find_the_agenda_in_the_navigation(client, applicant_user, staff_user):
    agenda = reverse("events:agenda")
    assertContains(client.get(reverse("home"), follow=True), f'href="{agenda}"')
    client.force_login(applicant_user)
    assertContains(client.get(reverse("home"), follow=True), f'href="{agenda}"')
    client.force_login(staff_user)
    assertContains(client.get(reverse("home"), follow=True), f'href="{reverse("events:event_list")}"')


def test_staff_correct_an_event_and_its_actors_are_shown_by_number(client, staff_user):
    actor = ActorFactory()
    event = EventFactory(title="Forum à corriger")
    event.actors.set([actor])
    client.force_login(staff_user)
    url = reverse("events:event_update", args=[event.pk])
    assertContains(client.get(url), f'value="{actor.pk}"')
    response = client.post(
        url,
        {"kind": EventKind.FORUM, "title": "Forum corrigé", "starts_on": "2025-11-17", "actors": "", "is_public": ""},
    )
    assert response.url == event.get_absolute_url()
    event.refresh_from_db()
    assert (event.title, event.is_public, event.actors.count()) == ("Forum corrigé", False, 0)
    assert event.history.filter(title="Forum à corriger").exists()
    assert event.history.first().title == "Forum corrigé"


def test_an_unknown_actor_number_is_refused(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("events:event_create"),
        {"kind": EventKind.FORUM, "title": "Forum", "starts_on": "2026-03-12", "actors": "999999"},
    )
    assert "actors" in response.context["form"].errors
    assert not Event.objects.exists()


@pytest.mark.parametrize("count", [2, 12])
def test_the_agenda_runs_the_same_queries_whatever_the_number_of_events(client, django_assert_num_queries, count):
    for _ in range(count):
        EventFactory(starts_on=timezone.localdate() + datetime.timedelta(days=10))
    # count, page (anonymous: no session)
    with django_assert_num_queries(2):
        response = client.get(reverse("events:agenda"))
    assert len(response.context["events"]) == count


@pytest.mark.parametrize("count", [2, 12])
def test_an_events_page_runs_the_same_queries_whatever_the_number_of_organisers(
    client, elected_user, django_assert_num_queries, count
):
    event = EventFactory(held=True, organising_partners=[PartnerFactory() for _ in range(count)])
    event.actors.set([ActorFactory() for _ in range(count)])
    client.force_login(elected_user)
    # session, user, groups (role), event, partners, communes, actors
    with django_assert_num_queries(7):
        response = client.get(reverse("events:event_detail", args=[event.pk]))
    assert len(response.context["actors"]) == count


def test_an_actors_page_shows_its_events_and_prize_entries_to_staff(client, staff_user):
    actor = ActorFactory()
    EventFactory(title="Forum où l’acteur exposait").actors.set([actor])
    PrizeCandidateFactory(actor=actor, category__name="Innovation sociale")
    client.force_login(staff_user)
    response = client.get(reverse("actors:actor_detail", args=[actor.pk]))
    assertContains(response, "Forum où l’acteur exposait")
    assertContains(response, "catégorie « Innovation sociale » : candidat")
