"""Command-line use of the signer: ``smartcity signer init-pki``, ``smartcity signer audit
verify``, ``smartcity sign`` and ``smartcity verify``.

Key passphrases come from ``SMARTCITY_KEY_PASSPHRASE`` or standard input (a prompt on a
terminal), never from an argument, so they stay out of shell history and process lists.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from api.config import Settings

__all__ = ["signer_group", "sign_command", "verify_command"]


def _passphrase(required: bool = True) -> bytes | None:
    value = os.environ.get("SMARTCITY_KEY_PASSPHRASE")
    if value is None and required:
        if sys.stdin.isatty():
            value = click.prompt("Key passphrase", hide_input=True, err=True)
        else:
            value = sys.stdin.readline().rstrip("\r\n")
    return value.encode() if value else None


def _trust_and_tsa(settings: Settings):
    from signer.config import load_timestamper, load_trust

    trust = load_trust(settings.pki_dir, roots=settings.trust_roots, crls=settings.trust_crls,
                       certified_roots=settings.certified_roots)
    return trust, load_timestamper(settings.pki_dir, tsa_url=settings.tsa_url)


@click.group("signer", help="Electronic signatures: the test PKI and the audit trail.")
def signer_group() -> None:
    pass


@signer_group.command("init-pki", help="Create the city-internal test PKI (root CA, officials, TSA, CRL).")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
def init_pki(directory: Path | None) -> None:
    from signer.pki import init_pki as create

    directory = directory or Settings().pki_dir
    try:
        pki = create(directory, passphrase=_passphrase(required=False))
    except FileExistsError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"root CA     {directory / 'root.pem'}  (SHA-256 {pki.root.fingerprint(_sha256()).hex()})")
    click.echo(f"TSA         {directory / 'tsa.pem'}  (answers in-process)")
    click.echo(f"CRL         {directory / 'crl.pem'}")
    for official in pki.officials():
        click.echo(f"official    {official.p12}  {official.name}, {official.position}")
    protected = "SMARTCITY_KEY_PASSPHRASE" if pki.manifest["encrypted"] else "no passphrase (demo only)"
    click.echo(f"keys protected by {protected}; uncertified test PKI: signatures are labelled uncertified")


def _sha256():
    from cryptography.hazmat.primitives import hashes

    return hashes.SHA256()


@signer_group.group("audit", help="The hash-chained audit trail.")
def audit() -> None:
    pass


@audit.command("verify", help="Check every link of the audit chain; print the head hash to anchor elsewhere.")
@click.option("--expect-head", help="A head hash anchored earlier: also detects deleted newest entries.")
def audit_verify(expect_head: str | None) -> None:
    from sqlalchemy.orm import Session

    from api.cli import _migrate
    from commerce.db import make_engine
    from signer.audit import verify_chain

    settings = Settings()
    _migrate(settings)
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        check = verify_chain(session, expected_head=expect_head)
    engine.dispose()
    for problem in check.problems:
        click.echo(f"BROKEN  {problem}", err=True)
    click.echo(f"{check.entries} entries, head {check.head}: {'intact' if check.ok else 'NOT intact'}")
    sys.exit(0 if check.ok else 1)


@click.command("sign", help="Sign a PDF (PAdES B-T, or B-LT when revocation data is at hand).")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--key", "key_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Encrypted PKCS#12 file (.p12)")
@click.option("--level", type=click.Choice(["B-B", "B-T", "B-LT", "B-LTA"]), help="Default: B-LT with a CRL, else B-T")
@click.option("--paraf", is_flag=True, help="Invisible initial instead of a visible stamp")
@click.option("--number", default="-", help="Document number printed on the stamp")
def sign_command(source: Path, output: Path, key_file: Path, level: str | None, paraf: bool, number: str) -> None:
    from signer.errors import SignerError
    from signer.keys import KeyLocked
    from signer.keys.pkcs12 import Pkcs12Key
    from signer.signing import APPROVAL, PARAF, Level, Stamp, check_certificate, sign_pdf

    settings = Settings()
    trust, tsa = _trust_and_tsa(settings)
    if tsa is None and level != "B-B":
        raise click.ClickException("no timestamp authority: run 'smartcity signer init-pki' or set SMARTCITY_TSA_URL")
    policy = PARAF if paraf else APPROVAL
    if level:
        from dataclasses import replace

        policy = replace(policy, level=Level(level))
    try:
        with Pkcs12Key.from_file(key_file).unlocked(_passphrase()) as signer:
            check_certificate(signer, trust)
            subject = signer.signing_cert.subject.native
            stamp = Stamp(subject.get("common_name", "?"), subject.get("title", ""), number,
                          f"{settings.public_url}/verify")
            signed = sign_pdf(source.read_bytes(), signer, trust=trust, timestamper=tsa, policy=policy, stamp=stamp)
    except KeyLocked:
        raise click.ClickException("the key could not be opened with that passphrase") from None
    except SignerError as error:
        raise click.ClickException(error.detail) from None
    output.write_bytes(signed)
    click.echo(f"signed {source} -> {output} ({len(signed)} bytes)")


@click.command("verify", help="Verify every signature in a PDF; exit 0 only when all pass.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON")
def verify_command(file: Path, as_json: bool) -> None:
    from signer.errors import NotAPdf
    from signer.validation import verify_pdf

    trust, _ = _trust_and_tsa(Settings())
    try:
        report = verify_pdf(file.read_bytes(), trust)
    except NotAPdf as error:
        raise click.ClickException(error.detail) from None
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(f"{file}: {report.indication} ({len(report.signatures)} signature(s)), SHA-256 {report.sha256}")
        if not report.signatures:
            click.echo("  no signatures")
        for s in report.signatures:
            click.echo(f"  {s.field}: {s.indication} {s.reason} - {s.signer} ({s.position}); level {s.level}; "
                       f"signed {s.signing_time}; timestamp {s.timestamp_time}; "
                       f"{'certified provider' if s.certified_provider else 'uncertified'}")
    sys.exit(0 if report.passed else 1)
