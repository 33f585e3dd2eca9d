"""The citizen's actions: submit an application, resubmit it after a rejection (perbaikan), cancel it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlmodel import Session, select

from apok_ui import berkas, db, events
from apok_ui.berkas import BerkasError, Unggahan
from apok_ui.events import Perubahan
from apok_ui.services.common import next_number, transition
from apok_ui.services.errors import Invalid, NotFound
from models import Berkas, Kecamatan, Kelurahan, Layanan, Pengurusan, Riwayat
from models import workflow as wf
from models.penomoran import counter_key_pendaftaran, format_nomor_pendaftaran
from models.permohonan import FIELD_LABELS, DataPemohon, InvalidForm, clean_pemohon, plan_revision
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


def submit(
    *,
    layanan_kode: str,
    kecamatan_id: int,
    kelurahan_id: int,
    data: DataPemohon,
    uploads: list[Unggahan],
    at: datetime | None = None,
) -> Pendaftaran:
    """Register a new application with its berkas; it waits for the Admin of its kecamatan."""
    at = at or now()
    with db.get().read() as session:
        layanan, kecamatan = _check_target(session, layanan_kode, kecamatan_id, kelurahan_id)
    clean = _clean(data, layanan)
    stored = _store_uploads(layanan, uploads, require_all=True)
    try:
        with db.get().write() as session:
            seq = next_number(session, counter_key_pendaftaran(kecamatan.kode, at))
            status, tahap = wf.start()
            tahapan = list(layanan.tahapan)
            pengurusan = Pengurusan(
                nomor_pendaftaran=format_nomor_pendaftaran(kecamatan.kode, at, seq),
                layanan_id=layanan.id,
                kecamatan_id=kecamatan.id,
                kelurahan_id=kelurahan_id,
                **{name: getattr(clean, name) for name in FIELD_LABELS},
                isian=clean.isian,
                status=status.value,
                tahap=tahap,
                tahapan=tahapan,
                peran_menunggu=tahapan[tahap],
                diajukan_at=at,
                menunggu_sejak=at,
                diubah_at=at,
            )
            session.add(pengurusan)
            session.flush()
            _add_berkas(session, pengurusan.id, stored, at)
            session.add(
                Riwayat(
                    pengurusan_id=pengurusan.id,
                    aksi=wf.Aksi.AJUKAN.value,
                    tahap=None,
                    pelaku='pemohon',
                    status_sesudah=status.value,
                    waktu=at,
                )
            )
            result = Pendaftaran(pengurusan.id, pengurusan.nomor_pendaftaran)
            change = Perubahan(
                pengurusan.id,
                pengurusan.nomor_pendaftaran,
                kecamatan.id,
                layanan.id,
                wf.Aksi.AJUKAN.value,
                status.value,
                tahapan[tahap],
                None,
                pengurusan.version,
            )
    except BaseException:
        _discard(stored)
        raise
    events.publish(change)
    return result


def resubmit(
    *, nomor_pendaftaran: str, nik: str, data: DataPemohon, uploads: list[Unggahan], at: datetime | None = None
) -> Perubahan:
    """Send a rejected application back to the Admin with corrected data and replaced berkas (same number)."""
    at = at or now()
    with db.get().read() as session:
        current = _find(session, nomor_pendaftaran, nik)
        layanan = session.get(Layanan, current.layanan_id)
    clean = _clean(data, layanan)
    stored = _store_uploads(layanan, uploads, require_all=False)
    try:
        with db.get().write() as session:
            pengurusan = _find(session, nomor_pendaftaran, nik)
            changes = {name: getattr(clean, name) for name in FIELD_LABELS} | {'isian': clean.isian}
            values, diff, _ = plan_revision(pengurusan, layanan.isian, changes)
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
    events.publish(change)
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
    events.publish(change)
    return change


def _find(session: Session, nomor_pendaftaran: str, nik: str) -> Pengurusan:
    """Return the application only when number and NIK match; a wrong pair reads like an unknown number."""
    nomor = (nomor_pendaftaran or '').strip().upper()
    found = session.exec(select(Pengurusan).where(Pengurusan.nomor_pendaftaran == nomor)).first()
    if found is None or found.nik != (nik or '').strip():
        raise NotFound(NOT_FOUND_MESSAGE)
    return found


def _check_target(session: Session, kode: str, kecamatan_id: int, kelurahan_id: int) -> tuple[Layanan, Kecamatan]:
    layanan = session.exec(select(Layanan).where(Layanan.kode == kode, Layanan.aktif)).first()
    if layanan is None:
        raise NotFound('Layanan tidak ditemukan atau sedang tidak dibuka.')
    kecamatan = session.get(Kecamatan, kecamatan_id)
    if kecamatan is None or not kecamatan.aktif:
        raise Invalid(FORM_MESSAGE, {'kecamatan': 'Pilih kecamatan dari daftar.'})
    kelurahan = session.get(Kelurahan, kelurahan_id)
    if kelurahan is None or kelurahan.kecamatan_id != kecamatan.id:
        raise Invalid(FORM_MESSAGE, {'kelurahan': 'Pilih kelurahan di kecamatan yang dipilih.'})
    return layanan, kecamatan


def _clean(data: DataPemohon, layanan: Layanan) -> DataPemohon:
    try:
        return clean_pemohon(data, layanan.isian)
    except InvalidForm as error:
        raise Invalid(FORM_MESSAGE, error.errors) from None


def _store_uploads(layanan: Layanan, uploads: list[Unggahan], *, require_all: bool) -> list[_Tersimpan]:
    """Check every upload against the layanan's requirements, then store them; nothing is stored if one fails."""
    gudang = berkas.gudang()
    by_kode = {u.persyaratan_kode: u for u in uploads}
    errors: dict[str, str] = {}
    checked: list[tuple[Unggahan, berkas.BerkasInfo]] = []
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
            allowed = tuple(item.get('jenis') or ('pdf', 'jpg', 'png'))
            checked.append((upload, berkas.inspect(upload.isi, max_bytes=gudang.max_bytes, allowed=allowed)))
        except BerkasError as error:
            errors[f'berkas.{item["kode"]}'] = str(error)
    if errors:
        raise Invalid(FORM_MESSAGE, errors)
    stored: list[_Tersimpan] = []
    try:
        for upload, info in checked:
            name = gudang.save(upload.isi, info.jenis)
            stored.append(_Tersimpan(upload.persyaratan_kode, _safe_display_name(upload.nama_asli), name, info))
    except BaseException:
        _discard(stored)
        raise
    return stored


def _safe_display_name(name: str) -> str:
    """Return the uploaded name for display only (it never reaches the file system)."""
    base = (name or 'berkas').replace('\\', '/').rsplit('/', 1)[-1]
    return ''.join(c for c in base if c.isprintable())[:255] or 'berkas'


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
