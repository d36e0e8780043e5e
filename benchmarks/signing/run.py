"""Signing benchmark: signatures and verifications per second through the HTTP API, against
calling pyHanko directly with the same key, the same timestamp authority and the same stamp,
in the same run.

One run

1. creates a city test PKI (``signer.pki.init_pki``, encrypted keys) and a throw-away SQLite
   database (or PostgreSQL with ``--backend postgresql``) migrated like ``smartcity db upgrade``;
2. starts the real app with gunicorn (``api.wsgi:app``, ``--concurrency`` sync workers: one
   request at a time per process, like one direct process; ``SMARTCITY_BENCH_WORKER_CLASS=gthread``
   for what ``smartcity serve`` runs) on a free loopback port; creates a city staff account and
   enrols it as a signer (``POST /signers``);
3. for each document (a 2-page letter and a 50-page PDF, ``signer.samples.letter_pdf``, every
   request a distinct file because the city refuses to issue the same file twice):

   - *direct sign*: ``--concurrency`` processes each load the PKCS#12 key once and call
     ``pyhanko.sign.signers.PdfSigner.sign_pdf`` (PAdES, SHA-256, the PKI's in-process TSA, the
     same QR stamp: same text, a verify URL of the same length) back to back;
   - *direct sign+unlock*: the same, but ``SimpleSigner.load_pkcs12_data`` decrypts the PKCS#12
     file for every signature (the API gets the passphrase with each request and never stores
     it); the timestamper and stamp style are built once per process, as the server caches them;
   - *API sign*: as many client processes ``POST /api/v1/signatures`` (multipart file +
     passphrase, ``level`` = ``--level``) and read the signed PDF; the server unlocks the key
     with the passphrase, checks the certificate, signs, stores both files by SHA-256 and
     appends to the audit chain for every request;
   - *direct verify*: ``PdfFileReader`` + ``validate_pdf_signature`` with a
     ``ValidationContext(trust_roots, crls, allow_fetching=False)`` on a signed file, pyHanko as
     shipped (every direct phase is); *direct verify+fast-hex* is the same with the API's
     faster reader of hex strings (``signer/pdf_speedups.py``) installed: a reference that
     shows what the API's own overhead is;
   - *API verify*: ``POST /api/v1/verifications`` with the same file (a city-issued file, so
     each check is also looked up by SHA-256 and logged in the audit chain);

4. prints operations/s for each and the API/direct ratio against the target (>= 0.80), writes
   ``results/<timestamp>.json``, stops the server and removes the temp dir.

Run from the repository root: ``.venv/bin/python benchmarks/signing/run.py``.
"""

from __future__ import annotations

import argparse
import functools
import http.client
import io
import json
import multiprocessing
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(HERE.parent), str(REPO)]  # benchmarks/ (proc.py), the repository

import requests  # noqa: E402
from proc import free_port, stop_process_group  # noqa: E402

from signer.reservation import container_size  # noqa: E402
from signer.samples import letter_pdf  # noqa: E402

PASSPHRASE = "benchmark-passphrase"
PASSWORD = "benchmark-password-2020"
TARGET = 0.80
# One request at a time per worker process, like one direct pyHanko process. gthread workers
# (what `smartcity serve` runs) let keep-alive connections pile onto one worker while the other
# core idles (see benchmarks/catalog); signing is CPU-bound, so that would measure the load
# balancing rather than the API.
WORKER_CLASS = os.environ.get("SMARTCITY_BENCH_WORKER_CLASS", "sync")


def _document(pages: int, worker: int, n: int) -> bytes:
    return letter_pdf(pages, subject=f"Perihal: uji kinerja {worker}-{n}-{time.monotonic_ns()}")


# -- direct pyHanko -------------------------------------------------------------------------------

def _direct_signer(pki_dir: str, worker: int):
    """A function making a ``PdfSigner`` from the PKCS#12 key: the timestamper, the stamp style and
    the key file's bytes are set up once per process, like the server's cached signer setup."""
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
    from pyhanko.stamp import QRStampStyle

    from signer.pki import CityPki
    from signer.signing import STAMP_BOX, STAMP_TEXT
    from signer.trust import local_timestamper

    pki = CityPki(Path(pki_dir))
    p12 = pki.official("walikota").p12.read_bytes()
    timestamper = local_timestamper(pki)
    style = QRStampStyle(stamp_text=STAMP_TEXT, border_width=1)

    def make():
        key = signers.SimpleSigner.load_pkcs12_data(p12, (), passphrase=PASSPHRASE.encode())
        return signers.PdfSigner(
            signers.PdfSignatureMetadata(field_name="Tandatangan1", md_algorithm="sha256",
                                         subfilter=SigSeedSubFilter.PADES),
            key, timestamper=timestamper, stamp_style=style,
            new_field_spec=SigFieldSpec("Tandatangan1", on_page=-1, box=STAMP_BOX))

    # The same stamp text and QR content as the API's: a verify URL with a 22-character document
    # id (``secrets.token_urlsafe(16)``) and a number in the city's format. A shorter URL makes a
    # smaller QR code (version 3 instead of 4), which is ~1.7 ms cheaper to draw.
    params = {"url": "http://localhost:8000/verify/d/" + secrets.token_urlsafe(16), "position": "Wali Kota Samarinda",
              "number": f"{worker + 1:05d}/TTE-SMD/2026"}
    return make, params


def _use_hex_reader(fast: bool) -> None:
    """The direct phases are pyHanko as shipped, unless a phase says otherwise: importing
    ``signer.signing`` or ``signer.validation`` installs the API's faster hex-string reader
    (``signer/pdf_speedups.py``) into pyHanko, so each direct process sets it explicitly."""
    from signer import pdf_speedups

    (pdf_speedups.install if fast else pdf_speedups.uninstall)()
    assert pdf_speedups.installed() == fast


def _direct_sign_loop(pki_dir: str, pages: int, unlock_each: bool, worker: int, warmup: float, duration: float,
                      out, reserve: int | None = None):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    make, params = _direct_signer(pki_dir, worker)
    _use_hex_reader(False)
    pdf_signer = make()
    done, n, start = 0, 0, time.monotonic()
    measure_from, stop = start + warmup, start + warmup + duration
    while (now := time.monotonic()) < stop:
        data = _document(pages, worker, n)
        n += 1
        if unlock_each:  # the passphrase comes with each request: decrypt the PKCS#12 file each time
            pdf_signer = make()
        pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), output=io.BytesIO(),
                            appearance_text_params=params, bytes_reserved=reserve)
        if now >= measure_from:
            done += 1
    out.put(done)


def _direct_verify_loop(pki_dir: str, signed: bytes, worker: int, warmup: float, duration: float, out,
                        fast_hex: bool = False):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from signer.pki import CityPki
    from signer.trust import TrustPolicy

    trust = TrustPolicy.from_pki(CityPki(Path(pki_dir)))
    _use_hex_reader(fast_hex)
    done, start = 0, time.monotonic()
    measure_from, stop = start + warmup, start + warmup + duration
    while (now := time.monotonic()) < stop:
        reader = PdfFileReader(io.BytesIO(signed), strict=False)
        for sig in reader.embedded_regular_signatures:
            context = ValidationContext(trust_roots=list(trust.roots), crls=list(trust.crls), allow_fetching=False,
                                        revocation_mode="hard-fail")
            assert validate_pdf_signature(sig, context).bottom_line
        if now >= measure_from:
            done += 1
    out.put(done)


# -- through the API ------------------------------------------------------------------------------

class _Client:
    """One keep-alive connection and hand-built multipart bodies (``http.client``). The client
    processes share the two cores with the server, and ``requests`` spends ~2 ms of CPU on a
    multipart POST against ~0.6 ms here: that would be load-generator cost, not the API's."""

    BOUNDARY = "smartcity-bench-3f9a1c"

    def __init__(self, base: str, token: str | None = None):
        host, _, port = base.removeprefix("http://").partition(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=120)
        self.headers = {"Content-Type": f"multipart/form-data; boundary={self.BOUNDARY}"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def post(self, path: str, pdf: bytes, **fields: str) -> tuple[int, bytes]:
        parts = [f'--{self.BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        parts += [f'--{self.BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="surat.pdf"\r\n'
                  f"Content-Type: application/pdf\r\n\r\n".encode(), pdf, f"\r\n--{self.BOUNDARY}--\r\n".encode()]
        self.conn.request("POST", path, body=b"".join(parts), headers=self.headers)
        response = self.conn.getresponse()
        return response.status, response.read()


def _api_sign_loop(base: str, token: str, pages: int, level: str, worker: int, warmup: float, duration: float, out):
    client = _Client(base, token)
    done, n, start = 0, 0, time.monotonic()
    measure_from, stop = start + warmup, start + warmup + duration
    while (now := time.monotonic()) < stop:
        data = _document(pages, 1000 + worker, n)
        n += 1
        status, body = client.post("/api/v1/signatures", data, passphrase=PASSPHRASE, level=level)
        assert status == 201 and body.startswith(b"%PDF"), body[:300]
        if now >= measure_from:
            done += 1
    out.put(done)


def _api_verify_loop(base: str, signed: bytes, worker: int, warmup: float, duration: float, out):
    client = _Client(base)
    done, start = 0, time.monotonic()
    measure_from, stop = start + warmup, start + warmup + duration
    while (now := time.monotonic()) < stop:
        status, body = client.post("/api/v1/verifications", signed)
        assert status == 200 and json.loads(body)["passed"], body[:300]
        if now >= measure_from:
            done += 1
    out.put(done)


def _run_parallel(make, concurrency: int, duration: float) -> float:
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    procs = []
    for worker in range(concurrency):
        target, args = make(worker)
        procs.append(ctx.Process(target=target, args=(*args, out)))
    for p in procs:
        p.start()
    total = sum(out.get(timeout=600) for _ in procs)
    for p in procs:
        p.join()
    return total / duration


# -- setup ----------------------------------------------------------------------------------------

def _database(backend: str, tmp: Path):
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'bench.db'}", lambda: None
    import psycopg

    admin = os.environ.get("SMARTCITY_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"smartcity_signing_bench_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{admin.rpartition('/')[0]}/{name}", drop


def _start_server(tmp: Path, env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "api.wsgi:app", "-k", WORKER_CLASS, "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
        cwd=REPO, env=env, start_new_session=True, stdout=open(tmp / "server.log", "wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if requests.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                return process, base
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    raise RuntimeError(f"server did not start; see {tmp / 'server.log'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=12.0, help="measured seconds per phase (all rounds)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of every phase")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2,
                        help="direct processes = API client processes = gunicorn workers")
    parser.add_argument("--pages", default="2,50")
    parser.add_argument("--level", default="B-T", choices=["B-T", "B-LT", "B-LTA"],
                        help="PAdES level for the API (direct pyHanko makes B-T)")
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    args = parser.parse_args()

    from api.cli import _migrate
    from api.config import Settings
    from commerce.accounts.services import create_admin
    from commerce.db import make_engine, make_session_factory
    from commerce.unit_of_work import UnitOfWork
    from signer.pki import init_pki

    tmp = Path(tempfile.mkdtemp(prefix="smartcity-signing-bench-"))
    database_url, drop = _database(args.backend, tmp)
    process = None
    try:
        pki = init_pki(tmp / "pki", passphrase=PASSPHRASE.encode())
        settings = Settings(database_url=database_url, var_dir=tmp)
        _migrate(settings)
        engine = make_engine(database_url)
        with UnitOfWork(make_session_factory(engine)) as uow:
            create_admin(uow, email="walikota@samarindakota.go.id", password=PASSWORD)
        engine.dispose()
        env = os.environ | {"DATABASE_URL": database_url, "SMARTCITY_VAR_DIR": str(tmp),
                            "SMARTCITY_STORAGE": (tmp / "storage").as_uri(), "SMARTCITY_PKI_DIR": str(tmp / "pki"),
                            "SMARTCITY_RATELIMIT_ENABLED": "0"}
        process, base = _start_server(tmp, env, args.concurrency)
        token = requests.post(f"{base}/api/v1/auth/token", json={"email": "walikota@samarindakota.go.id",
                                                                 "password": PASSWORD}).json()["access_token"]
        me = requests.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
        official = pki.official("walikota")
        enrolled = requests.post(f"{base}/api/v1/signers", headers={"Authorization": f"Bearer {token}"},
                                 data={"user_id": me["id"], "name": official.name, "position": official.position,
                                       "passphrase": PASSPHRASE},
                                 files={"file": ("walikota.p12", official.p12.read_bytes())})
        assert enrolled.status_code == 201, enrolled.text

        rows = []
        c, d, w, rounds = args.concurrency, args.duration / args.rounds, args.warmup, args.rounds
        pki_dir = str(tmp / "pki")
        for pages in [int(p) for p in args.pages.split(",")]:
            print(f"{pages}-page PDF ({len(letter_pdf(pages)) // 1024} KB) ...", flush=True)
            # The file both verify phases check: signed as the city signs every letter but a
            # worker's first (whose room for the container pyHanko still estimates, see
            # signer.reservation), so it is signed a few times and the last one is kept.
            for n in range(2 * c + 1):
                signed = requests.post(f"{base}/api/v1/signatures", headers={"Authorization": f"Bearer {token}"},
                                       files={"file": ("s.pdf", _document(pages, 9999, n))},
                                       data={"passphrase": PASSPHRASE, "level": args.level}).content
            # What the API reserves for the container once it has measured this key's signature
            # (signer.reservation): given to pyHanko directly for the "+reserved" reference.
            reserve = 2 * (container_size(signed) + 1024)
            phases = {
                "sign direct": lambda i: (_direct_sign_loop, (pki_dir, pages, False, i, w, d)),
                "sign direct+unlock": lambda i: (_direct_sign_loop, (pki_dir, pages, True, i, w, d)),
                "sign direct+unlock+reserved": lambda i: (functools.partial(_direct_sign_loop, reserve=reserve),
                                                          (pki_dir, pages, True, i, w, d)),
                "sign API": lambda i: (_api_sign_loop, (base, token, pages, args.level, i, w, d)),
                "verify direct": lambda i: (_direct_verify_loop, (pki_dir, signed, i, w, d)),
                "verify direct+fast-hex": lambda i: (functools.partial(_direct_verify_loop, fast_hex=True),
                                                     (pki_dir, signed, i, w, d)),
                "verify API": lambda i: (_api_verify_loop, (base, signed, i, w, d)),
            }
            rates = {name: 0.0 for name in phases}
            # Interleaved rounds, so that other load on the machine hits every phase alike.
            for _ in range(rounds):
                for name, make in phases.items():
                    rates[name] += _run_parallel(make, c, d) / rounds
            for op, direct_name, api_name in (("sign", "sign direct", "sign API"),
                                              ("sign", "sign direct+unlock", "sign API"),
                                              ("sign", "sign direct+unlock+reserved", "sign API"),
                                              ("verify", "verify direct", "verify API"),
                                              ("verify", "verify direct+fast-hex", "verify API")):
                direct, api = rates[direct_name], rates[api_name]
                rows.append({"pages": pages, "operation": op, "baseline": direct_name, "direct_per_s": round(direct, 2),
                             "api_per_s": round(api, 2), "ratio": round(api / direct, 3) if direct else None})
                print(f"  {direct_name:28} {direct:7.2f}/s   API {api:7.2f}/s   ratio {api / direct:5.2f}"
                      f"  (target >= {TARGET:.2f}: {'met' if api / direct >= TARGET else 'NOT met'})", flush=True)
        result = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "args": vars(args),
                  "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                              "platform": platform.platform()}, "rows": rows}
        (HERE / "results").mkdir(exist_ok=True)
        path = HERE / "results" / f"{result['when'].replace(':', '')}.json"
        path.write_text(json.dumps(result, indent=2))
        print(f"results: {path}")
    finally:
        if process is not None:
            stop_process_group(process)
        drop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
