"""The elected officials' dashboard in a browser: reached from the navigation, switched to another year, its SVG
charts drawn and the table behind a chart showing the aid the test committed."""

import re
from decimal import Decimal

import pytest

from accounts.enums import Role
from actors.models import Commune
from ess_portal.formatting import format_euros
from filieres.models import Filiere
from funding import services
from funding.enums import ApplicationStatus
from funding.models import BudgetLine
from programme.dashboard import default_year
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.actors.factories import ActorFactory
from tests.funding.factories import ApplicationFactory, SupportSchemeFactory

pytestmark = pytest.mark.e2e

ELECTED_EMAIL = "vice-presidente.ess@bordeaux-metropole.fr"


def commit_aid(*, year, amount, commune, filiere):
    """An approved application of a structure of `commune`, committed on the year's direct-support line."""
    line = BudgetLine.objects.get(year=year, code="soutiens-directs-projets")
    application = ApplicationFactory(
        actor=ActorFactory(commune=Commune.objects.get(name=commune)),
        scheme=SupportSchemeFactory(budget_line=line),
        filiere=Filiere.objects.get(code=filiere),
        status=ApplicationStatus.APPROVED,
    )
    return services.commit_budget(
        application=application, amount=Decimal(amount), by=None, idempotency_key=f"e2e-dashboard-{application.pk}"
    )


def test_an_elected_official_opens_the_dashboard_switches_the_year_and_reads_a_charts_data_table(
    e2e_server, page, transactional_db, reference_data
):
    base = e2e_server.url
    UserFactory(email=ELECTED_EMAIL, first_name="Claire", role=Role.ELECTED)
    commitment = commit_aid(year=2024, amount="12345.67", commune="Bègles", filiere="1.1.1")
    assert commitment.amount == Decimal("12345.67")

    page.goto(f"{base}/comptes/connexion/")
    page.fill("input[name=username]", ELECTED_EMAIL)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    navigation = page.get_by_role("navigation", name="Navigation principale")
    navigation.get_by_role("link", name="Tableau de bord", exact=True).click()

    # The current year (brought back within 2022–2026) first: no aid is committed on its lines.
    current = default_year()
    assert current != 2024
    page.wait_for_url(f"{base}/plan/tableau-de-bord/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Tableau de bord ESS {current}"
    assert navigation.locator("a[aria-current=page]").inner_text() == "Tableau de bord"
    assert (
        f"Aucune aide n’est encore engagée sur les lignes {current}."
        in page.locator("#aides ~ .empty-state").inner_text()
    )
    years = page.get_by_role("navigation", name="Année du tableau de bord")
    assert years.locator("[aria-current=page]").inner_text() == str(current)
    years.get_by_role("link", name="2024", exact=True).click()

    page.wait_for_url(f"{base}/plan/tableau-de-bord/?annee=2024")
    assert page.get_by_role("heading", level=1).inner_text() == "Tableau de bord ESS 2024"
    assert years.locator("[aria-current=page]").inner_text() == "2024"
    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() == page.locator("figure.chart").count() >= 5
    for caption in ("Aides engagées et versées par filière", "Aides engagées et versées par commune"):
        figure = page.locator("figure.chart", has=page.get_by_text(caption, exact=True))
        assert figure.locator("svg[role=img]").is_visible()
        assert figure.locator("svg[role=img]").get_attribute("aria-labelledby")

    details = page.locator(
        "details.data-table", has=page.get_by_text(re.compile("^Données du graphique : aides par commune"))
    )
    table = details.locator("table")
    assert not table.is_visible()
    details.locator("summary").click()
    assert table.is_visible()
    assert table.locator("caption").inner_text() == "Aides par commune de la structure aidée, en euros"
    assert table.locator("tbody th").all_inner_texts() == ["Bègles"]
    row = table.locator("tbody tr").first
    assert row.locator("td[data-label='Dossiers aidés']").inner_text() == "1"
    assert (
        row.locator("td[data-label=Engagé]").inner_text() == format_euros(commitment.amount) == "12\u00a0345,67\u00a0€"
    )
    assert row.locator("td[data-label=Versé]").inner_text() == format_euros(Decimal("0"))

    # The budget line the aid was committed on: committed, and what remains of the voted amount.
    line = commitment.budget_line
    details = page.locator("details.data-table", has=page.get_by_text("Données du graphique : budget par ligne"))
    details.locator("summary").click()
    row = details.locator("tbody tr", has=page.get_by_role("rowheader", name=line.label, exact=True))
    assert row.locator("td[data-label=Engagé]").inner_text() == format_euros(Decimal("12345.67"))
    assert row.locator("td[data-label=Disponible]").inner_text() == format_euros(line.voted_amount - commitment.amount)
    assert row.locator("td[data-label=Engagements]").inner_text() == "1"
    assert page.csp_violations == []
