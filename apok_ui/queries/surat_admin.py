"""Reads of the superadmin's Surat Digital page: a kecamatan's letterhead and signing, its certificates and
delegations, the city's numbering, and the live preview of a sample letter with the letterhead as typed."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from apok_ui import db, nomor_surat
from apok_ui.nomor_surat import AturanNomor
from apok_ui.printing import render
from apok_ui.printing.queries import wilayah
from apok_ui.printing.render import SuratData
from models import Delegasi, Kecamatan, Peran, Petugas, Sertifikat
from models.penomoran import format_nomor_surat
from models.tanda_tangan import JenisDelegasi, jabatan_surat
from models.validasi import format_nip
from models.waktu import now


@dataclass(frozen=True)
class Kop:
    """A kecamatan's letterhead and way of signing as stored."""

    id: int
    nama: str
    kode: str
    alamat: str
    kode_pos: str
    telepon: str
    email: str
    laman: str
    logo: bytes | None
    ttd: str


@dataclass(frozen=True)
class SertifikatRow:
    """A certificate as the page lists it (never its key or passphrase)."""

    jenis: str
    pemilik: str
    subjek: str
    berlaku_sampai: datetime
    demo: bool


@dataclass(frozen=True)
class DelegasiRow:
    id: int
    jenis: str
    petugas_nama: str
    mulai: date
    sampai: date


def kecamatan_pilihan() -> dict[int, str]:
    """Return every kecamatan's id and name, for the page's picker."""
    with db.get().read() as session:
        return dict(session.execute(select(Kecamatan.id, Kecamatan.nama).order_by(Kecamatan.nama)).all())


def kop(kecamatan_id: int) -> Kop | None:
    with db.get().read() as session:
        k = session.get(Kecamatan, kecamatan_id)
        if k is None:
            return None
        return Kop(k.id, k.nama, k.kode, k.alamat, k.kode_pos, k.telepon, k.email, k.laman, k.logo, k.ttd)


def penomoran() -> AturanNomor:
    with db.get().read() as session:
        return nomor_surat.settings(session)


def penandatangan(kecamatan_id: int) -> dict[int, str]:
    """Return the active officers of a kecamatan who may sign a letter (Kasi, Sekcam, Camat)."""
    roles = [Peran.KASI.value, Peran.SEKCAM.value, Peran.CAMAT.value]
    with db.get().read() as session:
        rows = session.execute(
            select(Petugas.id, Petugas.nama, Petugas.peran)
            .where(Petugas.kecamatan_id == kecamatan_id, Petugas.aktif, Petugas.peran.in_(roles))
            .order_by(Petugas.peran, Petugas.nama)
        ).all()
    return {row.id: f'{row.nama} ({Peran(row.peran).label})' for row in rows}


def sertifikat(kecamatan_id: int) -> list[SertifikatRow]:
    """Return the kecamatan's active segel and its officers' active TTE personal."""
    with db.get().read() as session:
        rows = session.execute(
            select(Sertifikat, Petugas.nama)
            .outerjoin(Petugas, Petugas.id == Sertifikat.petugas_id)
            .where(
                Sertifikat.aktif, Sertifikat.kecamatan_id == kecamatan_id, Sertifikat.jenis.in_(['segel', 'personal'])
            )
            .order_by(Sertifikat.jenis.desc(), Petugas.nama)
        ).all()
    return [
        SertifikatRow(s.jenis, nama or 'Segel elektronik kecamatan', s.subjek, s.berlaku_sampai, s.demo)
        for s, nama in rows
    ]


def akar() -> list[SertifikatRow]:
    """Return the roots the verification page trusts."""
    with db.get().read() as session:
        rows = session.execute(select(Sertifikat).where(Sertifikat.aktif, Sertifikat.jenis == 'akar')).scalars().all()
    return [SertifikatRow('akar', s.penerbit, s.subjek, s.berlaku_sampai, s.demo) for s in rows]


def delegasi(kecamatan_id: int) -> list[DelegasiRow]:
    with db.get().read() as session:
        rows = session.execute(
            select(Delegasi, Petugas.nama)
            .join(Petugas, Petugas.id == Delegasi.petugas_id)
            .where(Delegasi.kecamatan_id == kecamatan_id)
            .order_by(Delegasi.mulai.desc())
        ).all()
    return [DelegasiRow(d.id, JenisDelegasi(d.jenis).label, nama, d.mulai, d.sampai) for d, nama in rows]


def preview_html(kop_: Kop, pola: str) -> str:
    """Return a sample letter of this letterhead as one self-contained HTML page (stylesheet inlined, images as
    data: URIs) for the page's iframe: what the kecamatan's next letter will look like."""
    kota, provinsi = wilayah()
    at = now()
    with db.get().read() as session:
        camat = session.execute(
            select(Petugas).where(Petugas.kecamatan_id == kop_.id, Petugas.peran == Peran.CAMAT, Petugas.aktif)
        ).scalar()
    jabatan = jabatan_surat(camat.jabatan if camat else 'Camat', kop_.nama)
    surat = SuratData(
        layanan_kode='SKD',
        layanan_nama='Surat Keterangan Domisili',
        template='skd.html',
        ukuran_kertas='A4',
        kota=kota,
        provinsi=provinsi,
        kecamatan_nama=kop_.nama,
        kecamatan_alamat=kop_.alamat,
        nomor_surat=format_nomor_surat('470', 1, kop_.kode, at, pola=pola),
        nomor_pendaftaran=f'{kop_.kode}-{at:%y%m}-00001',
        tanggal_surat=at.date(),
        pemohon=(('Nama', 'Contoh Pemohon'), ('NIK', '2171000000000000'), ('Alamat', 'Jl. Contoh No. 1')),
        isian=(('Keperluan', 'Contoh tampilan surat'),),
        penandatangan_nama=camat.nama if camat else 'Nama Camat',
        penandatangan_nip=format_nip(camat.nip) if camat else '-',
        penandatangan_jabatan=jabatan.kalimat,
        verifikasi_url='https://contoh.apok/verifikasi/CONTOH',
        kecamatan_kode_pos=kop_.kode_pos,
        kecamatan_telepon=kop_.telepon,
        kecamatan_email=kop_.email,
        kecamatan_laman=kop_.laman,
        logo=kop_.logo,
        penandatangan_pangkat=camat.pangkat_golongan if camat else '',
        ttd_baris=jabatan.baris,
        ttd=kop_.ttd,
        demo=kop_.ttd != 'tanpa',
    )
    return render.preview_html(surat)


def logo_data_uri(logo: bytes | None) -> str | None:
    """Return a stored logo as a data: URI for an <img> on the page."""
    return f'data:image/png;base64,{base64.b64encode(logo).decode("ascii")}' if logo else None
