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
from sqlmodel import Session

from apok_ui import db
from apok_ui.queries.workspace import petugas_with_kecamatan
from apok_ui.services import login_throttle
from models import AuditLog, Berkas, Kecamatan, Kelurahan, Layanan, Pengurusan, Peran, Petugas
from models.layanan import DataLayanan
from models.tables import LayananKecamatan
from models.validasi import format_nip, mask_name, normalize_nomor_pendaftaran
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
CSV_BATCH = 1000  # rows read, and their objects named, at a time
KIND_LABEL = {'kecamatan': 'Kecamatan', 'kelurahan': 'Kelurahan', 'layanan': 'Layanan'}

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
    nomor: str | None = None  # a Nomor Pendaftaran: the entries about that application and its berkas


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
    objek_label: str = ''  # the object as people know it: Nomor Pendaftaran and masked name, officer's name and NIP


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
    with db.get().read() as session:
        conditions = _audit_conditions(filter, session)
        total = session.execute(select(func.count()).select_from(AuditLog).where(*conditions)).scalar_one()
        rows = session.execute(_audit_select(conditions).limit(page_size).offset((page - 1) * page_size)).all()
        labels = _objek_labels(session, [r[0].objek for r in rows])
    return Halaman([_audit_row(*r, labels=labels) for r in rows], total, page, page_size)


def audit_aksi_options() -> dict[str, str]:
    """Return the actions the audit log can be filtered by: the known ones and any others it holds."""
    with db.get().read() as session:
        present = session.execute(select(AuditLog.aksi).distinct()).scalars().all()
    return AUDIT_AKSI | {aksi: aksi for aksi in sorted(present) if aksi not in AUDIT_AKSI}


def audit_csv(filter: AuditFilter) -> bytes:
    """Return the filtered audit log as CSV for spreadsheets (UTF-8 with BOM; cells never start a formula)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ['Waktu (WIB)', 'Aksi', 'Kode aksi', 'Petugas', 'NIP', 'Kecamatan', 'Objek', 'Kode objek', 'IP', 'Detail']
    )
    with db.get().read() as session:
        conditions = _audit_conditions(filter, session)
        result = session.execute(_audit_select(conditions).execution_options(yield_per=CSV_BATCH))
        for batch in result.partitions(CSV_BATCH):
            labels = _objek_labels(session, [r[0].objek for r in batch])
            for r in batch:
                row = _audit_row(*r, labels=labels)
                cells = [format_waktu(row.waktu), row.aksi_label, row.aksi, row.petugas_nama, row.nip]
                cells += [row.kecamatan_nama, row.objek_label, row.objek, row.ip, row.detail]
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


def _audit_conditions(filter: AuditFilter, session: Session) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filter.nomor:
        conditions.append(AuditLog.objek.in_(_objek_of_nomor(session, filter.nomor)))
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


def _objek_of_nomor(session: Session, nomor: str) -> list[str]:
    """Return the audit objects of one application: itself and each of its berkas (none when the number is unknown)."""
    pengurusan_id = session.execute(
        select(Pengurusan.id).where(Pengurusan.nomor_pendaftaran == normalize_nomor_pendaftaran(nomor))
    ).scalar()
    if pengurusan_id is None:
        return []
    berkas = session.execute(select(Berkas.id).where(Berkas.pengurusan_id == pengurusan_id)).scalars().all()
    return [f'pengurusan:{pengurusan_id}', *(f'berkas:{b}' for b in berkas)]


def _objek_labels(session: Session, objek: list[str]) -> dict[str, str]:
    """Return how people know the objects of some audit rows ('pengurusan:1801' is 'BTK-2611-00042 · B*** S******',
    'petugas:50' is 'Rina Lubis (NIP 19850101 201001 1 002)'), read in one query per kind of object."""
    ids: dict[str, set[int]] = {}
    for value in objek:
        kind, _, raw = (value or '').partition(':')
        if raw.isdigit():
            ids.setdefault(kind, set()).add(int(raw))
    owner = dict(
        session.execute(select(Berkas.id, Berkas.pengurusan_id).where(Berkas.id.in_(ids.get('berkas', ())))).all()
    )
    labels = _pengurusan_labels(session, ids.get('pengurusan', set()) | set(owner.values()))
    labels |= {
        f'berkas:{b}': f'Berkas {labels[f"pengurusan:{p}"]}' for b, p in owner.items() if f'pengurusan:{p}' in labels
    }
    rows = session.execute(
        select(Petugas.id, Petugas.nama, Petugas.nip).where(Petugas.id.in_(ids.get('petugas', ())))
    ).all()
    labels |= {f'petugas:{i}': f'{nama} (NIP {format_nip(nip)})' for i, nama, nip in rows}
    for kind, model in (('kecamatan', Kecamatan), ('kelurahan', Kelurahan), ('layanan', Layanan)):
        rows = session.execute(select(model.id, model.nama).where(model.id.in_(ids.get(kind, ())))).all()
        labels |= {f'{kind}:{i}': f'{KIND_LABEL[kind]} {nama}' for i, nama in rows}
    return labels


def _pengurusan_labels(session: Session, ids: set[int]) -> dict[str, str]:
    """Return 'pengurusan:ID' → 'Nomor Pendaftaran · masked name' (never the name itself: the log is exported)."""
    rows = session.execute(
        select(Pengurusan.id, Pengurusan.nomor_pendaftaran, Pengurusan.nama).where(Pengurusan.id.in_(ids))
    ).all()
    return {f'pengurusan:{i}': f'{nomor} · {mask_name(nama)}' for i, nomor, nama in rows}


def _audit_row(
    log: AuditLog, petugas_nama: str | None, kecamatan_nama: str | None, *, labels: dict[str, str] | None = None
) -> AuditRow:
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
        (labels or {}).get(log.objek, log.objek),
    )


def _csv_cell(value: str) -> str:
    """Return a cell a spreadsheet shows as text: a leading = + - @ would otherwise run as a formula."""
    text = str(value)
    return "'" + text if text.startswith(CSV_FORMULA_START) else text
