"""Turn configuration (a PKI directory, extra root and CRL files, a TSA URL) into the trust
policy and timestamp authority that signing and verification use.

After ``smartcity signer init-pki`` the default PKI directory holds the city's test root, CRL
and TSA, so sign and verify work with no further setup. Production points ``tsa_url`` at a
certified provider's TSA and lists the provider's roots as certified roots.
"""

from __future__ import annotations

from pathlib import Path

from pyhanko.sign.timestamps import TimeStamper

from signer.pki import CityPki
from signer.trust import TrustPolicy, http_timestamper, local_timestamper

__all__ = ["load_trust", "load_timestamper"]


def _files(value: str | None) -> list[Path]:
    return [Path(p) for p in (value or "").split(",") if p.strip()]


def load_trust(pki_dir: Path | None, *, roots: str | None = None, crls: str | None = None,
               certified_roots: str | None = None) -> TrustPolicy:
    """The PKI's root and CRL (when the directory holds one) plus the listed files (comma-separated)."""
    base = TrustPolicy.from_files(_files(roots), _files(crls), _files(certified_roots))
    if pki_dir is not None and CityPki.exists(pki_dir):
        pki_trust = TrustPolicy.from_pki(CityPki(pki_dir))
        return base.merged(roots=pki_trust.roots, crls=pki_trust.crls)
    return base


def load_timestamper(pki_dir: Path | None, *, tsa_url: str | None = None) -> TimeStamper | None:
    if tsa_url:
        return http_timestamper(tsa_url)
    if pki_dir is not None and CityPki.exists(pki_dir):
        return local_timestamper(CityPki(pki_dir))
    return None
