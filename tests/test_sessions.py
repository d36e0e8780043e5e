"""The dashboard's browser session: an HttpOnly, Secure, SameSite=Strict cookie, and a CSRF
token required on every write made with it (api/sessions.py)."""

from __future__ import annotations

from http.cookies import SimpleCookie

from tests.helpers import PASSWORD
from tests.test_ownership import snapshot


def _login(api, email):
    answer = api.http.post("/api/v1/auth/session", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.json
    return answer


def test_the_session_cookie_is_out_of_scripts_reach_and_of_other_sites(api):
    email = api.register(name="Penjual")
    answer = _login(api, email)
    cookie = SimpleCookie(answer.headers["Set-Cookie"])["behambinan_sesi"]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Strict" and cookie["path"] == "/api/"
    assert cookie.value not in answer.get_data(as_text=True)  # the token itself never reaches a script
    csrf = answer.json["csrf_token"]
    assert api.http.get("/api/v1/auth/session").json["csrf_token"] == csrf
    assert api.http.get("/api/v1/me").json["email"] == email  # reads need no CSRF token


def test_every_write_made_with_the_cookie_needs_its_csrf_token(api):
    email = api.register(name="Penjual")
    csrf = _login(api, email).json["csrf_token"]
    body = {"name": "Toko Sesi", "kecamatan": "Samarinda Ulu", "kelurahan": "Air Putih", "address": "Jl. A 1",
            "phone": "0812 5555 1234"}
    before = snapshot(api.app)
    for headers in ({}, {"X-CSRF-Token": "0" * 64}, {"X-CSRF-Token": csrf[:-1] + ("0" if csrf[-1] != "0" else "1")}):
        refused = api.http.post("/api/v1/stores", json=body, headers=headers)
        assert refused.status_code == 403 and refused.mimetype == "application/problem+json", refused.json
    assert snapshot(api.app) == before
    made = api.http.post("/api/v1/stores", json=body, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201, made.json
    # another session's token is no good for this one
    other = api.__class__(api.app)
    other_csrf = _login(other, other.register(name="Orang Lain")).json["csrf_token"]
    assert api.http.post("/api/v1/stores", json=body, headers={"X-CSRF-Token": other_csrf}).status_code == 403


def test_logging_out_ends_the_session_and_a_stale_cookie_reads_as_nobody(api):
    email = api.register(name="Penjual")
    csrf = _login(api, email).json["csrf_token"]
    assert api.http.delete("/api/v1/auth/session").status_code == 403  # logging out is a write too
    out = api.http.delete("/api/v1/auth/session", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204 and "behambinan_sesi=;" in out.headers["Set-Cookie"]
    assert api.http.get("/api/v1/auth/session").status_code == 401
    # the revoked token, sent again by a browser that kept the cookie, is nobody: public reads work
    api.http.set_cookie("behambinan_sesi", "x" * 43, domain="localhost", path="/api/")
    assert api.http.get("/api/v1/products").status_code == 200
    assert api.http.get("/api/v1/me").status_code == 401


def test_wrong_passwords_get_one_answer_and_the_login_limit(make_app):
    from tests.helpers import ApiClient

    api = ApiClient(make_app(ratelimit_enabled=True, auth_rate_limit="3 per minute"))
    email = api.register(name="Penjual")
    answers = [api.http.post("/api/v1/auth/session", json={"email": e, "password": "salah-sekali-123"})
               for e in (email, "tidak-ada@contoh.id", email)]
    # registering was the first of three attempts a minute
    assert [a.status_code for a in answers] == [401, 401, 429]
    assert answers[0].json["detail"] == answers[1].json["detail"]  # no hint whether the email exists
