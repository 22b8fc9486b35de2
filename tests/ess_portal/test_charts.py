from decimal import Decimal

from ess_portal.charts import Series, stacked_bar_chart


def test_stacked_bar_chart_is_an_accessible_svg_with_one_bar_per_non_zero_value():
    svg = stacked_bar_chart(
        title="Budget voté",
        description="Deux années",
        categories=["2022", "2023"],
        series=[
            Series("Fonctionnement", [Decimal("491031"), Decimal("571031")]),
            Series("Investissement", [Decimal("750000"), Decimal("0")]),
        ],
    )
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "<title" in svg and "Budget voté" in svg
    assert svg.count("<rect") == 3 + 2  # three non-zero bars, two legend swatches
    assert "1\u00a0241\u00a0031\u00a0€" in svg  # the 2022 total above its column
    assert "Investissement, 2022 : 750\u00a0000\u00a0€" in svg
