"""Server-side SVG charts: the same markup serves the dashboards and the PDF reports.

Colours are SVG presentation attributes (not inline styles), so the strict CSP and WeasyPrint both accept
them. Every chart must be shown with its data table (RGAA): the chart is decoration for sighted readers.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.crypto import get_random_string
from django.utils.safestring import SafeString

from ess_portal.formatting import format_euros, format_number

PALETTE = ["#0b5e54", "#5aa69b", "#a3470b", "#6b5ca5", "#c9a227", "#3d6fb6"]


@dataclass
class Series:
    label: str
    values: list[Decimal]
    colour: str = ""


@dataclass
class _Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


@dataclass
class _Column:
    label: str
    x_centre: float
    total_label: str
    total_y: float
    bars: list[_Bar] = field(default_factory=list)


def _nice_step(maximum: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^n) so that `ticks` steps cover `maximum`."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def stacked_bar_chart(
    *, title: str, description: str, categories: list[str], series: list[Series], money: bool = True
) -> SafeString:
    """A vertical stacked bar chart, one column per category, one stacked segment per series."""
    width, height = 720, 360
    left, right, top, bottom = 96, 16, 52, 40
    plot_width, plot_height = width - left - right, height - top - bottom
    totals = [sum((s.values[i] for s in series), Decimal(0)) for i in range(len(categories))]
    step = _nice_step(float(max(totals, default=0)))
    axis_max = step * max(1, math.ceil(float(max(totals, default=0)) / step))
    fmt = (lambda v: format_euros(v, 0)) if money else (lambda v: format_number(v))

    slot = plot_width / max(1, len(categories))
    bar_width = min(72.0, slot * 0.6)
    columns = []
    for index, category in enumerate(categories):
        x_centre = left + slot * index + slot / 2
        y_cursor = top + plot_height
        column = _Column(label=category, x_centre=x_centre, total_label=fmt(totals[index]), total_y=0)
        for number, serie in enumerate(series):
            value = float(serie.values[index])
            bar_height = plot_height * value / axis_max if axis_max else 0
            y_cursor -= bar_height
            column.bars.append(
                _Bar(
                    x=x_centre - bar_width / 2,
                    y=y_cursor,
                    width=bar_width,
                    height=bar_height,
                    colour=serie.colour or PALETTE[number % len(PALETTE)],
                    label=f"{serie.label}, {category} : {fmt(serie.values[index])}",
                )
            )
        column.total_y = y_cursor - 6
        columns.append(column)

    tick_count = int(round(axis_max / step)) if step else 0
    ticks = [
        {"y": top + plot_height - plot_height * i / tick_count, "label": fmt(Decimal(str(step * i)))}
        for i in range(tick_count + 1)
    ]
    legend, x = [], float(left)
    for number, serie in enumerate(series):
        legend.append({"x": x, "label": serie.label, "colour": serie.colour or PALETTE[number % len(PALETTE)]})
        x += 32 + 7.2 * len(serie.label)
    return SafeString(
        render_to_string(
            "charts/stacked_bar_chart.svg",
            {
                "uid": get_random_string(8),
                "title": title,
                "description": description,
                "width": width,
                "height": height,
                "left": left,
                "plot_right": width - right,
                "axis_y": top + plot_height,
                "columns": columns,
                "ticks": ticks,
                "legend": legend,
            },
        )
    )
