"""The signing workflow through the HTTP API, on SQLite and PostgreSQL: enrolment, ordered
signers with refusals, verification with "is this the city's file", the public pages, and the
audit trail's tamper detection."""

from __future__ import annotations

import io
import json
import shutil

import pyotp
import pytest
from click.testing import CliRunner
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from api.cli import main
from commerce.db import make_engine
from signer.audit import verify_chain
from signer.models import AuditEntry
from signer.samples import letter_pdf
from tests.signer_support import PASSPHRASE, city_pki, pdfsig, pdfsig_nssdir


@pytest.fixture
def signer_app(make_app):
    return make_app(pki_dir=city_pki().dir)


@pytest.fixture
def http(signer_app):
    from tests.helpers import ApiClient

    return ApiClient(signer_app)


def _me(http, token) -> int:
    return http.call("GET", "/api/v1/me", token=token).json["id"]


def _enrol(http, admin, token, slug, *, passphrase=PASSPHRASE, totp_secret=None):
    official = city_pki().official(slug)
    data = {"user_id": str(_me(http, token)), "name": official.name, "position": official.position,
            "passphrase": passphrase, "file": (io.BytesIO(official.p12.read_bytes()), f"{slug}.p12")}
    if totp_secret:
        data["totp_secret"] = totp_secret
    return http.call("POST", "/api/v1/signers", token=admin, data=data, content_type="multipart/form-data")


def _staff_signer(http, admin, slug, **kw) -> tuple[str, int]:
    token = http.admin()
    response = _enrol(http, admin, token, slug, **kw)
    assert response.status_code == 201, response.json
    return token, _me(http, token)


def _sign(http, token, doc_id, passphrase=PASSPHRASE, **extra):
    return http.call("POST", f"/api/v1/documents/{doc_id}/signatures", token=token,
                     json={"passphrase": passphrase} | extra)


def test_three_signers_in_turn_with_refusals(http, signer_app, database_url, tmp_path):
    admin = http.admin()
    totp_secret = pyotp.random_base32()
    kabag, kabag_id = _staff_signer(http, admin, "kabag-hukum")
    sekda, sekda_id = _staff_signer(http, admin, "sekda", totp_secret=totp_secret)
    walikota, walikota_id = _staff_signer(http, admin, "walikota")
    assert _enrol(http, admin, http.admin(), "perencana", passphrase="salah").status_code == 403

    original = letter_pdf(2)
    steps = [{"user_id": kabag_id, "kind": "paraf"}, {"user_id": sekda_id, "kind": "paraf"},
             {"user_id": walikota_id, "kind": "sign"}]
    created = http.call("POST", "/api/v1/documents", token=admin, content_type="multipart/form-data",
                        data={"title": "Surat Edaran Layanan Daring", "signers": json.dumps(steps),
                              "file": (io.BytesIO(original), "surat.pdf")})
    assert created.status_code == 201, created.json
    doc = created.json
    assert doc["number"].endswith(f"/TTE-SMD/{doc['number'][-4:]}") and doc["status"] == "in_progress"
    assert doc["next_signer"] == kabag_id and doc["verify_url"].endswith(f"/verify/d/{doc['id']}")

    # out of turn: the head of office cannot sign before the reviewers
    refused = _sign(http, walikota, doc["id"])
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    # a wrong passphrase and a wrong TOTP code get the same answer, naming neither
    wrong_pass = _sign(http, kabag, doc["id"], passphrase="bukan-ini")
    assert wrong_pass.status_code == 403
    assert "frasa sandi" in wrong_pass.json["detail"] and "kode" in wrong_pass.json["detail"]
    # a shopper account is not city staff
    assert _sign(http, http.new_user(), doc["id"]).status_code == 403

    assert _sign(http, kabag, doc["id"]).json["next_signer"] == sekda_id
    wrong_code = _sign(http, sekda, doc["id"], totp="000000")
    assert wrong_code.status_code == 403 and wrong_code.json["detail"] == wrong_pass.json["detail"]
    assert _sign(http, sekda, doc["id"], totp=pyotp.TOTP(totp_secret).now()).status_code == 200
    done = _sign(http, walikota, doc["id"])
    assert done.status_code == 200, done.json
    assert done.json["status"] == "completed" and done.json["next_signer"] is None
    assert [s["status"] for s in done.json["signers"]] == ["signed"] * 3
    assert _sign(http, walikota, doc["id"]).status_code == 422  # locked

    final = http.call("GET", f"/api/v1/documents/{doc['id']}/file", token=admin)
    assert final.status_code == 200 and final.mimetype == "application/pdf"
    report = http.call("POST", "/api/v1/verifications", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(final.data), "final.pdf")}).json
    assert report["passed"] and report["indication"] == "TOTAL_PASSED"
    assert [s["signer"] for s in report["signatures"]] == ["Ari Pamungkas", "Hero Mardanus", "Andi Harun"]
    assert [s["kind"] for s in report["signatures"]] == ["certification", "approval", "approval"]
    assert report["issued"] | {"title": None} == {"document_id": doc["id"], "number": doc["number"], "title": None,
                                                    "version": 3, "of": 3, "latest": True, "status": "completed"}
    first = http.call("POST", "/api/v1/verifications", content_type="multipart/form-data",
                      data={"file": (io.BytesIO(original), "asli.pdf")}).json
    assert first["issued"]["version"] == 0 and first["signatures"] == [] and not first["passed"]

    # the public pages: where the QR lands, and an upload that compares the file
    page = http.call("GET", f"/verify/d/{doc['id']}")
    assert page.status_code == 200 and doc["number"].encode() in page.data and b"Andi Harun" in page.data
    checked = http.call("POST", "/verify", content_type="multipart/form-data",
                        data={"file": (io.BytesIO(final.data), "final.pdf")})
    assert checked.status_code == 200 and b"SAH" in checked.data and b"versi 3 dari 3" in checked.data
    for html in (page.data, checked.data):  # no scripts, styles or images from elsewhere
        assert b"<script" not in html and b"src=" not in html and b"<link" not in html
    assert http.call("GET", "/verify/d/tidak-ada-dokumen").status_code == 404

    if shutil.which("pdfsig") and shutil.which("certutil"):
        path = tmp_path / "final.pdf"
        path.write_bytes(final.data)
        verdicts = pdfsig(path, pdfsig_nssdir(tmp_path))
        assert [v["Signature Validation"] for v in verdicts] == ["Signature is Valid."] * 3
        assert [v["Certificate Validation"] for v in verdicts] == ["Certificate is Trusted."] * 3

    engine = make_engine(database_url)
    with Session(engine) as session:
        check = verify_chain(session)
        entries = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
    engine.dispose()
    assert check.ok, check.problems
    events = [(e.event, e.details.get("cause")) for e in entries if e.document == doc["id"]]
    assert ("signing.refused", "turn") in events and events.count(("signing.refused", "secret")) == 2
    assert events.count(("document.signed", None)) == 3 and ("document.verified", None) in events
    dump = json.dumps([e.details for e in entries])
    assert PASSPHRASE not in dump and "bukan-ini" not in dump


def test_sign_at_once_returns_the_pdf_and_a_document(http):
    admin = http.admin()
    token, _ = _staff_signer(http, admin, "walikota")
    response = http.call("POST", "/api/v1/signatures", token=token, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(letter_pdf(1)), "surat.pdf"), "passphrase": PASSPHRASE,
                               "level": "B-T"})
    assert response.status_code == 201 and response.mimetype == "application/pdf"
    doc_id = response.headers["X-Document-Id"]
    report = http.call("POST", "/api/v1/verifications", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(response.data), "s.pdf")}).json
    assert report["passed"] and report["signatures"][0]["level"] == "B-T"
    assert report["issued"]["document_id"] == doc_id and report["issued"]["status"] == "completed"
    # not a PDF, and an unenrolled staff member
    bad = http.call("POST", "/api/v1/signatures", token=token, content_type="multipart/form-data",
                    data={"file": (io.BytesIO(b"bukan pdf"), "x.pdf"), "passphrase": PASSPHRASE})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    stranger = http.call("POST", "/api/v1/signatures", token=http.admin(), content_type="multipart/form-data",
                         data={"file": (io.BytesIO(letter_pdf(1, subject="lain")), "x.pdf"), "passphrase": "x"})
    assert stranger.status_code == 422 and stranger.mimetype == "application/problem+json"


def test_audit_chain_detects_edit_delete_reorder(http, database_url):
    admin = http.admin()
    token, _ = _staff_signer(http, admin, "walikota")
    for n in range(3):
        assert http.call("POST", "/api/v1/signatures", token=token, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(letter_pdf(1, subject=f"Surat {n}")), "s.pdf"),
                               "passphrase": PASSPHRASE, "level": "B-T"}).status_code == 201
    engine = make_engine(database_url)

    def check(**kw):
        with Session(engine) as session:
            return verify_chain(session, **kw)

    intact = check()
    assert intact.ok and intact.entries >= 7
    head = intact.head
    runner = CliRunner(env={"DATABASE_URL": database_url})
    result = runner.invoke(main, ["signer", "audit", "verify"])
    assert result.exit_code == 0 and f"head {head}: intact" in result.output
    with engine.begin() as conn:  # edit
        conn.execute(text("UPDATE signer_audit SET actor = 'user:999' WHERE seq = 3"))
    assert any("edited" in p for p in check().problems)
    with engine.begin() as conn:
        conn.execute(text("UPDATE signer_audit SET actor = :a WHERE seq = 3"),
                     {"a": f"user:{_me(http, token)}"})
    assert check(expected_head=head).ok
    with engine.begin() as conn:  # reorder: swap the positions of entries 4 and 5
        conn.execute(text("UPDATE signer_audit SET seq = -4 WHERE seq = 4"))
        conn.execute(text("UPDATE signer_audit SET seq = 4 WHERE seq = 5"))
        conn.execute(text("UPDATE signer_audit SET seq = 5 WHERE seq = -4"))
    assert any("reordered" in p for p in check().problems)
    with engine.begin() as conn:
        conn.execute(text("UPDATE signer_audit SET seq = -4 WHERE seq = 4"))
        conn.execute(text("UPDATE signer_audit SET seq = 4 WHERE seq = 5"))
        conn.execute(text("UPDATE signer_audit SET seq = 5 WHERE seq = -4"))
    assert check().ok
    with engine.begin() as conn:  # delete one in the middle
        conn.execute(text("DELETE FROM signer_audit WHERE seq = 2"))
    assert any("deleted" in p for p in check().problems)
    result = runner.invoke(main, ["signer", "audit", "verify"])
    assert result.exit_code == 1 and "NOT intact" in result.output
    engine.dispose()


def test_revoked_certificates_are_refused_at_enrolment_and_at_signing(http):
    from datetime import datetime, timedelta, timezone

    from tests.signer_support import PASSPHRASE as P

    admin = http.admin()
    assert _enrol(http, admin, http.admin(), "dicabut").status_code == 403  # revoked before enrolment
    pki = city_pki()
    slug = f"dicabut-nanti-{datetime.now().timestamp():.0f}"
    pki.issue(slug, "Pejabat Sementara", "Plt. Kepala Dinas", passphrase=P.encode())
    token, _ = _staff_signer(http, admin, slug)
    ok = http.call("POST", "/api/v1/signatures", token=token, content_type="multipart/form-data",
                   data={"file": (io.BytesIO(letter_pdf(1, subject=slug)), "s.pdf"), "passphrase": P})
    assert ok.status_code == 201
    pki.revoke(slug, passphrase=P.encode(), when=datetime.now(timezone.utc) - timedelta(seconds=5))
    refused = http.call("POST", "/api/v1/signatures", token=token, content_type="multipart/form-data",
                        data={"file": (io.BytesIO(letter_pdf(1, subject=slug + " lagi")), "s.pdf"), "passphrase": P})
    assert refused.status_code == 403 and "dicabut" in refused.json["detail"]
    report = http.call("POST", "/api/v1/verifications", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(ok.data), "s.pdf")}).json
    # validated now, with the new CRL: the report says the certificate is revoked
    assert report["signatures"][0]["reason"] == "REVOKED"


def test_signer_write_routes_refuse_strangers(http):
    """No token: 401 with WWW-Authenticate; a shopper (not city staff): 403; nothing is written."""
    from signer.models import SigningDocument

    doc_path = "/api/v1/documents/abcdefghijklmnop"
    calls = [("/api/v1/signers", {"user_id": "1", "name": "X", "position": "Y", "passphrase": "p",
                                  "pkcs11": "/x.so#token=a#key=b"}),
             ("/api/v1/signatures", {"passphrase": "p", "file": (io.BytesIO(letter_pdf(1)), "s.pdf")}),
             ("/api/v1/documents", {"title": "T", "signers": '[{"user_id": 1}]',
                                    "file": (io.BytesIO(letter_pdf(1)), "s.pdf")})]
    shopper = http.new_user()
    for path, data in calls:
        for token, status in ((None, 401), ("tidak-valid", 401), (shopper, 403)):
            fresh = {k: (io.BytesIO(v[0].getvalue()), v[1]) if isinstance(v, tuple) else v for k, v in data.items()}
            response = http.call("POST", path, token=token, data=fresh, content_type="multipart/form-data")
            assert response.status_code == status and response.mimetype == "application/problem+json", path
            if status == 401:
                assert response.headers["WWW-Authenticate"] == "Bearer"
    for token, status in ((None, 401), (shopper, 403)):
        assert http.call("POST", f"{doc_path}/signatures", token=token, json={"passphrase": "p"}).status_code == status
        assert http.call("GET", doc_path, token=token).status_code == status
    with http.app.app_context():
        from api import context

        assert context.uow().session.query(SigningDocument).count() == 0
