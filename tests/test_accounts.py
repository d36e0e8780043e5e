"""Accounts: argon2 password hashes, hashed expiring tokens, logout, rate limits, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select, update

from commerce.accounts.models import AccessToken, User
from commerce.db import utcnow
from tests.helpers import PASSWORD, ApiClient


def _session(app):
    return app.extensions["smartcity"].session_factory()


def test_passwords_are_argon2id_and_tokens_are_stored_hashed(app, api):
    email = api.register()
    token = api.login(email)
    with _session(app) as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        hashes = list(session.scalars(select(AccessToken.token_hash)))
    assert token not in hashes and len(hashes) == 1 and len(hashes[0]) == 64


def test_wrong_password_and_unknown_email_get_the_same_answer(api):
    email = api.register()
    wrong = api.call("POST", "/api/v1/auth/token", json={"email": email, "password": "salah-salah-salah"})
    unknown = api.call("POST", "/api/v1/auth/token", json={"email": "tidak.ada@contoh.id", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json["detail"] == unknown.json["detail"]
    assert wrong.headers["Content-Type"] == "application/problem+json"


def test_duplicate_email_is_a_conflict_naming_the_field(api):
    email = api.register()
    response = api.call("POST", "/api/v1/auth/register", json={"email": email.upper(), "password": PASSWORD, "name": "X"})
    assert response.status_code == 409
    assert response.json["errors"][0]["field"] == "email"


def test_short_password_is_refused(api):
    response = api.call("POST", "/api/v1/auth/register", json={"email": "a@contoh.id", "password": "pendek", "name": "A"})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "password"


def test_logout_revokes_the_token_only(api):
    email = api.register()
    first, second = api.login(email), api.login(email)
    assert api.call("POST", "/api/v1/auth/logout", token=first).status_code == 204
    response = api.call("GET", "/api/v1/me", token=first)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert api.call("GET", "/api/v1/me", token=second).status_code == 200
    assert api.call("POST", "/api/v1/auth/logout", token=first).status_code == 401


def test_expired_token_is_refused(app, api):
    token = api.login(api.register())
    with _session(app) as session:
        session.execute(update(AccessToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        session.commit()
    assert api.call("GET", "/api/v1/me", token=token).status_code == 401


def test_garbage_tokens_are_refused(api):
    for header in ("Bearer", "Bearer ", "Bearer nonsense", "Basic dXNlcjpwYXNz", "bearer " + "x" * 5000):
        response = api.call("GET", "/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header


def test_login_and_registration_are_rate_limited(make_app):
    api = ApiClient(make_app(ratelimit_enabled=True, auth_rate_limit="3 per minute"))
    email = api.register()
    for _ in range(2):
        api.login(email)
    response = api.call("POST", "/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert response.status_code == 429
    assert response.headers["Content-Type"] == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    # other endpoints are not limited by the login limit
    assert api.call("GET", "/api/v1/categories").status_code == 200


def test_cli_create_admin_reads_the_password_from_stdin(database_url, tmp_path, app):
    env = os.environ | {"DATABASE_URL": database_url, "SMARTCITY_VAR_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "api.cli", "users", "create-admin", "kepala@samarindakota.go.id", "--name", "Kepala Dinas"]
    result = subprocess.run(command, input="kata-sandi-admin-2020\n", capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "kata-sandi-admin-2020" not in result.stdout + result.stderr
    api = ApiClient(app)
    token = api.login("kepala@samarindakota.go.id", "kata-sandi-admin-2020")
    assert "admin" in api.call("GET", "/api/v1/me", token=token).json["roles"]

    short = subprocess.run(command, input="pendek\n", capture_output=True, text=True, env=env, timeout=120)
    assert short.returncode != 0
    assert "password" in short.stderr and "Traceback" not in short.stderr
