"""Shared fixtures.

Every test that takes ``backend`` (directly or through ``app``/``client``) runs once on SQLite
and once on PostgreSQL. PostgreSQL comes from ``SMARTCITY_TEST_POSTGRES`` (``make test`` sets
it to the machine's server); each run gets a throw-away database. Without a reachable server
those tests skip, except under ``CI=true`` where a missing component fails the run.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlalchemy import text

from api import create_app
from api.config import Settings
from commerce.accounts.passwords import use_hasher
from commerce.db import make_engine
from commerce.migrate import upgrade
from commerce.models import Base
from sites.transparency.models import TransparencyBase
from sites.transparency.migrate import upgrade as upgrade_transparency
from signer.migrate import upgrade as upgrade_signer
from signer.models import SignerBase
from tests.browser import chromium  # noqa: F401  (one browser for the session, shared by every module)
from tests.helpers import ApiClient

# Argon2 at production cost makes every registration ~50 ms; the tests check behaviour, and
# tests/test_accounts.py checks the production parameters separately.
use_hasher(PasswordHasher.from_parameters(CHEAPEST))

IN_CI = os.environ.get("CI", "").lower() == "true"


def missing_component(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing component fails the run)")
    pytest.skip(reason)


def pytest_addoption(parser):
    parser.addoption("--backends", default="sqlite,postgresql", help="comma-separated database backends to run on")


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        backends = metafunc.config.getoption("--backends").split(",")
        metafunc.parametrize("backend", backends, scope="session")


def _postgres_database(tmp_root: Path):
    import psycopg

    admin_url = os.environ.get("SMARTCITY_TEST_POSTGRES")
    if not admin_url:
        missing_component("PostgreSQL: SMARTCITY_TEST_POSTGRES is not set (make test sets it)")
    name = f"smartcity_test_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        missing_component(f"PostgreSQL not reachable at {admin_url}: {error}")
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}", lambda: _drop_postgres(admin_url, name)


def _drop_postgres(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(backend, tmp_path_factory):
    """A migrated, empty database for this backend, shared by the session's tests."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
        cleanup = lambda: None  # noqa: E731
    elif backend == "postgresql":
        url, cleanup = _postgres_database(tmp_path_factory.getbasetemp())
    else:
        raise ValueError(f"unknown backend {backend}")
    upgrade(url)
    upgrade_transparency(url)
    upgrade_signer(url)
    yield url
    cleanup()


def wipe(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.begin() as conn:
        for table in [*reversed(Base.metadata.sorted_tables), *reversed(TransparencyBase.metadata.sorted_tables),
                      *reversed(SignerBase.metadata.sorted_tables)]:
            conn.execute(text(f"DELETE FROM {table.name}"))
    engine.dispose()


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app on the session's database with settings overridden per test."""
    apps = []

    def factory(**overrides):
        settings = Settings(
            database_url=database_url,
            storage_url=(tmp_path / "storage").as_uri(),
            ratelimit_enabled=False,
            public_cache_seconds=0,  # tests read their own writes; tests/test_public_cache.py covers the cache
            var_dir=tmp_path,
        ).with_(**overrides)
        app = create_app(settings)
        app.config["TESTING"] = True
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.extensions["smartcity"].engine.dispose()
    wipe(database_url)


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def api(app) -> ApiClient:
    return ApiClient(app)
