import re

import pytest

from tests.actors.factories import ActorFactory, CommuneFactory
from tests.filieres.factories import FiliereFactory

pytestmark = pytest.mark.e2e


def test_a_visitor_searches_the_directory_by_filiere_and_commune_then_opens_an_actor(
    e2e_server, page, transactional_db
):
    circular = FiliereFactory(name="Économie circulaire", slug="economie-circulaire")
    proximity = FiliereFactory(name="Économie de proximité", slug="economie-de-proximite")
    begles = CommuneFactory(insee_code="33039", name="Bègles")
    merignac = CommuneFactory(insee_code="33281", name="Mérignac")
    ActorFactory(
        name="Ressourcerie des Étangs",
        public=True,
        commune=begles,
        filieres=[circular],
        description="Collecte et revente d’objets de seconde main.",
    )
    ActorFactory(name="Ressourcerie de Mérignac", public=True, commune=merignac, filieres=[circular])
    ActorFactory(name="Épicerie solidaire de Bègles", public=True, commune=begles, filieres=[proximity])
    ActorFactory(name="Atelier discret", commune=begles, filieres=[circular])  # not in the directory
    # Offline: tiles are refused at once (a failed tile is no CSP violation, only our own code is checked).
    page.route(re.compile(r"^https://[^/]*tile[^/]*/"), lambda route: route.abort())

    page.goto(f"{e2e_server.url}/")
    page.get_by_role("link", name="Consulter l’annuaire des acteurs").click()
    page.wait_for_url(f"{e2e_server.url}/annuaire/")
    assert page.locator(".actor-card").count() == 3
    page.get_by_label("Filière", exact=True).select_option(label="Économie circulaire")
    page.get_by_label("Commune", exact=True).select_option(label="Bègles")
    page.get_by_role("button", name="Rechercher").click()

    page.wait_for_url(re.compile(r".*/annuaire/\?.*filiere=economie-circulaire.*"))
    results = page.locator("#resultats .actor-card h3")
    assert results.all_inner_texts() == ["Ressourcerie des Étangs"]
    assert "1 structure trouvée" in page.locator(".result-count").inner_text()
    main = page.locator("main").inner_text()
    assert "Atelier discret" not in main and "Ressourcerie de Mérignac" not in main
    # The map read the GeoJSON that follows the same filters.
    status = page.locator("[data-map-status]")
    status.filter(has_text="1 structure localisée sur la carte.").wait_for()
    assert page.locator(".leaflet-container").count() == 1

    page.get_by_role("link", name="Ressourcerie des Étangs").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Ressourcerie des Étangs"
    assert "Collecte et revente d’objets de seconde main." in page.locator("main").inner_text()
    pin = page.locator(".map-single .leaflet-marker-icon")
    pin.wait_for()
    page.wait_for_function("() => document.querySelector('.map-single .leaflet-marker-icon').complete")
    assert pin.evaluate("image => image.naturalWidth") > 0  # our static pin image, not a broken guess
    assert page.csp_violations == []
