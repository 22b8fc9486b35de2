"""The share of ESS spend report: figures by direction, filière and commune, exports, permissions, query counts."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from procurement.enums import SiretMatch
from procurement.spend.demo import load_spend_demo
from procurement.spend.exports import PURCHASE_COLUMNS
from procurement.spend.models import Purchase, PurchaseImport
from procurement.spend.report import spend_report
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.filieres.factories import FiliereFactory
from tests.procurement.factories import PurchaseFactory, PurchaseImportFactory


@pytest.fixture
def year_2025(db):
    """Purchases of 2025: 11,500.00 € in all, of which 5,234.56 € with three ESS suppliers.

    - Recyclerie (Bordeaux, filières circulaire + proximité, SIAE): 1,234.56 (bâtiments) + 1,000.00 (propreté);
    - ESAT (Bègles, circulaire): 2,500.00 (bâtiments);
    - Coop (Bordeaux, no filière, ESUS in March only): 300.00 (ESUS) + 200.00, propreté;
    - outside the registry: 4,765.44 unknown (bâtiments), 1,000.00 malformed (propreté), 500.00 malformed (no
      direction).
    """
    bordeaux, begles = CommuneFactory(name="Bordeaux"), CommuneFactory(name="Bègles")
    circular, proximity = FiliereFactory(name="Économie circulaire"), FiliereFactory(name="Économie de proximité")
    recyclerie = ActorFactory(name="Recyclerie", commune=bordeaux, filieres=[circular, proximity])
    esat = ActorFactory(name="ESAT", commune=begles, filieres=[circular])
    coop = ActorFactory(name="Coop", commune=bordeaux)
    purchase_import = PurchaseImportFactory(year=2025, row_count=9, total_amount=Decimal("11500.00"))
    batiments, proprete = "Direction des bâtiments", "Direction de la propreté"
    for actor, amount, direction, flags in [
        (recyclerie, "1234.56", batiments, {"is_siae": True}),
        (recyclerie, "1000.00", proprete, {"is_siae": True}),
        (esat, "2500.00", batiments, {"is_ea_esat": True}),
        (coop, "300.00", proprete, {"is_esus": True}),
        (coop, "200.00", proprete, {}),
    ]:
        PurchaseFactory(
            purchase_import=purchase_import, actor=actor, amount=Decimal(amount), buying_direction=direction, **flags
        )
    PurchaseFactory(purchase_import=purchase_import, amount=Decimal("4765.44"), buying_direction=batiments)
    PurchaseFactory(
        purchase_import=purchase_import,
        supplier_siret="123456789",
        siret_match=SiretMatch.MALFORMED,
        amount=Decimal("1000.00"),
        buying_direction=proprete,
    )
    PurchaseFactory(
        purchase_import=purchase_import,
        supplier_siret="",
        supplier_name="Régie d’avances",
        siret_match=SiretMatch.MALFORMED,
        amount=Decimal("500.00"),
        buying_direction="",
    )
    # A replaced import of the same year never counts.
    PurchaseFactory(purchase_import=PurchaseImportFactory(year=2025, is_current=False), amount=Decimal("99999"))
    return purchase_import


def test_the_summary_gives_the_spaser_figures(year_2025):
    summary = spend_report(2025).summary

    assert summary["total_amount"] == Decimal("11500.00")
    assert (summary["ess_amount"], summary["ess_share"]) == (Decimal("5234.56"), Decimal("45.5"))
    assert (summary["siae_amount"], summary["siae_share"]) == (Decimal("2234.56"), Decimal("19.4"))
    assert (summary["ea_esat_amount"], summary["ea_esat_share"]) == (Decimal("2500.00"), Decimal("21.7"))
    assert (summary["esus_amount"], summary["esus_share"]) == (Decimal("300.00"), Decimal("2.6"))
    assert (summary["unknown_count"], summary["unknown_amount"]) == (1, Decimal("4765.44"))
    assert (summary["malformed_count"], summary["malformed_amount"]) == (2, Decimal("1500.00"))
    # Nothing lost: ESS + unknown + malformed is the total.
    assert summary["ess_amount"] + summary["unknown_amount"] + summary["malformed_amount"] == summary["total_amount"]


def test_breakdown_by_direction(year_2025):
    directions = {row["buying_direction"]: row for row in spend_report(2025).directions}

    batiments = directions["Direction des bâtiments"]
    assert (batiments["total_amount"], batiments["ess_amount"], batiments["ess_share"]) == (
        Decimal("8500.00"),
        Decimal("3734.56"),
        Decimal("43.9"),
    )
    assert (batiments["siae_amount"], batiments["ea_esat_amount"], batiments["share_of_year"]) == (
        Decimal("1234.56"),
        Decimal("2500.00"),
        Decimal("73.9"),
    )
    proprete = directions["Direction de la propreté"]
    assert (proprete["total_amount"], proprete["ess_amount"], proprete["ess_share"]) == (
        Decimal("2500.00"),
        Decimal("1500.00"),
        Decimal("60.0"),
    )
    assert (directions[""]["total_amount"], directions[""]["ess_share"]) == (Decimal("500.00"), Decimal("0.0"))


def test_breakdown_by_filiere_counts_a_purchase_in_each_filiere_of_its_supplier(year_2025):
    filieres = {row["name"]: row for row in spend_report(2025).filieres}

    assert (filieres["Économie circulaire"]["amount"], filieres["Économie circulaire"]["share_of_ess"]) == (
        Decimal("4734.56"),
        Decimal("90.4"),
    )
    assert (filieres["Économie circulaire"]["purchase_count"], filieres["Économie circulaire"]["supplier_count"]) == (
        3,
        2,
    )
    assert filieres["Économie de proximité"]["amount"] == Decimal("2234.56")
    assert (filieres["Sans filière renseignée"]["amount"], filieres["Sans filière renseignée"]["supplier_count"]) == (
        Decimal("500.00"),
        1,
    )


def test_breakdown_by_commune_of_the_supplier(year_2025):
    communes = [
        (row["name"], row["amount"], row["supplier_count"], row["share_of_ess"]) for row in spend_report(2025).communes
    ]

    assert communes == [
        ("Bordeaux", Decimal("2734.56"), 2, Decimal("52.2")),
        ("Bègles", Decimal("2500.00"), 1, Decimal("47.8")),
    ]


def test_the_report_page_says_how_filieres_are_counted_and_links_the_unmatched_rows(
    client, procurement_user, year_2025
):
    client.force_login(procurement_user)

    page = client.get(reverse("procurement:spend_report", args=[2025])).content.decode()

    assert "chaque achat est compté une fois dans <strong>chaque</strong> filière" in page
    assert "Les lignes ne s’additionnent donc pas au total des achats ESS" in page
    assert "Voir les 3 achats hors registre ou sans SIRET valide" in page
    assert "11\u00a0500,00\u00a0€" in page


def test_a_year_without_import_is_a_404(client, procurement_user, year_2025):
    client.force_login(procurement_user)
    for name in ("spend_report", "spend_unmatched", "spend_export", "spend_purchases_csv"):
        assert client.get(reverse(f"procurement:{name}", args=[2024])).status_code == 404


def test_the_unmatched_list_shows_unknown_and_malformed_rows_with_a_filter(client, procurement_user, year_2025):
    client.force_login(procurement_user)
    url = reverse("procurement:spend_unmatched", args=[2025])

    every = client.get(url)
    malformed = client.get(url, {"rapprochement": SiretMatch.MALFORMED})

    assert [p.amount for p in every.context["purchases"]] == [
        Decimal("4765.44"),
        Decimal("1000.00"),
        Decimal("500.00"),
    ]
    assert [p.supplier_siret for p in malformed.context["purchases"]] == ["123456789", ""]
    assert "Régie d’avances" in malformed.content.decode()


def test_the_xlsx_export_has_one_sheet_per_breakdown(client, elected_user, year_2025):
    client.force_login(elected_user)

    response = client.get(reverse("procurement:spend_export", args=[2025]))

    assert response["Content-Disposition"] == 'attachment; filename="part-achats-ess-2025.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Synthèse", "Par direction", "Par filière", "Par commune"]
    summary = [row for row in workbook["Synthèse"].iter_rows(min_row=4, values_only=True)]
    assert summary[0] == ("Total des achats", 11500, 1, 8)
    assert summary[1][:2] == ("Achats auprès de structures de l’ESS", 5234.56)
    assert summary[1][2] == pytest.approx(0.455)
    assert [row[:2] for row in summary[2:]] == [
        ("dont SIAE", 2234.56),
        ("dont EA / ESAT", 2500),
        ("dont ESUS", 300),
        ("SIRET valide hors registre ESS", 4765.44),
        ("SIRET absent ou invalide", 1500),
    ]
    directions = list(workbook["Par direction"].iter_rows(min_row=2, values_only=True))
    assert directions[0][:4] == ("Direction des bâtiments", 8500, 3734.56, pytest.approx(0.439))
    assert directions[-1][0] == "Direction non renseignée"
    filieres = list(workbook["Par filière"].iter_rows(min_row=3, values_only=True))
    assert [row[:2] for row in filieres] == [
        ("Économie circulaire", 4734.56),
        ("Économie de proximité", 2234.56),
        ("Sans filière renseignée", 500),
    ]
    assert "une fois dans chaque filière" in workbook["Par filière"]["A1"].value
    communes = list(workbook["Par commune"].iter_rows(min_row=2, values_only=True))
    assert [row[:2] for row in communes] == [("Bordeaux", 2734.56), ("Bègles", 2500)]


def test_the_csv_export_lists_every_purchase_with_its_matching(client, procurement_user, year_2025):
    client.force_login(procurement_user)

    response = client.get(reverse("procurement:spend_purchases_csv", args=[2025]))
    unmatched = client.get(reverse("procurement:spend_purchases_csv", args=[2025]), {"hors_registre": "1"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == PURCHASE_COLUMNS
    assert len(rows) == 1 + 8  # the replaced import is not exported
    assert rows[1][3:6] == ["Structure de l’ESS du registre", "Recyclerie", "1234,56"]
    assert rows[1][9:] == ["oui", "non", "non"]
    unmatched_rows = list(
        csv.reader(io.StringIO(b"".join(unmatched.streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    assert [row[3] for row in unmatched_rows[1:]] == [
        "SIRET valide, hors registre ESS",
        "SIRET absent ou invalide",
        "SIRET absent ou invalide",
    ]
    assert unmatched["Content-Disposition"] == 'attachment; filename="achats-2025-hors-registre.csv"'


def test_elected_officials_read_the_report_but_not_the_purchase_lines_nor_the_import(client, elected_user, year_2025):
    client.force_login(elected_user)

    assert client.get(reverse("procurement:spend_index")).status_code == 200
    report = client.get(reverse("procurement:spend_report", args=[2025]))
    assert report.status_code == 200
    assert "achats.csv" not in report.content.decode()
    assert "Importer" not in report.content.decode()
    assert client.get(reverse("procurement:spend_export", args=[2025])).status_code == 200
    assert client.get(reverse("procurement:spend_unmatched", args=[2025])).status_code == 403
    assert client.get(reverse("procurement:spend_purchases_csv", args=[2025])).status_code == 403
    assert client.get(reverse("procurement:spend_import")).status_code == 403


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PARTNER])
def test_applicants_and_partners_see_nothing(client, user_with_role, role, year_2025):
    client.force_login(user_with_role(role))
    assert client.get(reverse("procurement:spend_index")).status_code == 403
    for name in ("spend_report", "spend_unmatched", "spend_export", "spend_purchases_csv"):
        assert client.get(reverse(f"procurement:{name}", args=[2025])).status_code == 403


@pytest.mark.parametrize("role", [Role.PROCUREMENT, Role.STAFF, Role.ADMIN])
def test_buyers_staff_and_admins_see_everything(client, user_with_role, role, year_2025):
    client.force_login(user_with_role(role))
    assert client.get(reverse("procurement:spend_index")).status_code == 200
    for name in ("spend_report", "spend_unmatched", "spend_export", "spend_purchases_csv"):
        assert client.get(reverse(f"procurement:{name}", args=[2025])).status_code == 200


def add_purchases(purchase_import, count):
    for number in range(count):
        actor = ActorFactory(filieres=[FiliereFactory()]) if number % 2 else None
        PurchaseFactory(purchase_import=purchase_import, actor=actor, buying_direction=f"Direction {number}")
        PurchaseFactory(purchase_import=purchase_import, siret_match=SiretMatch.MALFORMED, supplier_siret=f"x{number}")


@pytest.mark.parametrize(
    ("url_name", "args", "queries"),
    [
        # session, user, roles; years (one grouped query), history count and page, imports running
        ("procurement:spend_index", [], 7),
        # session, user, roles; the import, summary, directions, filières (2), communes
        ("procurement:spend_report", [2025], 9),
        # session, user, roles; the import, count and page
        ("procurement:spend_unmatched", [2025], 6),
    ],
)
def test_report_pages_run_the_same_number_of_queries_whatever_the_number_of_purchases(
    client, procurement_user, year_2025, django_assert_num_queries, url_name, args, queries
):
    client.force_login(procurement_user)
    PurchaseImportFactory(year=2024)  # one more row in the history
    url = reverse(url_name, args=args)
    for extra in (0, 60):
        add_purchases(year_2025, extra)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_the_demo_purchases_are_imported_once(db, reference_data):
    from tests.accounts.factories import UserFactory

    buyer = UserFactory(role=Role.PROCUREMENT)
    first = load_spend_demo(by=buyer)
    second = load_spend_demo(by=buyer)

    assert first == second
    assert PurchaseImport.objects.count() == 1
    assert (first.year, first.row_count) == (2025, 39)
    assert Purchase.objects.count() == 39
    # Without the demo registry every supplier is outside it, but none is lost.
    assert Purchase.objects.filter(siret_match=SiretMatch.MALFORMED).count() == 3
