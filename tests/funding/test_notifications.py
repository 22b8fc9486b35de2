import datetime
from decimal import Decimal

import pytest
from django.core import mail

from funding import services
from tests.accounts.factories import UserFactory
from tests.actors.factories import ActorFactory
from tests.funding.lifecycle import approved_application, proposed_application, ready_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory(email="presidente@asso-test.fr")


def test_submission_mails_the_structure_members_and_the_ess_service_in_french(
    member, staff_user, django_capture_on_commit_callbacks
):
    application = ready_application(actor=ActorFactory(members=[member]))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(application=application, by=member)

    to_member, to_staff = mail.outbox
    assert to_member.to == ["presidente@asso-test.fr"]
    assert to_member.subject == f"Votre demande « {application.title} » a bien été déposée"
    assert "Le service ESS de Bordeaux Métropole va l’instruire" in to_member.body
    assert "15\xa0000,00\xa0€" in to_member.body
    assert to_staff.to == [staff_user.email]
    assert to_staff.subject.startswith("Nouvelle demande déposée")


def test_an_information_request_mails_its_message(member, staff_user, django_capture_on_commit_callbacks):
    application = ready_application(actor=ActorFactory(members=[member]))
    services.submit_application(application=application, by=member)
    services.start_review(application=application, by=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_information(application=application, by=staff_user, message="Merci d’envoyer le devis.")

    (message,) = mail.outbox
    assert message.to == ["presidente@asso-test.fr"]
    assert message.subject.startswith("Compléments demandés")
    assert "Merci d’envoyer le devis." in message.body


def test_approval_and_refusal_are_mailed_with_the_deliberation(member, staff_user, django_capture_on_commit_callbacks):
    actor = ActorFactory(members=[member])
    with django_capture_on_commit_callbacks(execute=True):
        approved = approved_application(
            by=staff_user, actor=actor, requested=Decimal("24000"), amount=Decimal("24000")
        )
    decision_mail = mail.outbox[-1]
    assert decision_mail.subject == f"Subvention accordée : « {approved.title} »"
    assert f"délibération n° 2030-{approved.pk}" in decision_mail.body
    assert "24\xa0000,00\xa0€" in decision_mail.body
    assert "une convention sera signée" in decision_mail.body

    refused = proposed_application(by=staff_user, actor=actor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_application(
            application=refused,
            by=staff_user,
            reason="Projet hors du territoire.",
            deliberation_number="2030-77",
            decided_on=refused.council_session.sits_on,
        )
    (refusal,) = mail.outbox
    assert refusal.subject.startswith("Décision défavorable")
    assert "Motif : Projet hors du territoire." in refusal.body


def test_a_payment_is_mailed(member, staff_user, django_capture_on_commit_callbacks):
    application = approved_application(by=staff_user, actor=ActorFactory(members=[member]))
    services.sign_agreement(application=application, by=staff_user, signed_on=application.decision.decided_on)
    (payment,) = application.commitment.payments.all()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_payment(
            payment=payment, by=staff_user, paid_on=datetime.date(2030, 9, 1), payment_order_number="M-2030-12"
        )
    (message,) = mail.outbox
    assert message.subject == f"Versement de versement unique : « {application.title} »"
    assert "mandat n° M-2030-12" in message.body
    assert "01/09/2030" in message.body


def test_nothing_is_mailed_when_the_transaction_is_refused(member, django_capture_on_commit_callbacks):
    application = ready_application(actor=ActorFactory(members=[member]), requested=Decimal("999999"))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017
        services.submit_application(application=application, by=member)
    assert mail.outbox == []
