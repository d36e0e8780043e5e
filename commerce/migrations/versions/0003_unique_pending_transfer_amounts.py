"""unique amounts of pending bank transfers per account

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 13:40:00

Two completions choosing their unique codes at the same moment could both ask for the same
amount on the same account, and the seller could then not tell which order a transfer paid.
The index makes the database refuse the second; completion then picks another code.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

PENDING_TRANSFER = "method = 'bank_transfer' AND status = 'pending'"


def upgrade() -> None:
    clashes = op.get_bind().execute(sa.text(
        f"SELECT reference, amount, count(*) FROM payments WHERE {PENDING_TRANSFER} "
        "GROUP BY reference, amount HAVING count(*) > 1 ORDER BY reference, amount"
    )).all()
    if clashes:
        # The buyers were told these amounts, so no migration may change them: a person must
        # settle each pair (confirm or cancel one) before the rule can be enforced.
        listed = "; ".join(f"account {r} amount {a} ({n} orders)" for r, a, n in clashes[:20])
        raise RuntimeError(
            f"{len(clashes)} pending bank transfers share an amount on the same account ({listed}). "
            "Confirm or cancel all but one order of each, then run the migration again."
        )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(
            'uq_payments_pending_transfer_amount', ['reference', 'amount'], unique=True,
            postgresql_where=sa.text(PENDING_TRANSFER), sqlite_where=sa.text(PENDING_TRANSFER),
        )


def downgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index('uq_payments_pending_transfer_amount')
