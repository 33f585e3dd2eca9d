"""surat digital: the stored, signed letter; certificates; delegations; letterhead; numbering settings (issue 14)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 17:40:00

`surat` holds the one PDF of a finished application (its file under APOK_DATA_DIR/surat/ and its SHA-256);
`sertifikat` the trusted roots, the kecamatan's segel elektronik and the officers' TTE personal; `delegasi` the
periods of a.n./Plt./Plh. Camat; `pengaturan` the city's nomor surat pattern. Letterhead fields and the signing way on
kecamatan, pangkat/golongan on petugas, unduh_online on layanan.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_text = sqlmodel.sql.sqltypes.AutoString
_when = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('surat',
    sa.Column('pengurusan_id', sa.Integer(), sa.ForeignKey('pengurusan.id'), primary_key=True),
    sa.Column('nama_simpan', _text(length=80), nullable=False, unique=True),
    sa.Column('sha256', _text(length=64), nullable=False, index=True),
    sa.Column('ukuran', sa.Integer(), nullable=False),
    sa.Column('ttd', _text(length=10), nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.Column('sertifikat_subjek', _text(length=200), nullable=False),
    sa.Column('penandatangan_nama', _text(length=100), nullable=False),
    sa.Column('penandatangan_jabatan', _text(length=200), nullable=False),
    sa.Column('dibuat_at', _when, nullable=False),
    )
    op.create_table('sertifikat',
    sa.Column('id', sa.Integer(), primary_key=True),
    sa.Column('jenis', _text(length=10), nullable=False),
    sa.Column('kecamatan_id', sa.Integer(), sa.ForeignKey('kecamatan.id'), nullable=True),
    sa.Column('petugas_id', sa.Integer(), sa.ForeignKey('petugas.id'), nullable=True),
    sa.Column('subjek', _text(length=200), nullable=False),
    sa.Column('penerbit', _text(length=200), nullable=False),
    sa.Column('berlaku_mulai', _when, nullable=False),
    sa.Column('berlaku_sampai', _when, nullable=False),
    sa.Column('sidik', _text(length=64), nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.Column('sertifikat_pem', sa.Text(), nullable=False),
    sa.Column('p12', sa.LargeBinary(), nullable=True),
    sa.Column('sandi_enc', _text(length=400), nullable=True),
    sa.Column('aktif', sa.Boolean(), nullable=False),
    sa.Column('dibuat_at', _when, nullable=False),
    )
    op.create_index('ix_sertifikat_pemilik', 'sertifikat', ['jenis', 'kecamatan_id', 'petugas_id'])
    op.create_table('delegasi',
    sa.Column('id', sa.Integer(), primary_key=True),
    sa.Column('kecamatan_id', sa.Integer(), sa.ForeignKey('kecamatan.id'), nullable=False, index=True),
    sa.Column('jenis', _text(length=4), nullable=False),
    sa.Column('petugas_id', sa.Integer(), sa.ForeignKey('petugas.id'), nullable=False),
    sa.Column('mulai', sa.Date(), nullable=False),
    sa.Column('sampai', sa.Date(), nullable=False),
    sa.Column('dicatat_oleh', sa.Integer(), sa.ForeignKey('petugas.id'), nullable=True),
    sa.Column('dibuat_at', _when, nullable=False),
    )
    op.create_table('pengaturan',
    sa.Column('kunci', _text(length=40), primary_key=True),
    sa.Column('nilai', _text(length=200), nullable=False),
    )
    with op.batch_alter_table('kecamatan') as batch:
        for name, length in (('kode_pos', 5), ('telepon', 30), ('email', 100), ('laman', 100)):
            batch.add_column(sa.Column(name, _text(length=length), nullable=False, server_default=''))
        batch.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('ttd', _text(length=10), nullable=False, server_default='tanpa'))
    with op.batch_alter_table('petugas') as batch:
        batch.add_column(sa.Column('pangkat_golongan', _text(length=60), nullable=False, server_default=''))
    with op.batch_alter_table('layanan') as batch:
        batch.add_column(sa.Column('unduh_online', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('layanan') as batch:
        batch.drop_column('unduh_online')
    with op.batch_alter_table('petugas') as batch:
        batch.drop_column('pangkat_golongan')
    with op.batch_alter_table('kecamatan') as batch:
        for name in ('ttd', 'logo', 'laman', 'email', 'telepon', 'kode_pos'):
            batch.drop_column(name)
    op.drop_table('pengaturan')
    op.drop_table('delegasi')
    op.drop_index('ix_sertifikat_pemilik', 'sertifikat')
    op.drop_table('sertifikat')
    op.drop_table('surat')
