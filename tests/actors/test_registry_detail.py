from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from actors.enums import AgrementKind, LegalForm, SiaeType
from actors.models import Agrement, Contact
from actors.services import archive_actor
from tests.accounts.factories import MembershipFactory
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.filieres.factories import FiliereFactory, SegmentFactory


def detail_url(actor) -> str:
    return reverse("actors:actor_detail", args=[actor.pk])


@pytest.fixture
def actor(db):
    actor = ActorFactory(
        name="Cycles et Solidarité",
        legal_form=LegalForm.SCOP,
        website="https://cycles.example",
        founded_year=2011,
        description="Atelier participatif.",
    )
    mobility = FiliereFactory(name="Mobilités durables")
    actor.filieres.set([mobility])
    actor.segments.set([SegmentFactory(filiere=mobility, name="Cyclologistique")])
    Agrement.objects.create(actor=actor, kind=AgrementKind.ESUS, expires_on=date.today() - timedelta(days=1))
    Agrement.objects.create(actor=actor, kind=AgrementKind.SIAE, siae_type=SiaeType.EI)
    Contact.objects.create(actor=actor, name="Jeanne Privée", email="jeanne@example.fr", phone="05 56 00 00 00")
    return actor


def test_staff_see_identity_agrements_filieres_contacts_and_members(client, staff_user, actor):
    MembershipFactory(actor=actor, user__first_name="Paul", user__last_name="Porteur", position="Trésorier")
    client.force_login(staff_user)
    response = client.get(detail_url(actor))
    assert response.status_code == 200
    for text in (
        "Cycles et Solidarité",
        actor.siret,
        f"<dt>SIREN</dt><dd>{actor.siret[:9]}</dd>",
        "Coopérative – SCOP",
        "https://cycles.example",
        "2011",
        "Atelier participatif.",
        "Non vérifié",
        "Expiré",
        "EI – entreprise d’insertion",
        "Mobilités durables",
        "Cyclologistique",
        "Jeanne Privée",
        "jeanne@example.fr",
        "Aides, participations, occupations et référencement ASR",
        "Paul Porteur, Trésorier",
        "Modifier",
    ):
        assertContains(response, text)


def test_the_actor_page_shows_its_location(client, staff_user, actor):
    client.force_login(staff_user)
    response = client.get(detail_url(actor))
    assertContains(response, "<dt>Latitude</dt><dd>44,83780</dd>", html=True)
    assertContains(response, "<dt>Longitude</dt><dd>-0,57920</dd>", html=True)
    assertContains(response, "<dt>Précision</dt><dd>Non localisé</dd>", html=True)


def test_elected_officials_read_the_page_without_contacts_nor_edit_buttons(client, elected_user, actor):
    MembershipFactory(actor=actor, user__first_name="Paul", user__last_name="Porteur")
    client.force_login(elected_user)
    response = client.get(detail_url(actor))
    assert response.status_code == 200
    assertContains(response, "Cycles et Solidarité")
    assertNotContains(response, "Jeanne Privée")
    assertNotContains(response, "jeanne@example.fr")
    assertNotContains(response, "05 56 00 00 00")
    assertNotContains(response, "Paul Porteur")
    assertNotContains(response, reverse("actors:actor_update", args=[actor.pk]))
    assertContains(response, "1 compte de porteur de projet rattaché")


def test_applicants_get_403_even_for_their_own_structure(client, applicant_user):
    actor = ActorFactory(members=[applicant_user])
    client.force_login(applicant_user)
    assert client.get(detail_url(actor)).status_code == 403


def test_a_wrong_id_answers_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("actors:actor_detail", args=[999999])).status_code == 404


def test_archived_actors_stay_readable_by_staff(client, staff_user, actor):
    archive_actor(actor=actor, by=staff_user)
    client.force_login(staff_user)
    response = client.get(detail_url(actor))
    assertContains(response, "Archivé")
    assertContains(response, "Restaurer")


def test_history_shows_who_changed_what_and_when(client, staff_user, db):
    commune = CommuneFactory(name="Pessac", insee_code="33318", slug="pessac")
    other = CommuneFactory(name="Talence", insee_code="33522", slug="talence")
    filiere = FiliereFactory(name="Alimentation durable")
    actor = ActorFactory(name="Épicerie", commune=commune, legal_form=LegalForm.ASSOCIATION)
    actor._history_user = staff_user
    actor.name = "Épicerie solidaire"
    actor.commune = other
    actor.legal_form = LegalForm.SCIC
    actor.save()
    actor.filieres.set([filiere])
    agrement = Agrement(actor=actor, kind=AgrementKind.ESUS)
    agrement._history_user = staff_user
    agrement.save()

    client.force_login(staff_user)
    response = client.get(detail_url(actor))
    history = response.context["history"]
    edit = next(entry for entry in history if entry.action == "Modification" and entry.changes[0].label != "Filières")
    assert edit.user == staff_user
    changes = {change.label: (change.old, change.new) for change in edit.changes}
    assert changes["Raison sociale"] == ("Épicerie", "Épicerie solidaire")
    assert changes["Commune"] == ("Pessac", "Talence")
    assert changes["Forme juridique"] == ("Association", "Coopérative – SCIC")
    assertContains(response, "Raison sociale : Épicerie → Épicerie solidaire")
    assertContains(response, "Filières : — → Alimentation durable")
    assertContains(response, "Agrément ESUS – Création")
    assertContains(response, f"par {staff_user}")
    assertContains(response, timezone.localtime(edit.date).strftime("%d/%m/%Y"))


def test_contact_history_is_hidden_from_readers_without_contact_rights(client, elected_user, staff_user, actor):
    client.force_login(elected_user)
    assertNotContains(client.get(detail_url(actor)), "Contact Jeanne Privée")
    client.force_login(staff_user)
    assertContains(client.get(detail_url(actor)), "Contact Jeanne Privée")


def _make_changes(actor, user, count):
    for number in range(count):
        actor._history_user = user
        actor.description = f"Version {number}"
        actor.save()
        contact = actor.contacts.first()
        contact._history_user = user
        contact.role = f"Rôle {number}"
        contact.save()


@pytest.mark.parametrize("changes", [2, 40])
def test_the_actor_page_runs_the_same_queries_whatever_the_history_length(
    client, staff_user, actor, django_assert_num_queries, changes
):
    _make_changes(actor, staff_user, changes)
    client.force_login(staff_user)
    client.get(detail_url(actor))
    # session, user, roles, actor+commune, agréments, filières, segments+filière, memberships+user, contacts,
    # actor history, its filières and segments rows, communes, filières, segments names, agrément history,
    # contact history, the actor's aids: totals and rows (funding), the other spending for the actor (funding),
    # its leases (fonciere), its events and its entries for the prize (events)
    with django_assert_num_queries(23):
        response = client.get(detail_url(actor))
    assert len(response.context["history"]) <= 50


def test_history_is_limited_to_the_50_latest_changes(client, staff_user, actor):
    _make_changes(actor, staff_user, 30)
    client.force_login(staff_user)
    history = client.get(detail_url(actor)).context["history"]
    assert len(history) == 50
    assert history[0].date >= history[-1].date
