"""The Markdown of the pages made from the programme data: the pillars overview, one page per
pillar, and the action plans overview with its progress chart.

These pages are generated at every build so that a number appears in exactly one place (the
data file) and the site can never disagree with it. Text written by city staff is escaped:
the data file is content, not HTML.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from html import escape

from sites.programme.charts import progress_chart, status_chart
from sites.programme.data import STATUSES, ActionPlan, Pillar, ProgrammeData

__all__ = [
    "PILLARS_INDEX",
    "ACTION_PLANS_PAGE",
    "pillar_path",
    "pillars_index_page",
    "pillar_page",
    "action_plans_page",
    "with_action_plan_box",
]

PILLARS_INDEX = "pilar/index.md"
ACTION_PLANS_PAGE = "rencana-aksi.md"

_MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()
)


def pillar_path(pillar: Pillar) -> str:
    return f"pilar/{pillar.slug}.md"


def pillars_index_page(data: ProgrammeData) -> str:
    lines = [
        "# Enam Pilar Smart City",
        "",
        "Program smart city Kota Samarinda disusun dalam enam pilar. Setiap pilar memuat "
        "beberapa program, dan setiap program dijalankan melalui rencana aksi yang dipimpin "
        "oleh satu perangkat daerah (OPD).",
        "",
        _as_of_note(data),
        "",
        "| Pilar | Fokus | Program | Rencana aksi |",
        "|---|---|---:|---:|",
    ]
    for pillar in data.pillars:
        link = posixpath.relpath(pillar_path(pillar), posixpath.dirname(PILLARS_INDEX))
        lines.append(
            f"| [{_cell(pillar.name)}]({link}) | {_cell(pillar.subtitle)} | "
            f"{len(pillar.programmes)} | {len(data.plans_of(pillar=pillar.slug))} |"
        )
    lines += [
        "",
        "## Status rencana aksi per pilar",
        "",
        status_chart(
            data,
            chart_id="grafik-status-pilar",
            title="Jumlah rencana aksi per pilar menurut status",
            caption=f"Jumlah rencana aksi per pilar menurut status, keadaan per {_date(data)}.",
        ),
        "",
    ]
    return "\n".join(lines)


def pillar_page(data: ProgrammeData, pillar: Pillar) -> str:
    here = pillar_path(pillar)
    plans = data.plans_of(pillar=pillar.slug)
    lines = [
        f"# {pillar.name}",
        "",
        f"**{_text(pillar.subtitle)}**",
        "",
        _text(pillar.description),
        "",
        _as_of_note(data),
        "",
        _status_summary(plans),
        "",
    ]
    for programme in pillar.programmes:
        lines += [f"## {_text(programme.name)}", "", _text(programme.description), ""]
        programme_plans = data.plans_of(pillar=pillar.slug, programme=programme.id)
        if programme_plans:
            lines += [_plans_table(programme_plans, here=here), ""]
        else:
            lines += ["_Belum ada rencana aksi untuk program ini._", ""]
    link = posixpath.relpath(ACTION_PLANS_PAGE, posixpath.dirname(here))
    lines += [f"Lihat juga [semua rencana aksi dan grafik progresnya]({link}).", ""]
    return "\n".join(lines)


def action_plans_page(data: ProgrammeData) -> str:
    plans = list(data.action_plans)
    lines = [
        "# Rencana Aksi",
        "",
        "Semua rencana aksi program smart city, dikelompokkan per pilar, dengan status dan "
        "progresnya. Halaman ini dibuat otomatis dari berkas data program setiap kali situs "
        "dibangun, sehingga angka di sini selalu sama dengan data yang dikelola perangkat daerah.",
        "",
        _as_of_note(data),
        "",
        "## Ringkasan",
        "",
        "| Status | Jumlah rencana aksi |",
        "|---|---:|",
    ]
    counts = Counter(plan.status for plan in plans)
    lines += [f"| {label} | {counts[status]} |" for status, label in STATUSES.items()]
    lines += [f"| **Jumlah** | **{len(plans)}** |", ""]
    lines += [
        "## Grafik progres",
        "",
        progress_chart(
            plans,
            chart_id="grafik-progres-rencana-aksi",
            title="Progres rencana aksi smart city Kota Samarinda",
            caption=(
                f"Progres setiap rencana aksi dalam persen, keadaan per {_date(data)}. "
                "Batang bergaris menandai angka perkiraan."
            ),
        ),
        "",
        "## Daftar per pilar",
        "",
    ]
    for pillar in data.pillars:
        pillar_plans = data.plans_of(pillar=pillar.slug)
        link = posixpath.relpath(pillar_path(pillar), posixpath.dirname(ACTION_PLANS_PAGE))
        lines += [f"### [{_text(pillar.name)}]({link})", ""]
        if pillar_plans:
            lines += [_plans_table(pillar_plans, here=ACTION_PLANS_PAGE), ""]
        else:
            lines += ["_Belum ada rencana aksi._", ""]
    lines += [
        "## Arti status",
        "",
        "| Status | Artinya |",
        "|---|---|",
        "| Selesai | Hasilnya sudah dibangun dan dipakai; progres 100%. |",
        "| Berjalan | Pekerjaan sedang dilaksanakan. Angka bertanda ± adalah perkiraan, "
        "bukan angka resmi. |",
        "| Direncanakan | Sudah diputuskan, belum dimulai; progres 0%. |",
        "| Tertunda | Dimulai, lalu dihentikan sementara; catatan menyebut alasannya. |",
        "",
    ]
    return "\n".join(lines)


def with_action_plan_box(markdown: str, data: ProgrammeData, *, here: str) -> str:
    """A hand-written page (an application's page) with a box of the action plans that name
    it in their ``page`` field, placed under its title: status and progress come from the data
    file, so the prose never has to repeat them."""
    plans = [plan for plan in data.action_plans if plan.page == here]
    if not plans:
        return markdown
    lines = ['!!! abstract "Rencana aksi"']
    for plan in plans:
        pillar = data.pillar(plan.pillar)
        pillar_link = posixpath.relpath(pillar_path(pillar), posixpath.dirname(here))
        plan_link = posixpath.relpath(ACTION_PLANS_PAGE, posixpath.dirname(here)) + f"#{plan.id.lower()}"
        lead = _cell(plan.lead_agency) + (f" bersama {_cell(', '.join(plan.partners))}" if plan.partners else "")
        progress = f"±{plan.progress}% (perkiraan)" if plan.progress_estimated else f"{plan.progress}%"
        lines.append(
            f"    - [{plan.id}]({plan_link}) {_cell(plan.title)}: **{plan.status_label}**, {progress}; "
            f"pilar [{_cell(pillar.name)}]({pillar_link}); {lead}; tahun {_years(plan)}."
        )
    box = "\n".join(lines)
    head, sep, rest = markdown.partition("\n")
    if head.startswith("# "):
        return f"{head}\n\n{box}\n{rest}"
    return f"{box}\n\n{markdown}"


def _plans_table(plans: list[ActionPlan], *, here: str) -> str:
    # The wrapper (md_in_html) lets the stylesheet size these columns without touching
    # other tables.
    rows = [
        '<div class="programme-plans" markdown>',
        "",
        "| Kode | Rencana aksi | OPD penanggung jawab | Tahun | Status dan progres |",
        "|---|---|---|---|---|",
    ]
    for plan in plans:
        title = _cell(plan.title)
        if plan.page:
            title = f"[{title}]({posixpath.relpath(plan.page, posixpath.dirname(here))})"
        if plan.notes:
            title += f"<br><small>{_cell(plan.notes)}</small>"
        agency = _cell(plan.lead_agency)
        if plan.partners:
            agency += f"<br><small>bersama {_cell(', '.join(plan.partners))}</small>"
        rows.append(
            f'| <span id="{plan.id.lower()}">{plan.id}</span> | {title} | {agency} | {_years(plan)} | '
            f'<span class="programme-status programme-status--{plan.status}">{plan.status_label}</span>'
            f"<br>{_progress(plan)} |"
        )
    rows += ["", "</div>"]
    return "\n".join(rows)


def _progress(plan: ActionPlan) -> str:
    number = f"±{plan.progress}%" if plan.progress_estimated else f"{plan.progress}%"
    return (
        # The bar repeats the number written next to it, so screen readers skip it.
        f'<span class="programme-progress-value"><progress class="programme-progress" max="100" '
        f'value="{plan.progress}" aria-hidden="true"></progress> {number}</span>'
        + ("<br><small>perkiraan</small>" if plan.progress_estimated else "")
    )


def _status_summary(plans: list[ActionPlan]) -> str:
    if not plans:
        return "Pilar ini belum memiliki rencana aksi."
    counts = Counter(plan.status for plan in plans)
    parts = [f"{counts[s]} {label.lower()}" for s, label in STATUSES.items() if counts[s]]
    return f"Pilar ini memiliki {len(plans)} rencana aksi: {', '.join(parts)}."


def _years(plan: ActionPlan) -> str:
    start, target = plan.start_year, plan.target_year
    if start and target:
        return str(start) if start == target else f"{start}–{target}"
    if start:
        return f"sejak {start}"
    if target:
        return f"target {target}"
    return "–"


def _as_of_note(data: ProgrammeData) -> str:
    return (
        f'!!! info "Keadaan per {_date(data)}"\n'
        f"    Sumber: {_text(data.source)}"
    )


def _date(data: ProgrammeData) -> str:
    d = data.as_of
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _text(text: str) -> str:
    """Staff text as Markdown paragraph content: HTML is shown, not interpreted."""
    return escape(text, quote=False)


def _cell(text: str) -> str:
    """Staff text inside a Markdown table cell: also no line breaks or column separators."""
    return _text(" ".join(text.split())).replace("|", "\\|")
