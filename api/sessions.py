"""Browser sessions for the seller dashboard: an HttpOnly cookie and a CSRF token.

API clients keep using bearer tokens. A browser app must not hold a long-lived secret where an
injected script could read it and take it elsewhere, so the dashboard's login puts the access
token in a cookie that scripts cannot read:

- ``HttpOnly`` (no script reads it), ``Secure`` (never sent in clear; browsers treat
  ``localhost``/``127.0.0.1`` as secure, so the demo works), ``SameSite=Strict`` (another site's
  page cannot make the browser send it), ``Path=/api/`` (pages and pictures never carry it);
- every write made with the cookie must also carry ``X-CSRF-Token``: an HMAC of the session
  token under the server's secret, which the dashboard gets from ``GET /auth/session`` and
  keeps in memory. A forged cross-site request cannot know it (and with SameSite=Strict has no
  cookie to begin with); a custom header also cannot be sent cross-origin without a CORS
  preflight, which the API answers only for the storefront's origins and never with
  credentials.

The session token is an ordinary access token (``commerce.accounts``): logging out revokes it.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request

__all__ = ["SESSION_COOKIE", "CSRF_HEADER", "session_token", "csrf_token", "csrf_ok", "set_session_cookie",
           "clear_session_cookie", "SAFE_METHODS"]

SESSION_COOKIE = "behambinan_sesi"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_token() -> str | None:
    value = request.cookies.get(SESSION_COOKIE, "")
    return value if 20 <= len(value) <= 100 else None


def csrf_token(token: str) -> str:
    key = current_app.extensions["smartcity"].secret_key
    return hmac.new(key, b"csrf:" + token.encode(), hashlib.sha256).hexdigest()


def csrf_ok(token: str) -> bool:
    return hmac.compare_digest(request.headers.get(CSRF_HEADER, ""), csrf_token(token))


def set_session_cookie(response, token: str, max_age: int):
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, path="/api/", secure=True, httponly=True,
                        samesite="Strict")
    return response


def clear_session_cookie(response):
    response.delete_cookie(SESSION_COOKIE, path="/api/", secure=True, httponly=True, samesite="Strict")
    return response
