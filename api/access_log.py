"""Gunicorn's access log, with the capabilities and personal data of a request left out.

A checkout id is the only key to a guest's cart (their name, phone and address), and an order's
tracking token is the only key to a guest's order: whoever reads a log line with one of them can
act as that buyer. So the line never carries them. Paths are logged with every checkout id
(and any other path segment long enough to be a token) replaced by ``…``; query strings,
referrers and request headers (``Authorization``, cookies, ``X-Order-Token``) are never logged.
Control characters are escaped, so a request cannot write a second, forged line.

Used by ``smartcity serve`` and ``smartcity demo`` (:mod:`api.server`), and by the tests' live
server through :mod:`api.gunicorn_conf`.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

__all__ = ["AccessLogger", "mask_path", "ACCESS_LOG_FORMAT"]

# Remote address, method, path, status, bytes, milliseconds.
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'

_CHECKOUT_ID = re.compile(r"(?<=/checkouts/)[^/]+")
# Checkout ids are 43 URL-safe characters and order tokens 32; nothing public is that long
# without a hyphen-separated word in it (product slugs are words).
_TOKEN_LIKE = re.compile(r"(?<=/)[A-Za-z0-9_]*[0-9_][A-Za-z0-9_-]{23,}(?=/|$)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _escape(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def mask_path(path: str) -> str:
    """The path as it may be logged."""
    return _escape(_TOKEN_LIKE.sub("…", _CHECKOUT_ID.sub("…", path)))


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = mask_path(environ.get("PATH_INFO") or "")
        safe = {key: value for key, value in atoms.items() if not key.startswith("{")}
        safe.update({
            "U": path,
            "r": f"{_escape(str(atoms.get('m') or '-'))} {path} {_escape(str(atoms.get('H') or '-'))}",
            "m": _escape(str(atoms.get("m") or "-")),
            "q": "-",
            "f": "-",
            "a": _escape(str(atoms.get("a") or "-")),
            "u": "-",
        })
        return safe
