"""/api/v1/sourcing/: a buyer reads their own sourcing requests with every recipient and answer (read-only)."""

import pytest
from django.urls import reverse

from procurement.enums import SourcingAnswer
from tests.procurement.factories import CpvCodeFactory, SourcingRecipientFactory, SourcingRequestFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:sourcing_request_list")


def test_a_buyer_reads_their_requests_with_recipients_and_answers(client, procurement_user):
    mine = SourcingRequestFactory(buyer=procurement_user, sent=True, cpv_codes=[CpvCodeFactory(code="9091")])
    SourcingRecipientFactory(
        request=mine, listing__actor__name="Jardins du Lac", answer=SourcingAnswer.INTERESTED, answer_message="Oui"
    )
    SourcingRecipientFactory(request=mine, listing__actor__name="Propre et Net")
    SourcingRequestFactory(sent=True, title="Demande d’un collègue")
    client.force_login(procurement_user)

    response = client.get(LIST)

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["title"] == mine.title and row["recipient_count"] == 2 and row["interested_count"] == 1
    assert row["cpv_codes"][0]["full_code"] == "90910000"
    assert [(r["actor_name"], r["answer"], r["answer_message"]) for r in row["recipients"]] == [
        ("Jardins du Lac", "interested", "Oui"),
        ("Propre et Net", "", ""),
    ]
    detail = client.get(reverse("api:sourcing_request_detail", args=[mine.pk]))
    assert detail.json()["id"] == mine.pk


def test_another_buyers_request_is_a_404_and_the_api_is_read_only(client, procurement_user):
    other = SourcingRequestFactory(sent=True)
    mine = SourcingRequestFactory(buyer=procurement_user)
    client.force_login(procurement_user)

    assert client.get(reverse("api:sourcing_request_detail", args=[other.pk])).status_code == 404
    assert client.post(LIST, {"title": "x"}).status_code == 405
    assert client.delete(reverse("api:sourcing_request_detail", args=[mine.pk])).status_code == 405


def test_applicants_are_refused(client, applicant_user):
    client.force_login(applicant_user)

    assert client.get(LIST).status_code == 403


def test_the_list_runs_the_same_number_of_queries_for_2_and_12_requests(
    client, procurement_user, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            request = SourcingRequestFactory(buyer=procurement_user, sent=True, cpv_codes=[CpvCodeFactory()])
            SourcingRecipientFactory(request=request)

    client.force_login(procurement_user)
    add(2)
    client.get(LIST)
    with django_assert_num_queries(8):
        client.get(LIST)
    add(10)
    with django_assert_num_queries(8):
        client.get(LIST)
