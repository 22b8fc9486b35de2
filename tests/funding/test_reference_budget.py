from decimal import Decimal

import pytest
from django.db.models import Sum

from funding.enums import BudgetSection
from funding.models import BudgetLine

pytestmark = pytest.mark.usefixtures("reference_data")

YEARS = [2022, 2023, 2024, 2025, 2026]


def total(**filters) -> Decimal:
    return BudgetLine.objects.filter(**filters).aggregate(total=Sum("voted_amount"))["total"]


def test_every_budget_line_is_loaded_for_each_year_of_the_plan():
    for year in YEARS:
        lines = BudgetLine.objects.for_year(year)
        assert lines.filter(section=BudgetSection.FONCTIONNEMENT, is_in_plan=True).count() == 6
        assert lines.filter(section=BudgetSection.FONCTIONNEMENT, is_in_plan=False).count() == 3
        assert lines.filter(section=BudgetSection.INVESTISSEMENT).count() == 4
    assert BudgetLine.objects.count() == 13 * len(YEARS)


def test_operating_budget_in_plan_is_491031_in_2022_then_571031():
    assert total(year=2022, section=BudgetSection.FONCTIONNEMENT, is_in_plan=True) == Decimal("491031.00")
    for year in YEARS[1:]:
        assert total(year=year, section=BudgetSection.FONCTIONNEMENT, is_in_plan=True) == Decimal("571031.00")


def test_operating_budget_out_of_plan_is_378800_every_year():
    for year in YEARS:
        assert total(year=year, section=BudgetSection.FONCTIONNEMENT, is_in_plan=False) == Decimal("378800.00")


def test_whole_2022_operating_budget_is_869831():
    assert total(year=2022, section=BudgetSection.FONCTIONNEMENT) == Decimal("869831.00")


def test_investment_budget_follows_the_projection():
    expected = {2022: "750000", 2023: "2020000", 2024: "1020000", 2025: "1020000", 2026: "1020000"}
    for year, amount in expected.items():
        assert total(year=year, section=BudgetSection.INVESTISSEMENT) == Decimal(amount)


def test_queryset_totals_match_the_plan():
    totals = {
        (row["year"], row["section"], row["is_in_plan"]): row["total"]
        for row in BudgetLine.objects.totals_by_year_and_section()
    }

    assert totals[(2022, BudgetSection.FONCTIONNEMENT, True)] == Decimal("491031")
    assert totals[(2023, BudgetSection.INVESTISSEMENT, True)] == Decimal("2020000")
    assert BudgetLine.objects.for_year(2026).in_plan().total_voted() == Decimal("1591031")


def test_zero_amount_lines_are_still_lines():
    studies_2022 = BudgetLine.objects.get(year=2022, code="etudes-communication")
    fonciere_2024 = BudgetLine.objects.get(year=2024, code="capitalisation-fonciere-solidaire")

    assert studies_2022.label == "Études et frais de communication"
    assert studies_2022.voted_amount == Decimal("0")
    assert fonciere_2024.voted_amount == Decimal("0")
    assert BudgetLine.objects.get(year=2023, code="capitalisation-fonciere-solidaire").voted_amount == Decimal(
        "1000000"
    )


def test_amounts_are_decimals_in_euros():
    line = BudgetLine.objects.get(year=2022, code="cotisations")

    assert isinstance(line.voted_amount, Decimal)
    assert line.voted_amount == Decimal("5031.00")
