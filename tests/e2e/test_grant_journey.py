"""The whole grant journey in a browser: an applicant signs up, declares a structure, applies with a PDF;
staff instruct, propose to a council session and approve; the budget page shows the commitment."""

import datetime
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from accounts.enums import Role
from funding.enums import ApplicationStatus, BudgetSection, DocumentKind
from funding.models import Application, BudgetLine, Commitment
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.actors.factories import fictitious_siret
from tests.funding.factories import PDF_BYTES, CouncilSessionFactory, SupportSchemeFactory

pytestmark = pytest.mark.e2e

APPLICANT_EMAIL = "presidente@recyclerie-test.fr"
APPLICANT_PASSWORD = "un mot de passe assez long"


def log_in(page, base_url, email, password):
    page.goto(f"{base_url}/comptes/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def continue_to(page, base_url, step):
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url(re.compile(rf"{re.escape(base_url)}/financements/mes-dossiers/\d+/etape/{step}/$"))


def test_an_applicant_applies_online_and_staff_approve_the_grant(
    e2e_server, page, browser, transactional_db, reference_data, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = e2e_server.url
    today = timezone.localdate()
    line = BudgetLine.objects.filter(year=today.year, section=BudgetSection.FONCTIONNEMENT).order_by("position")[0]
    committed_before = line.committed_amount
    scheme = SupportSchemeFactory(
        title="Fonds de soutien à l’économie circulaire",
        budget_line=line,
        ceiling_amount=Decimal("20000.00"),
        required_documents=[DocumentKind.STATUTES],
    )
    session = CouncilSessionFactory(title="Conseil métropolitain", sits_on=today + datetime.timedelta(days=30))
    UserFactory(email="instructrice@bordeaux-metropole.fr", first_name="Inès", role=Role.STAFF)

    # 1. Sign up from the public scheme page, confirm the e-mail address, log in.
    page.goto(f"{base}/")
    page.get_by_role("link", name="Dispositifs de soutien").first.click()
    page.get_by_role("link", name=scheme.title).first.click()
    page.get_by_role("link", name="Créer un compte porteur de projet").last.click()
    page.fill("input[name=email]", APPLICANT_EMAIL)
    page.fill("input[name=first_name]", "Nadia")
    page.fill("input[name=last_name]", "Martin")
    page.fill("input[name=password1]", APPLICANT_PASSWORD)
    page.fill("input[name=password2]", APPLICANT_PASSWORD)
    page.check("input[name=accept_privacy_notice]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/comptes/inscription/envoyee/")
    confirmation_url = re.search(r"\S*/comptes/confirmation/\S+/", mail.outbox[-1].body).group(0)
    page.goto(base + urlsplit(confirmation_url).path)
    log_in(page, base, APPLICANT_EMAIL, APPLICANT_PASSWORD)
    page.wait_for_url(f"{base}/espace/porteur/")

    # 2. Declare the structure.
    page.goto(f"{base}/comptes/structures/nouvelle/")
    page.fill("input[name=name]", "Recyclerie du Test")
    page.fill("input[name=siret]", fictitious_siret(424242))
    page.select_option("select[name=legal_form]", "association")
    page.select_option("select[name=commune]", label="Bègles")
    page.fill("input[name=position]", "Présidente")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/espace/porteur/")

    # 3. Apply in six steps.
    page.get_by_role("link", name="Déposer une demande").first.click()
    page.select_option("select[name=scheme]", label=scheme.title)
    continue_to(page, base, 2)
    page.fill("input[name=title]", "Atelier de réemploi")
    page.fill("textarea[name=summary]", "Collecte, réparation et revente d’objets du quotidien.")
    page.fill("input[name=starts_on]", f"{today.year + 1}-01-01")
    page.fill("input[name=ends_on]", f"{today.year + 1}-12-31")
    continue_to(page, base, 3)
    page.fill("input[name='depenses-0-label']", "Salaires")
    page.fill("input[name='depenses-0-amount']", "16000")
    page.fill("input[name='ressources-0-label']", "Fonds propres")
    page.fill("input[name='ressources-0-amount']", "4000")
    continue_to(page, base, 4)
    page.fill("input[name=requested_amount]", "12000")
    continue_to(page, base, 5)
    statutes = tmp_path / "statuts.pdf"
    statutes.write_bytes(PDF_BYTES)
    page.set_input_files(f"input[name=file_{DocumentKind.STATUTES}]", str(statutes))
    page.fill(f"input[name=valid_until_{DocumentKind.STATUTES}]", f"{today.year + 2}-12-31")
    continue_to(page, base, 6)
    assert "Atelier de réemploi" in page.locator("main").inner_text()
    page.get_by_role("button", name="Déposer ma demande").click()
    page.wait_for_url(re.compile(rf"{re.escape(base)}/financements/mes-dossiers/\d+/$"))
    assert "Déposé" in page.locator("main").inner_text()
    application = Application.objects.get(title="Atelier de réemploi")
    assert application.status == ApplicationStatus.SUBMITTED
    assert page.csp_violations == []

    # 4. Staff instruct, propose to the council session and record its decision.
    staff_context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    staff = staff_context.new_page()
    log_in(staff, base, "instructrice@bordeaux-metropole.fr", DEFAULT_PASSWORD)
    staff.goto(f"{base}/financements/demandes/{application.pk}/")
    staff.get_by_role("button", name="Prendre en instruction").click()
    staff.wait_for_load_state()
    staff.fill("textarea[name=opinion]", "Projet solide, budget réaliste.")
    staff.fill("input[name=proposed_amount]", "12000")
    staff.get_by_role("button", name="Enregistrer l’avis").click()
    staff.wait_for_load_state()
    staff.select_option("select[name=session]", str(session.pk))
    staff.get_by_role("button", name="Proposer au conseil").click()
    staff.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PROPOSED

    staff.goto(f"{base}/financements/seances/{session.pk}/")
    staff.fill("input[name=decided_on]", today.isoformat())
    staff.check("input[name='decisions-0-approved'][value='1']")
    staff.fill("input[name='decisions-0-amount']", "12000")
    staff.fill("input[name='decisions-0-deliberation_number']", f"{today.year}-0042")
    staff.get_by_role("button", name="Enregistrer les décisions de la séance").click()
    staff.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    commitment = Commitment.objects.get(application=application)
    assert (commitment.amount, commitment.budget_line) == (Decimal("12000.00"), line)

    # 5. The budget page shows the commitment on the scheme's line.
    staff.goto(f"{base}/financements/budget/{today.year}/")
    line.refresh_from_db()
    assert line.committed_amount == committed_before + Decimal("12000.00")
    row = staff.locator("tr", has_text=line.label).first
    assert f"{line.committed_amount:,.2f}".replace(",", "\u00a0").replace(".", ",") in row.inner_text()
    staff_context.close()

    # 6. The applicant sees the decision on the application's page.
    page.goto(f"{base}/financements/mes-dossiers/{application.pk}/")
    text = page.locator("main").inner_text()
    assert "Subvention accordée" in text
    assert "12\u00a0000,00\u00a0€" in text
