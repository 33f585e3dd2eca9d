"""Read-only questions the screens ask: the logged-in officer, queues per tab and layanan, counts, search.

Every query is paged on the server and served by an index (see migrations/versions/0001_initial_schema.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select, text
from sqlmodel import Session

from apok_ui import db
from models import Kecamatan, Layanan, Pengurusan, Peran, Petugas, Riwayat, Status, Tab
from models import workflow as wf
from models.pencarian import Jenis, classify
from models.waktu import as_utc, now

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Officer:
    """The logged-in officer as a page knows them (read once when the page is built)."""

    id: int
    nip: str
    nama: str
    peran: Peran
    jabatan: str
    kecamatan_id: int | None
    kecamatan_nama: str
    sesi_versi: int
    aktif: bool
    wajib_ganti_password: bool


@dataclass(frozen=True)
class QueueRow:
    """One line of an officer's table."""

    id: int
    nomor_pendaftaran: str
    layanan_id: int
    layanan_nama: str
    diajukan_at: datetime
    menunggu_sejak: datetime
    nama: str
    nik: str
    no_hp: str
    email: str
    status: Status
    version: int
    overdue: bool
    peran_menunggu: str | None = None
    jumlah_cetak: int = 0  # a letter never printed is handed over only after a second question
    diserahkan_at: datetime | None = None  # a hand-over may be corrected for a while (models.workflow.KOREKSI_SERAHKAN)
    alasan_revisi: str = ''  # why a later stage sent it back (status revisi), shown on the card


@dataclass(frozen=True)
class QueuePage:
    """A page of a queue and the total it was cut from."""

    rows: list[QueueRow]
    total: int
    page: int
    page_size: int


def petugas_with_kecamatan(petugas_id: int) -> tuple[Petugas, str | None] | None:
    """Return an officer's row and their kecamatan's name (None for the city-wide superadmin), or None."""
    with db.get().read() as session:
        row = session.execute(
            select(Petugas, Kecamatan.nama)
            .outerjoin(Kecamatan, Kecamatan.id == Petugas.kecamatan_id)
            .where(Petugas.id == petugas_id)
        ).first()
    return tuple(row) if row else None


def officer(petugas_id: int) -> Officer | None:
    """Return the officer with their kecamatan's name, or None."""
    row = petugas_with_kecamatan(petugas_id)
    if row is None:
        return None
    p, kecamatan_nama = row
    return Officer(
        p.id,
        p.nip,
        p.nama,
        Peran(p.peran),
        p.jabatan,
        p.kecamatan_id,
        kecamatan_nama or 'Kota',
        p.sesi_versi,
        p.aktif,
        p.wajib_ganti_password,
    )


def tab_counts(kecamatan_id: int, peran: Peran) -> dict[Tab, int]:
    """Return how many applications each tab holds for this role (each count is a range of one index)."""
    with db.get().read() as session:
        return {tab: _count(session, _conditions(kecamatan_id, peran, tab)) for tab in Tab}


def layanan_counts(kecamatan_id: int, peran: Peran, tab: Tab) -> dict[int, int]:
    """Return, per layanan id, how many applications of the tab it has."""
    with db.get().read() as session:
        rows = session.execute(
            select(Pengurusan.layanan_id, func.count())
            .where(*_conditions(kecamatan_id, peran, tab))
            .group_by(Pengurusan.layanan_id)
        ).all()
    return {layanan_id: count for layanan_id, count in rows}


def queue(
    kecamatan_id: int,
    peran: Peran,
    tab: Tab,
    *,
    layanan_id: int | None = None,
    search: str = '',
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> QueuePage:
    """Return one page of a tab (oldest first while work is open, newest first once finished)."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, page)
    conditions = _conditions(kecamatan_id, peran, tab, layanan_id=layanan_id, search=search)
    newest_first = tab in (Tab.DATA_SELESAI, Tab.DITOLAK)
    order = (
        (Pengurusan.menunggu_sejak.desc(), Pengurusan.id.desc())
        if newest_first
        else (Pengurusan.menunggu_sejak, Pengurusan.id)
    )
    with db.get().read() as session:
        total = _count(session, conditions)
        result = session.execute(
            select(
                Pengurusan.id,
                Pengurusan.nomor_pendaftaran,
                Pengurusan.layanan_id,
                Layanan.nama,
                Pengurusan.diajukan_at,
                Pengurusan.menunggu_sejak,
                Pengurusan.nama,
                Pengurusan.nik,
                Pengurusan.no_hp,
                Pengurusan.email,
                Pengurusan.status,
                Pengurusan.version,
                Layanan.sla_hari_kerja,
                Pengurusan.peran_menunggu,
                Pengurusan.jumlah_cetak,
                Pengurusan.diserahkan_at,
                _revisi_reason(),
            )
            .join(Layanan, Layanan.id == Pengurusan.layanan_id)
            .where(*conditions)
            .order_by(*order)
            .limit(page_size)
            .offset((page - 1) * page_size)
        ).all()
    at = now()
    rows = [
        QueueRow(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            r[9],
            Status(r[10]),
            r[11],
            wf.lewat_sla(r[10], r[4], r[12], at),
            r[13],
            r[14],
            as_utc(r[15]) if r[15] else None,
            r[16] or '',
        )
        for r in result
    ]
    return QueuePage(rows, total, page, page_size)


@dataclass(frozen=True)
class LayananInfo:
    """A layanan as the Pilih Pengurusan list shows it."""

    id: int
    kode: str
    nama: str
    sla_hari_kerja: int
    aktif: bool


def layanan_list() -> list[LayananInfo]:
    """Return every layanan (active ones first, then by name) for the Pilih Pengurusan list."""
    with db.get().read() as session:
        rows = session.execute(
            select(Layanan.id, Layanan.kode, Layanan.nama, Layanan.sla_hari_kerja, Layanan.aktif).order_by(
                Layanan.aktif.desc(), Layanan.nama
            )
        ).all()
    return [LayananInfo(*row) for row in rows]


def _revisi_reason() -> ColumnElement[str]:
    """Return, for an application sent back for revision, the keterangan of that rejection (NULL otherwise): one
    probe of the Riwayat index per row of the page, only for the rows in revisi."""
    latest = (
        select(Riwayat.keterangan)
        .where(Riwayat.pengurusan_id == Pengurusan.id, Riwayat.aksi == wf.Aksi.TOLAK.value)
        .order_by(Riwayat.id.desc())
        .limit(1)
        .correlate(Pengurusan)
        .scalar_subquery()
    )
    return case((Pengurusan.status == Status.REVISI.value, latest), else_=None)


@dataclass(frozen=True)
class Tinjauan:
    """One application as Setujui beberapa lists it for review: what it is, who applied, what the stages before
    said, and the version the officer reviewed."""

    id: int
    nomor_pendaftaran: str
    layanan_nama: str
    nama: str
    version: int
    catatan: tuple[tuple[str, str], ...]  # (role label, keterangan) of this round's approvals before, oldest first


def batch_review(kecamatan_id: int, ids: list[int]) -> list[Tinjauan]:
    """Return the applications chosen for a batch approval, in the order chosen, with the keterangan of this
    round's earlier approvals (the Admin's and the Kasi's); ids of another kecamatan are left out."""
    if not ids:
        return []
    with db.get().read() as session:
        rows = session.execute(
            select(
                Pengurusan.id,
                Pengurusan.nomor_pendaftaran,
                Layanan.nama,
                Pengurusan.nama,
                Pengurusan.version,
            )
            .join(Layanan, Layanan.id == Pengurusan.layanan_id)
            .where(Pengurusan.id.in_(ids), Pengurusan.kecamatan_id == kecamatan_id)
        ).all()
        steps = session.execute(
            select(Riwayat.pengurusan_id, Riwayat.aksi, Riwayat.peran, Riwayat.keterangan)
            .where(Riwayat.pengurusan_id.in_(ids))
            .order_by(Riwayat.pengurusan_id, Riwayat.id)
        ).all()
    catatan: dict[int, list[tuple[str, str]]] = {}
    for pengurusan_id, aksi, peran, keterangan in steps:
        if aksi != wf.Aksi.SETUJUI.value:  # a submission, rejection or revision starts the round again
            catatan[pengurusan_id] = []
        elif keterangan:
            catatan.setdefault(pengurusan_id, []).append((Peran(peran).label if peran else '', keterangan))
    found = {r[0]: Tinjauan(*r, tuple(catatan.get(r[0], ()))) for r in rows}
    return [found[i] for i in ids if i in found]


def _count(session: Session, conditions: list[ColumnElement[bool]]) -> int:
    return session.execute(select(func.count()).select_from(Pengurusan).where(*conditions)).scalar_one()


def _conditions(
    kecamatan_id: int, peran: Peran, tab: Tab, *, layanan_id: int | None = None, search: str = ''
) -> list[ColumnElement[bool]]:
    """Return the WHERE clauses of a tab as models.workflow defines it, narrowed by layanan and search."""
    f = wf.tab_filter(peran, tab)
    conditions: list[ColumnElement[bool]] = [Pengurusan.kecamatan_id == kecamatan_id]
    if f.waiting_role is not None:
        conditions.append(Pengurusan.peran_menunggu == f.waiting_role.value)
    elif f.waiting_role_not is not None:
        # "Waiting for one of the other roles" as an IN list: equality probes on the queue index. With `!=` SQLite
        # counted per layanan through the layanan index instead (845 ms at a million rows, 3 ms this way).
        others = sorted(r.value for r in wf.VERIFIER_ROLES if r is not f.waiting_role_not)
        conditions.append(Pengurusan.peran_menunggu.in_(others))
    else:
        conditions.append(Pengurusan.status.in_(sorted(s.value for s in f.statuses)))
    if layanan_id is not None:
        conditions.append(Pengurusan.layanan_id == layanan_id)
    condition = _search_condition(search)
    if condition is not None:
        conditions.append(condition)
    return conditions


def _search_condition(term: str) -> ColumnElement[bool] | None:
    pencarian = classify(term)
    if pencarian is None:
        return None
    column = {
        Jenis.NOMOR: Pengurusan.nomor_pendaftaran,
        Jenis.NIK: Pengurusan.nik,
        Jenis.HP: Pengurusan.no_hp,
        Jenis.EMAIL: Pengurusan.email,
    }.get(pencarian.jenis)
    if column is not None:
        return column == pencarian.nilai
    return _name_condition(pencarian.nilai)


def _name_condition(part: str) -> ColumnElement[bool]:
    """Return 'the name contains part, in any case', answered by the trigram index where it can be."""
    if db.get().is_sqlite and len(part) >= 3:
        phrase = '"' + part.replace('"', '""') + '"'
        # The unary plus keeps SQLite walking the narrow tab index and testing membership in the trigram matches,
        # instead of fetching every matching row of the whole city by id (10x slower for common name parts).
        return text(
            '+pengurusan.id IN (SELECT rowid FROM pengurusan_nama WHERE pengurusan_nama MATCH :phrase)'
        ).bindparams(phrase=phrase)
    escaped = part.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')
    return func.lower(Pengurusan.nama).like(f'%{escaped}%', escape='\\')
