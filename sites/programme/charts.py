"""Charts as static inline SVG, drawn by our own code.

A chart library would mean shipping (or fetching) JavaScript and drawing in the reader's
browser; the programme's figures change a few times a year, so the build draws them once.
Every chart comes as one ``<figure>``: the SVG (``role="img"`` with ``<title>`` and ``<desc>``
for screen readers), a caption, and the same numbers as a table, so nothing is said by colour
or shape alone. Text uses ``currentColor`` so the chart follows the light and dark palettes.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Iterable, NamedTuple

from sites.charts import FONT as _FONT, figure_html, html_table, svg_open
from sites.programme.data import STATUSES, ActionPlan, Pillar, ProgrammeData

__all__ = ["progress_chart", "status_chart"]

# One colour per status, dark enough for white text and distinct for common colour-vision
# deficiencies; the status is also written next to every bar.
STATUS_COLOURS = {
    "selesai": "#1b7f3b",
    "berjalan": "#1565c0",
    "direncanakan": "#6d6d6d",
    "tertunda": "#b45309",
}

_WIDTH = 780
_LABEL_WIDTH = 330
_BAR_LEFT = _LABEL_WIDTH + 10
_BAR_WIDTH = 300
_ROW = 30
_TOP = 34


class _Figure(NamedTuple):
    svg: str
    caption: str
    table: str

    def html(self) -> str:
        return figure_html(self.svg, self.caption, self.table, css_class="programme-chart",
                           summary="Data grafik dalam bentuk tabel")


def progress_chart(plans: Iterable[ActionPlan], *, chart_id: str, title: str, caption: str) -> str:
    """Horizontal bars: the progress of each action plan, coloured and labelled by status.
    Estimated progress is drawn hatched and labelled "perkiraan"."""
    plans = list(plans)
    height = _TOP + _ROW * len(plans) + 40
    counts = Counter(plan.status for plan in plans)
    desc = (
        f"Grafik batang progres {len(plans)} rencana aksi: "
        + _count_sentence(counts)
        + ". "
        + " ".join(
            f"{plan.id} {plan.title}: {_progress_words(plan)}, {plan.status_label.lower()}."
            for plan in plans
        )
    )
    parts = [_svg_open(chart_id, height, title, desc), _hatch_pattern(chart_id), _axis(height - 40)]
    for row, plan in enumerate(plans):
        y = _TOP + row * _ROW
        colour = STATUS_COLOURS[plan.status]
        width = round(_BAR_WIDTH * plan.progress / 100, 1)
        fill = f"url(#{chart_id}-hatch-{plan.status})" if plan.progress_estimated else colour
        label = _truncate(f"{plan.id} {plan.title}", 44)
        value = _progress_words(plan, short=True)
        parts.append(
            f'<g class="programme-chart__row"><title>{escape(plan.id)} {escape(plan.title)}: '
            f"{escape(_progress_words(plan))}, {escape(plan.status_label)}</title>"
            f'<text x="{_LABEL_WIDTH}" y="{y + 19}" text-anchor="end" fill="currentColor" {_FONT}>'
            f"{escape(label)}</text>"
            f'<rect x="{_BAR_LEFT}" y="{y + 6}" width="{_BAR_WIDTH}" height="18" fill="currentColor" '
            'fill-opacity="0.08"/>'
            f'<rect x="{_BAR_LEFT}" y="{y + 6}" width="{width}" height="18" fill="{fill}" '
            f'stroke="{colour}"/>'
            f'<text x="{_BAR_LEFT + _BAR_WIDTH + 8}" y="{y + 19}" fill="currentColor" {_FONT}>'
            f"{escape(value)} · {escape(plan.status_label.lower())}</text></g>"
        )
    parts.append(_legend(height - 14, estimated=any(p.progress_estimated for p in plans), chart_id=chart_id))
    parts.append("</svg>")

    rows = [
        [
            escape(plan.id),
            escape(plan.title),
            escape(plan.status_label),
            escape(_progress_words(plan)),
        ]
        for plan in plans
    ]
    table = _table(["Kode", "Rencana aksi", "Status", "Progres"], rows, numeric={3})
    return _Figure("".join(parts), escape(caption), table).html()


def status_chart(data: ProgrammeData, *, chart_id: str, title: str, caption: str) -> str:
    """Stacked horizontal bars: how many action plans of each pillar are in each status."""
    counts = {
        pillar.slug: Counter(plan.status for plan in data.plans_of(pillar=pillar.slug)) for pillar in data.pillars
    }
    most = max((sum(c.values()) for c in counts.values()), default=0) or 1
    unit = _BAR_WIDTH / most
    height = _TOP + _ROW * len(data.pillars) + 40

    def sentence(pillar: Pillar) -> str:
        return f"{pillar.name}: {_count_sentence(counts[pillar.slug]) or 'belum ada rencana aksi'}."

    desc = "Grafik batang bertumpuk jumlah rencana aksi per pilar menurut status. " + " ".join(
        sentence(pillar) for pillar in data.pillars
    )
    parts = [_svg_open(chart_id, height, title, desc), _count_axis(height - 40, most, unit)]
    for row, pillar in enumerate(data.pillars):
        y = _TOP + row * _ROW
        parts.append(
            f'<g class="programme-chart__row"><title>{escape(sentence(pillar))}</title>'
            f'<text x="{_LABEL_WIDTH}" y="{y + 19}" text-anchor="end" fill="currentColor" {_FONT}>'
            f"{escape(pillar.name)}</text>"
        )
        x = float(_BAR_LEFT)
        for status in STATUSES:
            n = counts[pillar.slug][status]
            if n:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 6}" width="{n * unit:.1f}" height="18" '
                    f'fill="{STATUS_COLOURS[status]}" stroke="#ffffff" stroke-width="1"/>'
                )
                x += n * unit
        total = sum(counts[pillar.slug].values())
        parts.append(
            f'<text x="{x + 8:.1f}" y="{y + 19}" fill="currentColor" {_FONT}>{total}</text></g>'
        )
    parts.append(_legend(height - 14, estimated=False, chart_id=chart_id))
    parts.append("</svg>")

    rows = [
        [escape(pillar.name)]
        + [str(counts[pillar.slug][status]) for status in STATUSES]
        + [str(sum(counts[pillar.slug].values()))]
        for pillar in data.pillars
    ]
    headers = ["Pilar", *STATUSES.values(), "Jumlah"]
    table = _table(headers, rows, numeric=set(range(1, len(headers))))
    return _Figure("".join(parts), escape(caption), table).html()


def _svg_open(chart_id: str, height: int, title: str, desc: str) -> str:
    return svg_open(chart_id, _WIDTH, height, title, desc, css_class="programme-chart__svg")


def _hatch_pattern(chart_id: str) -> str:
    patterns = "".join(
        f'<pattern id="{chart_id}-hatch-{status}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{colour}" fill-opacity="0.35"/>'
        f'<rect width="3" height="6" fill="{colour}"/></pattern>'
        for status, colour in STATUS_COLOURS.items()
    )
    return f"<defs>{patterns}</defs>"


def _axis(bottom: int) -> str:
    """Percent gridlines at 0, 25, 50, 75 and 100 with their labels above the bars."""
    lines = []
    for percent in (0, 25, 50, 75, 100):
        x = _BAR_LEFT + _BAR_WIDTH * percent / 100
        lines.append(
            f'<line x1="{x}" y1="{_TOP - 4}" x2="{x}" y2="{bottom}" stroke="currentColor" '
            'stroke-opacity="0.2"/>'
            f'<text x="{x}" y="{_TOP - 10}" text-anchor="middle" fill="currentColor" {_FONT}>'
            f"{percent}%</text>"
        )
    return "".join(lines)


def _count_axis(bottom: int, most: int, unit: float) -> str:
    step = max(1, round(most / 5))
    lines = []
    for n in range(0, most + 1, step):
        x = _BAR_LEFT + n * unit
        lines.append(
            f'<line x1="{x:.1f}" y1="{_TOP - 4}" x2="{x:.1f}" y2="{bottom}" stroke="currentColor" '
            'stroke-opacity="0.2"/>'
            f'<text x="{x:.1f}" y="{_TOP - 10}" text-anchor="middle" fill="currentColor" {_FONT}>{n}</text>'
        )
    return "".join(lines)


def _legend(y: int, *, estimated: bool, chart_id: str) -> str:
    x = 10
    items = []
    for status, label in STATUSES.items():
        items.append(
            f'<rect x="{x}" y="{y - 11}" width="12" height="12" fill="{STATUS_COLOURS[status]}"/>'
            f'<text x="{x + 16}" y="{y}" fill="currentColor" {_FONT}>{escape(label)}</text>'
        )
        x += 24 + 8 * len(label)
    if estimated:
        items.append(
            f'<rect x="{x}" y="{y - 11}" width="12" height="12" '
            f'fill="url(#{chart_id}-hatch-berjalan)"/>'
            f'<text x="{x + 16}" y="{y}" fill="currentColor" {_FONT}>perkiraan</text>'
        )
    return '<g class="programme-chart__legend">' + "".join(items) + "</g>"


def _table(headers: list[str], rows: list[list[str]], *, numeric: set[int]) -> str:
    """An HTML table (cells already escaped); numeric columns are right-aligned."""
    return html_table(headers, rows, numeric=numeric, number_class="programme-number")


def _progress_words(plan: ActionPlan, *, short: bool = False) -> str:
    if plan.progress_estimated:
        return f"±{plan.progress}%" if short else f"±{plan.progress}% (perkiraan)"
    return f"{plan.progress}%"


def _count_sentence(counts: Counter) -> str:
    return ", ".join(f"{counts[s]} {label.lower()}" for s, label in STATUSES.items() if counts[s])


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
