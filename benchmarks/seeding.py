"""Bulk-loading benchmark data: plain multi-row INSERTs straight into the models' tables.

Going through the services would take minutes for 10,000 products; the benchmarks measure the
app's reads and checkouts, not its seeding.
"""

from __future__ import annotations

from sqlalchemy import Table, insert, text

__all__ = ["load_rows"]

CHUNK = 2000


def load_rows(connection, tables: list[tuple[Table, list[dict]]]) -> None:
    """Insert the rows (with explicit ids) table by table, then make the database ready for the
    app: on PostgreSQL the id sequences move past the ids used, and every database gets fresh
    planner statistics."""
    for table, rows in tables:
        for start in range(0, len(rows), CHUNK):
            connection.execute(insert(table), rows[start:start + CHUNK])
    if connection.dialect.name == "postgresql":
        # Explicit ids leave the sequences at 1; move them on so the app can still insert.
        for table, _ in tables:
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
            ))
    connection.execute(text("ANALYZE"))
