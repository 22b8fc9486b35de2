import pytest
from django.utils import timezone

from actors.enums import AgrementKind
from actors.models import Agrement, Contact
from filieres.models import Filiere, HeadOfNetwork
from home.demo import load_demo

pytestmark = pytest.mark.django_db


def test_demo_structures_have_every_kind_of_agrement_a_contact_and_each_filiere_a_head_of_network():
    load_demo()
    load_demo()  # idempotent
    assert set(Agrement.objects.values_list("kind", flat=True)) == set(AgrementKind.values)
    assert not Agrement.objects.filter(kind=AgrementKind.SIAE, siae_type="").exists()
    assert Contact.objects.count() == 64
    assert all(contact.name.endswith("(fictif)") for contact in Contact.objects.all())
    assert HeadOfNetwork.objects.count() == Filiere.objects.count() == 4


def test_demo_applications_went_through_the_real_workflow():
    from funding.enums import ApplicationStatus
    from funding.models import Application, BudgetLine, Commitment, SupportScheme

    load_demo()
    load_demo()  # idempotent
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.INFO_REQUESTED,
        ApplicationStatus.PROPOSED,
        ApplicationStatus.APPROVED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.AGREEMENT_SIGNED,
        ApplicationStatus.PAID,
    } <= statuses
    assert Application.objects.count() == 10
    assert Commitment.objects.grants().count() == 3  # approved, agreement signed, paid (the foncière's capital aside)
    committed = sum(Commitment.objects.values_list("amount", flat=True))
    assert sum(BudgetLine.objects.values_list("committed_amount", flat=True)) == committed
    paid = Commitment.objects.get(application__status=ApplicationStatus.PAID)
    assert paid.paid_amount == paid.amount
    assert SupportScheme.objects.filter(is_published=True).count() == 3


def test_demo_plan_has_tracked_actions_and_an_overdue_milestone():
    from programme.enums import ActionStatus
    from programme.models import Action, Milestone

    load_demo()
    load_demo()  # idempotent
    assert Action.objects.exclude(status=ActionStatus.NOT_STARTED).count() == 10
    assert Milestone.objects.filter(is_plan_commitment=False).count() == 4
    assert not Milestone.objects.plan_commitments().filter(done_on=None, due_on__lt=timezone.localdate()).exists()
    assert Milestone.objects.filter(done_on__isnull=True, due_on__lt=timezone.localdate()).count() == 1


def test_the_demo_asr_directory_has_suppliers_in_each_sector_and_for_each_reserved_article(client):
    from django.urls import reverse

    from accounts.enums import Role
    from accounts.models import User
    from procurement.asr.models import AsrListing
    from procurement.enums import ListingStatus, ReservedArticle

    load_demo()
    load_demo()  # idempotent
    today = timezone.localdate()
    statuses = set(AsrListing.objects.values_list("status", flat=True))
    assert statuses == set(ListingStatus.values)
    assert AsrListing.objects.published(today).count() == 13
    client.force_login(User.objects.with_role(Role.PROCUREMENT).get())
    directory = reverse("procurement:directory")
    for cpv in ["90", "55", "45", "79", "30", "60"]:
        assert client.get(directory, {"cpv": cpv}).context["result_count"] >= 1, cpv
    for article in ReservedArticle.values:
        assert client.get(directory, {"article": article}).context["result_count"] >= 1, article
    shown = {listing.actor.name for listing in client.get(directory, {"cpv": "9051"}).context["listings"]}
    assert "Matériaux Rebond" in shown
    assert not shown & {"Ressourcerie des Deux Rives", "Recyclerie L’Estran"}  # a draft and an expired listing
    own_lists = client.get(reverse("procurement:consultation_lists")).context["own_lists"]
    assert [(item.name, item.entry_count) for item in own_lists] == [("Entretien des espaces verts des parcs 2027", 3)]
    client.force_login(User.objects.with_role(Role.STAFF).get())
    shared = client.get(reverse("procurement:consultation_lists")).context["shared_lists"]
    assert [item.name for item in shared] == ["Entretien des espaces verts des parcs 2027"]
