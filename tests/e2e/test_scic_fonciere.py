"""The SCIC register and the foncière solidaire in a browser (issue 12): staff subscribe shares of a SCIC through its
form and see the fund's remaining credits and the public share change; an occupant's page shows its in-kind aid."""

import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.enums import Role
from fonciere.services import create_lease
from scic.models import ShareMovement
from scic.services import subscribe_shares
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.actors.factories import ActorFactory
from tests.fonciere.factories import PropertyFactory
from tests.scic.factories import PublicHoldingFactory, ScicFactory, scic_fund_line

pytestmark = pytest.mark.e2e

STAFF_EMAIL = "charge-scic@bordeaux-metropole.fr"


def log_in(page, base_url, email, password):
    page.goto(f"{base_url}/comptes/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def type_into(page, name, text):
    """Click a field and type as a user would (its previous value selected and replaced)."""
    field = page.locator(f"main form [name={name}]")
    field.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def fund_available(page):
    return page.locator("dl.details dt:has-text('Disponible') + dd").inner_text()


def test_staff_subscribe_shares_and_an_occupant_page_shows_its_in_kind_aid(e2e_server, page, transactional_db):
    base = e2e_server.url
    today = timezone.localdate()
    staff = UserFactory(email=STAFF_EMAIL, first_name="Hélène", role=Role.STAFF)
    scic_fund_line(year=today.year, voted_amount=Decimal("120000.00"))
    # Capital 100 000 € recorded on 1 January 2023, 10 000 € held by the Région, and a first stake of the Métropole
    # this year (200 parts of 50 €): capital 110 000 €, public 20 000 € (18,2 %), fund 120 000 − 10 000 € left.
    scic = ScicFactory(actor__name="Coop Énergies Citoyennes", capital=Decimal("100000.00"))
    PublicHoldingFactory(scic=scic, amount=Decimal("10000.00"))
    subscribe_shares(
        scic=scic,
        shares=200,
        nominal=Decimal("50.00"),
        subscribed_on=today,
        fund_year=today.year,
        deliberation_number=f"{today.year}-0101",
        deliberation_on=today,
        by=staff,
        idempotency_key=str(uuid.uuid4()),
    )
    # An occupant of the foncière: 120 m² from 1 March to 31 December 2025 at 75 €/m²/an instead of 118,50 €:
    # (118,50 − 75) × 120 × 306 / 365 = 4 376,219… → 4 376,22 € of in-kind aid in 2025.
    occupant = ActorFactory(name="Atelier Vélo Solidaire")
    create_lease(
        property=PropertyFactory(name="Halle des Chartrons", surface=Decimal("400.00")),
        occupant=occupant,
        surface=Decimal("120.00"),
        starts_on=datetime.date(2025, 3, 1),
        ends_on=datetime.date(2025, 12, 31),
        rent=Decimal("75.00"),
        market_rent=Decimal("118.50"),
        by=staff,
        signed_on=datetime.date(2025, 2, 14),
    )

    log_in(page, base, STAFF_EMAIL, DEFAULT_PASSWORD)
    page.wait_for_url(f"{base}/espace/agent/")

    # 1. The fund's remaining credits for the year, from the register's link.
    page.goto(f"{base}/scic/")
    page.get_by_role("link", name=f"Fonds de participation {today.year}").click()
    page.wait_for_url(f"{base}/scic/fonds/{today.year}/")
    assert fund_available(page) == "110\u00a0000,00\u00a0€"

    # 2. The SCIC's page and its public-share gauge.
    page.goto(f"{base}/scic/")
    page.get_by_role("link", name="Coop Énergies Citoyennes").first.click()
    page.wait_for_url(f"{base}/scic/{scic.pk}/")
    gauge = page.locator(f"#part-publique-{scic.pk}")
    assert gauge.get_attribute("value") == "18.2"
    share = page.get_by_role("region", name="Part publique à ce jour")
    assert "Part publique du capital : 18,2\u00a0% (plafond 50\u00a0%)" in share.inner_text()
    assert "soit 20\u00a0000,00\u00a0€ sur un capital de 110\u00a0000,00\u00a0€" in share.inner_text()

    # 3. Subscribe 300 parts of 50 € (15 000 €) through the form, typed as a user would.
    page.get_by_role("link", name="Souscrire des parts").click()
    page.wait_for_url(f"{base}/scic/{scic.pk}/souscription/")
    type_into(page, "shares", "300")
    page.keyboard.press("Tab")
    page.keyboard.type("50")
    assert page.locator("main form [name=fund_year]").input_value() == str(today.year)
    assert page.locator("main form [name=subscribed_on]").input_value() == today.isoformat()
    type_into(page, "deliberation_number", f"{today.year}-0202")
    page.locator("main form [name=deliberation_on]").fill(today.isoformat())
    page.get_by_role("button", name="Souscrire et engager").click()
    page.wait_for_url(f"{base}/scic/{scic.pk}/")
    assert (
        f"Souscription de 300 parts (15\u00a0000,00\u00a0€) engagée sur le fonds SCIC {today.year}."
        in page.locator("main").inner_text()
    )
    # Capital 125 000 €, public 35 000 €: 28,0 %.
    assert page.locator(f"#part-publique-{scic.pk}").get_attribute("value") == "28.0"
    share = page.get_by_role("region", name="Part publique à ce jour")
    assert "Part publique du capital : 28,0\u00a0% (plafond 50\u00a0%)" in share.inner_text()
    assert "soit 35\u00a0000,00\u00a0€ sur un capital de 125\u00a0000,00\u00a0€" in share.inner_text()
    movements = page.get_by_role("region", name="Mouvements de parts de la Métropole")
    assert re.search(r"souscription\s+300\s+50,00\u00a0€\s+15\u00a0000,00\u00a0€", movements.inner_text())
    assert ShareMovement.objects.filter(scic=scic).count() == 2

    # 4. The fund's remaining credits went down by the stake, which is listed.
    page.goto(f"{base}/scic/fonds/{today.year}/")
    assert fund_available(page) == "95\u00a0000,00\u00a0€"
    stake = page.locator("tbody tr", has_text=f"{today.year}-0202")
    assert "15\u00a0000,00\u00a0€" in stake.inner_text()
    assert "25\u00a0000,00\u00a0€" in page.locator("tfoot").inner_text()

    # 5. The occupant's page in the registry shows its in-kind aid.
    page.goto(f"{base}/acteurs/{occupant.pk}/")
    aid = page.get_by_role("table", name="Aide en nature (remise de loyer des baux signés) par année")
    assert aid.locator("tbody tr").all_inner_texts() == ["2025\t4\u00a0376,22\u00a0€"]
    page.get_by_role("link", name="Halle des Chartrons").click()
    page.wait_for_url(re.compile(rf"{re.escape(base)}/fonciere/baux/\d+/$"))
    assert "4\u00a0376,22\u00a0€" in page.get_by_role("region", name="Aide en nature par année").inner_text()
    assert page.csp_violations == []
