"""Supplier side of sourcing requests: members see the requests sent to their structures, open and answer them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.enums import Role
from procurement.enums import SourcingAnswer, SourcingStatus
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.procurement.factories import SourcingRecipientFactory, SourcingRequestFactory

pytestmark = pytest.mark.django_db

RECEIVED = reverse("procurement:sourcing_received")


def detail(recipient) -> str:
    return reverse("procurement:sourcing_received_detail", args=[recipient.pk])


@pytest.fixture
def member(client):
    user = UserFactory(role=Role.APPLICANT)
    client.force_login(user)
    client.user = user
    return client


def recipient_for(user, **kwargs):
    recipient = SourcingRecipientFactory(**kwargs)
    MembershipFactory(user=user, actor=recipient.listing.actor)
    return recipient


def test_members_see_the_requests_sent_to_their_structures_only(member):
    mine = recipient_for(member.user, request__title="Nettoyage des écoles")
    SourcingRecipientFactory(request__title="Demande d’une autre structure")
    unsent = SourcingRequestFactory(title="Brouillon de l’acheteur")
    SourcingRecipientFactory(request=unsent, listing=mine.listing)

    content = member.get(RECEIVED).content.decode()

    assert "Nettoyage des écoles" in content
    assert "Demande d’une autre structure" not in content and "Brouillon de l’acheteur" not in content


def test_the_first_opening_is_recorded_and_later_ones_do_not_change_it(member):
    recipient = recipient_for(member.user)

    member.get(detail(recipient))
    recipient.refresh_from_db()
    first_view = recipient.viewed_at
    member.get(detail(recipient))
    recipient.refresh_from_db()

    assert first_view is not None and recipient.viewed_at == first_view


def test_a_member_answers_interested_with_a_message_and_may_change_it_before_the_deadline(member):
    recipient = recipient_for(member.user)

    member.post(detail(recipient), {"answer": SourcingAnswer.INTERESTED, "message": "Trois équipes disponibles."})
    recipient.refresh_from_db()
    assert (recipient.answer, recipient.answer_message) == (SourcingAnswer.INTERESTED, "Trois équipes disponibles.")
    assert recipient.answered_by == member.user and recipient.answered_at is not None

    member.post(detail(recipient), {"answer": SourcingAnswer.NOT_INTERESTED, "message": ""})
    recipient.refresh_from_db()
    assert recipient.answer == SourcingAnswer.NOT_INTERESTED


def test_an_answer_must_be_chosen(member):
    recipient = recipient_for(member.user)

    response = member.post(detail(recipient), {"message": "?"})

    assert "Indiquez si votre structure est intéressée ou non." in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.answer == ""


def test_the_deadline_day_is_included(member):
    recipient = recipient_for(member.user, request__answer_by=date.today())

    member.post(detail(recipient), {"answer": SourcingAnswer.INTERESTED})

    recipient.refresh_from_db()
    assert recipient.answer == SourcingAnswer.INTERESTED


@pytest.mark.parametrize(
    ("request_kwargs", "message"),
    [
        ({"answer_by": date.today() - timedelta(days=1)}, "La date limite de réponse"),
        ({"status": SourcingStatus.CLOSED}, "L’acheteur a clos cette demande"),
    ],
)
def test_after_the_deadline_or_the_closing_the_request_is_read_only(member, request_kwargs, message):
    sourcing_request = SourcingRequestFactory(sent=True, **request_kwargs)
    recipient = recipient_for(member.user, request=sourcing_request)

    page = member.get(detail(recipient)).content.decode()
    member.post(detail(recipient), {"answer": SourcingAnswer.INTERESTED})

    assert message in page and 'name="answer"' not in page
    recipient.refresh_from_db()
    assert recipient.answer == ""


def test_another_structures_request_is_not_found(member):
    other = SourcingRecipientFactory()

    assert member.get(detail(other)).status_code == 404
    assert member.post(detail(other), {"answer": SourcingAnswer.INTERESTED}).status_code == 404
    other.refresh_from_db()
    assert other.viewed_at is None and other.answer == ""


def test_a_former_member_no_longer_sees_the_request(member):
    recipient = recipient_for(member.user)
    member.user.memberships.update(is_active=False)

    assert member.get(detail(recipient)).status_code == 404


def test_buyers_do_not_reach_the_supplier_pages(client, procurement_user):
    client.force_login(procurement_user)

    assert client.get(RECEIVED).status_code == 403


def test_the_received_list_runs_the_same_number_of_queries_for_2_and_25_requests(member, django_assert_num_queries):
    def add(count):
        for _ in range(count):
            recipient_for(member.user)

    add(2)
    member.get(RECEIVED)
    with django_assert_num_queries(5):
        member.get(RECEIVED)
    add(23)
    with django_assert_num_queries(5):
        response = member.get(RECEIVED)
    assert len(response.context["recipients"]) == 20
