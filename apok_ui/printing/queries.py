"""Read-only questions of printing: the data of one finished letter for the Admin who may print it, and the public
check of a printed letter's QR token (a masked name only, never personal data)."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import select
from sqlmodel import Session

from apok_ui import berkas, db, nomor_surat
from apok_ui.actor import Actor, load_actor, load_for_officer, refuse
from apok_ui.assets import REFERENSI_DIR
from apok_ui.errors import Invalid
from apok_ui.printing.render import SuratData
from apok_ui.printing.surat_baru import Rencana, sign_as
from apok_ui.printing.templates import template_for
from models import Berkas, Kecamatan, Kelurahan, Layanan, Pengurusan, Peran, Petugas, Status, Surat, jenis_berkas
from models import workflow as wf
from models.permohonan import format_isian
from models.tanda_tangan import CaraTtd, jabatan_surat
from models.validasi import format_nip, mask_name
from models.waktu import format_tanggal, now, to_wib

PAS_FOTO_KODE = 'pas_foto_3x4'  # the AK/I requirement whose photo the card prints
# services.keputusan makes tokens with secrets.token_urlsafe(24): always 32 URL-safe base64 characters.
TOKEN_RE = re.compile(r'[A-Za-z0-9_-]{32}')
logger = logging.getLogger(__name__)
DATA_BELUM_LENGKAP = 'Data surat belum lengkap (nomor surat atau penandatangan); hubungi Administrator Sistem.'


@dataclass(frozen=True)
class SuratTerdaftar:
    """A printed letter as the public verification page shows it: the name masked, no NIK, no NIP."""

    nomor_surat: str
    layanan_nama: str
    nama_samaran: str
    tanggal: date
    kecamatan_nama: str
    penandatangan_nama: str
    penandatangan_jabatan: str
    status: Status


def surat_data(actor: Actor, pengurusan_id: int, base_url: str) -> SuratData:
    """Return the letter of a finished application, after checking (without writing) that the officer may print it."""
    return letter_plan(actor, pengurusan_id, base_url).surat


def cetak_info(actor: Actor, pengurusan_id: int) -> tuple[str, str]:
    """Return the layanan code and nomor surat of a letter the officer may print (checked, nothing written)."""
    with db.get().read() as session:
        petugas = load_actor(session, actor)
        pengurusan = load_for_officer(session, petugas, pengurusan_id)
        refuse(wf.refusal(Peran(petugas.peran), wf.Aksi.CETAK, pengurusan.posisi))
        if not (pengurusan.nomor_surat and pengurusan.token_verifikasi and pengurusan.penandatangan_id):
            raise Invalid(DATA_BELUM_LENGKAP)
        return session.get(Layanan, pengurusan.layanan_id).kode, pengurusan.nomor_surat


def letter_plan(actor: Actor, pengurusan_id: int, base_url: str) -> Rencana:
    """Return the plan of a finished application's letter that was never stored (finished before letters were kept,
    or by a path without a signature dialog): signed with the kecamatan's segel when it has one, else not at all."""
    with db.get().read() as session:
        petugas = load_actor(session, actor)
        pengurusan = load_for_officer(session, petugas, pengurusan_id)
        refuse(wf.refusal(Peran(petugas.peran), wf.Aksi.CETAK, pengurusan.posisi))
        penandatangan = session.get(Petugas, pengurusan.penandatangan_id) if pengurusan.penandatangan_id else None
        if not (pengurusan.nomor_surat and pengurusan.token_verifikasi and penandatangan):
            raise Invalid(DATA_BELUM_LENGKAP)
        return _late_plan(session, pengurusan, penandatangan, base_url)


def unduhan(nomor_pendaftaran: str, nik: str) -> tuple[int, str, str] | None:
    """Return the application id, layanan code and nomor surat a citizen may download with this pair: a finished
    application of a layanan marked deliverable online; None for anything else (read like an unknown pair)."""
    with db.get().read() as session:
        row = session.execute(
            select(Pengurusan.id, Pengurusan.nik, Pengurusan.status, Pengurusan.nomor_surat, Layanan.kode)
            .join(Layanan, Layanan.id == Pengurusan.layanan_id)
            .where(Pengurusan.nomor_pendaftaran == nomor_pendaftaran, Layanan.unduh_online)
        ).first()
    if row is None or row.nik != nik or row.status not in wf.TERBIT or not row.nomor_surat:
        return None
    return row.id, row.kode, row.nomor_surat


def late_plan(pengurusan_id: int, base_url: str) -> Rencana:
    """Return the plan of a finished letter that was never stored, for a download without an officer."""
    with db.get().read() as session:
        pengurusan = session.get(Pengurusan, pengurusan_id)
        penandatangan = session.get(Petugas, pengurusan.penandatangan_id) if pengurusan.penandatangan_id else None
        if not (pengurusan.nomor_surat and pengurusan.token_verifikasi and penandatangan):
            raise Invalid(DATA_BELUM_LENGKAP)
        return _late_plan(session, pengurusan, penandatangan, base_url)


def _late_plan(session: Session, pengurusan: Pengurusan, penandatangan: Petugas, base_url: str) -> Rencana:
    at = pengurusan.selesai_at or now()
    kecamatan = session.get(Kecamatan, pengurusan.kecamatan_id)
    surat = build_surat(
        session,
        pengurusan,
        base_url,
        nomor=pengurusan.nomor_surat,
        token=pengurusan.token_verifikasi,
        at=at,
        penandatangan=penandatangan,
    )
    if kecamatan.ttd != CaraTtd.SEGEL:
        kecamatan = kecamatan.model_copy(update={'ttd': CaraTtd.TANPA.value})  # no passphrase to ask here
    return sign_as(session, surat, kecamatan=kecamatan, penandatangan=penandatangan, at=at, sandi=None)


def completion_plan(
    actor: Actor, pengurusan_id: int, version: int, base_url: str, *, sandi: str | None, at: datetime, token: str
) -> tuple[Rencana, str] | None:
    """Return the letter the officer's approval would complete and the nomor it would carry, or None when this
    approval does not complete the application. Refuses (Invalid) a signature that cannot be made; writes nothing."""
    with db.get().read() as session:
        petugas = load_actor(session, actor)
        pengurusan = load_for_officer(session, petugas, pengurusan_id)
        refuse(wf.refusal(Peran(petugas.peran), wf.Aksi.SETUJUI, pengurusan.posisi))
        if pengurusan.version != version or not wf.completes(wf.Aksi.SETUJUI, pengurusan.posisi):
            return None  # not completing, or stale: the plain approval decides (and refuses a stale one)
        kecamatan = session.get(Kecamatan, pengurusan.kecamatan_id)
        layanan = session.get(Layanan, pengurusan.layanan_id)
        nomor = nomor_surat.peek_nomor(session, kecamatan, layanan, at)
        surat = build_surat(session, pengurusan, base_url, nomor=nomor, token=token, at=at, penandatangan=petugas)
        return sign_as(session, surat, kecamatan=kecamatan, penandatangan=petugas, at=at, sandi=sandi), nomor


def needs_sandi(kecamatan_nama: str) -> bool:
    """Return whether the final approval in this kecamatan asks the signer's TTE passphrase."""
    with db.get().read() as session:
        cara = session.execute(select(Kecamatan.ttd).where(Kecamatan.nama == kecamatan_nama)).scalar()
    return cara == CaraTtd.PERSONAL


def build_surat(
    session: Session,
    pengurusan: Pengurusan,
    base_url: str,
    *,
    nomor: str,
    token: str,
    at: datetime,
    penandatangan: Petugas,
) -> SuratData:
    """Return the letter's data as of its completion at `at`, with that nomor and verification token."""
    layanan = session.get(Layanan, pengurusan.layanan_id)
    kecamatan = session.get(Kecamatan, pengurusan.kecamatan_id)
    kelurahan = session.get(Kelurahan, pengurusan.kelurahan_id)
    foto = _pas_foto(session, pengurusan.id, layanan)
    kota, provinsi = wilayah()
    return SuratData(
        layanan_kode=layanan.kode,
        layanan_nama=layanan.nama,
        template=layanan.template or template_for(layanan.kode),
        ukuran_kertas=layanan.ukuran_kertas or 'A4',
        kota=kota,
        provinsi=provinsi,
        kecamatan_nama=kecamatan.nama,
        kecamatan_alamat=kecamatan.alamat,
        nomor_surat=nomor,
        nomor_pendaftaran=pengurusan.nomor_pendaftaran,
        tanggal_surat=to_wib(at).date(),
        pemohon=pemohon_rows(pengurusan, kelurahan.nama if kelurahan else ''),
        isian=isian_rows(layanan.isian, pengurusan.isian),
        penandatangan_nama=penandatangan.nama,
        penandatangan_nip=format_nip(penandatangan.nip),
        penandatangan_jabatan=jabatan_penandatangan(penandatangan.jabatan, kecamatan.nama),
        verifikasi_url=f'{base_url.rstrip("/")}/verifikasi/{token}',
        pas_foto=foto,
        kecamatan_kode_pos=kecamatan.kode_pos,
        kecamatan_telepon=kecamatan.telepon,
        kecamatan_email=kecamatan.email,
        kecamatan_laman=kecamatan.laman,
        logo=kecamatan.logo,
        penandatangan_pangkat=penandatangan.pangkat_golongan,
    )


def verifikasi(token: object) -> SuratTerdaftar | None:
    """Return the letter a QR token belongs to, or None for any token that is malformed or unknown."""
    if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
        return None  # nothing odd ever reaches the database, whatever its length or characters
    with db.get().read() as session:
        row = session.execute(
            select(
                Pengurusan.nomor_surat,
                Layanan.nama,
                Pengurusan.nama,
                Pengurusan.selesai_at,
                Kecamatan.nama,
                Petugas.nama,
                Petugas.jabatan,
                Pengurusan.status,
                Surat.penandatangan_nama,
                Surat.penandatangan_jabatan,
            )
            .join(Layanan, Layanan.id == Pengurusan.layanan_id)
            .join(Kecamatan, Kecamatan.id == Pengurusan.kecamatan_id)
            .outerjoin(Petugas, Petugas.id == Pengurusan.penandatangan_id)
            .outerjoin(Surat, Surat.pengurusan_id == Pengurusan.id)
            .where(Pengurusan.token_verifikasi == token, Pengurusan.status.in_(wf.TERBIT))
        ).first()
    if row is None or not row[0] or row[3] is None:
        return None
    nomor, layanan_nama, nama, selesai_at, kecamatan_nama, penandatangan_nama, jabatan, status, *tersimpan = row
    nama_surat, jabatan_surat_ = tersimpan  # as the stored letter prints them (a.n., Plt.), when it is stored
    return SuratTerdaftar(
        nomor,
        layanan_nama,
        mask_name(nama),
        to_wib(selesai_at).date(),
        kecamatan_nama,
        nama_surat or penandatangan_nama or '-',
        jabatan_surat_ or jabatan_penandatangan(jabatan or '', kecamatan_nama),
        Status(status),
    )


def jabatan_penandatangan(jabatan: str, kecamatan_nama: str) -> str:
    """Return the signer's jabatan as a letter names it: a title of the kecamatan's office (one ending in Camat or
    Kecamatan) gets the kecamatan's name, 'Camat' → 'Camat Batam Kota'; any other stays as it is, 'Kasi Pelayanan'."""
    return jabatan_surat(jabatan or '', kecamatan_nama).kalimat


def pemohon_rows(p: Pengurusan, kelurahan_nama: str) -> tuple[tuple[str, str], ...]:
    """Return the applicant's rows as the letter prints them, Nama first."""
    alamat = f'{p.alamat}, RT {p.rt}/RW {p.rw}' + (f', Kel. {kelurahan_nama}' if kelurahan_nama else '')
    return (
        ('Nama', p.nama),
        ('NIK', p.nik),
        ('Tempat/Tgl Lahir', f'{p.tempat_lahir}, {format_tanggal(p.tanggal_lahir)}'),
        ('Jenis Kelamin', p.jenis_kelamin),
        ('Agama', p.agama),
        ('Pekerjaan', p.pekerjaan),
        ('Status Perkawinan', p.status_perkawinan),
        ('Alamat', alamat),
    )


def isian_rows(spec: list[dict], values: dict) -> tuple[tuple[str, str], ...]:
    """Return the layanan's extra fields in the order of its definition, dates in words, an empty one as '-'."""
    return tuple((item['label'], format_isian(item, values.get(item['kode'])) or '-') for item in spec)


@cache
def wilayah() -> tuple[str, str]:
    """Return the city and province of the kop surat, from the reference data every database was seeded with."""
    data = json.loads((REFERENSI_DIR / 'batam-wilayah.json').read_text(encoding='utf-8'))
    return data['kota'], data['provinsi']


def _pas_foto(session: Session, pengurusan_id: int, layanan: Layanan) -> bytes | None:
    """Return the active pas foto of a layanan that asks for one, or None (the card then prints an empty box)."""
    if not any(item.get('kode') == PAS_FOTO_KODE for item in layanan.persyaratan):
        return None
    stored = session.execute(
        select(Berkas.nama_simpan)
        .where(
            Berkas.pengurusan_id == pengurusan_id,
            Berkas.persyaratan_kode == PAS_FOTO_KODE,
            Berkas.aktif.is_(True),
            Berkas.content_type.in_([jenis_berkas.CONTENT_TYPE[j] for j in jenis_berkas.GAMBAR]),
        )
        .order_by(Berkas.id.desc())
    ).scalar()
    if stored is None:
        return None
    try:
        return berkas.gudang().read(stored)
    except (OSError, berkas.BerkasError):  # a lost file must not stop the letter; the card shows the empty box
        logger.warning(
            'pas foto %s of pengurusan %s cannot be read; the card prints an empty box', stored, pengurusan_id
        )
        return None
