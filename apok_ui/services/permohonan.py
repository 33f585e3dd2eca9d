"""The citizen's actions: submit an application, resubmit it after a rejection (perbaikan), cancel it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlmodel import Session, select

from apok_ui import berkas, db
from apok_ui.berkas import BerkasError, Unggahan
from apok_ui.events import Perubahan
from apok_ui.services import batas
from apok_ui.services.administrasi_layanan import layanan_dibuka
from apok_ui.services.common import next_number, transition
from apok_ui.services.errors import Invalid, NotFound
from models import Berkas, Kecamatan, Kelurahan, Layanan, Pengurusan
from models import workflow as wf
from models.jenis_berkas import SEMUA_JENIS
from models.penomoran import counter_key_pendaftaran, format_nomor_pendaftaran
from models.permohonan import FIELD_LABELS, DataPemohon, InvalidForm, clean_pemohon, plan_revision
from models.validasi import normalize_nik, normalize_nomor_pendaftaran
from models.waktu import now

FORM_MESSAGE = 'Periksa kembali isian yang ditandai.'
NOT_FOUND_MESSAGE = 'Nomor Pendaftaran dan NIK tidak cocok dengan data mana pun.'


@dataclass(frozen=True)
class Pendaftaran:
    """What the citizen gets back after submitting."""

    pengurusan_id: int
    nomor_pendaftaran: str


@dataclass(frozen=True)
class _Tersimpan:
    persyaratan_kode: str
    nama_asli: str
    nama_simpan: str
    info: berkas.BerkasInfo


BELUM_SETUJU = 'Centang pernyataan ini untuk mengirim permohonan.'


def submit(
    *,
    layanan_kode: str,
    kecamatan_id: int | None,
    kelurahan_id: int | None,
    data: DataPemohon,
    uploads: list[Unggahan],
    at: datetime | None = None,
    ip: str | None = None,
    perangkat: str | None = None,
    pernyataan: bool = True,
) -> Pendaftaran:
    """Register a new application with its berkas; it waits for the Admin of its kecamatan.

    Every wrong field, missing berkas, bad choice of kecamatan and an unticked declaration (`pernyataan`, the
    portal's checkbox) is reported at once. A submission from the public portal passes the client's `ip` and its
    browser's id (`perangkat`): then the abuse limits of apok_ui.services.batas apply.
    """
    at = at or now()
    with db.get().read() as session:
        layanan, kecamatan, errors = _check_target(session, layanan_kode, kecamatan_id, kelurahan_id)
    if not pernyataan:
        errors['pernyataan'] = BELUM_SETUJU
    clean, field_errors = _clean(data, layanan)
    checked, upload_errors = _check_uploads(layanan, uploads, require_all=True)
    errors |= field_errors | upload_errors
    if errors:
        raise Invalid(FORM_MESSAGE, errors)
    if ip is not None:
        batas.reserve_submission(ip, perangkat, sum(len(u.isi) for u in uploads))
    stored: list[_Tersimpan] = []
    try:
        stored = _store(checked)
        with db.get().write() as session:
            if ip is not None:
                batas.check_nik(session, clean.nik, at)
            seq = next_number(session, counter_key_pendaftaran(kecamatan.kode, at))
            pengurusan = Pengurusan(
                nomor_pendaftaran=format_nomor_pendaftaran(kecamatan.kode, at, seq),
                layanan_id=layanan.id,
                kecamatan_id=kecamatan.id,
                kelurahan_id=kelurahan_id,
                **{name: getattr(clean, name) for name in FIELD_LABELS},
                isian=clean.isian,
                kabar_kanal=clean.kabar_kanal,
                tahapan=list(layanan.tahapan),
            )
            transition(
                session,
                pengurusan,
                wf.Aksi.AJUKAN,
                seen_version=None,
                peran=None,
                petugas_id=None,
                extra={'diajukan_at': at},
                at=at,
            )
            _add_berkas(session, pengurusan.id, stored, at)
            result = Pendaftaran(pengurusan.id, pengurusan.nomor_pendaftaran)
    except BaseException:
        _discard(stored)
        if ip is not None:
            batas.release_submission(ip, perangkat)
        raise
    return result


def resubmit(
    *, nomor_pendaftaran: str, nik: str, data: DataPemohon, uploads: list[Unggahan], at: datetime | None = None
) -> Perubahan:
    """Send a rejected application back to the Admin with corrected data and replaced berkas (same number)."""
    at = at or now()
    with db.get().read() as session:
        current = _find(session, nomor_pendaftaran, nik)
        layanan = session.get(Layanan, current.layanan_id)
    clean, errors = _clean(data, layanan)
    checked, upload_errors = _check_uploads(layanan, uploads, require_all=False)
    errors |= upload_errors
    if errors:
        raise Invalid(FORM_MESSAGE, errors)
    stored = _store(checked)
    try:
        with db.get().write() as session:
            pengurusan = _find(session, nomor_pendaftaran, nik)
            changes = {name: getattr(clean, name) for name in FIELD_LABELS} | {'isian': clean.isian}
            values, diff, _ = plan_revision(pengurusan, layanan.isian, changes)
            values['kabar_kanal'] = clean.kabar_kanal  # the citizen may change how they hear from us
            change = transition(
                session,
                pengurusan,
                wf.Aksi.PERBAIKI,
                seen_version=None,
                peran=None,
                petugas_id=None,
                perubahan=diff,
                extra=values,
                at=at,
                keterangan=f'{len(stored)} berkas diganti' if stored else '',
            )
            _replace_berkas(session, pengurusan.id, stored, at)
    except BaseException:
        _discard(stored)
        raise
    return change


def cancel(*, nomor_pendaftaran: str, nik: str, at: datetime | None = None) -> Perubahan:
    """Cancel an application that still waits, untouched, for the Admin."""
    with db.get().write() as session:
        pengurusan = _find(session, nomor_pendaftaran, nik)
        change = transition(
            session,
            pengurusan,
            wf.Aksi.BATALKAN,
            seen_version=None,
            peran=None,
            petugas_id=None,
            keterangan='Dibatalkan oleh pemohon',
            at=at,
        )
    return change


def _find(session: Session, nomor_pendaftaran: str, nik: str) -> Pengurusan:
    """Return the application only when number and NIK match (as models.validasi normalises both, like Lacak); a
    wrong pair reads like an unknown number."""
    nomor = normalize_nomor_pendaftaran(nomor_pendaftaran)
    found = session.exec(select(Pengurusan).where(Pengurusan.nomor_pendaftaran == nomor)).first()
    if found is None or found.nik != normalize_nik(nik):
        raise NotFound(NOT_FOUND_MESSAGE)
    return found


def _check_target(
    session: Session, kode: str, kecamatan_id: int | None, kelurahan_id: int | None
) -> tuple[Layanan, Kecamatan | None, dict[str, str]]:
    """Return the open layanan, the chosen kecamatan and a message per wrong choice of place."""
    layanan = session.exec(select(Layanan).where(Layanan.kode == kode, Layanan.aktif)).first()
    if layanan is None:
        raise NotFound('Layanan tidak ditemukan atau sedang tidak dibuka.')
    kecamatan = session.get(Kecamatan, kecamatan_id) if isinstance(kecamatan_id, int) else None
    if kecamatan is None or not kecamatan.aktif:
        return layanan, None, {'kecamatan': 'Pilih kecamatan dari daftar.'}
    if not layanan_dibuka(session, layanan, kecamatan.id):
        return layanan, None, {'kecamatan': f'{layanan.nama} sedang tidak dibuka di Kecamatan {kecamatan.nama}.'}
    kelurahan = session.get(Kelurahan, kelurahan_id) if isinstance(kelurahan_id, int) else None
    if kelurahan is None or kelurahan.kecamatan_id != kecamatan.id:
        return layanan, kecamatan, {'kelurahan': 'Pilih kelurahan di kecamatan yang dipilih.'}
    return layanan, kecamatan, {}


def _clean(data: DataPemohon, layanan: Layanan) -> tuple[DataPemohon, dict[str, str]]:
    try:
        return clean_pemohon(data, layanan.isian), {}
    except InvalidForm as error:
        return data, error.errors


@dataclass(frozen=True)
class _Diperiksa:
    persyaratan_kode: str
    nama_asli: str
    isi: bytes
    info: berkas.BerkasInfo


def _check_uploads(
    layanan: Layanan, uploads: list[Unggahan], *, require_all: bool
) -> tuple[list[_Diperiksa], dict[str, str]]:
    """Return the uploads checked against the layanan's requirements (images re-encoded), and a message per bad one."""
    max_bytes = berkas.gudang().max_bytes
    by_kode = {u.persyaratan_kode: u for u in uploads}
    errors: dict[str, str] = {}
    checked: list[_Diperiksa] = []
    known = {item['kode'] for item in layanan.persyaratan}
    for kode in by_kode.keys() - known:
        errors[f'berkas.{kode}'] = 'Berkas ini tidak diminta untuk layanan ini.'
    for item in layanan.persyaratan:
        upload = by_kode.get(item['kode'])
        if upload is None:
            if require_all and item.get('wajib', True):
                errors[f'berkas.{item["kode"]}'] = f'{item["label"]} wajib diunggah.'
            continue
        try:
            nama = berkas.check_name(upload.nama_asli)
            allowed = tuple(item.get('jenis') or SEMUA_JENIS)
            isi, info = berkas.prepare(upload.isi, max_bytes=max_bytes, allowed=allowed)
            checked.append(_Diperiksa(upload.persyaratan_kode, nama, isi, info))
        except BerkasError as error:
            errors[f'berkas.{item["kode"]}'] = str(error)
    return checked, errors


def _store(checked: list[_Diperiksa]) -> list[_Tersimpan]:
    """Store checked uploads under random names; if one fails, none stays."""
    gudang = berkas.gudang()
    stored: list[_Tersimpan] = []
    try:
        for item in checked:
            name = gudang.save(item.isi, item.info.jenis)
            stored.append(_Tersimpan(item.persyaratan_kode, item.nama_asli, name, item.info))
    except BaseException:
        _discard(stored)
        raise
    return stored


def _add_berkas(session: Session, pengurusan_id: int, stored: list[_Tersimpan], at: datetime) -> None:
    for item in stored:
        session.add(
            Berkas(
                pengurusan_id=pengurusan_id,
                persyaratan_kode=item.persyaratan_kode,
                nama_asli=item.nama_asli,
                nama_simpan=item.nama_simpan,
                diunggah_at=at,
                **{k: v for k, v in asdict(item.info).items() if k != 'jenis'},
            )
        )


def _replace_berkas(session: Session, pengurusan_id: int, stored: list[_Tersimpan], at: datetime) -> None:
    replaced = {item.persyaratan_kode for item in stored}
    if replaced:
        old = session.exec(
            select(Berkas).where(
                Berkas.pengurusan_id == pengurusan_id, Berkas.aktif, Berkas.persyaratan_kode.in_(replaced)
            )
        ).all()
        for row in old:
            row.aktif = False
    _add_berkas(session, pengurusan_id, stored, at)


def _discard(stored: list[_Tersimpan]) -> None:
    for item in stored:
        berkas.gudang().remove(item.nama_simpan)
