from decimal import Decimal

import pytest

from accounts.enums import Role
from funding.enums import BudgetSection
from funding.models import BudgetLine
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.actors.factories import ActorFactory

pytestmark = pytest.mark.e2e


def test_staff_member_logs_in_and_sees_the_home_page_with_its_figures(e2e_server, page, transactional_db):
    UserFactory(email="agent@exemple.fr", first_name="Camille", role=Role.STAFF)
    ActorFactory.create_batch(7)
    BudgetLine.objects.create(
        year=2026,
        section=BudgetSection.FONCTIONNEMENT,
        code="soutiens-directs",
        label="Soutiens directs aux projets",
        voted_amount=Decimal("145000"),
    )

    page.goto(f"{e2e_server.url}/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.fill("input[name=username]", "agent@exemple.fr")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()

    page.wait_for_url(f"{e2e_server.url}/espace/agent/")
    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Camille"
    figures = page.locator(".stat").all_inner_texts()
    assert any(text.startswith("7") and "acteurs de l’ESS au registre" in text for text in figures)
    assert "145\u00a0000,00\u00a0€" in page.locator("main").inner_text()
    assert page.csp_violations == []
