import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.enums import Role
from funding.enums import ApplicationStatus
from funding.models import Application, BudgetLine, Commitment, Decision
from tests.actors.factories import ActorFactory
from tests.funding.factories import (
    ApplicationFactory,
    BudgetLineFactory,
    CouncilSessionFactory,
    SupportSchemeFactory,
)


def decide(application, *, approved=True, amount="10000.00"):
    return Decision.objects.create(
        application=application,
        council_session=CouncilSessionFactory(),
        deliberation_number=f"D-{application.pk}",
        decided_on=datetime.date(2025, 2, 1),
        is_approved=approved,
        granted_amount=Decimal(amount) if approved else None,
        refusal_reason="" if approved else "Projet hors dispositif.",
    )


# --- Support schemes: public ---


def test_anonymous_visitors_list_the_published_schemes_only(client, db):
    SupportSchemeFactory(title="Publié")
    SupportSchemeFactory(title="Brouillon", draft=True)

    response = client.get(reverse("api:scheme_list"))

    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["Publié"]


def test_a_scheme_is_read_by_its_slug_and_a_draft_is_a_404(client, db):
    published = SupportSchemeFactory(ceiling_amount=Decimal("30000.00"))
    draft = SupportSchemeFactory(draft=True)

    data = client.get(reverse("api:scheme_detail", args=[published.slug])).json()

    assert data["ceiling_amount"] == "30000.00"
    assert data["state_aid_regime"] == "de_minimis"
    assert client.get(reverse("api:scheme_detail", args=[draft.slug])).status_code == 404


def test_schemes_cannot_be_written_through_the_api(client, staff_user):
    client.force_login(staff_user)

    assert client.post(reverse("api:scheme_list"), {"title": "x"}).status_code == 405


@pytest.mark.parametrize("name", ["api:application_list", "api:decision_list", "api:budget_execution"])
def test_anonymous_visitors_see_nothing_but_the_schemes(client, db, name):
    assert client.get(reverse(name)).status_code in (401, 403)


@pytest.mark.parametrize("rows", [3, 30])
def test_scheme_list_runs_the_same_queries_whatever_the_number_of_rows(client, db, django_assert_num_queries, rows):
    SupportSchemeFactory.create_batch(rows)

    # count, schemes with their budget line, filières
    with django_assert_num_queries(3):
        response = client.get(reverse("api:scheme_list"))

    assert len(response.json()["results"]) == rows


# --- Applications ---


def test_applicants_see_only_their_structures_applications(client, applicant_user):
    mine = ApplicationFactory(actor=ActorFactory(members=[applicant_user]), title="Mon dossier")
    other = ApplicationFactory(submitted=True, title="Dossier d’une autre structure")
    client.force_login(applicant_user)

    response = client.get(reverse("api:application_list"))

    assert [row["title"] for row in response.json()["results"]] == ["Mon dossier"]
    assert "instructor" not in response.json()["results"][0]
    assert client.get(reverse("api:application_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("api:application_detail", args=[other.pk])).status_code == 404


def test_staff_see_every_submitted_application_with_the_instruction_fields(client, staff_user):
    ApplicationFactory(title="Brouillon")
    ApplicationFactory(submitted=True, title="Déposé", instructor=staff_user, proposed_amount=Decimal("8000"))
    client.force_login(staff_user)

    [row] = client.get(reverse("api:application_list")).json()["results"]

    assert row["title"] == "Déposé"
    assert row["instructor"] == staff_user.email
    assert row["proposed_amount"] == "8000.00"


def test_applications_are_filtered_by_status(client, staff_user):
    ApplicationFactory(submitted=True, title="Déposé")
    ApplicationFactory(submitted=True, status=ApplicationStatus.IN_REVIEW, title="En instruction")
    client.force_login(staff_user)

    response = client.get(reverse("api:application_list"), {"status": "in_review"})

    assert [row["title"] for row in response.json()["results"]] == ["En instruction"]


@pytest.mark.parametrize("rows", [3, 30])
def test_application_list_runs_the_same_queries_whatever_the_number_of_rows(
    client, staff_user, django_assert_num_queries, rows
):
    scheme = SupportSchemeFactory()
    actor = ActorFactory()
    Application.objects.bulk_create(
        Application(actor=actor, scheme=scheme, title=f"P{i}", requested_amount=1, status=ApplicationStatus.SUBMITTED)
        for i in range(rows)
    )
    client.force_login(staff_user)
    client.get(reverse("api:application_list"))

    # session, user, roles, count, rows with structure, scheme, instructor and session
    with django_assert_num_queries(5):
        response = client.get(reverse("api:application_list"))

    assert len(response.json()["results"]) == rows


# --- Decisions ---


def test_applicants_see_only_the_decisions_on_their_applications(client, applicant_user):
    mine = decide(ApplicationFactory(actor=ActorFactory(members=[applicant_user]), status=ApplicationStatus.APPROVED))
    other = decide(ApplicationFactory(status=ApplicationStatus.REJECTED), approved=False)
    client.force_login(applicant_user)

    response = client.get(reverse("api:decision_list"))

    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert client.get(reverse("api:decision_detail", args=[other.pk])).status_code == 404


def test_staff_see_every_decision(client, staff_user):
    granted = decide(ApplicationFactory(status=ApplicationStatus.APPROVED), amount="12000.00")
    decide(ApplicationFactory(status=ApplicationStatus.REJECTED), approved=False)
    client.force_login(staff_user)

    response = client.get(reverse("api:decision_list"), {"is_approved": "true"})

    [row] = response.json()["results"]
    assert row["id"] == granted.pk
    assert row["granted_amount"] == "12000.00"
    assert row["council_session"]["sits_on"]


# --- Budget execution ---


def test_budget_execution_per_line_is_summed_in_sql(client, elected_user, db):
    line = BudgetLineFactory(year=2025, voted_amount=Decimal("100000.00"), code="projets")
    BudgetLineFactory(year=2025, voted_amount=Decimal("5000.00"), code="cotisations")
    BudgetLineFactory(year=2024, code="autre-annee")
    for amount, paid in [("30000.00", "10000.00"), ("20000.00", "20000.00")]:
        Commitment.objects.create(
            application=ApplicationFactory(status=ApplicationStatus.APPROVED),
            budget_line=line,
            amount=Decimal(amount),
            paid_amount=Decimal(paid),
            idempotency_key=f"k-{amount}",
        )
    BudgetLine.objects.filter(pk=line.pk).update(committed_amount=Decimal("50000.00"))
    client.force_login(elected_user)

    response = client.get(reverse("api:budget_execution"), {"year": 2025})

    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert set(rows) == {"projets", "cotisations"}
    assert rows["projets"]["voted_amount"] == "100000.00"
    assert rows["projets"]["committed_amount"] == "50000.00"
    assert rows["projets"]["paid_amount"] == "30000.00"
    assert rows["projets"]["available_amount"] == "50000.00"
    assert rows["cotisations"]["paid_amount"] == "0.00"
    assert rows["cotisations"]["available_amount"] == "5000.00"


def test_budget_execution_needs_a_year(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("api:budget_execution")).status_code == 400


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PROCUREMENT, Role.PARTNER])
def test_budget_execution_is_refused_to_other_roles(client, user_with_role, role):
    client.force_login(user_with_role(role))

    assert client.get(reverse("api:budget_execution"), {"year": 2025}).status_code == 403


@pytest.mark.parametrize("rows", [3, 30])
def test_budget_execution_runs_the_same_queries_whatever_the_number_of_lines(
    client, staff_user, django_assert_num_queries, rows
):
    BudgetLineFactory.create_batch(rows, year=2025)
    client.force_login(staff_user)
    client.get(reverse("api:budget_execution"), {"year": 2025})

    # session, user, roles, lines with their sums
    with django_assert_num_queries(4):
        response = client.get(reverse("api:budget_execution"), {"year": 2025})

    assert len(response.json()) == rows
