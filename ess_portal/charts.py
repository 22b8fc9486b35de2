"""Server-side SVG charts: the same markup serves the dashboards and the PDF reports.

Colours are SVG presentation attributes (not inline styles), so the strict CSP and WeasyPrint both accept
them. Every chart must be shown with its data table (RGAA): the chart is decoration for sighted readers.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.crypto import get_random_string
from django.utils.html import escape
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


def _money_or_number(money: bool):
    return (lambda v: format_euros(v, 0)) if money else (lambda v: format_number(v))


def _shorten(label: str, limit: int) -> str:
    """Category labels sit in a fixed margin: long ones are cut (the full label is in their <title>)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _n(value: float) -> str:
    """A coordinate with one decimal, as SVG wants it (a dot, no thousands separator)."""
    return f"{value:.1f}".removesuffix(".0")


def _svg(*, width: float, height: float, title: str, description: str, body: list[str]) -> SafeString:
    """The accessible SVG root: role="img", labelled by its <title> and described by its <desc>.

    The charts below write their markup directly (every text escaped) rather than through a template: a dashboard
    draws six of them, and the template engine was the larger part of the page's time."""
    uid = get_random_string(8)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" role="img" '
        f'aria-labelledby="chart-{uid}-title chart-{uid}-desc" font-family="system-ui, sans-serif" font-size="12">'
        f'<title id="chart-{uid}-title">{escape(title)}</title>'
        f'<desc id="chart-{uid}-desc">{escape(description)}</desc>'
    )
    return SafeString(head + "".join(body) + "</svg>")


def _category_label(x: float, y: float, label: str, limit: int = 42) -> str:
    short = _shorten(label, limit)
    tooltip = f"<title>{escape(label)}</title>" if short != label else ""
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="end" fill="#1e1e1e">{tooltip}{escape(short)}</text>'


def _legend(series: list[Series], *, x: float) -> list[dict]:
    legend = []
    for number, serie in enumerate(series):
        legend.append({"x": x, "label": serie.label, "colour": serie.colour or PALETTE[number % len(PALETTE)]})
        x += 32 + 7.2 * len(serie.label)
    return legend


def horizontal_bar_chart(
    *, title: str, description: str, categories: list[str], series: list[Series], money: bool = True
) -> SafeString:
    """Horizontal grouped bars: one band per category (budget line, filière, commune…), one bar per series
    (voted, committed, paid…) with its value written at the end of the bar. Grows in height with the categories."""
    width, label_width, right = 760, 300, 92
    bar_height, bar_gap, band_padding = 12, 2, 14
    top, bottom = 40, 28
    plot_width = width - label_width - right
    band_height = len(series) * bar_height + (len(series) - 1) * bar_gap + band_padding
    plot_height = band_height * max(1, len(categories))
    axis_y = top + plot_height
    maximum = float(max((value for serie in series for value in serie.values), default=0))
    step = _nice_step(maximum)
    axis_max = step * max(1, math.ceil(maximum / step))
    fmt = _money_or_number(money)

    body = []
    for i in range(int(round(axis_max / step)) + 1):
        x = label_width + plot_width * i * step / axis_max
        body.append(
            f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{top}" y2="{axis_y}" stroke="#d6dbd9" stroke-width="1"/>'
            f'<text x="{_n(x)}" y="{axis_y + 16}" text-anchor="middle" fill="#444" font-size="11">'
            f"{escape(fmt(Decimal(str(step * i))))}</text>"
        )
    for index, category in enumerate(categories):
        band_top = top + band_height * index + band_padding / 2
        body.append("<g>")
        body.append(_category_label(label_width - 8, band_top + (band_height - band_padding) / 2 + 4, category))
        for number, serie in enumerate(series):
            value = serie.values[index]
            bar_width = plot_width * float(value) / axis_max
            y = band_top + number * (bar_height + bar_gap)
            colour = serie.colour or PALETTE[number % len(PALETTE)]
            if bar_width > 0:
                body.append(
                    f'<rect x="{label_width}" y="{_n(y)}" width="{_n(bar_width)}" height="{bar_height}" '
                    f'fill="{colour}"><title>{escape(serie.label)}, {escape(category)} : {escape(fmt(value))}</title>'
                    "</rect>"
                )
            body.append(
                f'<text x="{_n(label_width + bar_width + 4)}" y="{_n(y + bar_height - 2)}" fill="#333" '
                f'font-size="10">{escape(fmt(value))}</text>'
            )
        body.append("</g>")
    for item in _legend(series, x=label_width):
        body.append(
            f'<rect x="{_n(item["x"])}" y="8" width="14" height="14" fill="{item["colour"]}"/>'
            f'<text x="{_n(item["x"] + 20)}" y="19" fill="#1e1e1e">{escape(item["label"])}</text>'
        )
    body.append(
        f'<line x1="{label_width}" x2="{label_width}" y1="{top}" y2="{axis_y}" stroke="#555" stroke-width="1"/>'
    )
    return _svg(width=width, height=axis_y + bottom, title=title, description=description, body=body)


@dataclass
class ProgressItem:
    """One row of a progress chart: `percent` may exceed 100 (an indicator above its target) or be None (not
    measurable: no target, no value); `value_label` is written after the bar."""

    label: str
    percent: Decimal | int | None
    value_label: str
    colour: str = ""


def progress_chart(*, title: str, description: str, items: list[ProgressItem]) -> SafeString:
    """Horizontal progress bars on a 0–100 % track, one row per item (plan axes and actions, indicators vs
    target). The bar stops at 100 %; the label says the real figure (e.g. 132 %)."""
    width, label_width, right = 760, 300, 120
    row_height, bar_height, top, bottom = 26, 14, 12, 26
    plot_width = width - label_width - right
    axis_y = top + row_height * max(1, len(items))
    body = []
    for i in range(5):
        x = label_width + plot_width * i / 4
        dash = ' stroke-dasharray="4 3"' if i == 4 else ""
        body.append(
            f'<line x1="{_n(x)}" x2="{_n(x)}" y1="8" y2="{axis_y}" stroke="#d6dbd9" stroke-width="1"{dash}/>'
            f'<text x="{_n(x)}" y="{axis_y + 16}" text-anchor="middle" fill="#444" font-size="11">'
            f"{25 * i}\u00a0%</text>"
        )
    for index, item in enumerate(items):
        y = top + row_height * index + (row_height - bar_height) / 2
        text_y = y + bar_height - 3
        percent = float(item.percent) if item.percent is not None else None
        bar_width = plot_width * min(max(percent, 0), 100) / 100 if percent is not None else 0
        colour = item.colour or PALETTE[1]
        body.append("<g>")
        body.append(_category_label(label_width - 8, text_y, item.label))
        body.append(f'<rect x="{label_width}" y="{_n(y)}" width="{plot_width}" height="{bar_height}" fill="#eceeed"/>')
        if bar_width > 0:
            body.append(
                f'<rect x="{label_width}" y="{_n(y)}" width="{_n(bar_width)}" height="{bar_height}" fill="{colour}">'
                f"<title>{escape(item.label)} : {escape(item.value_label)}</title></rect>"
            )
        body.append(
            f'<text x="{label_width + plot_width + 6}" y="{_n(text_y)}" fill="#1e1e1e" font-weight="700">'
            f"{escape(item.value_label)}</text>"
        )
        body.append("</g>")
    body.append(f'<line x1="{label_width}" x2="{label_width}" y1="8" y2="{axis_y}" stroke="#555" stroke-width="1"/>')
    return _svg(width=width, height=axis_y + bottom, title=title, description=description, body=body)
