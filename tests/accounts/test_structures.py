import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import Membership
from actors.enums import AgrementKind, LegalForm
from actors.models import Actor, Agrement, Commune
from filieres.models import Filiere, Segment
from tests.actors.factories import ActorFactory, fictitious_siret

pytestmark = pytest.mark.django_db


def structure_data(**overrides):
    data = {
        "name": "Recyclerie des Chartrons",
        "siret": fictitious_siret(4242),
        "legal_form": LegalForm.ASSOCIATION,
        "commune": Commune.objects.get(insee_code="33063").pk,
        "address": "12 rue Notre-Dame",
        "postal_code": "33000",
        "website": "recyclerie.example.org",
        "fte": "2,5",
        "founded_year": "2019",
        "description": "Réemploi d’objets du quotidien.",
        "filieres": [Filiere.objects.get(code="1.1.2").pk],
        "segments": [Segment.objects.get(slug="objets-seconde-main").pk],
        "is_public": "on",
        "position": "Présidente",
    }
    data.update(overrides)
    return data


@pytest.fixture
def applicant_client(client, applicant_user, reference_data):
    client.force_login(applicant_user)
    return client


def test_an_applicant_declares_a_structure_and_becomes_its_member(applicant_client, applicant_user):
    response = applicant_client.post(reverse("accounts:structure_create"), structure_data())

    assert response.status_code == 302
    actor = Actor.objects.get()
    assert actor.name == "Recyclerie des Chartrons"
    assert actor.verified_at is None, "staff verify it later"
    assert actor.is_public
    assert actor.website == "https://recyclerie.example.org"
    assert list(actor.segments.values_list("slug", flat=True)) == ["objets-seconde-main"]
    membership = Membership.objects.get()
    assert (membership.user, membership.actor, membership.position, membership.is_active) == (
        applicant_user,
        actor,
        "Présidente",
        True,
    )
    assert {record.history_user for record in actor.history.all()} == {applicant_user}


def test_declaring_a_known_siret_offers_to_claim_the_structure_instead(applicant_client):
    existing = ActorFactory(siret=fictitious_siret(4242), commune=Commune.objects.get(insee_code="33281"))

    response = applicant_client.post(reverse("accounts:structure_create"), structure_data())

    assert response.status_code == 200
    assert response.context["form"].errors["siret"] == [
        "Une structure avec ce SIRET est déjà enregistrée dans le portail : demandez plutôt à y être rattaché·e."
    ]
    assertContains(response, reverse("accounts:claim_create", args=[existing.pk]))
    assert Actor.objects.count() == 1
    assert not Membership.objects.exists()


def test_an_invalid_siret_is_refused_with_a_french_message(applicant_client):
    response = applicant_client.post(reverse("accounts:structure_create"), structure_data(siret="12345678901234"))

    assert response.context["form"].errors["siret"] == [
        "Le numéro SIRET « 12345678901234 » n’est pas valide (14 chiffres, clé de contrôle)."
    ]
    assert not Actor.objects.exists()


def test_a_member_edits_the_profile_of_their_structure_and_the_history_names_them(applicant_client, applicant_user):
    actor = ActorFactory(members=[applicant_user], commune=Commune.objects.get(insee_code="33063"), verified_at=None)
    data = structure_data(siret=actor.siret, name="Nouveau nom", description="Nouvelle présentation", is_public="")

    response = applicant_client.post(reverse("accounts:structure_update", args=[actor.pk]), data)

    assert response.status_code == 302
    actor.refresh_from_db()
    assert (actor.name, actor.description, actor.is_public) == ("Nouveau nom", "Nouvelle présentation", False)
    record = actor.history.latest()
    assert record.history_user == applicant_user
    assert record.history_change_reason == "Modification du profil par un membre"


def test_name_siret_and_legal_form_are_read_only_once_the_structure_is_verified(applicant_client, applicant_user):
    actor = ActorFactory(members=[applicant_user], commune=Commune.objects.get(insee_code="33063"))
    actor.verified_at = timezone.now()
    actor.save()
    original = (actor.name, actor.siret, actor.legal_form)
    data = structure_data(name="Autre nom", siret=fictitious_siret(9999), legal_form=LegalForm.SCOP)

    response = applicant_client.post(reverse("accounts:structure_update", args=[actor.pk]), data)

    assert response.status_code == 302
    actor.refresh_from_db()
    assert (actor.name, actor.siret, actor.legal_form) == original
    assert actor.description == "Réemploi d’objets du quotidien."


def test_a_member_cannot_change_the_agrements_of_their_structure(applicant_client, applicant_user):
    actor = ActorFactory(members=[applicant_user], commune=Commune.objects.get(insee_code="33063"))
    Agrement.objects.create(actor=actor, kind=AgrementKind.ESUS)
    data = structure_data(
        siret=actor.siret,
        **{"agrements": [], "agrements-TOTAL_FORMS": "1", "agrements-0-kind": AgrementKind.EA},
    )

    response = applicant_client.post(reverse("accounts:structure_update", args=[actor.pk]), data)

    assert response.status_code == 302
    assert list(actor.agrements.values_list("kind", flat=True)) == [AgrementKind.ESUS]
    page = applicant_client.get(reverse("accounts:structure_update", args=[actor.pk]))
    assert "agrement" not in page.context["form"].fields


def test_an_applicant_can_edit_only_their_own_structure_and_a_wrong_id_gives_404(applicant_client, applicant_user):
    mine = ActorFactory(members=[applicant_user])
    other = ActorFactory(name="Pas la mienne")
    former = ActorFactory()
    Membership.objects.create(user=applicant_user, actor=former, is_active=False)

    assert applicant_client.get(reverse("accounts:structure_update", args=[mine.pk])).status_code == 200
    for pk in (other.pk, former.pk, 999_999):
        url = reverse("accounts:structure_update", args=[pk])
        assert applicant_client.get(url).status_code == 404
        assert applicant_client.post(url, structure_data(siret=other.siret, name="Piratée")).status_code == 404
    other.refresh_from_db()
    assert other.name == "Pas la mienne"


def test_the_applicant_home_links_to_declaring_and_claiming_a_structure(applicant_client, applicant_user):
    response = applicant_client.get(reverse("applicant_home"))

    assertContains(response, reverse("accounts:structure_create"))
    assertContains(response, reverse("accounts:claim_search"))
    assertNotContains(response, "mailto:")
    actor = ActorFactory(members=[applicant_user])
    response = applicant_client.get(reverse("applicant_home"))
    assertContains(response, reverse("accounts:structure_update", args=[actor.pk]))
    assertContains(response, reverse("accounts:claim_search"))
