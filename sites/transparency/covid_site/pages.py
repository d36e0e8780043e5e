"""The Markdown of the generated pages: home, the kecamatan overview, one page per kecamatan
and per kelurahan. The fixed pages (open data, methodology, complaints) are in :mod:`.texts`.

Pages hold sums only. The recipients of a kelurahan reach the browser through the lookup
file alone (:mod:`.lookup`), so no name is ever in a page or in the site-wide search index.
Every text that comes from the data is escaped: it is content, not HTML.
"""

from __future__ import annotations

from html import escape

from commerce.places import Kecamatan, Kelurahan
from sites.transparency.covid_site import texts
from sites.transparency.covid_site.aggregates import BansosSums, CityDay, CovidSeries, Tally
from sites.transparency.covid_site.charts import (
    COLOURS, Bar, Line, bar_chart, data_table, format_date, format_int, format_month, format_rupiah, line_chart,
)
from sites.transparency.covid_site.data import SiteData
from sites.transparency.covid_site.opendata import recipients_csv_path
from sites.transparency.covid_site.lookup import lookup_path

__all__ = ["SitePages", "generate_pages", "kecamatan_path", "kelurahan_path"]

SitePages = dict[str, str]  # src path in docs_dir -> Markdown


def kecamatan_path(kec: Kecamatan) -> str:
    return f"kecamatan/{kec.slug}.md"


def kelurahan_path(kel: Kelurahan) -> str:
    return f"kelurahan/{kel.slug}.md"


def _cell(text: str) -> str:
    return escape(text).replace("|", "&#124;")


def generate_pages(data: SiteData, covid: CovidSeries, bansos: BansosSums, *, empty: bool = False) -> SitePages:
    """Every generated page. ``empty=True`` gives the same pages with titles only (the
    benchmark's reference build)."""
    kec_by_code = {kec.code: kec for kec in data.kecamatan}
    pages: SitePages = {
        "index.md": home_page(data, covid, bansos),
        "kecamatan/index.md": kecamatan_index_page(data, covid, bansos),
        **{kecamatan_path(kec): kecamatan_page(data, kec, covid, bansos) for kec in data.kecamatan},
        **{kelurahan_path(kel): kelurahan_page(data, kel, kec_by_code[kel.kecamatan_code], bansos)
           for kel in data.kelurahan()},
        **texts.fixed_pages(data),
    }
    if empty:
        pages = {path: markdown.split("\n", 1)[0] + "\n" for path, markdown in pages.items()}
    return pages


def _as_of(data: SiteData, covid: CovidSeries) -> str:
    last = covid.last_day
    figures = f" Angka COVID-19 sampai {format_date(last.tanggal)}." if last else ""
    return f'<p class="covid-as-of">Data per {format_date(data.as_of)}.{figures}</p>'


def _figure_box(label: str, value: str) -> str:
    return f'<div class="covid-figure"><span class="covid-figure__value">{value}</span> {escape(label)}</div>'


def _weekly_rows(days: list[CityDay]) -> list[list[str]]:
    """One table row per week, newest first: the week's new cases and the 7-day average."""
    rows = []
    for end in range(len(days) - 1, 0, -7):
        week = [d.baru for d in days[max(1, end - 6):end + 1] if d.baru is not None]
        last = days[end]
        rows.append([format_date(last.tanggal), format_int(sum(week)),
                     format_int(last.rata7 or 0), format_int(last.konfirmasi)])
    return rows


def _daily_chart(days: list[CityDay], *, chart_id: str, where: str) -> str:
    if len(days) < 2:
        return "_Belum ada cukup data harian untuk grafik._"
    dates = [d.tanggal for d in days]
    peak = max(days[1:], key=lambda d: d.rata7 or 0)
    desc = (f"Grafik garis kasus konfirmasi baru per hari di {where} dari {format_date(dates[0])} sampai "
            f"{format_date(dates[-1])}, dengan rata-rata 7 hari. Rata-rata 7 hari tertinggi "
            f"{format_int(peak.rata7 or 0)} kasus per hari pada {format_date(peak.tanggal)}; pada hari terakhir "
            f"{format_int(days[-1].baru or 0)} kasus baru, rata-rata 7 hari {format_int(days[-1].rata7 or 0)}.")
    return line_chart(
        dates, [Line("Kasus baru per hari", [d.baru for d in days], COLOURS[2]),
                Line("Rata-rata 7 hari", [d.rata7 for d in days], COLOURS[1])],
        chart_id=chart_id, title=f"Kasus baru harian di {where}", desc=desc,
        caption_html=(f"Kasus konfirmasi baru per hari dan rata-rata 7 hari di {escape(where)}. Tabel di bawah "
                      "merangkum per minggu; angka harian ada di berkas data terbuka."),
        table_headers=["Minggu sampai", "Kasus baru seminggu", "Rata-rata 7 hari", "Konfirmasi kumulatif"],
        table_rows=_weekly_rows(days),
    )


def _cumulative_chart(days: list[CityDay]) -> str:
    if not days:
        return "_Belum ada data COVID-19._"
    last = days[-1]
    desc = (f"Grafik garis jumlah kumulatif kasus di Kota Samarinda dari {format_date(days[0].tanggal)} sampai "
            f"{format_date(last.tanggal)}: {format_int(last.konfirmasi)} konfirmasi, {format_int(last.sembuh)} "
            f"sembuh, {format_int(last.meninggal)} meninggal, {format_int(last.aktif)} kasus aktif.")
    rows = [[format_date(d.tanggal), format_int(d.konfirmasi), format_int(d.sembuh), format_int(d.meninggal),
             format_int(d.aktif)] for d in days[::-7]]
    return line_chart(
        [d.tanggal for d in days],
        [Line("Konfirmasi", [d.konfirmasi for d in days], COLOURS[2]),
         Line("Sembuh", [d.sembuh for d in days], COLOURS[0]),
         Line("Meninggal", [d.meninggal for d in days], COLOURS[3], dashed=True)],
        chart_id="grafik-kumulatif", title="Jumlah kumulatif kasus COVID-19 di Kota Samarinda", desc=desc,
        caption_html="Jumlah kumulatif kasus konfirmasi, sembuh dan meninggal. Tabel di bawah per minggu.",
        table_headers=["Tanggal", "Konfirmasi", "Sembuh", "Meninggal", "Aktif"], table_rows=rows,
    )


def _tally_text(t: Tally) -> str:
    return f"{format_int(t.penerima)} penerima · {format_rupiah(t.nilai)}"


def _tally_row(label: str, t: Tally) -> list[str]:
    return [label, format_int(t.penerima), format_int(t.diterima), format_rupiah(t.nilai),
            format_rupiah(t.nilai_diterima)]


_TALLY_HEADERS = ["Penerima", "Sudah diterima", "Nilai bantuan", "Nilai sudah diterima"]


def home_page(data: SiteData, covid: CovidSeries, bansos: BansosSums) -> str:
    last = covid.last_day
    boxes = []
    if last:
        boxes += [_figure_box("kasus konfirmasi", format_int(last.konfirmasi)),
                  _figure_box("sembuh", format_int(last.sembuh)),
                  _figure_box("meninggal", format_int(last.meninggal)),
                  _figure_box("kasus aktif", format_int(last.aktif))]
    boxes += [_figure_box("penerima bansos", format_int(bansos.total.penerima)),
              _figure_box("nilai bantuan", format_rupiah(bansos.total.nilai))]
    kec_names = {kec.code: kec.name for kec in data.kecamatan}
    kec_bars = sorted(((kec_names[code], day) for code, day in covid.latest.items()), key=lambda x: -x[1].konfirmasi)
    programs = bansos.programs()
    lines = [
        "# Transparansi COVID-19 dan Bansos Kota Samarinda",
        "",
        _as_of(data, covid),
        "",
        "Situs ini menerbitkan angka COVID-19 per kecamatan dan data penerima bantuan sosial (bansos) per "
        "kelurahan, agar warga dapat memeriksa penyaluran bantuan di lingkungannya. Data pribadi tidak "
        "diterbitkan: lihat [Metodologi dan privasi](metodologi.md).",
        "",
        '<div class="covid-figures">' + "".join(boxes) + "</div>",
        "",
        "## Kasus baru harian",
        "",
        _daily_chart(covid.city, chart_id="grafik-harian", where="Kota Samarinda"),
        "",
        "## Jumlah kumulatif",
        "",
        _cumulative_chart(covid.city),
        "",
        "## Kasus per kecamatan",
        "",
    ]
    if kec_bars:
        lines.append(bar_chart(
            [Bar(name, day.konfirmasi, f"{format_int(day.konfirmasi)} konfirmasi") for name, day in kec_bars],
            chart_id="grafik-kecamatan", title="Kasus konfirmasi kumulatif per kecamatan",
            desc="Grafik batang kasus konfirmasi kumulatif per kecamatan: " + "; ".join(
                f"{name} {format_int(day.konfirmasi)}" for name, day in kec_bars) + ".",
            caption_html="Kasus konfirmasi kumulatif per kecamatan pada hari terakhir data.",
            table_headers=["Kecamatan", "Konfirmasi", "Sembuh", "Meninggal", "Aktif"],
            table_rows=[[escape(name), format_int(d.konfirmasi), format_int(d.sembuh), format_int(d.meninggal),
                         format_int(d.aktif)] for name, d in kec_bars], colour=COLOURS[2]))
    else:
        lines.append("_Belum ada data COVID-19._")
    lines += ["", "## Bantuan sosial per program", ""]
    if programs:
        lines.append(bar_chart(
            [Bar(p, bansos.by_program[p].penerima, _tally_text(bansos.by_program[p])) for p in programs],
            chart_id="grafik-program", title="Penerima dan nilai bansos per program",
            desc="Grafik batang jumlah penerima bansos per program: " + "; ".join(
                f"{p} {_tally_text(bansos.by_program[p])}" for p in programs) + ".",
            caption_html="Jumlah penerima (baris per program dan periode) dan nilai bantuan per program.",
            table_headers=["Program", *_TALLY_HEADERS],
            table_rows=[_tally_row(_cell(p), bansos.by_program[p]) for p in programs]))
        kec_rows = [(kec, bansos.by_kecamatan[kec.code]) for kec in data.kecamatan]
        lines += ["", "## Bantuan sosial per kecamatan", "", bar_chart(
            [Bar(kec.name, t.penerima, _tally_text(t)) for kec, t in kec_rows],
            chart_id="grafik-bansos-kecamatan", title="Penerima dan nilai bansos per kecamatan",
            desc="Grafik batang jumlah penerima bansos per kecamatan: " + "; ".join(
                f"{kec.name} {_tally_text(t)}" for kec, t in kec_rows) + ".",
            caption_html="Jumlah penerima dan nilai bantuan per kecamatan, semua program dan periode.",
            table_headers=["Kecamatan", *_TALLY_HEADERS],
            table_rows=[_tally_row(escape(kec.name), t) for kec, t in kec_rows], colour=COLOURS[1])]
    else:
        lines.append("_Belum ada data bansos._")
    lines += ["", "Rincian per wilayah: [Kecamatan dan kelurahan](kecamatan/index.md). "
              "Unduh semua angka: [Data terbuka](data-terbuka.md).", ""]
    return "\n".join(lines)


def kecamatan_index_page(data: SiteData, covid: CovidSeries, bansos: BansosSums) -> str:
    lines = ["# Kecamatan dan Kelurahan", "", _as_of(data, covid), "",
             "Kota Samarinda terdiri atas 10 kecamatan dan 59 kelurahan. Setiap kecamatan dan kelurahan "
             "memiliki halaman sendiri; di halaman kelurahan Anda dapat mencari nama penerima bansos.", "",
             ]
    rows = []
    for kec in data.kecamatan:
        day = covid.latest.get(kec.code)
        t = bansos.by_kecamatan.get(kec.code, Tally())
        rows.append([f'<a href="{kec.slug}/">{escape(kec.name)}</a>', str(len(kec.kelurahan)),
                     format_int(day.konfirmasi) if day else "–", format_int(day.aktif) if day else "–",
                     format_int(t.penerima), format_rupiah(t.nilai)])
    lines.append(data_table(["Kecamatan", "Kelurahan", "Konfirmasi", "Aktif", "Penerima bansos", "Nilai bantuan"],
                            rows))
    lines += ["", "## Semua kelurahan", ""]
    for kec in data.kecamatan:
        links = ", ".join(f"[{_cell(kel.name)}](../{kelurahan_path(kel)})" for kel in kec.kelurahan)
        lines.append(f"- **{_cell(kec.name)}**: {links}")
    return "\n".join(lines) + "\n"


def kecamatan_page(data: SiteData, kec: Kecamatan, covid: CovidSeries, bansos: BansosSums) -> str:
    day = covid.latest.get(kec.code)
    lines = [f"# Kecamatan {_cell(kec.name)}", "", _as_of(data, covid), ""]
    if day:
        lines += ['<div class="covid-figures">'
                  + _figure_box("kasus konfirmasi", format_int(day.konfirmasi))
                  + _figure_box("sembuh", format_int(day.sembuh)) + _figure_box("meninggal", format_int(day.meninggal))
                  + _figure_box("kasus aktif", format_int(day.aktif)) + _figure_box("suspek", format_int(day.suspek))
                  + "</div>", "", "## Kasus baru harian", "",
                  _daily_chart(covid.by_kecamatan[kec.code], chart_id="grafik-harian", where=f"Kecamatan {kec.name}"), ""]
    else:
        lines += ["_Belum ada data COVID-19 untuk kecamatan ini._", ""]
    lines += ["## Bantuan sosial", ""]
    programs = [p for p in bansos.programs() if (kec.code, p) in bansos.by_kecamatan_program]
    if programs:
        lines.append(data_table(["Program", *_TALLY_HEADERS],
                                [_tally_row(escape(p), bansos.by_kecamatan_program[kec.code, p]) for p in programs]))
        kel_rows = [(kel, bansos.by_kelurahan.get(kel.code, Tally())) for kel in kec.kelurahan]
        lines += ["", bar_chart(
            [Bar(kel.name, t.penerima, _tally_text(t)) for kel, t in kel_rows],
            chart_id="grafik-bansos-kelurahan", title=f"Penerima bansos per kelurahan di Kecamatan {kec.name}",
            desc="Grafik batang jumlah penerima bansos per kelurahan: " + "; ".join(
                f"{kel.name} {_tally_text(t)}" for kel, t in kel_rows) + ".",
            caption_html=f"Jumlah penerima dan nilai bantuan per kelurahan di Kecamatan {escape(kec.name)}.",
            table_headers=["Kelurahan", *_TALLY_HEADERS],
            table_rows=[_tally_row(escape(kel.name), t) for kel, t in kel_rows], colour=COLOURS[1])]
    else:
        lines.append("_Belum ada data bansos untuk kecamatan ini._")
    lines += ["", "## Kelurahan", ""]
    lines += [f"- [{_cell(kel.name)}](../{kelurahan_path(kel)})" for kel in kec.kelurahan]
    return "\n".join(lines) + "\n"


def kelurahan_page(data: SiteData, kel: Kelurahan, kec: Kecamatan, bansos: BansosSums) -> str:
    periods = sorted(((program, periode), t) for (code, program, periode), t in bansos.by_kelurahan_period.items()
                     if code == kel.code)
    lines = [f"# Kelurahan {_cell(kel.name)}", "",
             f'<p class="covid-as-of">Data per {format_date(data.as_of)}. Kelurahan {escape(kel.name)}, '
             f'<a href="../../kecamatan/{kec.slug}/">Kecamatan {escape(kec.name)}</a>.</p>', "",
             "## Bantuan sosial per program dan periode", ""]
    if periods:
        rows = []
        for (program, periode), t in periods:
            row = _tally_row(escape(program), t)
            rows.append([row[0], escape(format_month(periode)), *row[1:]])
        lines.append(data_table(["Program", "Periode", *_TALLY_HEADERS], rows, numeric_from=2))
    else:
        lines.append("_Belum ada data bansos untuk kelurahan ini._")
    count = bansos.by_kelurahan[kel.code].penerima if kel.code in bansos.by_kelurahan else 0
    src = "../../" + lookup_path(kel)
    lines += [
        "", "## Cari penerima", "",
        "Ketik nama atau sebagian nama (mis. nama depan). Nama ditampilkan tersamar: hanya huruf pertama "
        "setiap kata, dan satu bintang untuk setiap huruf lainnya. Pencarian mencocokkan huruf pertama dan "
        "jumlah huruf setiap kata yang Anda ketik.",
        "",
        f'<div class="covid-lookup" data-src="{src}" data-count="{count}">',
        '<label for="nama-penerima">Nama penerima</label>',
        '<input id="nama-penerima" type="search" autocomplete="off" spellcheck="false" '
        'placeholder="contoh: Siti Aminah" aria-describedby="cari-penerima-status">',
        '<p id="cari-penerima-status" class="covid-lookup__status" aria-live="polite">'
        f"{format_int(count)} baris penerima di kelurahan ini.</p>",
        '<div class="covid-lookup__list">'
        '<table class="covid-lookup__results" hidden><thead><tr><th scope="col">Nama (tersamar)</th>'
        '<th scope="col">RT/RW</th><th scope="col">Program</th><th scope="col">Periode</th>'
        '<th scope="col">Status</th></tr></thead><tbody></tbody></table>',
        '<button type="button" class="covid-lookup__more md-button" hidden>Tampilkan lebih banyak</button>',
        "</div></div>",
        '<noscript><p>Pencarian memerlukan JavaScript. Daftar lengkap (tersamar) tersedia sebagai CSV di bawah.</p></noscript>',
        "",
        f"Daftar penerima tersamar kelurahan ini: [CSV](../{recipients_csv_path(kel)}). "
        "Apa yang diterbitkan dan apa yang tidak: [Metodologi dan privasi](../metodologi.md). "
        "Data keliru atau bantuan belum sampai? [Sampaikan pengaduan](../pengaduan.md).",
        "",
    ]
    return "\n".join(lines)

