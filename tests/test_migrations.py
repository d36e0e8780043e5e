"""The commerce migrations: they build the schema the models describe, and they refuse to
enforce a rule that existing data breaks instead of changing what buyers were told."""

from __future__ import annotations

import os
import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from commerce.db import make_engine
from commerce.migrate import include_in_autogenerate, upgrade
from commerce.models import Base


def _differences(url: str) -> list:
    engine = make_engine(url)
    options = {"include_name": lambda name, type_, _parents: include_in_autogenerate(name, type_, Base.metadata)}
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts=options), Base.metadata)
    engine.dispose()
    return differences


def test_the_migrated_schema_is_the_one_the_models_describe(tmp_path):
    url = f"sqlite:///{tmp_path / 'schema.db'}"
    upgrade(url)
    assert _differences(url) == []


def test_the_migrated_postgresql_schema_is_the_one_the_models_describe(database_url, backend):
    if backend != "postgresql":
        pytest.skip("the SQLite schema is compared above, from a fresh file")
    assert _differences(database_url) == []


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


REBUILD = """
revision = "test_rebuild"
down_revision = {head!r}
branch_labels = None
depends_on = None

from alembic import op


def upgrade():
    # What any later migration that alters a column of this table does on SQLite: copy the
    # table, drop the old one, rename the copy.
    with op.batch_alter_table({table!r}, recreate="always"):
        pass


def downgrade():
    pass
"""


def _upgrade_through_a_rebuild_of(table: str, config, tmp_path) -> None:
    """Run the real migration environment of ``config`` with one more revision, which
    rebuilds ``table`` as a batch migration on SQLite does."""
    from alembic import command
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(config)
    extra = tmp_path / "versions"
    extra.mkdir()
    (extra / "test_rebuild.py").write_text(REBUILD.format(head=scripts.get_current_head(), table=table))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join([scripts.versions, str(extra)]))
    command.upgrade(config, "heads")


def test_a_migration_that_rebuilds_a_table_on_sqlite_loses_no_row_that_refers_to_it(tmp_path):
    """On SQLite, Alembic's batch mode rebuilds a table to alter it. Dropping the old orders
    table with foreign keys on would cascade-delete every order line, allocation and status
    change (they refer to orders ON DELETE CASCADE), so the migration environment turns the
    checks off while migrating and verifies them after (commerce.migrate.run_migrations)."""
    from commerce.migrate import alembic_config

    path = tmp_path / "market.db"
    upgrade(f"sqlite:///{path}")
    at = "2026-12-01 10:00:00"
    with sqlite3.connect(path) as db:  # one order with its lines and history
        db.execute("INSERT INTO users (id, email, name, password_hash, created_at) VALUES (1, 'a@b.id', 'A', 'x', ?)", (at,))
        db.execute("INSERT INTO stores (id, owner_id, name, slug, description, kecamatan_code, kelurahan_code, address, "
                   "phone, status, created_at) VALUES (1, 1, 'Toko', 'toko', '', '64.72.01', '64.72.01.1001', 'Jl. A', "
                   "'+6281', 'approved', ?)", (at,))
        db.execute("INSERT INTO products (id, store_id, name, slug, description, category, status, created_at, updated_at) "
                   "VALUES (1, 1, 'Amplang', 'amplang', '', 'makanan', 'active', ?, ?)", (at, at))
        db.execute("INSERT INTO variants (id, product_id, store_id, sku, name, price, stock, created_at) "
                   "VALUES (1, 1, 1, 'A1', 'kecil', 15000, 50, ?)", (at,))
        db.execute("INSERT INTO checkouts (id, delivery_json, created_at, updated_at) VALUES ('c1', '{}', ?, ?)", (at, at))
        db.execute("INSERT INTO orders (id, store_id, checkout_id, token_hash, status, payment_method, payment_status, "
                   "delivery_method, items_total, delivery_fee, total, buyer_name, buyer_email, buyer_phone, created_at, "
                   "updated_at) VALUES (1, 1, 'c1', 'h', 'processing', 'cod', 'unpaid', 'pickup', 45000, 0, 45000, 'B', "
                   "'b@c.id', '+6282', ?, ?)", (at, at))
        db.execute("INSERT INTO order_lines (id, order_id, variant_id, product_name, variant_name, sku, unit_price, quantity, "
                   "total) VALUES (1, 1, 1, 'Amplang', 'kecil', 'A1', 15000, 3, 45000)")
        db.execute("INSERT INTO allocations (order_id, order_line_id, variant_id, quantity, created_at) VALUES (1, 1, 1, 3, ?)", (at,))
        db.execute("INSERT INTO order_status_changes (order_id, to_status, actor, note, at) "
                   "VALUES (1, 'processing', 'buyer', 'pesanan dibuat', ?)", (at,))
        tables = ("orders", "order_lines", "allocations", "order_status_changes")
        before = {t: db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    _upgrade_through_a_rebuild_of("orders", alembic_config(f"sqlite:///{path}"), tmp_path)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("test_rebuild",)]
        for table, rows in before.items():
            assert rows and db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() == rows, table
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_the_transparency_tables_survive_a_rebuild_too(tmp_path):
    """The transparency history's own environment runs the same way: without it, rebuilding
    the imports table that every recipient row refers to fails."""
    from sites.transparency.migrate import alembic_config, upgrade as upgrade_transparency

    path = tmp_path / "transparency.db"
    upgrade_transparency(f"sqlite:///{path}")
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO transparency_imports (id, kind, file_name, sha256, file_size, rows, periods, "
                   "replaced_periods, replaced_rows, status, imported_by, imported_at) VALUES (1, 'covid', 'c.csv', "
                   "'0', 1, 1, '[]', '[]', 0, 'active', 'staf', '2026-12-01 10:00:00')")
        db.execute("INSERT INTO covid_daily (import_id, tanggal, kecamatan_code, konfirmasi, sembuh, meninggal, aktif, "
                   "suspek) VALUES (1, '2026-12-01', '64.72.01', 5, 3, 0, 2, 1)")
    _upgrade_through_a_rebuild_of("transparency_imports", alembic_config(f"sqlite:///{path}"), tmp_path)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version_transparency").fetchall() == [("test_rebuild",)]
        assert db.execute("SELECT import_id, konfirmasi FROM covid_daily").fetchall() == [(1, 5)]
        assert db.execute("SELECT count(*) FROM transparency_imports").fetchone() == (1,)
