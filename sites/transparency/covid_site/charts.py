"""The transparency site's charts: daily lines over time and horizontal bars, as static SVG.

Built on :mod:`sites.charts` (figure, accessible title and description, data table). Long
daily series are drawn in full but tabulated per week, with the daily figures in the open data
CSV the caption links to: a 1,000-row table helps nobody on a phone. Point coordinates are
written ``x,y`` with one decimal: no run of digits in a chart can look like an identifier to
the leak check.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import NamedTuple, Sequence

from sites.charts import FONT, figure_html, html_table, svg_open

__all__ = ["data_table", "Line", "Bar", "line_chart", "bar_chart", "format_int", "format_rupiah", "format_date", "format_month"]

_WIDTH = 780
_CSS = "covid-chart"
_SUMMARY = "Data grafik dalam bentuk tabel"
# Material's search indexes text without the markup between table cells and SVG labels, so
# "1.234" and "5.678" in neighbouring cells become "1.2345.678": figures would be noise in
# search, and a long enough glued run would look like an identifier to the leak check.
_NOT_SEARCHED = " data-search-exclude"
MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()
COLOURS = ("#00796b", "#b45309", "#1565c0", "#c62828", "#6d6d6d")


class Line(NamedTuple):
    label: str
    values: Sequence[float | None]  # one per date; None leaves a gap
    colour: str
    dashed: bool = False


class Bar(NamedTuple):
    label: str
    value: int
    text: str  # written after the bar, e.g. "1.234 penerima"


def format_int(value: float) -> str:
    return f"{round(value):,}".replace(",", ".")


def format_rupiah(value: int) -> str:
    return "Rp" + format_int(value)


def format_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_month(periode: str) -> str:
    """``"2020-04"`` -> ``"April 2020"``; anything else as it is."""
    try:
        year, month = periode.split("-")
        return f"{MONTHS[int(month) - 1]} {int(year)}"
    except (ValueError, IndexError):
        return periode


def data_table(headers: list[str], rows: list[list[str]], *, numeric_from: int = 1) -> str:
    """A table of figures (cells already escaped), kept out of the site search like the charts."""
    table = html_table(headers, rows, numeric=set(range(numeric_from, len(headers))), number_class="covid-number")
    return f'<div class="covid-table"{_NOT_SEARCHED}>{table}</div>'


def _nice_step(top: float, ticks: int = 5) -> float:
    raw = max(top / ticks, 1)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= raw:
            return step * magnitude
    return 10 * magnitude


def line_chart(dates: Sequence[date], lines: Sequence[Line], *, chart_id: str, title: str, desc: str,
               caption_html: str, table_headers: list[str], table_rows: list[list[str]]) -> str:
    """Lines over days with a y axis in round steps and a label at the first of some months."""
    left, right, top, bottom = 70, 16, 16, 52
    height = 300
    plot_w, plot_h = _WIDTH - left - right, height - top - bottom
    top_value = max((v for line in lines for v in line.values if v is not None), default=0) or 1
    step = _nice_step(top_value)
    y_max = step * -(-top_value // step)
    n = max(len(dates) - 1, 1)

    def x(i: int) -> float:
        return left + plot_w * i / n

    def y(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    parts = [svg_open(chart_id, _WIDTH, height, title, desc, css_class=f"{_CSS}__svg")]
    tick = 0.0
    while tick <= y_max:
        parts.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{_WIDTH - right}" y2="{y(tick):.1f}" '
                     'stroke="currentColor" stroke-opacity="0.15"/>'
                     f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="currentColor" {FONT}>'
                     f"{format_int(tick)}</text>")
        tick += step
    months = [i for i, d in enumerate(dates) if d.day == 1]
    every = max(1, -(-len(months) // 8))
    for i in months[::every]:
        d = dates[i]
        parts.append(f'<line x1="{x(i):.1f}" y1="{top}" x2="{x(i):.1f}" y2="{top + plot_h}" '
                     'stroke="currentColor" stroke-opacity="0.1"/>'
                     f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="currentColor" '
                     f'{FONT}>{MONTHS[d.month - 1][:3]} {d.year}</text>')
    for line in lines:
        segments, current = [], []
        for i, v in enumerate(line.values):
            if v is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(f"{x(i):.1f},{y(v):.1f}")
        if current:
            segments.append(current)
        dash = ' stroke-dasharray="6,4"' if line.dashed else ""
        for points in segments:
            parts.append(f'<polyline fill="none" stroke="{line.colour}" stroke-width="2"{dash} '
                         f'points="{" ".join(points)}"/>')
    legend_x = left
    for line in lines:
        dash = ' stroke-dasharray="6,4"' if line.dashed else ""
        parts.append(f'<line x1="{legend_x}" y1="{height - 12}" x2="{legend_x + 24}" y2="{height - 12}" '
                     f'stroke="{line.colour}" stroke-width="3"{dash}/>'
                     f'<text x="{legend_x + 30}" y="{height - 8}" fill="currentColor" {FONT}>'
                     f"{escape(line.label)}</text>")
        legend_x += 48 + 8 * len(line.label)
    parts.append("</svg>")
    table = html_table(table_headers, table_rows, numeric=set(range(1, len(table_headers))),
                       number_class="covid-number")
    return figure_html("".join(parts), caption_html, table, css_class=_CSS, summary=_SUMMARY, attrs=_NOT_SEARCHED)


def bar_chart(bars: Sequence[Bar], *, chart_id: str, title: str, desc: str, caption_html: str,
              table_headers: list[str], table_rows: list[list[str]], colour: str = COLOURS[0]) -> str:
    """Horizontal bars, one per row, the value written after each bar."""
    label_w, bar_left, bar_w, row_h, top = 190, 200, 330, 30, 10
    height = top + row_h * len(bars) + 10
    most = max((b.value for b in bars), default=0) or 1
    parts = [svg_open(chart_id, _WIDTH, height, title, desc, css_class=f"{_CSS}__svg")]
    for row, bar in enumerate(bars):
        y0 = top + row * row_h
        width = bar_w * bar.value / most
        parts.append(
            f'<g><title>{escape(bar.label)}: {escape(bar.text)}</title>'
            f'<text x="{label_w}" y="{y0 + 19}" text-anchor="end" fill="currentColor" {FONT}>'
            f"{escape(bar.label)}</text>"
            f'<rect x="{bar_left}" y="{y0 + 6}" width="{bar_w}" height="18" fill="currentColor" fill-opacity="0.08"/>'
            f'<rect x="{bar_left}" y="{y0 + 6}" width="{width:.1f}" height="18" fill="{colour}"/>'
            f'<text x="{bar_left + bar_w + 8}" y="{y0 + 19}" fill="currentColor" {FONT}>{escape(bar.text)}</text></g>'
        )
    parts.append("</svg>")
    table = html_table(table_headers, table_rows, numeric=set(range(1, len(table_headers))),
                       number_class="covid-number")
    return figure_html("".join(parts), caption_html, table, css_class=_CSS, summary=_SUMMARY, attrs=_NOT_SEARCHED)
