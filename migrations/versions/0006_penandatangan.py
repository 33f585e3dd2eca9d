"""penandatangan: the officer who signs a letter is the last approver of its chain, not always the Camat (issue 12)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 15:00:00

A layanan may end its chain at the Kasi or the Sekcam; `pengurusan.camat_id` held whoever approved last all along,
and is named for it now. RENAME COLUMN keeps the data and the foreign key (SQLite 3.25+ and PostgreSQL).
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute('ALTER TABLE pengurusan RENAME COLUMN camat_id TO penandatangan_id')


def downgrade() -> None:
    op.execute('ALTER TABLE pengurusan RENAME COLUMN penandatangan_id TO camat_id')
