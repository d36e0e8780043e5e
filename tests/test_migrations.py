"""The commerce migrations: they build the schema the models describe, and they refuse to
enforce a rule that existing data breaks instead of changing what buyers were told."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from commerce.migrate import upgrade
from commerce.models import Base


def test_the_migrated_schema_is_the_one_the_models_describe(tmp_path):
    url = f"sqlite:///{tmp_path / 'schema.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_pending_transfers_that_share_an_amount_stop_the_migration_with_what_to_do(tmp_path):
    path = tmp_path / "market.db"
    upgrade(f"sqlite:///{path}", "0002")
    with sqlite3.connect(path) as db:  # rows as an older release could leave them (no foreign keys here)
        db.executemany(
            "INSERT INTO payments (order_id, method, status, amount, reference, instructions_json, created_at) "
            "VALUES (?, 'bank_transfer', ?, ?, '0000000000', '{}', '2026-12-01 10:00:00')",
            [(1, "pending", 35017), (2, "pending", 35017), (3, "paid", 35018), (4, "pending", 35018)],
        )
    with pytest.raises(RuntimeError, match=r"1 pending bank transfers share an amount .*0000000000 amount 35017 \(2 orders\)"):
        upgrade(f"sqlite:///{path}")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE payments SET status = 'cancelled' WHERE order_id = 2")
    upgrade(f"sqlite:///{path}")
    with sqlite3.connect(path) as db, pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO payments (order_id, method, status, amount, reference, instructions_json, created_at) "
                   "VALUES (5, 'bank_transfer', 'pending', 35017, '0000000000', '{}', '2026-12-02 10:00:00')")
