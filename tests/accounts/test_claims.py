import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts import services
from accounts.enums import Role
from accounts.models import Membership
from actors.enums import ClaimStatus
from actors.models import ActorClaim, Contact
from tests.actors.factories import ActorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(db):
    return ActorFactory(name="Coopérative du Vélo")


def test_an_applicant_finds_a_structure_by_name_or_siret_without_its_contacts(client, applicant_user, actor):
    Contact.objects.create(actor=actor, name="Jeanne Secret", email="jeanne@secret.example")
    ActorFactory(name="Coopérative archivée", is_archived=True)
    client.force_login(applicant_user)

    by_name = client.get(reverse("accounts:claim_search"), {"q": "cooperative velo"})
    by_siret = client.get(reverse("accounts:claim_search"), {"q": actor.siret[:9]})

    assert by_name.context["results"] == [actor]
    assert by_siret.context["results"] == [actor]
    assertContains(by_name, actor.siret)
    assertNotContains(by_name, "Jeanne Secret")
    assertNotContains(by_name, "jeanne@secret.example")
    assertNotContains(by_name, "Coopérative archivée")


def test_claim_flow_pending_then_approved_gives_a_membership_and_an_email(
    client, applicant_user, staff_user, actor, django_capture_on_commit_callbacks
):
    client.force_login(applicant_user)
    response = client.post(
        reverse("accounts:claim_create", args=[actor.pk]), {"position": "Trésorier", "message": "Élu en juin."}
    )
    assert response.status_code == 302
    claim = ActorClaim.objects.get()
    assert (claim.status, claim.user, claim.position) == (ClaimStatus.PENDING, applicant_user, "Trésorier")
    assert not Membership.objects.exists()

    client.force_login(staff_user)
    assertContains(client.get(reverse("accounts:claim_list")), "Coopérative du Vélo")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:claim_review", args=[claim.pk]), {"decision": "approve", "comment": "Bienvenue"}
        )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by, claim.decision_comment) == (ClaimStatus.APPROVED, staff_user, "Bienvenue")
    membership = Membership.objects.get()
    assert (membership.user, membership.actor, membership.position, membership.is_active) == (
        applicant_user,
        actor,
        "Trésorier",
        True,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [applicant_user.email]
    assert "Coopérative du Vélo" in mail.outbox[0].subject
    assert "a validé votre demande de rattachement" in mail.outbox[0].body


def test_a_rejected_claim_sends_the_reason_and_creates_no_membership(
    client, applicant_user, staff_user, actor, django_capture_on_commit_callbacks
):
    claim = services.request_actor_claim(user=applicant_user, actor=actor, position="Bénévole")
    client.force_login(staff_user)

    response = client.post(reverse("accounts:claim_review", args=[claim.pk]), {"decision": "reject", "comment": ""})
    assert response.context["form"].errors["comment"] == ["Indiquez le motif du refus : il est envoyé au demandeur."]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:claim_review", args=[claim.pk]),
            {"decision": "reject", "comment": "Seul le bureau peut représenter l’association."},
        )

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert not Membership.objects.exists()
    assert len(mail.outbox) == 1
    assert "Motif : Seul le bureau peut représenter l’association." in mail.outbox[0].body


def test_a_second_pending_claim_for_the_same_structure_is_refused(client, applicant_user, actor):
    services.request_actor_claim(user=applicant_user, actor=actor, position="Trésorier")
    client.force_login(applicant_user)

    response = client.post(reverse("accounts:claim_create", args=[actor.pk]), {"position": "Trésorier"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Vous avez déjà une demande de rattachement en attente pour cette structure."
    ]
    assert ActorClaim.objects.count() == 1


def test_a_member_cannot_claim_their_own_structure_again(applicant_user, actor):
    Membership.objects.create(user=applicant_user, actor=actor)

    with pytest.raises(services.ValidationError, match="déjà rattaché·e"):
        services.request_actor_claim(user=applicant_user, actor=actor, position="Trésorier")

    assert not ActorClaim.objects.exists()


def test_a_claim_is_decided_only_once(applicant_user, staff_user, actor):
    claim = services.request_actor_claim(user=applicant_user, actor=actor, position="Trésorier")
    services.approve_actor_claim(claim=claim, by=staff_user)

    with pytest.raises(services.ValidationError, match="déjà été traitée"):
        services.reject_actor_claim(claim=claim, by=staff_user, comment="Trop tard")

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_people_who_do_not_manage_actors_get_403_on_the_claim_review_pages(client, user_with_role, actor):
    applicant = user_with_role(Role.APPLICANT)
    claim = services.request_actor_claim(user=applicant, actor=actor, position="Trésorier")
    for role in (Role.APPLICANT, Role.ELECTED, Role.PROCUREMENT, Role.PARTNER):
        client.force_login(user_with_role(role))
        assert client.get(reverse("accounts:claim_list")).status_code == 403
        assert client.get(reverse("accounts:claim_review", args=[claim.pk])).status_code == 403
        response = client.post(reverse("accounts:claim_review", args=[claim.pk]), {"decision": "approve"})
        assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING
    assert not Membership.objects.exists()


def test_the_claim_list_runs_the_same_queries_whatever_the_number_of_claims(
    client, staff_user, user_with_role, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def make_claim():
        services.request_actor_claim(user=user_with_role(Role.APPLICANT), actor=ActorFactory(), position="Membre")

    make_claim()
    client.force_login(staff_user)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:claim_list"))
    for _ in range(10):
        make_claim()

    with django_assert_num_queries(len(few)):
        response = client.get(reverse("accounts:claim_list"))
    assert len(response.context["claims"]) == 11
