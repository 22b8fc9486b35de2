import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from funding.enums import ApplicationStatus, CommitmentKind
from funding.models import Commitment, Decision
from tests.actors.factories import ActorFactory
from tests.funding.factories import (
    ApplicationFactory,
    CouncilSessionFactory,
    SpendingCommitmentFactory,
    SupportSchemeFactory,
)


def detail_url(actor) -> str:
    return reverse("actors:actor_detail", args=[actor.pk])


def grant(application, amount, *, paid="0.00"):
    Decision.objects.create(
        application=application,
        council_session=CouncilSessionFactory(),
        deliberation_number=f"2025-D{application.pk}",
        decided_on=datetime.date(2025, 3, 1),
        is_approved=True,
        granted_amount=Decimal(amount),
    )
    Commitment.objects.create(
        application=application,
        budget_line=application.scheme.budget_line,
        amount=Decimal(amount),
        paid_amount=Decimal(paid),
        idempotency_key=f"aid-{application.pk}",
    )


@pytest.fixture
def actor(db):
    actor = ActorFactory(name="Atelier partagé")
    scheme = SupportSchemeFactory(title="Soutien aux projets ESS")
    paid = ApplicationFactory(
        actor=actor, scheme=scheme, title="Fablab", requested_amount=Decimal("20000"), status=ApplicationStatus.PAID
    )
    grant(paid, "18000.00", paid="18000.00")
    signed = ApplicationFactory(
        actor=actor,
        scheme=scheme,
        title="Repair café",
        requested_amount=Decimal("6000"),
        status=ApplicationStatus.AGREEMENT_SIGNED,
    )
    grant(signed, "5000.00", paid="2500.00")
    ApplicationFactory(
        actor=actor, scheme=scheme, submitted=True, title="Nouveau projet", requested_amount=Decimal("9000")
    )
    ApplicationFactory(actor=actor, title="Brouillon privé")
    ApplicationFactory(scheme=scheme, submitted=True, title="Projet d’une autre structure")
    return actor


def test_staff_see_the_actors_applications_and_aids_with_totals(client, staff_user, actor):
    client.force_login(staff_user)

    response = client.get(detail_url(actor))

    aids = response.context["aids"]
    assert {application.title for application in aids["applications"]} == {"Repair café", "Fablab", "Nouveau projet"}
    assert aids["totals"] == {
        "requested": Decimal("35000.00"),
        "granted": Decimal("23000.00"),
        "committed": Decimal("23000.00"),
        "paid": Decimal("20500.00"),
    }
    assertContains(response, "Nouveau projet")
    assertContains(response, "Soutien aux projets ESS")
    assertContains(response, "Délibération 2025-D")
    assertContains(response, "23\u00a0000,00\u00a0€")
    assertNotContains(response, "Brouillon privé")
    assertNotContains(response, "Projet d’une autre structure")


def test_partners_see_only_the_granted_aids(client, partner_user, actor):
    client.force_login(partner_user)

    response = client.get(detail_url(actor))

    assert {application.title for application in response.context["aids"]["applications"]} == {"Fablab", "Repair café"}
    assertNotContains(response, "Nouveau projet")
    assertContains(response, "Aides accordées par la Métropole")


def test_an_actor_without_application(client, staff_user, db):
    client.force_login(staff_user)

    response = client.get(detail_url(ActorFactory()))

    assertContains(response, "Aucune demande de subvention déposée par cette structure.")


@pytest.mark.parametrize("applications", [1, 20])
def test_the_aids_add_the_same_queries_whatever_their_number(
    client, staff_user, django_assert_num_queries, applications
):
    actor = ActorFactory()
    scheme = SupportSchemeFactory()
    for _ in range(applications):
        grant(ApplicationFactory(actor=actor, scheme=scheme, status=ApplicationStatus.APPROVED), "1000.00")
    client.force_login(staff_user)
    client.get(detail_url(actor))

    # the actor page's queries (see test_registry_detail), the aids' totals and rows, the other spending,
    # the foncière's leases, the events and the prize's entries
    with django_assert_num_queries(21):
        response = client.get(detail_url(actor))

    assert len(response.context["aids"]["applications"]) == applications


def test_staff_see_the_other_spending_for_the_actor_and_the_buyer_does_not(client, staff_user, procurement_user):
    actor = ActorFactory()
    SpendingCommitmentFactory(beneficiary=actor, kind=CommitmentKind.MEMBERSHIP, label="Cotisation 2026 à la CRESS")
    SpendingCommitmentFactory(label="Étude pour une autre structure")

    client.force_login(staff_user)
    page = client.get(detail_url(actor)).content.decode()
    client.force_login(procurement_user)
    buyer_page = client.get(detail_url(actor)).content.decode()

    assert "Cotisation 2026 à la CRESS" in page
    assert "Étude pour une autre structure" not in page
    assert "Cotisation 2026 à la CRESS" not in buyer_page
