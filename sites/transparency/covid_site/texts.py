"""The fixed pages of the transparency site: open data, methodology (the privacy model as
the code enforces it) and the complaint channel. Only the date and the file lists vary."""

from __future__ import annotations

from html import escape

from sites.transparency.covid_site.charts import format_date
from sites.transparency.covid_site.data import SiteData
from sites.transparency.covid_site.opendata import (
    CITY_CSV, COVID_CSV, DATAPACKAGE, LICENSE, SUMMARY_CSV, recipients_csv_path,
)

__all__ = ["fixed_pages", "OPEN_DATA_PAGE", "METHODOLOGY_PAGE", "COMPLAINTS_PAGE"]

OPEN_DATA_PAGE = "data-terbuka.md"
METHODOLOGY_PAGE = "metodologi.md"
COMPLAINTS_PAGE = "pengaduan.md"


def _as_of(data: SiteData) -> str:
    return f'<p class="covid-as-of">Data per {format_date(data.as_of)}.</p>'


def fixed_pages(data: SiteData) -> dict[str, str]:
    return {OPEN_DATA_PAGE: open_data_page(data), METHODOLOGY_PAGE: methodology_page(data),
            COMPLAINTS_PAGE: complaints_page(data)}


def _json_of(path: str) -> str:
    return path.removesuffix(".csv") + ".json"


def open_data_page(data: SiteData) -> str:
    lines = [
        "# Data Terbuka", "", _as_of(data), "",
        f"Semua angka di situs ini dapat diunduh dan digunakan kembali dengan lisensi "
        f"[{LICENSE['title']} (CC BY 4.0)]({LICENSE['path']}): sebutkan sumbernya, "
        "**Pemerintah Kota Samarinda**. Berkas CSV memakai UTF-8, pemisah koma, dan baris pertama berisi nama "
        "kolom. Uraian setiap kolom ada di paket data Frictionless "
        f"[datapackage.json]({DATAPACKAGE}).", "",
        "## Angka agregat", "",
        "| Data | CSV | JSON |", "|---|---|---|",
        f"| Angka COVID-19 harian per kecamatan (kumulatif) | [CSV]({COVID_CSV}) | [JSON]({_json_of(COVID_CSV)}) |",
        f"| Angka COVID-19 harian Kota Samarinda, dengan kasus baru dan rata-rata 7 hari | [CSV]({CITY_CSV}) | "
        f"[JSON]({_json_of(CITY_CSV)}) |",
        f"| Bansos per kelurahan, program dan periode: penerima dan nilai | [CSV]({SUMMARY_CSV}) | "
        f"[JSON]({_json_of(SUMMARY_CSV)}) |",
        "", "## Daftar penerima tersamar per kelurahan", "",
        "Satu berkas CSV per kelurahan dengan kolom nama tersamar, RT, RW, kelurahan, kecamatan, program, "
        "periode dan status. Berkas ini tidak memuat NIK, nomor KK, alamat, tanggal lahir atau nomor telepon.", "",
    ]
    for kec in data.kecamatan:
        links = ", ".join(f"[{escape(kel.name)}]({recipients_csv_path(kel)})" for kel in kec.kelurahan)
        lines.append(f"- **{escape(kec.name)}**: {links}")
    return "\n".join(lines) + "\n"


def methodology_page(data: SiteData) -> str:
    return "\n".join([
        "# Metodologi dan Privasi", "", _as_of(data), "",
        "## Sumber data", "",
        "Angka COVID-19 dilaporkan setiap hari per kecamatan oleh Dinas Kesehatan Kota Samarinda. Daftar "
        "penerima bantuan sosial (bansos) disusun oleh Dinas Sosial per program (BST, PKH, BPNT, bansos "
        "Pemerintah Kota) dan per periode. Petugas mengunggah lembar kerja (CSV atau XLSX); setiap baris "
        "diperiksa terhadap skema data yang diterbitkan (NIK 16 digit dengan kode wilayah 64.72, tanggal "
        "lahir yang masuk akal, kecamatan dan kelurahan sesuai data referensi). Berkas yang mengandung "
        "satu saja baris keliru ditolak seluruhnya. Mengunggah ulang suatu program dan periode mengganti "
        "data periode itu; riwayat unggahan disimpan.", "",
        "## Cara menghitung", "",
        "- **Kasus baru** suatu hari adalah kenaikan jumlah kumulatif kasus konfirmasi dari hari sebelumnya; "
        "**rata-rata 7 hari** adalah rata-rata kasus baru tujuh hari terakhir.",
        "- **Kasus aktif** = konfirmasi − sembuh − meninggal.",
        "- **Penerima** dihitung per baris: satu keluarga dalam satu program dan satu periode. Keluarga yang "
        "menerima beberapa program atau beberapa periode dihitung beberapa kali.",
        "- **Nilai bantuan** dalam rupiah; **sudah diterima** menghitung baris berstatus *diterima*.", "",
        "## Apa yang diterbitkan tentang setiap penerima", "",
        "Hanya: **nama tersamar** (huruf pertama setiap kata, satu bintang untuk setiap huruf lainnya, "
        "mis. *S\\*\\*\\* A\\*\\*\\*\\*\\**), **RT/RW**, **kelurahan**, **program**, **periode** dan **status**.", "",
        "Tidak pernah diterbitkan, juga tidak dalam bentuk *hash* atau tersandi: **NIK**, **nomor KK**, "
        "**alamat jalan**, **tanggal lahir** dan **nomor telepon**. NIK yang di-*hash* dapat ditebak "
        "kembali dalam hitungan menit, karena susunannya (kode wilayah, tanggal lahir, nomor urut) "
        "diketahui umum.", "",
        "## Perlindungan yang dijalankan setiap kali situs dibangun", "",
        "1. Kolom yang tidak boleh terbit (NIK, nomor KK, alamat) tidak pernah dibaca ke dalam halaman.",
        "2. Teks bebas tidak dipercaya: angka yang mirip NIK, nomor KK atau nomor telepon di kolom nama "
        "atau kolom lain diganti dengan keterangan *disamarkan* sebelum diterbitkan; angka dalam nama "
        "selalu disamarkan.",
        "3. Sebelum diterbitkan, **setiap byte** situs (halaman, berkas JSON dan CSV, indeks pencarian, "
        "peta situs, berkas terkompresi) diperiksa. Bila ditemukan angka 16 digit, nomor telepon, atau "
        "NIK/nomor KK mana pun dari data yang diunggah, pembangunan situs **gagal** dan tidak ada yang "
        "diterbitkan.",
        "4. Nama penerima hanya ada di berkas pencarian kelurahan masing-masing, tidak di halaman dan tidak "
        "di indeks pencarian situs, sehingga tidak dapat dicari dari seluruh situs sekaligus.", "",
        "## Pencarian nama", "",
        "Di halaman setiap kelurahan, ketik nama atau sebagian nama. Karena nama lengkap tidak diterbitkan, "
        "pencarian mencocokkan huruf pertama dan jumlah huruf setiap kata: *Siti Aminah* cocok dengan "
        "*S\\*\\*\\* A\\*\\*\\*\\*\\**. Hasil yang cocok belum tentu orang yang sama; gunakan RT/RW untuk "
        "memastikan. Pencarian berjalan di perangkat Anda; yang Anda ketik tidak dikirim ke mana pun.", "",
    ]) + "\n"


def complaints_page(data: SiteData) -> str:
    return "\n".join([
        "# Pengaduan", "", _as_of(data), "",
        "Bantuan belum sampai, nama Anda tercantum padahal tidak menerima, atau ada data yang keliru? "
        "Sampaikan kepada kami. Setiap pengaduan dicatat dan ditindaklanjuti oleh Dinas Sosial Kota "
        "Samarinda.", "",
        "## Saluran pengaduan", "",
        "- **SP4N-LAPOR!**: layanan pengaduan pelayanan publik nasional, pilih instansi *Pemerintah Kota "
        "Samarinda*.",
        "- **Datang langsung** ke kantor kelurahan atau ke Dinas Sosial Kota Samarinda pada hari dan jam kerja.",
        "- **Posko bansos** di setiap kantor kecamatan.", "",
        "## Yang perlu disiapkan", "",
        "- nama kelurahan, RT/RW, program dan periode yang Anda maksud (dari halaman kelurahan);",
        "- isi pengaduan Anda.", "",
        "Untuk membuktikan identitas, petugas akan memeriksa KTP atau Kartu Keluarga Anda secara langsung. "
        "**Jangan pernah menuliskan NIK atau nomor KK di media sosial atau kolom komentar.**", "",
    ]) + "\n"
