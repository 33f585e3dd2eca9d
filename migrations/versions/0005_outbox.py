"""outbox: every committed change as a durable, ordered fact (issue 12)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 14:20:00

A service writes its change into `outbox` in the change's own transaction; the live bus, the cross-process bridge
and the notifier read the rows by position after the commit (apok_ui/outbox.py, docs/ARCHITECTURE.md).
`outboxposition` holds the position of the consumers that run once for all processes.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_created_at'), ['created_at'], unique=False)

    op.create_table('outboxposition',
    sa.Column('consumer', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('consumer')
    )


def downgrade() -> None:
    op.drop_table('outboxposition')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_created_at'))
    op.drop_table('outbox')
