"""kabar: notifications to citizens and officers (issue 13)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 17:20:00

`pesan` holds every message to send, written in the transaction of the change that causes it (idempotent by
`kunci`); `templatpesan` the texts the superadmin changed. A citizen's channel choice is stored with the application
(`pengurusan.kabar_kanal`), an officer's with the officer, with the quiet hours and what the last digest covered.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('pesan',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kunci', _text(length=120), nullable=False),
    sa.Column('jenis', _text(length=20), nullable=False),
    sa.Column('kanal', _text(length=10), nullable=False),
    sa.Column('tujuan', _text(length=254), nullable=False),
    sa.Column('subjek', _text(length=200), nullable=False),
    sa.Column('isi', sa.Text(), nullable=False),
    sa.Column('status', _text(length=12), nullable=False),
    sa.Column('percobaan', sa.Integer(), nullable=False),
    sa.Column('berikutnya', sa.DateTime(timezone=True), nullable=False),
    sa.Column('jawaban', _text(length=500), nullable=False),
    sa.Column('dibuat_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('terkirim_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kunci'),
    )
    with op.batch_alter_table('pesan', schema=None) as batch_op:
        batch_op.create_index('ix_pesan_antrian', ['status', 'berikutnya'], unique=False)
        batch_op.create_index(batch_op.f('ix_pesan_dibuat_at'), ['dibuat_at'], unique=False)

    op.create_table('templatpesan',
    sa.Column('jenis', _text(length=20), nullable=False),
    sa.Column('subjek', _text(length=200), nullable=False),
    sa.Column('isi', sa.Text(), nullable=False),
    sa.Column('diubah_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('diubah_oleh', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['diubah_oleh'], ['petugas.id']),
    sa.PrimaryKeyConstraint('jenis'),
    )

    with op.batch_alter_table('pengurusan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kabar_kanal', _text(length=10), nullable=False, server_default=''))
    with op.batch_alter_table('petugas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kabar_kanal', _text(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('no_hp', _text(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('email', _text(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('senyap_mulai', _text(length=5), nullable=False, server_default='21:00'))
        batch_op.add_column(sa.Column('senyap_sampai', _text(length=5), nullable=False, server_default='07:00'))
        batch_op.add_column(sa.Column('daring_sampai', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('kabar_sampai', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('petugas', schema=None) as batch_op:
        for column in ('kabar_sampai', 'daring_sampai', 'senyap_sampai', 'senyap_mulai', 'email', 'no_hp', 'kabar_kanal'):
            batch_op.drop_column(column)
    with op.batch_alter_table('pengurusan', schema=None) as batch_op:
        batch_op.drop_column('kabar_kanal')
    op.drop_table('templatpesan')
    with op.batch_alter_table('pesan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pesan_dibuat_at'))
        batch_op.drop_index('ix_pesan_antrian')
    op.drop_table('pesan')
