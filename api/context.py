"""Per-request access to the wiring the app factory made: the unit of work, the storage, the
settings and the caller.

One unit of work per request, opened on first use and closed when the request ends, so a
view can call several use cases and serialise their results while the session is open.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, request

from api import sessions
from api.clients import client_key
from commerce.accounts.models import User
from commerce.accounts.services import user_for_token
from commerce.errors import NotAllowed, NotAuthenticated
from commerce.inventory.reservations import Holder, HoldPolicy
from commerce.unit_of_work import UnitOfWork

__all__ = ["uow", "storage", "payment_providers", "settings", "bearer_token", "current_user", "optional_user",
           "require_admin", "hold_policy", "cart_holder"]


def _wiring():
    return current_app.extensions["smartcity"]


def settings():
    return _wiring().settings


def payment_providers():
    return _wiring().payment_providers


def storage():
    return _wiring().storage


def uow() -> UnitOfWork:
    if "uow" not in g:
        g.uow = UnitOfWork(_wiring().session_factory).__enter__()
    return g.uow


def close_uow(exc=None) -> None:
    unit = g.pop("uow", None)
    if unit is not None:
        unit.__exit__(None, None, None)
        if exc is None and unit.outbox_written:
            # The change and its outbox row are committed: ask the worker to act now.
            _wiring().jobs.kick()


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def optional_user() -> User | None:
    """The caller: by bearer token (API clients) or by the dashboard's session cookie. A
    cookie that is no longer valid makes an anonymous caller (public reads keep working); a
    write made with a valid cookie needs its CSRF token (api.sessions)."""
    if "user" not in g:
        token = bearer_token()
        if token:
            g.user = user_for_token(uow(), token)
        elif (cookie := sessions.session_token()) is not None:
            try:
                g.user = user_for_token(uow(), cookie)
            except NotAuthenticated:
                g.user = None
            if g.user is not None and request.method not in sessions.SAFE_METHODS and not sessions.csrf_ok(cookie):
                raise NotAllowed("Permintaan ini tidak membawa token CSRF sesi Anda; muat ulang halaman lalu coba lagi.")
        else:
            g.user = None
    return g.user


def current_user() -> User:
    user = optional_user()
    if user is None:
        raise NotAuthenticated("Masuk dulu: kirim header Authorization: Bearer <token>, atau masuk di dasbor.")
    return user


def require_admin() -> User:
    user = current_user()
    if not user.has_role("admin"):
        raise NotAllowed("Hanya petugas kota (admin) yang boleh melakukan ini.")
    return user


def hold_policy() -> HoldPolicy:
    """What open carts may hold, from the settings."""
    config = settings()
    return HoldPolicy(ttl=timedelta(minutes=config.reservation_minutes),
                      max_age=timedelta(minutes=config.reservation_max_minutes),
                      client_units=config.cart_hold_units)


def cart_holder() -> Holder:
    """Whose holds a cart's reservations count against: this client's address, and the
    account when logged in."""
    user = optional_user()
    return Holder(client_key(), user.id if user else None)
