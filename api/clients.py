"""Who a request comes from, for rate limits and for capping what one client's carts hold.

The address is the one Werkzeug sees after ``ProxyFix`` (``SMARTCITY_PROXY_HOPS`` trusted
proxies), so a client cannot pick its own address with ``X-Forwarded-For`` unless a proxy we
trust put it there. IPv6 clients are counted per /64: that is one subscriber's network, and
anyone holding one has 2^64 addresses to rotate through.

Cart holds are stored against a keyed hash of the address, never the address itself: the key
(``SMARTCITY_SECRET_KEY``, or one made once in the var folder) never leaves the server, so the
stored value cannot be turned back into an address by trying all 2^32 of them.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import time
from pathlib import Path

from flask import current_app, g, request

__all__ = ["client_address", "client_key", "load_secret_key"]


def client_address() -> str:
    """The client's address as rate limits count it (an IPv6 address as its /64 network)."""
    raw = request.remote_addr or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def client_key() -> str:
    """A stable pseudonym of the client's address (32 hex characters)."""
    if "client_key" not in g:
        key = current_app.extensions["smartcity"].secret_key
        g.client_key = hmac.new(key, b"client:" + client_address().encode(), hashlib.sha256).hexdigest()[:32]
    return g.client_key


def load_secret_key(configured: str | None, var_dir: Path) -> bytes:
    """The configured key, or the one kept in ``<var>/secret-key`` (made on first use, 0600).

    Several workers may start at once: the file is created exclusively, and a worker that loses
    the race reads the winner's key.
    """
    if configured:
        return configured.encode()
    path = var_dir / "secret-key"
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        pass
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_when_written(path)
    with os.fdopen(fd, "w") as out:
        out.write(key.hex())
    return key


def _read_when_written(path: Path) -> bytes:
    # The winner writes 64 hex characters right after creating the file.
    for _ in range(100):
        text = path.read_text().strip()
        if len(text) == 64:
            return bytes.fromhex(text)
        time.sleep(0.01)
    raise RuntimeError(f"{path} exists but holds no key; remove it and start again")
