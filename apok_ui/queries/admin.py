"""Read-only questions the administration screens ask: officers, kecamatan, layanan and the audit log.

Pages ask services.administrasi.authorize first; these functions only read. Lists are paged on the server.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import aliased

from apok_ui import db
from apok_ui.queries.workspace import petugas_with_kecamatan
from apok_ui.services import login_throttle
from models import AuditLog, Kecamatan, Kelurahan, Layanan, Peran, Petugas
from models.layanan import DataLayanan
from models.tables import LayananKecamatan
from models.waktu import as_utc, format_waktu, now, start_of_wib_day, to_wib

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
AUDIT_AKSI = {
    'login_ok': 'Login berhasil',
    'login_gagal': 'Login gagal',
    'login_terkunci': 'Login ditolak (terlalu banyak gagal)',
    'buka_kunci': 'Blokir login dibuka',
    'logout': 'Keluar',
    'sesi_mulai': 'Sesi dimulai',
    'sesi_diakhiri': 'Sesi diakhiri',
    'sesi_berakhir': 'Sesi berakhir sendiri',
    'ganti_password': 'Ganti password',
    'reset_password': 'Reset password',
    'petugas_tambah': 'Petugas ditambah',
    'petugas_ubah': 'Petugas diubah',
    'petugas_nonaktif': 'Petugas dinonaktifkan',
    'petugas_aktif': 'Petugas diaktifkan',
    'layanan_tambah': 'Layanan ditambah',
    'layanan_ubah': 'Layanan diubah',
    'layanan_kecamatan': 'Layanan dibuka/ditutup di kecamatan',
    'kecamatan_tambah': 'Kecamatan ditambah',
    'kecamatan_ubah': 'Kecamatan diubah',
    'kelurahan_tambah': 'Kelurahan ditambah',
    'kelurahan_ubah': 'Kelurahan diubah',
    'lihat_data': 'Lihat Data (data pribadi)',
    'lihat_berkas': 'Lihat berkas (data pribadi)',
    'akses_ditolak': 'Akses ditolak',
    'audit_ekspor': 'Ekspor log audit',
    'pesan_kirim_ulang': 'Pesan dikirim ulang',
    'pesan_batal': 'Pesan dibatalkan',
}
CSV_FORMULA_START = ('=', '+', '-', '@', '\t', '\r')

T = TypeVar('T')


@dataclass(frozen=True)
class Halaman(Generic[T]):
    """One page of a list and the total it was cut from."""

    rows: list[T]
    total: int
    page: int
    page_size: int


@dataclass(frozen=True)
class PetugasRow:
    """An officer as the administration lists them."""

    id: int
    nip: str
    nama: str
    peran: Peran
    jabatan: str
    kecamatan_id: int | None
    kecamatan_nama: str
    aktif: bool
    wajib_ganti_password: bool
    terkunci: bool  # some address or device is blocked from logging in as this officer (their trusted devices are not)
    pangkat_golongan: str = ''


@dataclass(frozen=True)
class KecamatanRow:
    """A kecamatan with what its kop surat and letter numbers use."""

    id: int
    nama: str
    kode: str
    alamat: str
    kelurahan: list[tuple[int, str]]
    petugas_aktif: int


@dataclass(frozen=True)
class LayananRow:
    """A layanan in the administration's list."""

    id: int
    kode: str
    nama: str
    aktif: bool
    tahapan: list[str]
    sla_hari_kerja: int
    kecamatan_tutup: int


@dataclass(frozen=True)
class AuditFilter:
    """What the audit log page narrows to; dates are WIB calendar days, both ends included."""

    petugas_id: int | None = None
    aksi: str | None = None
    kecamatan_id: int | None = None
    dari: date | None = None
    sampai: date | None = None


@dataclass(frozen=True)
class AuditRow:
    """One audit log line as people read it."""

    id: int
    waktu: datetime
    aksi: str
    aksi_label: str
    petugas_nama: str
    nip: str
    kecamatan_nama: str
    objek: str
    ip: str
    detail: str


def petugas_list(
    *,
    kecamatan_id: int | None = None,
    peran: Peran | None = None,
    aktif: bool | None = None,
    cari: str = '',
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Halaman[PetugasRow]:
    """Return one page of officers (by kecamatan, then name), narrowed by kecamatan, role, active and a search."""
    conditions: list[ColumnElement[bool]] = []
    if kecamatan_id is not None:
        conditions.append(Petugas.kecamatan_id == kecamatan_id)
    if peran is not None:
        conditions.append(Petugas.peran == peran.value)
    if aktif is not None:
        conditions.append(Petugas.aktif == aktif)
    term = ' '.join((cari or '').split()).lower()
    if term:
        like = '%' + term.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_') + '%'
        conditions.append(or_(Petugas.nip.like(like, escape='\\'), func.lower(Petugas.nama).like(like, escape='\\')))
    page_size, page = max(1, min(page_size, MAX_PAGE_SIZE)), max(1, page)
    with db.get().read() as session:
        total = session.execute(select(func.count()).select_from(Petugas).where(*conditions)).scalar_one()
        result = session.execute(
            select(Petugas, Kecamatan.nama)
            .outerjoin(Kecamatan, Kecamatan.id == Petugas.kecamatan_id)
            .where(*conditions)
            .order_by(Kecamatan.nama.is_not(None), Kecamatan.nama, Petugas.nama, Petugas.id)
            .limit(page_size)
            .offset((page - 1) * page_size)
        ).all()
        blocked = login_throttle.blocked_nips(session, [p.nip for p, _ in result], now())
    return Halaman([_petugas_row(p, nama, p.nip in blocked) for p, nama in result], total, page, page_size)


def petugas_detail(petugas_id: int) -> PetugasRow | None:
    """Return one officer, or None."""
    row = petugas_with_kecamatan(petugas_id)
    if row is None:
        return None
    with db.get().read() as session:
        blocked = login_throttle.blocked_nips(session, [row[0].nip], now())
    return _petugas_row(*row, row[0].nip in blocked)


def petugas_options() -> dict[int, str]:
    """Return every officer as 'nama (NIP)' for the audit log's officer filter."""
    with db.get().read() as session:
        rows = session.execute(select(Petugas.id, Petugas.nama, Petugas.nip).order_by(Petugas.nama)).all()
    return {pid: f'{nama} ({nip})' for pid, nama, nip in rows}


def kecamatan_options() -> dict[int, str]:
    """Return every kecamatan's id and name, by name."""
    with db.get().read() as session:
        return dict(session.execute(select(Kecamatan.id, Kecamatan.nama).order_by(Kecamatan.nama)).all())


def kecamatan_list() -> list[KecamatanRow]:
    """Return every kecamatan with its kelurahan and how many active officers it has."""
    with db.get().read() as session:
        kecamatan = session.execute(select(Kecamatan).order_by(Kecamatan.nama)).scalars().all()
        kelurahan = session.execute(select(Kelurahan).order_by(Kelurahan.nama)).scalars().all()
        counts = dict(
            session.execute(
                select(Petugas.kecamatan_id, func.count()).where(Petugas.aktif).group_by(Petugas.kecamatan_id)
            ).all()
        )
    by_kecamatan: dict[int, list[tuple[int, str]]] = {}
    for k in kelurahan:
        by_kecamatan.setdefault(k.kecamatan_id, []).append((k.id, k.nama))
    return [
        KecamatanRow(k.id, k.nama, k.kode, k.alamat, by_kecamatan.get(k.id, []), counts.get(k.id, 0)) for k in kecamatan
    ]


def layanan_list() -> list[LayananRow]:
    """Return every layanan (by name) with in how many kecamatan it is switched off."""
    with db.get().read() as session:
        layanan = session.execute(select(Layanan).order_by(Layanan.nama)).scalars().all()
        closed = dict(
            session.execute(
                select(LayananKecamatan.layanan_id, func.count())
                .where(LayananKecamatan.aktif.is_(False))
                .group_by(LayananKecamatan.layanan_id)
            ).all()
        )
    return [
        LayananRow(x.id, x.kode, x.nama, x.aktif, list(x.tahapan), x.sla_hari_kerja, closed.get(x.id, 0))
        for x in layanan
    ]


def layanan_data(layanan_id: int) -> DataLayanan | None:
    """Return a stored layanan as the editor's starting point (copies, so editing never touches the row)."""
    with db.get().read() as session:
        layanan = session.get(Layanan, layanan_id)
    if layanan is None:
        return None
    values = {f.name: getattr(layanan, f.name) for f in fields(DataLayanan)}
    values['persyaratan'] = [dict(item, jenis=list(item.get('jenis', []))) for item in layanan.persyaratan]
    values['isian'] = [dict(item, pilihan=list(item.get('pilihan', []))) for item in layanan.isian]
    values['tahapan'] = list(layanan.tahapan)
    return DataLayanan(**values)


def layanan_kecamatan(layanan_id: int) -> dict[int, bool]:
    """Return, for every kecamatan id, whether this layanan is switched on there (on unless switched off)."""
    with db.get().read() as session:
        ids = session.execute(select(Kecamatan.id)).scalars().all()
        rows = session.execute(select(LayananKecamatan).where(LayananKecamatan.layanan_id == layanan_id)).scalars()
        switched = {row.kecamatan_id: row.aktif for row in rows}
    return {kid: switched.get(kid, True) for kid in ids}


def audit_list(filter: AuditFilter, *, page: int = 1, page_size: int = PAGE_SIZE) -> Halaman[AuditRow]:
    """Return one page of the audit log, newest first."""
    page_size, page = max(1, min(page_size, MAX_PAGE_SIZE)), max(1, page)
    conditions = _audit_conditions(filter)
    with db.get().read() as session:
        total = session.execute(select(func.count()).select_from(AuditLog).where(*conditions)).scalar_one()
        rows = session.execute(_audit_select(conditions).limit(page_size).offset((page - 1) * page_size)).all()
    return Halaman([_audit_row(*r) for r in rows], total, page, page_size)


def audit_aksi_options() -> dict[str, str]:
    """Return the actions the audit log can be filtered by: the known ones and any others it holds."""
    with db.get().read() as session:
        present = session.execute(select(AuditLog.aksi).distinct()).scalars().all()
    return AUDIT_AKSI | {aksi: aksi for aksi in sorted(present) if aksi not in AUDIT_AKSI}


def audit_csv(filter: AuditFilter) -> bytes:
    """Return the filtered audit log as CSV for spreadsheets (UTF-8 with BOM; cells never start a formula)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(['Waktu (WIB)', 'Aksi', 'Kode aksi', 'Petugas', 'NIP', 'Kecamatan', 'Objek', 'IP', 'Detail'])
    with db.get().read() as session:
        for r in session.execute(_audit_select(_audit_conditions(filter)).execution_options(yield_per=1000)):
            row = _audit_row(*r)
            cells = [format_waktu(row.waktu), row.aksi_label, row.aksi, row.petugas_nama, row.nip]
            cells += [row.kecamatan_nama, row.objek, row.ip, row.detail]
            writer.writerow([_csv_cell(c) for c in cells])
    return '\ufeff'.encode() + out.getvalue().encode()


def audit_csv_name(at: datetime | None = None) -> str:
    """Return the download's file name, e.g. log-audit-20261129-1015.csv (WIB)."""
    return f'log-audit-{to_wib(at or now()):%Y%m%d-%H%M}.csv'


def _petugas_row(p: Petugas, kecamatan_nama: str | None, locked: bool) -> PetugasRow:
    return PetugasRow(
        p.id,
        p.nip,
        p.nama,
        Peran(p.peran),
        p.jabatan,
        p.kecamatan_id,
        kecamatan_nama or 'Kota',
        p.aktif,
        p.wajib_ganti_password,
        locked,
        pangkat_golongan=p.pangkat_golongan,
    )


def _audit_conditions(filter: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filter.petugas_id is not None:
        conditions.append(AuditLog.petugas_id == filter.petugas_id)
    if filter.aksi:
        conditions.append(AuditLog.aksi == filter.aksi)
    if filter.kecamatan_id is not None:
        conditions.append(AuditLog.kecamatan_id == filter.kecamatan_id)
    if filter.dari is not None:
        conditions.append(AuditLog.waktu >= start_of_wib_day(filter.dari))
    if filter.sampai is not None:
        conditions.append(AuditLog.waktu < start_of_wib_day(filter.sampai + timedelta(days=1)))
    return conditions


def _audit_select(conditions: list[ColumnElement[bool]]):
    pelaku = aliased(Petugas)
    return (
        select(AuditLog, pelaku.nama, Kecamatan.nama)
        .outerjoin(pelaku, pelaku.id == AuditLog.petugas_id)
        .outerjoin(Kecamatan, Kecamatan.id == AuditLog.kecamatan_id)
        .where(*conditions)
        .order_by(AuditLog.waktu.desc(), AuditLog.id.desc())
    )


def _audit_row(log: AuditLog, petugas_nama: str | None, kecamatan_nama: str | None) -> AuditRow:
    return AuditRow(
        log.id,
        as_utc(log.waktu),
        log.aksi,
        AUDIT_AKSI.get(log.aksi, log.aksi),
        petugas_nama or '',
        log.nip or '',
        kecamatan_nama or '',
        log.objek,
        log.ip,
        log.detail,
    )


def _csv_cell(value: str) -> str:
    """Return a cell a spreadsheet shows as text: a leading = + - @ would otherwise run as a formula."""
    text = str(value)
    return "'" + text if text.startswith(CSV_FORMULA_START) else text
