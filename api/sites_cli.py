"""``smartcity sites``: build and publish the city's static sites (docs, covid, storefront)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from api.config import Settings
from api.schema import migrate_all

__all__ = ["sites_group", "build_named_site", "demo_sites"]


@click.group("sites", help="Static sites: docs, covid, storefront, dashboard.")
def sites_group() -> None:
    pass


def _openapi_document() -> dict:
    """The API's own OpenAPI document, for the API reference pages (no database is touched)."""
    import tempfile

    from api import create_app

    with tempfile.TemporaryDirectory() as scratch:
        app = create_app(Settings(database_url=f"sqlite:///{scratch}/openapi.db", storage_url=f"file://{scratch}",
                                  var_dir=Path(scratch)))
        document = app.api_doc
        app.extensions["smartcity"].engine.dispose()
        return document


def build_named_site(name: str, out: Path):
    from api.storefront import dashboard_settings, storefront_settings
    from sites.programme.build import DocsBuildError
    from sites.registry import UnknownSite, build_site
    from sites.transparency.covid_site.build import SiteBuildError

    settings = Settings()
    if name in ("covid", "storefront"):
        migrate_all(settings)  # the site reads the database's tables, empty or not
    try:
        return build_site(name, out, openapi=_openapi_document() if name == "docs" else None,
                          database_url=settings.database_url,
                          storefront=storefront_settings(settings) if name == "storefront" else None,
                          dashboard=dashboard_settings(settings) if name == "dashboard" else None)
    except (UnknownSite, DocsBuildError, SiteBuildError) as error:
        raise click.ClickException(str(error))


@sites_group.command("build", help="Build a site (docs, covid, storefront, dashboard) into --out (default var/build/NAME).")
@click.argument("name")
@click.option("--out", type=click.Path(path_type=Path), default=None)
def sites_build(name: str, out: Path | None) -> None:
    out = out or Settings().var_dir / "build" / name
    click.echo(f"building {name} into {out} ...")
    result = build_named_site(name, out)
    click.echo(result.summary())


@sites_group.command("publish", help="Publish a built site to s3://BUCKET/PREFIX or file:///DIR, uploading only what changed.")
@click.argument("name")
@click.option("--to", "target", required=True, help="s3://BUCKET/PREFIX or file:///DIR")
@click.option("--from", "source", type=click.Path(path_type=Path), default=None, help="built site (default var/build/NAME)")
@click.option("--endpoint-url", default=None, help="S3-compatible endpoint (SeaweedFS, MinIO, Ceph RGW, R2)")
@click.option("--dry-run", is_flag=True, help="print the plan and change nothing")
@click.option("--max-deletes", default=256, show_default=True, type=int, help="refuse to delete more files than this; -1 for no limit")
@click.option("--jobs", default=16, show_default=True, type=int, help="parallel uploads")
@click.option("--verify", is_flag=True, help="list the target too, to find files its manifest does not know (put there by hand)")
def sites_publish(name, target, source, endpoint_url, dry_run, max_deletes, jobs, verify) -> None:
    from botocore.exceptions import BotoCoreError, ClientError

    from sites.publish import PublishLocked, PublishOptions, TooManyDeletes, UploadFailed, publish
    from sites.publish.headers import UnknownFileType
    from sites.publish.manifest import BadSiteFile
    from sites.registry import UnknownSite, site
    from sites.storage import open_storage

    try:
        site(name)
    except UnknownSite as error:
        raise click.ClickException(str(error))
    source = source or Settings().var_dir / "build" / name
    try:
        storage = open_storage(target, endpoint_url=endpoint_url)
    except ValueError as error:
        raise click.ClickException(str(error))
    options = PublishOptions(dry_run=dry_run, max_deletes=None if max_deletes < 0 else max_deletes, jobs=jobs,
                             verify=verify)
    bar = {}

    def on_plan(plan):
        for phase, keys in plan.uploads.items():
            if dry_run and keys:
                click.echo(f"  {phase}: {len(keys)} to upload, e.g. {', '.join(keys[:3])}")
        if dry_run and plan.deletes:
            click.echo(f"  delete: {len(plan.deletes)} stale, e.g. {', '.join(plan.deletes[:3])}")
        if not dry_run and (plan.upload_count or plan.deletes):
            bar["it"] = click.progressbar(length=plan.upload_count + len(plan.deletes), label="publishing", file=sys.stderr)
            bar["it"].__enter__()

    def progress(phase, n):
        if "it" in bar:
            bar["it"].update(n)

    try:
        summary = publish(name, source, storage, target=target, options=options, progress=progress, on_plan=on_plan)
    except (PublishLocked, TooManyDeletes, FileNotFoundError, BadSiteFile, UnknownFileType) as error:
        raise click.ClickException(str(error))
    except (ClientError, BotoCoreError, OSError, UploadFailed) as error:  # missing bucket, refused credentials, no network
        raise click.ClickException(f"publishing to {target} failed: {error}")
    finally:
        if "it" in bar:
            bar["it"].__exit__(None, None, None)
    click.echo(summary.line())


def demo_sites(settings: Settings) -> None:
    """Build every finished site and publish it to var/sites/ with the same publisher as S3."""
    from sites.publish import publish
    from sites.registry import SITES
    from sites.storage import open_storage

    for name, spec in SITES.items():
        if not spec.built:
            continue
        out = settings.var_dir / "build" / name
        click.echo(f"building site {name} ...")
        build_named_site(name, out)
        target = (settings.var_dir / "sites" / name).as_uri()
        summary = publish(name, out, open_storage(target), target=target)
        click.echo(summary.line() + f"  (served at {spec.mount})")
