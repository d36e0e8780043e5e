"""The public verification pages, where the QR code on a signed letter lands.

``/verify`` takes any PDF and shows each signature's verdict; ``/verify/d/<id>`` shows where a
city document stands in its workflow and lets the reader upload their copy to compare it with
what the city issued (by SHA-256). Bahasa Indonesia, no scripts, no external requests.
"""

from __future__ import annotations

from flask import Blueprint, render_template_string, request

from api import context
from api.signatures import document_json, issued_json, signer_setup
from signer import workflow
from signer.errors import DocumentNotFound, NotAPdf

__all__ = ["bp"]

bp = Blueprint("verify_page", __name__)

LABELS = {"TOTAL_PASSED": "SAH", "INDETERMINATE": "BELUM DAPAT DIPASTIKAN", "TOTAL_FAILED": "TIDAK SAH"}
COLOURS = {"TOTAL_PASSED": "#0a7a3b", "INDETERMINATE": "#a15c00", "TOTAL_FAILED": "#b3261e"}

PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ heading }} - Verifikasi Tanda Tangan Elektronik Kota Samarinda</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
.v{font-weight:700;padding:.1rem .5rem;border-radius:.3rem;color:#fff}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
code{word-break:break-all}.note{background:#f5f5f0;padding:.6rem 1rem;border-left:4px solid #999}</style></head><body>
<h1>{{ heading }}</h1>
{% if document %}
<table>
<tr><th>Nomor</th><td>{{ document.number }}</td></tr>
<tr><th>Perihal</th><td>{{ document.title }}</td></tr>
<tr><th>Status</th><td>{{ "Selesai ditandatangani" if document.status == "completed" else "Dalam proses penandatanganan" }}</td></tr>
<tr><th>SHA-256 versi terbaru</th><td><code>{{ document.sha256 }}</code></td></tr>
</table>
<h2>Penanda tangan</h2>
<table><tr><th>#</th><th>Nama</th><th>Jabatan</th><th>Jenis</th><th>Waktu</th></tr>
{% for s in document.signers %}<tr><td>{{ s.position }}</td><td>{{ s.name }}</td><td>{{ s.title }}</td>
<td>{{ "Paraf" if s.kind == "paraf" else "Tanda tangan" }}</td><td>{{ s.signed_at or "belum" }}</td></tr>{% endfor %}
</table>
{% endif %}
{% if error %}<p class="note">{{ error }}</p>{% endif %}
{% if report %}
<p>Hasil: <span class="v" style="background:{{ colours[report.indication] }}">{{ labels[report.indication] }}</span></p>
{% if issued %}<p class="note">Berkas ini persis sama dengan dokumen yang diterbitkan Pemerintah Kota Samarinda:
nomor {{ issued.number }}, versi {{ issued.version }} dari {{ issued.of }} tanda tangan{% if not issued.latest %}
(sudah ada versi yang lebih baru){% endif %}.</p>
{% else %}<p class="note">Berkas ini tidak tercatat sebagai dokumen yang diterbitkan Pemerintah Kota Samarinda
(SHA-256 <code>{{ report.sha256 }}</code>).</p>{% endif %}
{% if not report.signatures %}<p>Dokumen ini tidak memiliki tanda tangan elektronik.</p>{% endif %}
{% for s in report.signatures %}
<table><tr><th colspan="2">{{ s.field }}: <span class="v" style="background:{{ colours[s.indication] }}">{{ labels[s.indication] }}</span></th></tr>
<tr><th>Keterangan</th><td>{{ s.message }}</td></tr>
<tr><th>Penanda tangan</th><td>{{ s.signer or "-" }}{% if s.position %}, {{ s.position }}{% endif %}</td></tr>
<tr><th>Penerbit sertifikat</th><td>{{ s.issuer or "-" }}<br>{{ "Penyelenggara sertifikasi elektronik tersertifikasi" if s.certified_provider else "Tidak tersertifikasi (bukan dari penyelenggara tersertifikasi menurut PP 71/2019)" }}</td></tr>
<tr><th>Waktu menurut penanda tangan</th><td>{{ s.signing_time or "-" }}</td></tr>
<tr><th>Cap waktu (TSA)</th><td>{{ s.timestamp_time or "tidak ada" }}</td></tr>
<tr><th>Level PAdES</th><td>{{ s.level or "-" }}</td></tr>
<tr><th>Cakupan / perubahan</th><td>{{ s.coverage or "-" }} / {{ s.modification_level or "-" }}</td></tr>
</table>
{% endfor %}
{% endif %}
<h2>Periksa berkas PDF</h2>
<form method="post" enctype="multipart/form-data" action="{{ action }}">
<input type="file" name="file" accept="application/pdf" required> <button type="submit">Periksa</button>
</form>
<p><small>Berkas diperiksa di server kota dan tidak disimpan. Pemeriksaan tidak mengambil alamat apa pun yang
tertulis di dalam berkas.</small></p>
</body></html>"""


def _render(heading: str, *, action: str, document=None, status=200):
    report = issued = error = None
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            error, status = "Pilih berkas PDF untuk diperiksa.", 400
        else:
            try:
                result, found = workflow.verify_document(context.uow(), signer_setup(), upload.read())
                report, issued = result.as_json(), issued_json(found)
            except NotAPdf:
                error, status = "Berkas ini bukan PDF yang dapat dibaca.", 422
    return render_template_string(PAGE, heading=heading, action=action, document=document, report=report,
                                  issued=issued, error=error, labels=LABELS, colours=COLOURS), status


@bp.route("/verify", methods=["GET", "POST"])
def verify():
    return _render("Verifikasi Tanda Tangan Elektronik", action="/verify")


@bp.route("/verify/d/<document_id>", methods=["GET", "POST"])
def document(document_id: str):
    try:
        found = workflow.get_document(context.uow(), document_id[:64])
    except DocumentNotFound:
        return render_template_string(PAGE, heading="Dokumen tidak ditemukan", action="/verify", document=None,
                                      report=None, issued=None, labels=LABELS, colours=COLOURS,
                                      error="Tidak ada dokumen kota dengan kode ini."), 404
    return _render(f"Dokumen {found.number}", action=f"/verify/d/{document_id}", document=document_json(found))
