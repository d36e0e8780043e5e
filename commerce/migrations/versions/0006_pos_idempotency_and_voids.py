"""point-of-sale sales carry their device's idempotency key, the cash received, and voids

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 21:00:00

A tablet that lost its connection sends a queued sale again with the same key: the unique
constraint makes it the same sale. A sale entered by mistake is voided (when, why, by whom), never
deleted. Products may now also be 'hidden' (a status value; no schema change).
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pos_sales', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('cash_received', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('void_reason', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('voided_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_pos_sales_voided_by_id_users'), 'users', ['voided_by_id'], ['id'])
        batch_op.create_unique_constraint(batch_op.f('uq_pos_sales_store_id_idempotency_key'), ['store_id', 'idempotency_key'])


def downgrade() -> None:
    with op.batch_alter_table('pos_sales', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_pos_sales_store_id_idempotency_key'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_pos_sales_voided_by_id_users'), type_='foreignkey')
        batch_op.drop_column('voided_by_id')
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_at')
        batch_op.drop_column('cash_received')
        batch_op.drop_column('idempotency_key')
