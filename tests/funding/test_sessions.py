from decimal import Decimal

import pytest
from django.urls import reverse

from funding.enums import ApplicationStatus
from funding.models import BudgetLine, Commitment, CouncilSession, Decision
from tests.funding.factories import BudgetLineFactory, CouncilSessionFactory, SupportSchemeFactory
from tests.funding.lifecycle import proposed_application

pytestmark = pytest.mark.django_db


def _post_data(session, rows, decided_on="2030-02-01"):
    data = {
        "decisions-TOTAL_FORMS": str(len(rows)),
        "decisions-INITIAL_FORMS": str(len(rows)),
        "decisions-MIN_NUM_FORMS": "0",
        "decisions-MAX_NUM_FORMS": "1000",
        "decided_on": decided_on,
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"decisions-{n}-{key}"] = value
    return data


def test_the_session_page_totals_the_proposals_by_budget_line_and_prefills_the_decisions(client, staff_user):
    session = CouncilSessionFactory()
    line = BudgetLineFactory(label="Soutien aux filières")
    scheme = SupportSchemeFactory(budget_line=line)
    for amount in ("10000", "5000"):
        proposed_application(by=staff_user, session=session, scheme=scheme, requested=Decimal(amount))
    client.force_login(staff_user)

    response = client.get(reverse("funding:session_detail", args=[session.pk]))

    (row,) = response.context["by_line"]
    assert (row["scheme__budget_line__label"], row["count"], row["proposed"]) == (
        "Soutien aux filières",
        2,
        Decimal("15000.00"),
    )
    formset = response.context["formset"]
    assert [form.initial["deliberation_number"] for form in formset] == [
        f"{session.sits_on.year}-1",
        f"{session.sits_on.year}-2",
    ]
    assert {form.initial["amount"] for form in formset} == {Decimal("10000.00"), Decimal("5000.00")}


def test_the_bulk_decision_approves_and_refuses_a_whole_sitting(client, staff_user):
    session = CouncilSessionFactory()
    first = proposed_application(by=staff_user, session=session)
    second = proposed_application(by=staff_user, session=session)
    client.force_login(staff_user)

    response = client.post(
        reverse("funding:session_decide", args=[session.pk]),
        _post_data(
            session,
            [
                {"application_id": first.pk, "approved": "1", "amount": "12000", "deliberation_number": "2030-1"},
                {
                    "application_id": second.pk,
                    "approved": "0",
                    "deliberation_number": "2030-2",
                    "refusal_reason": "Projet hors champ.",
                },
            ],
        ),
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)
    assert first.decision.granted_amount == Decimal("12000.00")
    assert str(first.decision.decided_on) == "2030-02-01"
    assert Commitment.objects.get().application == first
    assert second.decision.refusal_reason == "Projet hors champ."


def test_a_bulk_decision_with_one_error_records_nothing(client, staff_user):
    session = CouncilSessionFactory()
    line = BudgetLineFactory(voted_amount=Decimal("20000"))
    scheme = SupportSchemeFactory(budget_line=line)
    first = proposed_application(by=staff_user, session=session, scheme=scheme)
    second = proposed_application(by=staff_user, session=session, scheme=scheme)
    client.force_login(staff_user)

    response = client.post(
        reverse("funding:session_decide", args=[session.pk]),
        _post_data(
            session,
            [
                {"application_id": app.pk, "approved": "1", "amount": "15000", "deliberation_number": f"2030-{n}"}
                for n, app in enumerate([first, second])
            ],
        ),
        follow=True,
    )

    content = response.content.decode()
    assert "Crédits insuffisants" in content
    assert "Aucune décision n’a été enregistrée." in content
    assert not Decision.objects.exists()
    assert BudgetLine.objects.get(pk=line.pk).committed_amount == 0


def test_a_refusal_without_reason_is_reported_next_to_the_field(client, staff_user):
    session = CouncilSessionFactory()
    application = proposed_application(by=staff_user, session=session)
    client.force_login(staff_user)
    response = client.post(
        reverse("funding:session_decide", args=[session.pk]),
        _post_data(session, [{"application_id": application.pk, "approved": "0", "deliberation_number": "2030-1"}]),
    )
    assert response.status_code == 200
    assert "Indiquez le motif du refus." in response.content.decode()
    assert not Decision.objects.exists()


def test_staff_create_sessions_elected_officials_only_read(client, staff_user, elected_user):
    client.force_login(staff_user)
    response = client.post(reverse("funding:session_create"), {"title": "Conseil", "sits_on": "2031-03-20"})
    session = CouncilSession.objects.get()
    assert response.url == reverse("funding:session_detail", args=[session.pk])

    client.force_login(elected_user)
    assert client.get(reverse("funding:session_list")).status_code == 200
    page = client.get(reverse("funding:session_detail", args=[session.pk]))
    assert page.status_code == 200 and page.context["formset"] is None
    assert client.get(reverse("funding:session_create")).status_code == 403
    assert client.post(reverse("funding:session_decide", args=[session.pk]), {}).status_code == 403


def test_applicants_never_reach_the_session_pages(client, applicant_user):
    session = CouncilSessionFactory()
    client.force_login(applicant_user)
    for url in (reverse("funding:session_list"), reverse("funding:session_detail", args=[session.pk])):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("count", [2, 20])
def test_the_session_list_runs_the_same_queries_whatever_the_number_of_sessions(
    count, client, staff_user, django_assert_num_queries
):
    for _ in range(count):
        CouncilSessionFactory()
    client.force_login(staff_user)
    with django_assert_num_queries(4):
        assert client.get(reverse("funding:session_list")).status_code == 200
