"""The digital letter (issue 14): the one stored PDF of a finished application, the certificates that sign it, the
Camat's delegations, and the city's settings of numbering. Tables only; the rules live in models/tanda_tangan.py
and models/penomoran.py."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, DateTime, Index, LargeBinary, Text
from sqlmodel import Field, SQLModel

from models.waktu import now


def _when(**kwargs: object) -> object:
    return Field(sa_type=DateTime(timezone=True), **kwargs)


class Surat(SQLModel, table=True):
    """The letter of a finished application, rendered (and signed) once; every later Cetak and download gives
    exactly this file, whose SHA-256 the verification page compares a dropped file against."""

    pengurusan_id: int = Field(foreign_key='pengurusan.id', primary_key=True)
    nama_simpan: str = Field(max_length=80, unique=True)  # a file under APOK_DATA_DIR/surat/, never a static folder
    sha256: str = Field(max_length=64, index=True)
    ukuran: int
    ttd: str = Field(max_length=10)  # a models.tanda_tangan.CaraTtd value: how it was signed ('tanpa' = not at all)
    demo: bool = False  # signed with a demonstration certificate (not BSrE): said on the letter and the page
    sertifikat_subjek: str = Field(default='', max_length=200)
    # Who signs as the letter prints it, fixed at completion (a later delegation or jabatan change alters nothing).
    penandatangan_nama: str = Field(default='', max_length=100)
    penandatangan_jabatan: str = Field(default='', max_length=200)
    dibuat_at: datetime = _when(default_factory=now)


class Sertifikat(SQLModel, table=True):
    """A certificate APOK knows: a trusted root (jenis 'akar', certificate only), a kecamatan's segel elektronik
    (PKCS#12 with its passphrase encrypted, apok_ui/ttd/rahasia.py) or an officer's TTE personal (PKCS#12 whose
    passphrase only its owner knows)."""

    __table_args__ = (Index('ix_sertifikat_pemilik', 'jenis', 'kecamatan_id', 'petugas_id'),)
    id: int | None = Field(default=None, primary_key=True)
    jenis: str = Field(max_length=10)  # akar | segel | personal
    kecamatan_id: int | None = Field(default=None, foreign_key='kecamatan.id')
    petugas_id: int | None = Field(default=None, foreign_key='petugas.id')
    subjek: str = Field(max_length=200)
    penerbit: str = Field(max_length=200)
    berlaku_mulai: datetime = _when()
    berlaku_sampai: datetime = _when()
    sidik: str = Field(max_length=64)  # SHA-256 of the certificate (DER)
    demo: bool = False
    sertifikat_pem: str = Field(sa_column=Column(Text, nullable=False))
    p12: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    sandi_enc: str | None = Field(default=None, max_length=400)  # segel only: Fernet token, never the clear text
    aktif: bool = True
    dibuat_at: datetime = _when(default_factory=now)


class Delegasi(SQLModel, table=True):
    """A period in which an officer signs for the Camat of a kecamatan: 'an' (a.n. Camat, the Sekretaris Camat as
    final signer), 'plt' or 'plh' (Plt./Plh. Camat); recorded by the Camat or the superadmin."""

    id: int | None = Field(default=None, primary_key=True)
    kecamatan_id: int = Field(foreign_key='kecamatan.id', index=True)
    jenis: str = Field(max_length=4)
    petugas_id: int = Field(foreign_key='petugas.id')
    mulai: date
    sampai: date
    dicatat_oleh: int | None = Field(default=None, foreign_key='petugas.id')
    dibuat_at: datetime = _when(default_factory=now)


class Pengaturan(SQLModel, table=True):
    """One setting of the city, changed by the superadmin (the nomor surat's pattern and counter scope)."""

    kunci: str = Field(primary_key=True, max_length=40)
    nilai: str = Field(default='', max_length=200)
