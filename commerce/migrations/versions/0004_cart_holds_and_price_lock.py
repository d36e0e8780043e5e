"""whose holds reservations are, and the price a checkout last showed

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 19:30:00

Reservations name who holds them (a keyed hash of the client's address and the account), so
that what one client holds can be capped (commerce/inventory/reservations.py). Checkouts keep a
digest of the prices, quantities and fees their buyer was last shown, so that completion never
charges anything else. Existing rows get NULL: an old reservation counts against nobody, and an
old checkout's buyer is shown its totals once more before it completes.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_key', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_reservations_user_id_users'), 'users', ['user_id'], ['id'])
        batch_op.create_index('ix_reservations_client_until', ['client_key', 'reserved_until'], unique=False)
        batch_op.create_index('ix_reservations_user_until', ['user_id', 'reserved_until'], unique=False)
    with op.batch_alter_table('checkouts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quoted_digest', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('checkouts', schema=None) as batch_op:
        batch_op.drop_column('quoted_digest')
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.drop_index('ix_reservations_user_until')
        batch_op.drop_index('ix_reservations_client_until')
        batch_op.drop_constraint(batch_op.f('fk_reservations_user_id_users'), type_='foreignkey')
        batch_op.drop_column('user_id')
        batch_op.drop_column('client_key')
