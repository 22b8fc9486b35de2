"""A sourcing request in a browser: a buyer describes a need, checks the suppliers it reaches and sends it; a
member of the matching structure, mailed, answers « Intéressé »; the buyer reads the answer on the request page."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.enums import Role
from actors.models import Commune
from procurement.cpv.models import CpvCode
from procurement.enums import SourcingAnswer
from procurement.sourcing.models import SourcingRecipient, SourcingRequest
from tests.accounts.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory
from tests.actors.factories import ActorFactory
from tests.procurement.factories import AsrListingFactory

pytestmark = pytest.mark.e2e

BUYER_EMAIL = "acheteuse@bordeaux-metropole.fr"
MEMBER_EMAIL = "directrice@net-services-begles.fr"
TITLE = "Nettoyage des écoles de Bègles"
ANSWER_MESSAGE = "Trois équipes disponibles dès septembre ; références : deux groupes scolaires."


def log_in(page, base_url, email):
    page.goto(f"{base_url}/comptes/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_buyer_sends_a_sourcing_request_a_matching_supplier_answers_and_the_buyer_reads_the_answer(
    e2e_server, page, transactional_db, reference_data
):
    base = e2e_server.url
    UserFactory(email=BUYER_EMAIL, first_name="Inès", role=Role.PROCUREMENT)
    member = UserFactory(email=MEMBER_EMAIL, first_name="Awa", last_name="Diallo", role=Role.APPLICANT)
    cleaning = CpvCode.objects.get(code="9091")
    begles = Commune.objects.get(insee_code="33039")
    merignac = Commune.objects.get(insee_code="33281")
    matching = AsrListingFactory(
        published=True,
        actor=ActorFactory(name="Net Services Bègles", commune=begles),
        cpv_codes=[cleaning],
        serves_whole_metropole=False,
        communes=[begles],
    )
    MembershipFactory(user=member, actor=matching.actor)
    other_member = UserFactory(email="gerant@proprete-merignac.fr", role=Role.APPLICANT)
    other = AsrListingFactory(  # cleans, but only in Mérignac: not reached
        published=True,
        actor=ActorFactory(name="Propreté Mérignac", commune=merignac),
        cpv_codes=[cleaning],
        serves_whole_metropole=False,
        communes=[merignac],
    )
    MembershipFactory(user=other_member, actor=other.actor)
    answer_by = timezone.localdate() + datetime.timedelta(days=21)

    # 1. The buyer describes the need and previews the suppliers it would reach.
    log_in(page, base, BUYER_EMAIL)
    page.goto(f"{base}/achats/sourcing/nouvelle/")
    page.get_by_label("Objet du besoin").fill(TITLE)
    page.get_by_label("Description du besoin").fill("Entretien quotidien de six écoles, de septembre à juillet.")
    page.get_by_label("Direction acheteuse").fill("Direction de l’éducation")
    page.get_by_label("Codes CPV").fill(cleaning.full_code)
    page.get_by_label("Bègles", exact=True).check()
    page.get_by_label("Réponses attendues avant le").fill(answer_by.isoformat())
    page.get_by_role("button", name="Voir les fournisseurs concernés").click()

    page.wait_for_url(re.compile(rf"{re.escape(base)}/achats/sourcing/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    preview = page.locator("main table")
    assert preview.locator("tbody th").all_inner_texts()[0].startswith("Net Services Bègles")
    assert preview.locator("tbody tr").count() == 1
    assert "Propreté Mérignac" not in page.locator("main").inner_text()
    assert mail.outbox == []  # nothing leaves before the buyer sends
    page.get_by_role("button", name="Envoyer à 1 fournisseur").click()

    page.get_by_role("heading", name="Réponses des fournisseurs").wait_for()
    assert "Demande envoyée à 1 fournisseur" in page.locator(".messages").inner_text()
    sourcing_request = SourcingRequest.objects.get()
    recipient = SourcingRecipient.objects.get()
    assert (sourcing_request.title, recipient.listing_id) == (TITLE, matching.pk)
    assert sourcing_request.sent_at is not None and recipient.notified_at is not None
    assert len(mail.outbox) == 1
    notification = mail.outbox[0]
    assert notification.to == [MEMBER_EMAIL] and TITLE in notification.subject
    assert f"/achats/sourcing/recues/{recipient.pk}/" in notification.body

    # 2. The buyer logs out; the member of the matching structure logs in and answers.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    log_in(page, base, MEMBER_EMAIL)
    page.goto(f"{base}/achats/sourcing/recues/")
    received = page.locator("main table tbody tr")
    assert received.count() == 1
    assert "Nouvelle" in received.inner_text() and "Net Services Bègles" in received.inner_text()
    page.get_by_role("link", name=TITLE).click()

    page.wait_for_url(f"{base}/achats/sourcing/recues/{recipient.pk}/")
    assert "Entretien quotidien de six écoles" in page.locator("main dl").inner_text()
    page.get_by_label("Intéressé", exact=True).check()
    page.get_by_label("Message à l’acheteur").fill(ANSWER_MESSAGE)
    page.get_by_role("button", name="Envoyer ma réponse").click()

    page.wait_for_load_state()
    assert "Votre réponse a été transmise à l’acheteur." in page.locator(".messages").inner_text()
    assert "Réponse actuelle : Intéressé" in page.locator("#answer-title + p").inner_text()
    recipient.refresh_from_db()
    assert (recipient.answer, recipient.answer_message, recipient.answered_by) == (
        SourcingAnswer.INTERESTED,
        ANSWER_MESSAGE,
        member,
    )
    assert recipient.viewed_at is not None

    # 3. The buyer comes back and reads the answer and the message on the request page.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    log_in(page, base, BUYER_EMAIL)
    page.goto(f"{base}/achats/sourcing/")
    page.get_by_role("link", name=TITLE).click()

    page.wait_for_url(f"{base}/achats/sourcing/{sourcing_request.pk}/")
    row = page.locator("main table tbody tr")
    assert row.count() == 1
    assert row.locator("th").inner_text().startswith("Net Services Bègles")
    assert row.locator("td[data-label=Réponse] .badge").inner_text() == "Intéressé"
    assert row.locator("td[data-label=Message]").inner_text() == ANSWER_MESSAGE
    assert row.locator("td[data-label='Consultée le']").inner_text() != "non consultée"
    counts = page.locator("main dl.details").last.inner_text()
    assert re.search(r"Intéressés\s+1", counts)
    assert page.csp_violations == []
