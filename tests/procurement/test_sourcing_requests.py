"""Buyer side of sourcing requests: create, preview, send (e-mails after commit), follow the answers, close."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import Role
from actors.models import Contact
from procurement.enums import SourcingAnswer, SourcingStatus
from procurement.sourcing.models import SourcingRecipient, SourcingRequest
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.actors.factories import ActorFactory
from tests.procurement.factories import (
    AsrListingFactory,
    CpvCodeFactory,
    SourcingRecipientFactory,
    SourcingRequestFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("procurement:sourcing_list")
CREATE = reverse("procurement:sourcing_create")


def url(name, sourcing_request) -> str:
    return reverse(f"procurement:{name}", args=[sourcing_request.pk])


@pytest.fixture
def buyer(client, procurement_user):
    client.force_login(procurement_user)
    client.user = procurement_user
    return client


def supplier(name, *, code="90", members=(), public_email=""):
    actor = ActorFactory(name=name)
    for user in members:
        MembershipFactory(user=user, actor=actor)
    if public_email:
        Contact.objects.create(actor=actor, name="Accueil", email=public_email, is_public=True)
    Contact.objects.create(actor=actor, name="Personne privée", email=f"prive@{actor.pk}.example.org")
    return AsrListingFactory(published=True, actor=actor, cpv_codes=[CpvCodeFactory(code=code)])


def test_a_buyer_creates_a_request_then_previews_the_matching_suppliers_before_anything_is_sent(buyer):
    supplier("Propre et Net", code="9091")
    supplier("Bâti Solidaire", code="45")
    cleaning = CpvCodeFactory(code="909")

    response = buyer.post(
        CREATE,
        {
            "title": "Nettoyage des locaux de la direction",
            "description": "Trois bâtiments, 4 000 m².",
            "cpv_codes": cleaning.full_code,
            "answer_by": (date.today() + timedelta(days=10)).isoformat(),
        },
    )

    sourcing_request = SourcingRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == url("sourcing_detail", sourcing_request)
    assert sourcing_request.buyer == buyer.user and sourcing_request.sent_at is None
    preview = buyer.get(url("sourcing_detail", sourcing_request))
    assert b"Propre et Net" in preview.content and "Bâti Solidaire" not in preview.content.decode()
    assert "Envoyer à 1 fournisseur" in preview.content.decode()
    assert not SourcingRecipient.objects.exists() and mail.outbox == []


@pytest.mark.parametrize("days", [0, -3])
def test_the_deadline_must_be_in_the_future(buyer, days):
    response = buyer.post(
        CREATE,
        {"title": "Besoin", "description": "…", "answer_by": (date.today() + timedelta(days=days)).isoformat()},
    )

    assert response.status_code == 200
    assert "La date limite de réponse doit être postérieure à aujourd’hui." in response.content.decode()
    assert not SourcingRequest.objects.exists()


def test_required_fields_get_french_messages(buyer):
    response = buyer.post(CREATE, {})

    content = response.content.decode()
    assert "Indiquez l’objet du besoin." in content
    assert "Décrivez votre besoin pour les fournisseurs." in content
    assert "Indiquez la date limite de réponse." in content


def test_sending_creates_the_recipients_and_mails_members_and_public_contacts_after_commit(
    buyer, django_capture_on_commit_callbacks
):
    member = UserFactory(role=Role.APPLICANT, email="membre@propre.example.org")
    former = UserFactory(role=Role.APPLICANT, email="ancien@propre.example.org")
    listing = supplier("Propre et Net", members=[member, former], public_email="contact@propre.example.org")
    former.memberships.update(is_active=False)
    supplier("Sans adresse")
    sourcing_request = SourcingRequestFactory(buyer=buyer.user, title="Nettoyage des locaux")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = buyer.post(url("sourcing_send", sourcing_request))
    assert response.status_code == 302
    assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()

    sourcing_request.refresh_from_db()
    assert sourcing_request.sent_at is not None
    recipients = {r.listing.actor.name: r for r in sourcing_request.recipients.select_related("listing__actor")}
    assert set(recipients) == {"Propre et Net", "Sans adresse"}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["contact@propre.example.org", "membre@propre.example.org"]
    assert "Nettoyage des locaux" in message.subject
    detail = reverse("procurement:sourcing_received_detail", args=[recipients["Propre et Net"].pk])
    assert f"http://testserver{detail}" in message.body
    assert recipients["Propre et Net"].notified_at is not None
    assert recipients["Sans adresse"].notified_at is None
    assert listing.pk == recipients["Propre et Net"].listing_id


def test_a_request_is_sent_once_and_a_retry_of_the_task_mails_nobody_twice(buyer, django_capture_on_commit_callbacks):
    from procurement.tasks import notify_sourcing_recipients

    supplier("Propre et Net", members=[UserFactory(role=Role.APPLICANT)])
    sourcing_request = SourcingRequestFactory(buyer=buyer.user)
    with django_capture_on_commit_callbacks(execute=True):
        buyer.post(url("sourcing_send", sourcing_request))
        second = buyer.post(url("sourcing_send", sourcing_request), follow=True)

    assert "Cette demande a déjà été envoyée." in second.content.decode()
    assert notify_sourcing_recipients(sourcing_request.pk) == 0
    assert len(mail.outbox) == 1 and SourcingRecipient.objects.count() == 1


def test_nothing_is_sent_when_no_supplier_matches(buyer):
    supplier("Bâti Solidaire", code="45")
    sourcing_request = SourcingRequestFactory(buyer=buyer.user, cpv_codes=[CpvCodeFactory(code="909")])

    response = buyer.post(url("sourcing_send", sourcing_request), follow=True)

    assert "Aucun fournisseur référencé ne correspond à cette demande" in response.content.decode()
    sourcing_request.refresh_from_db()
    assert sourcing_request.sent_at is None and not SourcingRecipient.objects.exists()


def test_the_request_page_shows_every_answer_and_filters_the_interested_ones(buyer):
    sourcing_request = SourcingRequestFactory(buyer=buyer.user, sent=True)
    SourcingRecipientFactory(
        request=sourcing_request,
        listing__actor__name="Jardins du Lac",
        answer=SourcingAnswer.INTERESTED,
        answer_message="Nous avons trois équipes disponibles.",
    )
    SourcingRecipientFactory(
        request=sourcing_request, listing__actor__name="Propre et Net", answer=SourcingAnswer.NOT_INTERESTED
    )
    SourcingRecipientFactory(request=sourcing_request, listing__actor__name="Silencieux")

    everything = buyer.get(url("sourcing_detail", sourcing_request)).content.decode()
    interested = buyer.get(url("sourcing_detail", sourcing_request) + "?reponse=interesse").content.decode()

    assert all(name in everything for name in ("Jardins du Lac", "Propre et Net", "Silencieux"))
    assert "Nous avons trois équipes disponibles." in everything
    assert "Jardins du Lac" in interested and "Propre et Net" not in interested and "Silencieux" not in interested


def test_the_list_counts_answers_and_interested_suppliers(buyer):
    sourcing_request = SourcingRequestFactory(buyer=buyer.user, sent=True, title="Espaces verts 2027")
    SourcingRecipientFactory(request=sourcing_request, answer=SourcingAnswer.INTERESTED)
    SourcingRecipientFactory(request=sourcing_request, answer=SourcingAnswer.NOT_INTERESTED)
    SourcingRecipientFactory(request=sourcing_request)
    SourcingRequestFactory(title="Demande d’un collègue", sent=True)

    response = buyer.get(LIST)

    row = response.context["sourcing_requests"][0]
    assert [r.title for r in response.context["sourcing_requests"]] == ["Espaces verts 2027"]
    assert (row.recipient_count, row.answer_count, row.interested_count) == (3, 2, 1)


def test_closing_stops_the_answers(buyer):
    sourcing_request = SourcingRequestFactory(buyer=buyer.user, sent=True)

    buyer.post(url("sourcing_close", sourcing_request))

    sourcing_request.refresh_from_db()
    assert sourcing_request.status == SourcingStatus.CLOSED
    assert not sourcing_request.accepts_answers(date.today())


def test_a_sent_request_can_no_longer_be_edited_nor_deleted(buyer):
    sourcing_request = SourcingRequestFactory(buyer=buyer.user, sent=True, title="Avant")

    buyer.post(
        url("sourcing_edit", sourcing_request), {"title": "Après", "description": "x", "answer_by": "2099-01-01"}
    )
    buyer.post(url("sourcing_delete", sourcing_request))

    sourcing_request.refresh_from_db()
    assert sourcing_request.title == "Avant"


def test_the_export_lists_the_interested_suppliers_with_public_contacts_only(buyer):
    sourcing_request = SourcingRequestFactory(buyer=buyer.user, sent=True)
    interested = SourcingRecipientFactory(
        request=sourcing_request, listing__actor__name="Jardins du Lac", answer=SourcingAnswer.INTERESTED
    )
    Contact.objects.create(
        actor=interested.listing.actor, name="Accueil", email="accueil@lac.example.org", is_public=True
    )
    Contact.objects.create(actor=interested.listing.actor, name="Secret", email="secret@lac.example.org")
    SourcingRecipientFactory(request=sourcing_request, listing__actor__name="Propre et Net")

    response = buyer.get(url("sourcing_export", sourcing_request))

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = content.strip().splitlines()
    assert len(lines) == 2 and "Jardins du Lac" in lines[1]
    assert "accueil@lac.example.org" in content and "secret@lac.example.org" not in content


def test_another_buyers_request_is_not_found(buyer):
    other = SourcingRequestFactory(sent=True)
    draft = SourcingRequestFactory()

    for name in ("sourcing_detail", "sourcing_export"):
        assert buyer.get(url(name, other)).status_code == 404
    for name in ("sourcing_send", "sourcing_close", "sourcing_delete"):
        assert buyer.post(url(name, draft)).status_code == 404
    assert buyer.get(url("sourcing_edit", draft)).status_code == 404


@pytest.mark.parametrize("fixture", ["applicant_user", "elected_user", "partner_user"])
def test_other_roles_cannot_reach_the_buyer_pages(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    sourcing_request = SourcingRequestFactory()

    for page in (LIST, CREATE, url("sourcing_detail", sourcing_request), url("sourcing_export", sourcing_request)):
        assert client.get(page).status_code == 403
    assert client.post(url("sourcing_send", sourcing_request)).status_code == 403


def test_the_list_runs_the_same_number_of_queries_for_3_and_30_requests(buyer, django_assert_num_queries):
    def add(count):
        for _ in range(count):
            sourcing_request = SourcingRequestFactory(buyer=buyer.user, sent=True)
            SourcingRecipientFactory(request=sourcing_request, answer=SourcingAnswer.INTERESTED)

    add(3)
    buyer.get(LIST)  # warm the session
    with django_assert_num_queries(5):
        buyer.get(LIST)
    add(27)
    with django_assert_num_queries(5):
        response = buyer.get(LIST)
    assert len(response.context["sourcing_requests"]) == 20


def test_the_request_page_runs_the_same_number_of_queries_for_3_and_60_recipients(buyer, django_assert_num_queries):
    sourcing_request = SourcingRequestFactory(buyer=buyer.user, sent=True)

    def add(count):
        for _ in range(count):
            SourcingRecipientFactory(
                request=sourcing_request, answer=SourcingAnswer.INTERESTED, answered_by=buyer.user
            )

    add(3)
    buyer.get(url("sourcing_detail", sourcing_request))
    with django_assert_num_queries(8):
        buyer.get(url("sourcing_detail", sourcing_request))
    add(57)
    with django_assert_num_queries(8):
        buyer.get(url("sourcing_detail", sourcing_request))


def test_the_preview_runs_the_same_number_of_queries_for_3_and_60_suppliers(buyer, django_assert_num_queries):
    sourcing_request = SourcingRequestFactory(buyer=buyer.user)

    def add(count):
        for _ in range(count):
            AsrListingFactory(published=True, cpv_codes=[CpvCodeFactory(code="90")])

    add(3)
    buyer.get(url("sourcing_detail", sourcing_request))
    with django_assert_num_queries(14):
        buyer.get(url("sourcing_detail", sourcing_request))
    add(57)
    with django_assert_num_queries(14):
        buyer.get(url("sourcing_detail", sourcing_request))
