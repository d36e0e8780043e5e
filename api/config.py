"""Every setting of the platform, read from environment variables in this one place.

The README's configuration table is this list. Defaults suit the embedded demo (SQLite and a
local folder under ``var/``); production sets ``DATABASE_URL``, ``SMARTCITY_STORAGE`` and
``SMARTCITY_RATELIMIT_STORAGE``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Settings"]


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _var_dir() -> Path:
    return Path(_env("SMARTCITY_VAR_DIR", "var")).resolve()


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=lambda: _env("DATABASE_URL", f"sqlite:///{_var_dir() / 'smartcity.db'}"))
    storage_url: str = field(default_factory=lambda: _env("SMARTCITY_STORAGE", (_var_dir() / "storage").as_uri()))
    storage_public_url: str | None = field(default_factory=lambda: os.environ.get("SMARTCITY_STORAGE_PUBLIC_URL"))
    s3_endpoint_url: str | None = field(default_factory=lambda: os.environ.get("SMARTCITY_S3_ENDPOINT_URL"))
    # A dashboard session (cookie) lasts this long; a market stall's tablet stays logged in a day.
    session_ttl_hours: int = field(default_factory=lambda: int(_env("SMARTCITY_SESSION_TTL_HOURS", "12")))
    token_ttl_hours: int = field(default_factory=lambda: int(_env("SMARTCITY_TOKEN_TTL_HOURS", "168")))
    ratelimit_storage: str = field(default_factory=lambda: _env("SMARTCITY_RATELIMIT_STORAGE", "memory://"))
    auth_rate_limit: str = field(default_factory=lambda: _env("SMARTCITY_AUTH_RATE_LIMIT", "10 per minute"))
    # Keys of this installation's counters in that storage, so that several share one Redis.
    ratelimit_key_prefix: str = field(default_factory=lambda: _env("SMARTCITY_RATELIMIT_KEY_PREFIX", "smartcity"))
    ratelimit_enabled: bool = field(default_factory=lambda: _env("SMARTCITY_RATELIMIT_ENABLED", "1") != "0")
    max_upload_bytes: int = field(default_factory=lambda: int(_env("SMARTCITY_MAX_UPLOAD_MB", "10")) * 1024 * 1024)
    max_json_bytes: int = 256 * 1024
    reservation_minutes: int = field(default_factory=lambda: int(_env("SMARTCITY_RESERVATION_MINUTES", "15")))
    # What open carts may hold (commerce/inventory/reservations.py): a cart's hold never lasts
    # beyond this many minutes after it was started, and one client (address, and account when
    # logged in) holds at most this many units in all its carts.
    reservation_max_minutes: int = field(default_factory=lambda: int(_env("SMARTCITY_RESERVATION_MAX_MINUTES", "30")))
    cart_hold_units: int = field(default_factory=lambda: int(_env("SMARTCITY_CART_HOLD_UNITS", "100")))
    # Per client address: starting checkouts, and changing or completing them.
    checkout_start_limit: str = field(default_factory=lambda: _env("SMARTCITY_CHECKOUT_START_LIMIT", "10 per minute;60 per hour"))
    # Finding an order by its number and phone, per client address.
    order_lookup_limit: str = field(default_factory=lambda: _env("SMARTCITY_ORDER_LOOKUP_LIMIT", "5 per minute;30 per hour"))
    checkout_change_limit: str = field(default_factory=lambda: _env("SMARTCITY_CHECKOUT_CHANGE_LIMIT", "60 per minute"))
    # Keys the pseudonyms of client addresses (cart holds are counted per address without
    # storing the address). Unset: a random key made once in the var folder, which is right for
    # one machine; every host behind a load balancer must be given the same value.
    secret_key: str | None = field(default_factory=lambda: os.environ.get("SMARTCITY_SECRET_KEY") or None)
    transfer_hours: int = field(default_factory=lambda: int(_env("SMARTCITY_TRANSFER_HOURS", "24")))
    bank_name: str = field(default_factory=lambda: _env("SMARTCITY_BANK_NAME", "Bank Kaltimtara"))
    bank_account_number: str = field(default_factory=lambda: _env("SMARTCITY_BANK_ACCOUNT", "0000000000"))
    bank_account_name: str = field(default_factory=lambda: _env("SMARTCITY_BANK_ACCOUNT_NAME", "Behambinan Pemkot Samarinda (demo)"))
    public_cache_seconds: float = field(default_factory=lambda: float(_env("SMARTCITY_PUBLIC_CACHE_SECONDS", "2")))
    import_max_mb: str = field(default_factory=lambda: _env("SMARTCITY_IMPORT_MAX_MB", "100"))
    proxy_hops: int = field(default_factory=lambda: int(_env("SMARTCITY_PROXY_HOPS", "0")))
    var_dir: Path = field(default_factory=_var_dir)
    # The storefront (sites/storefront): the API's address as its pages call it ("" = the same
    # origin), where the worker publishes it, which other origins the API answers (CORS), and
    # the job queue the worker takes its work from (a SQLite file, or redis://host:6379/1).
    storefront_api_url: str = field(default_factory=lambda: _env("SMARTCITY_STOREFRONT_API_URL", "").rstrip("/"))
    # Unset: var/sites/storefront and var/jobs.db under var_dir (see the properties below).
    storefront_target_url: str | None = field(default_factory=lambda: os.environ.get("SMARTCITY_STOREFRONT_TARGET") or None)
    cors_origins: str = field(default_factory=lambda: _env("SMARTCITY_CORS_ORIGINS", ""))
    queue: str | None = field(default_factory=lambda: os.environ.get("SMARTCITY_QUEUE_URL") or None)
    # Electronic signatures (signer/): the PKI made by `smartcity signer init-pki`, extra trust
    # anchors and CRLs (comma-separated PEM/DER files), an external RFC 3161 TSA, the public URL
    # that QR codes on signed letters point to, and the signing attempts allowed per client.
    pki_dir: Path = field(default_factory=lambda: Path(_env("SMARTCITY_PKI_DIR", str(_var_dir() / "pki"))).resolve())
    trust_roots: str = field(default_factory=lambda: _env("SMARTCITY_TRUST_ROOTS", ""))
    certified_roots: str = field(default_factory=lambda: _env("SMARTCITY_CERTIFIED_ROOTS", ""))
    trust_crls: str = field(default_factory=lambda: _env("SMARTCITY_CRLS", ""))
    tsa_url: str | None = field(default_factory=lambda: os.environ.get("SMARTCITY_TSA_URL") or None)
    public_url: str = field(default_factory=lambda: _env("SMARTCITY_PUBLIC_URL", "http://localhost:8000").rstrip("/"))
    sign_rate_limit: str = field(default_factory=lambda: _env("SMARTCITY_SIGN_RATE_LIMIT", "30 per minute"))
    pkcs11_modules: str = field(default_factory=lambda: _env("SMARTCITY_PKCS11_MODULES", ""))

    @property
    def storefront_target(self) -> str:
        return self.storefront_target_url or (self.var_dir / "sites" / "storefront").as_uri()

    @property
    def queue_url(self) -> str:
        return self.queue or f"sqlite:///{self.var_dir / 'jobs.db'}"

    def with_(self, **changes) -> "Settings":
        from dataclasses import replace

        return replace(self, **changes)
