"""Building blocks for the static SVG charts of the city's sites (programme docs, transparency).

Charts are drawn once at build time: no chart library, no script in the reader's browser.
Every chart is one ``<figure>``: the SVG (``role="img"`` with ``<title>`` and ``<desc>`` for
screen readers), a caption, and the same numbers as a table behind a ``<details>``, so nothing
is said by colour or shape alone. Text uses ``currentColor`` so charts follow the light and
dark palettes. The site-specific charts live with their sites and share these pieces.
"""

from __future__ import annotations

from html import escape

__all__ = ["svg_open", "html_table", "figure_html", "FONT"]

FONT = 'font-family="inherit" font-size="13"'


def svg_open(chart_id: str, width: int, height: int, title: str, desc: str, *, css_class: str) -> str:
    """The opening ``<svg>`` with its accessible title and description."""
    return (
        f'<svg class="{css_class}" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def html_table(headers: list[str], rows: list[list[str]], *, numeric: set[int], number_class: str) -> str:
    """An HTML table (cells already escaped, headers escaped here); numeric columns carry
    ``number_class`` so the site's CSS aligns them right."""

    def cell(tag: str, i: int, content: str) -> str:
        align = f' class="{number_class}"' if i in numeric else ""
        scope = ' scope="col"' if tag == "th" else ""
        return f"<{tag}{scope}{align}>{content}</{tag}>"

    head = "".join(cell("th", i, escape(h)) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>{body}</tbody>\n</table>"


def figure_html(svg: str, caption: str, table: str, *, css_class: str, summary: str, attrs: str = "") -> str:
    """One chart figure; ``caption`` is already escaped; ``attrs`` are extra attributes of the
    ``<figure>`` (e.g. ``data-search-exclude``). No blank lines inside, so Markdown sees one
    raw HTML block."""
    return (
        f'<figure class="{css_class}"{attrs}>\n'
        f"{svg}\n"
        f"<figcaption>{caption}</figcaption>\n"
        f'<details class="{css_class}__data">\n'
        f"<summary>{escape(summary)}</summary>\n"
        f"{table}\n"
        "</details>\n"
        "</figure>"
    )
