"""stock_under_lock(): lock variant rows and count what others hold, in one round trip (PostgreSQL)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 14:30:00

Every checkout locks its variants' rows, then counts the units others hold, then writes its
own. Each round trip made while the rows are locked lengthens the wait of every other buyer
of the same goods, so on PostgreSQL the lock and the count are one call. They cannot be one
SELECT: a statement reads with the snapshot taken when it started, before it waited for the
lock, and would miss the units the previous holder committed. A VOLATILE function takes a new
snapshot for each statement in it, so its count, run after its lock, sees them.

What counts as held must stay the same as in commerce/inventory/availability.py (_HELD);
tests/test_checkout.py compares the two.
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

FUNCTION = """
CREATE OR REPLACE FUNCTION stock_under_lock(ids integer[], at timestamptz, except_checkout varchar)
RETURNS TABLE (variant_id integer, stock integer, held bigint)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- In ascending id order, like every other stock lock, so that no two wait in a cycle.
    PERFORM 1 FROM variants v WHERE v.id = ANY(ids) ORDER BY v.id FOR NO KEY UPDATE;
    -- A new statement, so a new snapshot: everything committed before the lock was granted.
    RETURN QUERY
    SELECT v.id, v.stock,
           (COALESCE((SELECT sum(a.quantity) FROM allocations a
                      WHERE a.variant_id = v.id AND (a.expires_at IS NULL OR a.expires_at > at)), 0)
            + COALESCE((SELECT sum(r.quantity) FROM reservations r
                        WHERE r.variant_id = v.id AND r.reserved_until > at AND r.checkout_id <> except_checkout), 0)
           )::bigint
    FROM variants v WHERE v.id = ANY(ids) ORDER BY v.id;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # SQLite's write transaction is the lock there
        op.execute(FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS stock_under_lock(integer[], timestamptz, varchar)")
