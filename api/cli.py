"""The ``smartcity`` command: ``smartcity <area> <verb>`` (ARCHITECTURE.md, conventions)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from api.config import Settings
from api.schema import migrate_all

__all__ = ["main"]


@click.group(help="Samarinda smart-city platform.")
def main() -> None:
    pass


def _uow(settings: Settings):
    from commerce.db import make_engine, make_session_factory
    from commerce.unit_of_work import UnitOfWork

    return UnitOfWork(make_session_factory(make_engine(settings.database_url)))


def _migrate(settings: Settings) -> None:
    migrate_all(settings)


@main.group(help="Database schema.")
def db() -> None:
    pass


@db.command("upgrade", help="Apply every pending migration (safe to run again).")
def db_upgrade() -> None:
    _migrate(Settings())
    click.echo("database is up to date")


@db.command("revision", help="Autogenerate a migration from the models (for developers; read the result).")
@click.argument("message")
def db_revision(message: str) -> None:
    from alembic import command

    from commerce.migrate import alembic_config

    settings = Settings()
    _migrate(settings)
    command.revision(alembic_config(settings.database_url), message=message, autogenerate=True)


@main.group(help="Accounts.")
def users() -> None:
    pass


def _read_password() -> str:
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    return password


@users.command("create-admin", help="Create an admin (or promote an account); the password is read from standard input.")
@click.argument("email")
@click.option("--name", default="Admin", show_default=True)
def create_admin(email: str, name: str) -> None:
    from commerce.accounts.services import create_admin as create
    from commerce.errors import CommerceError

    settings = Settings()
    _migrate(settings)
    password = _read_password()
    try:
        with _uow(settings) as uow:
            user = create(uow, email=email, password=password, name=name)
            click.echo(f"admin {user.email} (id {user.id}) is ready")
    except CommerceError as error:
        fields = "; ".join(f"{f}: {m}" for f, m in error.errors) or error.detail
        raise click.ClickException(fields)


def _import_max_bytes(settings: Settings) -> int:
    raw = settings.import_max_mb
    try:
        return int(float(raw) * 1024 * 1024)
    except ValueError:
        raise click.ClickException(f"SMARTCITY_IMPORT_MAX_MB must be a number of megabytes, not {raw!r}")


def _who() -> str:
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except Exception:  # no user name in a bare container
        user = str(os.getuid())
    return f"{user}@{socket.gethostname()}"


def _import(kind: str, file: Path, dry_run: bool, imported_by: str | None) -> None:
    """Shared by `bansos import` and `covid import`: progress on stderr, the report, the exit code."""
    from sites.transparency.importer import ImportRejected, import_file
    from sites.transparency.schema import format_int

    settings = Settings()
    max_bytes = _import_max_bytes(settings)
    _migrate(settings)

    def progress(phase: str, done: int, total: int | None) -> None:
        label = {"checking": "memeriksa", "writing": "menyimpan"}.get(phase, phase)
        of_total = f" dari {format_int(total)}" if total else ""
        click.echo(f"  {label}: {format_int(done)} baris{of_total}", err=True)

    click.echo(f"{'checking' if dry_run else 'importing'} {kind} file {file} ...", err=True)
    try:
        with _uow(settings) as uow:
            summary = import_file(uow, kind, file, dry_run=dry_run, imported_by=imported_by or _who(),
                                  max_bytes=max_bytes, progress=progress)
    except ImportRejected as rejected:
        for line in rejected.report_lines():
            click.echo(line, err=True)
        sys.exit(1)
    click.echo(summary.line())


def _history(kind: str, limit: int) -> None:
    from sites.transparency.importer import CITY_ZONE, list_imports

    settings = Settings()
    _migrate(settings)
    with _uow(settings) as uow:
        imports = list_imports(uow, kind, limit=limit)
    if not imports:
        click.echo(f"no {kind} imports yet")
        return
    click.echo(f"{'id':>5}  {'imported (WITA)':16}  {'rows':>8}  {'status':17}  {'sha256':12}  {'by':20}  file; replaced periods")
    for imp in imports:
        when = imp.imported_at.astimezone(CITY_ZONE).strftime("%Y-%m-%d %H:%M")
        replaced = ", ".join(imp.replaced_periods[:6]) + (" ..." if len(imp.replaced_periods) > 6 else "")
        click.echo(f"{imp.id:>5}  {when:16}  {imp.rows:>8}  {imp.status:17}  {imp.sha256[:12]}  "
                   f"{imp.imported_by[:20]:20}  {imp.file_name}; {len(imp.replaced_periods)} replaced"
                   + (f" ({replaced})" if replaced else ""))


def _add_import_group(kind: str, what: str, columns: str, period: str) -> None:
    """`smartcity KIND import FILE [--dry-run] [--by WHO]` and `smartcity KIND imports`."""
    group = click.Group(kind, help=f"{what[0].upper() + what[1:]} for the transparency site: imports and their history.")

    @group.command("import", help=f"Import {what} from CSV or XLSX (columns: {columns}); every row is checked "
                   f"against sites/transparency/schemas/{kind}.schema.json; all or nothing; {period} "
                   "re-imported is replaced.")
    @click.argument("file", type=click.Path(path_type=Path))  # existence and size: checked by the importer
    @click.option("--dry-run", is_flag=True, help="validate and report; import nothing")
    @click.option("--by", "imported_by", default=None, help="who imports, for the history (default user@host)")
    def import_command(file: Path, dry_run: bool, imported_by: str | None) -> None:
        _import(kind, file, dry_run, imported_by)

    @group.command("imports", help=f"The history of {kind} imports, newest first.")
    @click.option("--limit", default=50, show_default=True, type=int)
    def imports_command(limit: int) -> None:
        _history(kind, limit)

    main.add_command(group)


_add_import_group("bansos", "bansos recipients",
                  "nik, no_kk, nama, alamat, rt, rw, kelurahan, kecamatan, program, periode, nilai, status",
                  "a program and period")
_add_import_group("covid", "COVID-19 daily figures per kecamatan",
                  "tanggal, kecamatan, konfirmasi, sembuh, meninggal, aktif, suspek", "a date")


@main.group(help="Orders.")
def orders() -> None:
    pass


@orders.command("expire", help="Record the expiry of unpaid bank-transfer orders past their deadline.")
def orders_expire() -> None:
    from commerce.orders.services import expire_overdue

    settings = Settings()
    with _uow(settings) as uow:
        count = expire_overdue(uow)
    click.echo(f"expired {count} unpaid order(s); their stock was already available again")


@main.command(help="Run the embedded demo: migrate, load demo data once, serve on http://HOST:PORT.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--serve/--no-serve", default=True, help="--no-serve prepares everything and exits.")
def demo(host: str, port: int, workers: int, serve: bool) -> None:
    from commerce.demo import has_data, load_demo_data
    from sites.storage import open_storage

    settings = Settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    click.echo(f"database: {settings.database_url}")
    _migrate(settings)
    credentials_file = settings.var_dir / "demo-credentials.json"
    with _uow(settings) as uow:
        if has_data(uow):
            click.echo("demo data already loaded; keeping it")
        else:
            click.echo("loading demo data (stores, products, pictures)...")
            storage = open_storage(settings.storage_url, public_url=settings.storage_public_url,
                                   endpoint_url=settings.s3_endpoint_url)
            creds = load_demo_data(uow, storage, progress=click.echo)
            credentials_file.write_text(json.dumps(creds._asdict(), indent=2))
            credentials_file.chmod(0o600)
    if credentials_file.exists():
        creds = json.loads(credentials_file.read_text())
        click.echo("")
        click.echo("Demo accounts (demo only; stored in " + str(credentials_file) + "):")
        click.echo(f"  admin : {creds['admin_email']}  password: {creds['admin_password']}")
        click.echo(f"  seller: {creds['seller_email']}  password: {creds['seller_password']}")
    _demo_transparency(settings)
    _demo_sites(settings)
    click.echo("")
    click.echo(f"Serving on http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs)")
    if serve:
        import subprocess

        from api.server import serve as run_server

        # The worker beside the server: it republishes the storefront after sellers' edits.
        worker_process = subprocess.Popen([sys.executable, "-c", "from api.cli import main; main(['worker'])"])
        try:
            run_server(settings, host=host, port=port, workers=workers)
        finally:
            worker_process.terminate()
            worker_process.wait(timeout=30)


def _demo_transparency(settings: Settings) -> None:
    """Synthetic bansos recipients and COVID-19 figures, imported once into empty tables."""
    from commerce.db import make_engine, make_session_factory
    from commerce.unit_of_work import UnitOfWork
    from sites.transparency.demo import has_transparency_data, load_demo_transparency

    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    try:
        with UnitOfWork(sessions) as uow:
            if has_transparency_data(uow):
                click.echo("transparency data already imported; keeping it")
                return
        click.echo("importing demo transparency data (synthetic recipients and COVID-19 figures)...")
        load_demo_transparency(lambda: UnitOfWork(sessions), progress=lambda line: click.echo("  " + line))
    finally:
        engine.dispose()


@main.command(help="Run the background worker: republishes the storefront after catalog changes. Run one.")
@click.option("--workers", default=1, show_default=True, type=int, help="worker threads")
def worker(workers: int) -> None:
    from api.worker import Jobs

    settings = Settings()
    migrate_all(settings)
    click.echo(f"worker: queue {settings.queue_url.split('@')[-1]}, storefront -> {settings.storefront_target}")
    Jobs(settings).run_worker(workers=workers)


@main.command(help="Serve the API with gunicorn using the environment's settings (production).")
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=(os.cpu_count() or 1) * 2 + 1, show_default="2 x CPUs + 1", type=int)
def serve(host: str, port: int, workers: int) -> None:
    from api.server import serve as run_server

    run_server(Settings(), host=host, port=port, workers=workers)


from api.signer_cli import sign_command, signer_group, verify_command  # noqa: E402
from api.sites_cli import demo_sites as _demo_sites, sites_group  # noqa: E402

main.add_command(sites_group)
main.add_command(signer_group)
main.add_command(sign_command)
main.add_command(verify_command)

if __name__ == "__main__":
    main()
