import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding import services
from funding.enums import ApplicationStatus, DocumentKind, FinancingSide, PaymentConditions, PaymentKind
from funding.models import Application, ApplicationTransition, BudgetLine, Commitment, Decision, InformationRequest
from funding.workflow import ALLOWED_TRANSITIONS, check_transition
from tests.funding.factories import (
    ApplicationFactory,
    CouncilSessionFactory,
    DocumentFactory,
    FinancingLineFactory,
    SupportSchemeFactory,
)
from tests.funding.lifecycle import approved_application, proposed_application, ready_application

pytestmark = pytest.mark.django_db


def test_an_application_goes_from_draft_to_closed_with_every_step_in_its_timeline(staff_user, applicant_user):
    application = ready_application(payment_conditions=PaymentConditions.INSTALMENTS)
    session = CouncilSessionFactory()

    services.submit_application(application=application, by=applicant_user)
    services.start_review(application=application, by=staff_user)
    request = services.request_information(application=application, by=staff_user, message="Envoyez le devis.")
    services.answer_information_request(request=request, by=applicant_user, answer="Le voici.")
    services.add_internal_note(application=application, by=staff_user, text="Structure solide.")
    services.give_opinion(
        application=application, by=staff_user, opinion="Favorable.", proposed_amount=Decimal("12000")
    )
    services.propose_to_session(application=application, by=staff_user, session=session)
    services.decide_session(
        session=session,
        by=staff_user,
        decisions=[
            {
                "application": application,
                "approved": True,
                "amount": Decimal("12000"),
                "deliberation_number": "2030-1",
                "decided_on": session.sits_on,
            }
        ],
    )
    services.sign_agreement(application=application, by=staff_user, signed_on=session.sits_on)
    advance, balance = application.commitment.payments.order_by("pk")
    services.record_payment(payment=advance, by=staff_user, paid_on=session.sits_on, payment_order_number="M-1")
    report = DocumentFactory(actor=application.actor, application=application, kind=DocumentKind.FINAL_REPORT)
    services.receive_final_report(application=application, by=applicant_user, document=report)
    services.record_payment(payment=balance, by=staff_user, paid_on=session.sits_on, payment_order_number="M-2")
    services.close_application(application=application, by=staff_user)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.CLOSED
    assert application.instructor == staff_user
    assert application.closed_at is not None
    moves = [
        (t.from_status, t.to_status)
        for t in application.transitions.order_by("at", "pk")
        if t.from_status != t.to_status
    ]
    assert moves == [
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "info_requested"),
        ("info_requested", "in_review"),
        ("in_review", "proposed"),
        ("proposed", "approved"),
        ("approved", "agreement_signed"),
        ("agreement_signed", "paid"),
        ("paid", "closed"),
    ]
    assert all(t.by is not None and t.at is not None for t in application.transitions.all())
    assert (advance.amount, balance.amount) == (Decimal("6000.00"), Decimal("6000.00"))
    commitment = Commitment.objects.get(application=application)
    assert commitment.paid_amount == commitment.amount == Decimal("12000.00")
    assert commitment.legal_commitment_number.startswith("EJ-")
    assert BudgetLine.objects.get(pk=application.scheme.budget_line_id).committed_amount == Decimal("12000.00")


ALL_PAIRS = list(itertools.permutations(ApplicationStatus.values, 2))
ILLEGAL_PAIRS = [(a, b) for a, b in ALL_PAIRS if b not in ALLOWED_TRANSITIONS[a]]


@pytest.mark.parametrize(("from_status", "to_status"), ILLEGAL_PAIRS)
def test_every_transition_outside_the_state_machine_is_refused(from_status, to_status):
    with pytest.raises(ValidationError, match="Impossible de passer la demande"):
        check_transition(from_status, to_status)


def test_the_state_machine_is_the_one_of_the_design():
    S = ApplicationStatus
    assert ALLOWED_TRANSITIONS[S.IN_REVIEW] == {S.INFO_REQUESTED, S.PROPOSED, S.WITHDRAWN}
    assert (
        ALLOWED_TRANSITIONS[S.REJECTED] == ALLOWED_TRANSITIONS[S.WITHDRAWN] == ALLOWED_TRANSITIONS[S.CLOSED] == set()
    )
    assert set(ALLOWED_TRANSITIONS) == set(S.values)


# Each service applied to an application in a status it does not accept: refused, nothing stored.
SERVICE_CALLS = {
    "submit": lambda app, user: services.submit_application(application=app, by=user),
    "start_review": lambda app, user: services.start_review(application=app, by=user),
    "request_information": lambda app, user: services.request_information(application=app, by=user, message="?"),
    "propose": lambda app, user: services.propose_to_session(
        application=app, by=user, session=CouncilSessionFactory()
    ),
    "sign": lambda app, user: services.sign_agreement(application=app, by=user, signed_on=datetime.date(2030, 6, 1)),
    "close": lambda app, user: services.close_application(application=app, by=user),
    "withdraw": lambda app, user: services.withdraw(application=app, by=user, reason="Projet abandonné."),
}
SERVICE_TARGET = {
    "submit": "submitted",
    "start_review": "in_review",
    "request_information": "info_requested",
    "propose": "proposed",
    "sign": "agreement_signed",
    "close": "closed",
    "withdraw": "withdrawn",
}


@pytest.mark.parametrize(
    ("service", "from_status"),
    [
        (service, status)
        for service, target in SERVICE_TARGET.items()
        for status in ApplicationStatus.values
        if target not in ALLOWED_TRANSITIONS[status]
    ],
)
def test_a_service_refuses_an_application_in_the_wrong_state_and_leaves_nothing_behind(
    service, from_status, staff_user
):
    application = ready_application(
        status=from_status, opinion="Favorable.", proposed_amount=Decimal("1000"), agreement_signed_on=None
    )
    with pytest.raises(ValidationError):
        SERVICE_CALLS[service](application, staff_user)
    assert Application.objects.get(pk=application.pk).status == from_status
    assert not ApplicationTransition.objects.filter(application=application).exists()
    assert not InformationRequest.objects.exists()


def test_submission_lists_every_missing_piece_in_french_and_stays_a_draft(applicant_user):
    scheme = SupportSchemeFactory(ceiling_amount=Decimal("10000"))
    application = ApplicationFactory(scheme=scheme, requested_amount=Decimal("15000"))
    FinancingLineFactory(application=application, side=FinancingSide.EXPENSE, amount=Decimal("20000"))

    with pytest.raises(ValidationError) as error:
        services.submit_application(application=application, by=applicant_user)

    messages = error.value.messages
    assert "Indiquez les dates de début et de fin du projet." in messages
    assert any("dépasse le plafond du dispositif" in m for m in messages)
    assert any("n’est pas équilibré" in m for m in messages)
    assert "Pièce manquante : Statuts." in messages
    assert "Pièce manquante : Relevé d’identité bancaire." in messages
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.submitted_at is None
    assert not application.transitions.exists()


def test_submission_to_a_closed_scheme_is_refused(applicant_user):
    application = ready_application(scheme=SupportSchemeFactory(closed=True))
    with pytest.raises(ValidationError, match="n’est pas ouvert"):
        services.submit_application(application=application, by=applicant_user)


def test_submission_reuses_the_valid_documents_of_the_structure_vault_but_not_expired_ones(applicant_user):
    application = ready_application()
    services.submit_application(application=application, by=applicant_user)
    assert application.status == ApplicationStatus.SUBMITTED

    other = ready_application(actor=application.actor, scheme=application.scheme)
    application.actor.documents.filter(kind=DocumentKind.RIB).update(valid_until=datetime.date(2000, 1, 1))
    with pytest.raises(ValidationError, match="Relevé d’identité bancaire"):
        services.submit_application(application=other, by=applicant_user)


def test_the_opinion_cannot_propose_more_than_requested(staff_user, applicant_user):
    application = ready_application()
    services.submit_application(application=application, by=applicant_user)
    services.start_review(application=application, by=staff_user)
    with pytest.raises(ValidationError, match="dépasse le montant demandé"):
        services.give_opinion(application=application, by=staff_user, opinion="Oui", proposed_amount=Decimal("99999"))


def test_an_application_without_opinion_cannot_be_proposed(staff_user, applicant_user):
    application = ready_application()
    services.submit_application(application=application, by=applicant_user)
    services.start_review(application=application, by=staff_user)
    with pytest.raises(ValidationError, match="Rendez l’avis"):
        services.propose_to_session(application=application, by=staff_user, session=CouncilSessionFactory())


def test_the_applicant_can_withdraw_until_the_council_decides_but_not_after(staff_user):
    application = proposed_application(by=staff_user)
    services.withdraw(application=application, by=staff_user, reason="Projet reporté.")
    assert application.status == ApplicationStatus.WITHDRAWN

    approved = approved_application(by=staff_user)
    with pytest.raises(ValidationError):
        services.withdraw(application=approved, by=staff_user, reason="Trop tard.")


def test_a_rejection_needs_a_reason_and_creates_no_commitment(staff_user):
    application = proposed_application(by=staff_user)
    with pytest.raises(ValidationError, match="motif du refus"):
        services.reject_application(
            application=application,
            by=staff_user,
            reason=" ",
            deliberation_number="1",
            decided_on=datetime.date.today(),
        )
    services.reject_application(
        application=application,
        by=staff_user,
        reason="Hors du champ du dispositif.",
        deliberation_number="2030-9",
        decided_on=application.council_session.sits_on,
    )
    assert application.status == ApplicationStatus.REJECTED
    assert Decision.objects.get(application=application).refusal_reason == "Hors du champ du dispositif."
    assert not Commitment.objects.exists()


def test_closing_needs_the_final_report(staff_user):
    application = approved_application(by=staff_user)
    services.sign_agreement(application=application, by=staff_user, signed_on=application.decision.decided_on)
    (payment,) = application.commitment.payments.all()
    assert payment.kind == PaymentKind.SINGLE
    services.record_payment(
        payment=payment, by=staff_user, paid_on=datetime.date(2030, 7, 1), payment_order_number="M"
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PAID
    with pytest.raises(ValidationError, match="bilan final"):
        services.close_application(application=application, by=staff_user)
