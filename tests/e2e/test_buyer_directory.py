import re

import pytest
from openpyxl import load_workbook

from accounts.enums import Role
from actors.models import Commune
from procurement.asr.models import ConsultationList, ExportLog
from procurement.cpv.models import CpvCode
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.actors.factories import ActorFactory
from tests.procurement.factories import AsrListingFactory

pytestmark = pytest.mark.e2e


def test_a_buyer_filters_by_cpv_and_commune_saves_a_consultation_list_and_downloads_it_as_xlsx(
    e2e_server, page, transactional_db, reference_data, tmp_path
):
    UserFactory(email="acheteuse@exemple.fr", first_name="Inès", role=Role.PROCUREMENT)
    cleaning = CpvCode.objects.get(code="9091")
    begles = Commune.objects.get(insee_code="33039")
    merignac = Commune.objects.get(insee_code="33281")
    AsrListingFactory(
        published=True,
        actor=ActorFactory(name="Net Services Bègles", commune=begles),
        cpv_codes=[cleaning],
        serves_whole_metropole=False,
        communes=[begles],
    )
    AsrListingFactory(  # cleans, but only in Mérignac
        published=True,
        actor=ActorFactory(name="Propreté Mérignac", commune=merignac),
        cpv_codes=[cleaning],
        serves_whole_metropole=False,
        communes=[merignac],
    )
    AsrListingFactory(published=True, actor=ActorFactory(name="Traiteur solidaire"), offers="Repas")  # no CPV
    page.route(re.compile(r"^https://[^/]*tile[^/]*/"), lambda route: route.abort())

    page.goto(f"{e2e_server.url}/comptes/connexion/")
    page.fill("input[name=username]", "acheteuse@exemple.fr")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{e2e_server.url}/achats/annuaire/")
    assert page.locator("#resultats .actor-card").count() == 3
    page.get_by_label("Code CPV", exact=True).fill("9091")
    page.get_by_label("Commune desservie", exact=True).select_option(label="Bègles")
    page.get_by_role("button", name="Rechercher").click()

    page.wait_for_url(re.compile(r".*/achats/annuaire/\?.*cpv=9091.*commune=33039.*"))
    assert page.locator("#resultats .actor-card h3").all_inner_texts() == ["Net Services Bègles"]
    card = page.locator("#resultats .actor-card").first
    card.get_by_label(re.compile("^Liste de consultation")).fill("Nettoyage des écoles 2027")
    card.get_by_role("button", name=re.compile("^Ajouter à une liste de consultation")).click()

    page.wait_for_url(re.compile(r".*/achats/listes/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Nettoyage des écoles 2027"
    assert "Net Services Bègles" in page.locator("main table").inner_text()
    page.get_by_label("XLSX").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger").click()
    path = tmp_path / "liste.xlsx"
    download_info.value.save_as(path)

    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == "Raison sociale"
    assert [row[0] for row in rows[1:]] == ["Net Services Bègles"]
    consultation_list = ConsultationList.objects.get()
    assert consultation_list.owner.email == "acheteuse@exemple.fr"
    assert ExportLog.objects.get().file_format == "xlsx"
    assert page.csp_violations == []
