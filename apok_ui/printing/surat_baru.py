"""What a letter about to be issued is made of: its data, the signer's jabatan as Tata Naskah Dinas prints it, and
the signature to make (segel elektronik of the kecamatan, or the signing officer's TTE personal). Reads only."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from apok_ui import berkas
from apok_ui.errors import Invalid
from apok_ui.printing.render import SuratData
from apok_ui.ttd import rahasia
from apok_ui.ttd.penanda import PermintaanTtd
from apok_ui.ttd.sertifikat import SertifikatDitolak, check_berlaku, read_pkcs12
from models import Delegasi, Kecamatan, Petugas, Sertifikat
from models.tanda_tangan import CaraTtd, Jabatan, in_force, jabatan_surat
from models.waktu import format_waktu, to_wib

SANDI_WAJIB = 'Masukkan kata sandi sertifikat TTE Anda untuk menandatangani surat ini.'
TANPA_SERTIFIKAT = 'Sertifikat TTE personal Anda belum terpasang; hubungi Administrator Sistem.'
SEGEL_BELUM_ADA = 'Segel elektronik kecamatan belum terpasang; hubungi Administrator Sistem.'


@dataclass(frozen=True)
class Rencana:
    """A letter ready to render: its data, and the signature request (None: not signed electronically)."""

    surat: SuratData
    permintaan: PermintaanTtd | None
    cara: CaraTtd
    demo: bool
    subjek: str
    jabatan: Jabatan


def letter_folder() -> Path:
    """Return where issued letters live: APOK_DATA_DIR/surat, beside the uploads and never a static folder."""
    return berkas.gudang().folder.parent / 'surat'


def sign_as(
    session: Session, surat: SuratData, *, kecamatan: Kecamatan, penandatangan: Petugas, at: datetime, sandi: str | None
) -> Rencana:
    """Return the plan of a letter signed the kecamatan's way; refuse (Invalid, in Indonesian) a signature that
    cannot be made: no certificate, a wrong passphrase, an expired certificate. Nothing is written."""
    jabatan = jabatan_of(session, kecamatan, penandatangan, at)
    surat = replace(surat, penandatangan_jabatan=jabatan.kalimat, ttd_baris=jabatan.baris)
    cara = CaraTtd(kecamatan.ttd) if kecamatan.ttd in CaraTtd._value2member_map_ else CaraTtd.TANPA
    if cara is CaraTtd.TANPA:
        return Rencana(surat, None, cara, False, '', jabatan)
    sertifikat, kata_sandi = _certificate(session, cara, kecamatan, penandatangan, sandi)
    try:
        info = read_pkcs12(sertifikat.p12 or b'', kata_sandi)
        check_berlaku(info, at)
    except SertifikatDitolak as error:
        field = 'sandi' if cara is CaraTtd.PERSONAL else 'segel'
        raise Invalid(f'Surat tidak dapat ditandatangani: {error}', {field: str(error)}) from None
    permintaan = PermintaanTtd(
        p12=sertifikat.p12 or b'',
        sandi=kata_sandi.encode('utf-8'),
        nama=penandatangan.nama if cara is CaraTtd.PERSONAL else f'Kecamatan {kecamatan.nama}',
        lokasi=f'Kecamatan {kecamatan.nama}',
        alasan=f'Penerbitan surat nomor {surat.nomor_surat}',
    )
    surat = replace(surat, ttd=cara.value, demo=info.demo, waktu_ttd=f'{format_waktu(at)} WIB')
    return Rencana(surat, permintaan, cara, info.demo, info.subjek, jabatan)


def jabatan_of(session: Session, kecamatan: Kecamatan, penandatangan: Petugas, at: datetime) -> Jabatan:
    """Return the signer's jabatan on a letter of that moment: a delegation period in force for them decides."""
    day = to_wib(at).date()
    rows = session.execute(
        select(Delegasi.jenis, Delegasi.mulai, Delegasi.sampai).where(
            Delegasi.kecamatan_id == kecamatan.id, Delegasi.petugas_id == penandatangan.id
        )
    ).all()
    jenis = next((row.jenis for row in rows if in_force(row.mulai, row.sampai, day)), None)
    return jabatan_surat(penandatangan.jabatan or '', kecamatan.nama, jenis)


def trusted_roots(session: Session) -> list[str]:
    """Return the PEM of every root APOK trusts for verifying letters (the demo CA, and those an operator added)."""
    return list(
        session.execute(select(Sertifikat.sertifikat_pem).where(Sertifikat.jenis == 'akar', Sertifikat.aktif)).scalars()
    )


def _certificate(
    session: Session, cara: CaraTtd, kecamatan: Kecamatan, penandatangan: Petugas, sandi: str | None
) -> tuple[Sertifikat, str]:
    """Return the certificate to sign with and its passphrase (the segel's decrypted, the officer's as typed)."""
    query = select(Sertifikat).where(Sertifikat.aktif, Sertifikat.p12.is_not(None)).order_by(Sertifikat.id.desc())
    if cara is CaraTtd.SEGEL:
        row = session.execute(
            query.where(Sertifikat.jenis == 'segel', Sertifikat.kecamatan_id == kecamatan.id)
        ).scalar()
        if row is None or not row.sandi_enc:
            raise Invalid(f'Surat tidak dapat ditandatangani: {SEGEL_BELUM_ADA}', {'segel': SEGEL_BELUM_ADA})
        try:
            return row, rahasia.decrypt(row.sandi_enc, letter_folder().parent)
        except rahasia.RahasiaRusak as error:
            raise Invalid(f'Surat tidak dapat ditandatangani: {error}', {'segel': str(error)}) from None
    row = session.execute(
        query.where(Sertifikat.jenis == 'personal', Sertifikat.petugas_id == penandatangan.id)
    ).scalar()
    if row is None:
        raise Invalid(f'Surat tidak dapat ditandatangani: {TANPA_SERTIFIKAT}', {'sandi': TANPA_SERTIFIKAT})
    if not sandi:
        raise Invalid(SANDI_WAJIB, {'sandi': SANDI_WAJIB})
    return row, sandi
