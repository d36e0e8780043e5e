"""full-text search, what a store shows on the storefront, the outbox

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 20:30:00

- Search (commerce/catalog/search.py): on SQLite an FTS5 index of products' name and
  description, kept by triggers; on PostgreSQL a stored tsvector column with a GIN index. Neither
  is in the models (each exists on one database only); migrations/env.py leaves them out of
  autogenerate. A later batch migration that rebuilds ``products`` on SQLite drops its triggers:
  it must create them again (``_create_sqlite_triggers``), and tests/test_search.py would fail.
- Stores: opening hours, whether they deliver and take pickups, and whether the storefront may
  show their phone (WhatsApp) and exact address (off by default: often a home's).
- The outbox (commerce/outbox.py).
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = [
    """CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
         INSERT INTO products_fts(rowid, name, description) VALUES (new.id, new.name, new.description);
       END""",
    """CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
         INSERT INTO products_fts(products_fts, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
       END""",
    """CREATE TRIGGER products_fts_update AFTER UPDATE OF name, description ON products BEGIN
         INSERT INTO products_fts(products_fts, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
         INSERT INTO products_fts(rowid, name, description) VALUES (new.id, new.name, new.description);
       END""",
]


def _create_sqlite_triggers() -> None:
    for trigger in SQLITE_TRIGGERS:
        op.execute(trigger)


def upgrade() -> None:
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opening_hours', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('offers_delivery', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('offers_pickup', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('publish_phone', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('publish_address', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=40), nullable=False),
        sa.Column('ref_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    )
    op.create_index('ix_outbox_handled_id', 'outbox', ['handled_at', 'id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "ALTER TABLE products ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('simple', coalesce(name, '')), 'A') || "
            "setweight(to_tsvector('simple', coalesce(description, '')), 'B')) STORED"
        )
        op.execute("CREATE INDEX ix_products_search_vector ON products USING gin (search_vector)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE products_fts USING fts5(name, description, content='products', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute("INSERT INTO products_fts(products_fts) VALUES ('rebuild')")
        _create_sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX ix_products_search_vector")
        op.execute("ALTER TABLE products DROP COLUMN search_vector")
    else:
        for name in ('products_fts_insert', 'products_fts_delete', 'products_fts_update'):
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE products_fts")
    op.drop_index('ix_outbox_handled_id', table_name='outbox')
    op.drop_table('outbox')
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('publish_address')
        batch_op.drop_column('publish_phone')
        batch_op.drop_column('offers_pickup')
        batch_op.drop_column('offers_delivery')
        batch_op.drop_column('opening_hours')
