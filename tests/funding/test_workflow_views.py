from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from funding import services
from funding.enums import ApplicationStatus
from funding.models import InternalNote
from tests.accounts.factories import UserFactory
from tests.actors.factories import ActorFactory
from tests.funding.factories import CouncilSessionFactory
from tests.funding.lifecycle import approved_application, ready_application

pytestmark = pytest.mark.django_db


def _url(name, application):
    return reverse(f"funding:{name}", args=[application.pk])


def test_staff_instruct_an_application_from_its_page(client, staff_user, django_capture_on_commit_callbacks):
    member = UserFactory()
    application = ready_application(actor=ActorFactory(members=[member]))
    services.submit_application(application=application, by=member)
    session = CouncilSessionFactory()
    client.force_login(staff_user)

    client.post(_url("application_start_review", application), {"comment": ""})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("application_request_information", application), {"message": "Le devis, svp."})
    assert mail.outbox[-1].to == [member.email]
    request = application.information_requests.get()
    services.answer_information_request(request=request, by=member, answer="Ci-joint.")
    client.post(_url("application_add_note", application), {"text": "À suivre."})
    client.post(_url("application_give_opinion", application), {"opinion": "Favorable", "proposed_amount": "14000"})
    response = client.post(_url("application_propose", application), {"session": session.pk}, follow=True)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.PROPOSED
    assert application.proposed_amount == Decimal("14000.00")
    assert application.council_session == session
    assert InternalNote.objects.get().text == "À suivre."
    content = response.content.decode()
    assert "Demande proposée à la séance du conseil." in content
    assert "Proposé au conseil" in content


def test_an_illegal_action_gives_a_french_message_and_changes_nothing(client, staff_user):
    application = ready_application()
    client.force_login(staff_user)
    response = client.post(_url("application_start_review", application), {"comment": ""}, follow=True)
    assert "Impossible de passer la demande de l’état « Brouillon » à l’état « En instruction »." in (
        response.content.decode()
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_the_staff_page_shows_the_convention_flag_and_the_de_minimis_panel(client, staff_user):
    application = approved_application(by=staff_user, requested=Decimal("23000.01"))
    client.force_login(staff_user)
    response = client.get(_url("application_staff_detail", application))
    assert response.context["convention_required"] is True
    assert "Convention obligatoire" in response.content.decode()
    assert response.context["de_minimis"].ceiling == Decimal("300000.00")


def test_signature_and_payment_from_the_staff_page(client, staff_user):
    application = approved_application(by=staff_user)
    client.force_login(staff_user)
    signed_on = application.decision.decided_on
    client.post(_url("application_sign_agreement", application), {"signed_on": signed_on.isoformat()})
    (payment,) = application.commitment.payments.all()
    client.post(
        _url("application_record_payment", application),
        {"payment": payment.pk, "paid_on": signed_on.isoformat(), "payment_order_number": "M-42"},
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PAID
    assert application.agreement_signed_on == signed_on


def test_elected_officials_read_the_staff_page_but_cannot_act(client, elected_user):
    application = ready_application(status=ApplicationStatus.SUBMITTED)
    client.force_login(elected_user)
    response = client.get(_url("application_staff_detail", application))
    assert response.status_code == 200
    assert response.context["can_act"] is False
    assert "Prendre en instruction" not in response.content.decode()
    assert client.post(_url("application_start_review", application), {}).status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize(
    "name",
    ["application_staff_detail", "application_start_review", "application_add_note", "application_give_opinion"],
)
def test_applicants_never_reach_the_staff_pages_even_for_their_own_application(client, name):
    member = UserFactory()
    application = ready_application(actor=ActorFactory(members=[member]), status=ApplicationStatus.SUBMITTED)
    client.force_login(member)
    method = client.get if name == "application_staff_detail" else client.post
    assert method(_url(name, application)).status_code == 403
    assert not InternalNote.objects.exists()


def test_a_wrong_id_is_a_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("funding:application_staff_detail", args=[987654])).status_code == 404
