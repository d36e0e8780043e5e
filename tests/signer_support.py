"""Shared pieces of the signer tests: one test PKI per test process, signing helpers, and
the external checker (poppler's ``pdfsig`` with an NSS store holding the city root)."""

from __future__ import annotations

import atexit
import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path

from signer.keys.pkcs12 import Pkcs12Key
from signer.pki import CityPki, init_pki
from signer.signing import APPROVAL, Level, SigningPolicy, Stamp, sign_pdf
from signer.trust import TrustPolicy, local_timestamper

PASSPHRASE = "kunci-rahasia-uji"


def _temp_dir(prefix: str) -> Path:
    """A directory for this test process, removed when it exits (the PKIs outlive fixtures)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@cache
def city_pki() -> CityPki:
    """The city PKI plus the odd certificates the tamper tests need (revoked, expired)."""
    pki = init_pki(_temp_dir("smartcity-pki-") / "pki", passphrase=PASSPHRASE.encode())
    pki.issue("dicabut", "Pejabat Dicabut", "Staf", passphrase=PASSPHRASE.encode())
    pki.revoke("dicabut", passphrase=PASSPHRASE.encode(), when=datetime.now(timezone.utc) - timedelta(hours=1))
    now = datetime.now(timezone.utc)
    pki.issue("kedaluwarsa", "Pejabat Kedaluwarsa", "Staf", passphrase=PASSPHRASE.encode(),
              not_before=now - timedelta(days=400), not_after=now - timedelta(days=1))
    return pki


@cache
def foreign_pki() -> CityPki:
    """A CA nobody configured as trusted."""
    return init_pki(_temp_dir("smartcity-foreign-") / "pki", passphrase=PASSPHRASE.encode(),
                    officials=(("palsu", "Pejabat Palsu", "Wali Kota"),), common_name="Not The City Root CA")


def trust() -> TrustPolicy:
    return TrustPolicy.from_pki(city_pki())


def sign_as(pdf: bytes, slug: str, *, pki: CityPki | None = None, policy: SigningPolicy = APPROVAL,
            timestamp: bool = True, number: str = "001/TTE-SMD/2026") -> bytes:
    """Sign with an official's key, without the pre-signing certificate check (tamper tests
    need signatures made with bad certificates)."""
    pki = pki or city_pki()
    official = pki.official(slug)
    if not timestamp:
        policy = replace(policy, level=Level.B_B)
    with Pkcs12Key.from_file(official.p12).unlocked(PASSPHRASE) as signer:
        return sign_pdf(pdf, signer, trust=TrustPolicy(), policy=policy, timestamper=local_timestamper(pki) if timestamp else None,
                        stamp=Stamp(official.name, official.position, number, "http://localhost:8000/verify/d/x"))


def pdfsig_nssdir(tmp: Path, *, with_root: bool = True) -> Path | None:
    """An NSS store (trusting the test root unless told not to); None when certutil is missing."""
    if not shutil.which("certutil"):
        return None
    nss = tmp / ("nss" if with_root else "nss-empty")
    nss.mkdir(exist_ok=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    if with_root:
        subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "samarinda-test-root", "-t", "CT,C,C",
                        "-i", str(city_pki().dir / "root.pem")], check=True, capture_output=True)
    return nss


def pdfsig(path: Path, nssdir: Path | None = None) -> list[dict]:
    """pdfsig's verdict per signature (it exits 0 even for bad signatures: parse the lines)."""
    args = ["pdfsig"] + (["-nssdir", f"sql:{nssdir}"] if nssdir else []) + [str(path)]
    out = subprocess.run(args, capture_output=True, text=True, timeout=60).stdout
    signatures = []
    for block in re.split(r"^Signature #\d+:", out, flags=re.M)[1:]:
        fields = dict(re.findall(r"^[ \t]+- ([^:\n]+): (.*)$", block, flags=re.M))
        signatures.append(fields)
    return signatures
