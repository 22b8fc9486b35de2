"""The dashboard's SVG charts (ess_portal/charts.py), the same markup the PDF indicator report embeds."""

import re
from decimal import Decimal

import pytest

from ess_portal.charts import ProgressItem, Series, horizontal_bar_chart, progress_chart

ZERO = Decimal("0")


def test_horizontal_bars_are_an_accessible_svg_with_one_bar_per_non_zero_value_and_escaped_labels():
    svg = horizontal_bar_chart(
        title="Budget 2024 par ligne",
        description="Voté et engagé",
        categories=["Soutiens <directs> & projets", "Cotisations"],
        series=[Series("Voté", [Decimal("145000"), Decimal("5031")]), Series("Engagé", [Decimal("72500"), ZERO])],
    )

    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and re.search(r'aria-labelledby="chart-(\w+)-title chart-\1-desc"', svg)
    assert "<title id=" in svg and "Budget 2024 par ligne" in svg
    assert svg.count("<rect") == 3 + 2  # three non-zero bars, two legend swatches
    assert "Soutiens &lt;directs&gt; &amp; projets" in svg and "<directs>" not in svg
    assert "Engagé, Soutiens &lt;directs&gt; &amp; projets : 72\xa0500\xa0€" in svg
    # The longest bar reaches the axis maximum chosen by the chart (150 000 €), the others in proportion.
    widths = [float(w) for w in re.findall(r'<rect x="300" y="[\d.]+" width="([\d.]+)" height="12"', svg)]
    assert widths == [
        pytest.approx(368 * 145000 / 150000, abs=0.05),
        pytest.approx(368 * 72500 / 150000, abs=0.05),
        pytest.approx(368 * 5031 / 150000, abs=0.05),
    ]


def test_a_long_category_is_shortened_with_its_full_label_kept_for_readers():
    label = "Soutien à l’entrepreneuriat « conventionnel » hors plan ESS"
    svg = horizontal_bar_chart(title="t", description="d", categories=[label], series=[Series("Voté", [Decimal(1)])])
    assert f"<title>{label}</title>" in svg
    assert re.search(r">Soutien à l’entrepreneuriat[^<]*…</text>", svg)


def test_progress_bars_stop_at_100_percent_and_say_the_real_figure():
    svg = progress_chart(
        title="Indicateurs",
        description="Part de la cible",
        items=[
            ProgressItem("Au-delà de la cible", Decimal("132.5"), "132,5 %"),
            ProgressItem("À moitié", 50, "50 %"),
            ProgressItem("Sans cible", None, "non mesuré"),
        ],
    )
    plot_width = 760 - 300 - 120
    bars = re.findall(r'<rect x="300" y="[\d.]+" width="([\d.]+)" height="14" fill="(#[0-9a-f]+)">', svg)
    assert [float(width) for width, _ in bars] == [plot_width, plot_width / 2]  # no bar for « Sans cible »
    assert svg.count('fill="#eceeed"') == 3  # one 0–100 % track per row
    assert "132,5 %" in svg and "non mesuré" in svg
    assert 'role="img"' in svg and "<desc id=" in svg


def test_a_measured_indicator_without_a_target_reads_sans_cible_not_non_mesure():
    from programme.dashboard import IndicatorFigures, _achievement_label

    measured = IndicatorFigures("a", "A", "activity", "Activité", "structures", target=None, value=Decimal("3"))
    missing = IndicatorFigures("b", "B", "activity", "Activité", "structures", target=Decimal("3"), value=None)
    assert _achievement_label(measured) == "sans cible"
    assert _achievement_label(missing) == "non mesuré"
