"""sesi: officer sessions held on the server (issue 11)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 11:40:00

Each login is a row; the browser holds only a random token whose SHA-256 is stored here.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sesi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petugas_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('kode_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('peramban_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('perangkat_token', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('sesi_versi', sa.Integer(), nullable=False),
    sa.Column('dibuat_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('terakhir_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('berakhir_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('alasan_akhir', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('ip', sqlmodel.sql.sqltypes.AutoString(length=45), nullable=False),
    sa.Column('perangkat', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.ForeignKeyConstraint(['petugas_id'], ['petugas.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash'),
    sa.UniqueConstraint('kode_hash'),
    )
    with op.batch_alter_table('sesi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sesi_petugas_id'), ['petugas_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sesi', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sesi_petugas_id'))
    op.drop_table('sesi')
