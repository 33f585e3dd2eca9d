"""Officers' digests: one message about new work to an officer who has no page open, and the morning summary for
the Camat and the Sekcam. Each round runs in one write transaction that also notes what it covered, so two
processes (or a round run twice) never send the same digest twice.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func, text
from sqlmodel import Session, select

from apok_ui import db
from apok_ui.notifikasi.antrian import enqueue
from apok_ui.notifikasi.kabar import link, recipient, templat
from apok_ui.queries import monitoring as queries_monitoring
from models import Kecamatan, Pengurusan, Peran, Petugas
from models import workflow as wf
from models.kabar import Jenis, in_quiet_hours, render
from models.tables import Pesan
from models.waktu import as_utc, now, start_of_wib_day, to_wib

# A page not heard from for this long is closed (pages are seen every kehadiran.HEARTBEAT_SECONDS).
AWAY = timedelta(seconds=90)
MORNING_FROM, MORNING_UNTIL = time(7, 0), time(12, 0)  # a server down at 07:00 still sends it before noon
_LOCK_KEY = 0x4B41424152  # 'KABAR': one digest round at a time across PostgreSQL processes


def digest_round(at: datetime | None = None) -> int:
    """Queue the new-work digests and morning summaries due now; return how many were queued."""
    at = as_utc(at or now())  # stored as UTC: SQLite keeps no zone
    with db.get().write() as session:
        if not _one_round_at_a_time(session):
            return 0
        officers = session.exec(
            select(Petugas).where(Petugas.aktif, Petugas.kabar_kanal != '', Petugas.kecamatan_id.is_not(None))
        ).all()
        queued = 0
        for petugas in officers:
            if recipient(petugas.kabar_kanal, petugas.no_hp, petugas.email) is None:
                continue
            if in_quiet_hours(petugas.senyap_mulai, petugas.senyap_sampai, to_wib(at).time()):
                continue
            queued += _new_work(session, petugas, at)
            if Peran(petugas.peran) in (Peran.CAMAT, Peran.SEKCAM):
                queued += _morning(session, petugas, at)
        return queued


def _one_round_at_a_time(session: Session) -> bool:
    if session.get_bind().dialect.name == 'sqlite':
        return True  # the write transaction already is the one lock
    return bool(session.execute(text('SELECT pg_try_advisory_xact_lock(:key)'), {'key': _LOCK_KEY}).scalar_one())


def _new_work(session: Session, petugas: Petugas, at: datetime) -> int:
    """Queue one digest of the work that reached the officer's Data Baru since they last had a page open or were
    told; nothing while a page is open."""
    covered = [as_utc(moment) for moment in (petugas.kabar_sampai, petugas.daring_sampai) if moment is not None]
    if petugas.daring_sampai is not None and as_utc(petugas.daring_sampai) > at - AWAY:
        return 0
    since = max(covered) if covered else None
    waiting = [Pengurusan.kecamatan_id == petugas.kecamatan_id, Pengurusan.peran_menunggu == petugas.peran]
    arrived = waiting + ([Pengurusan.menunggu_sejak > since] if since is not None else [])
    jumlah = session.execute(select(func.count()).select_from(Pengurusan).where(*arrived)).scalar_one()
    if not jumlah:
        return 0
    oldest = session.execute(
        select(Pengurusan.id).where(*waiting).order_by(Pengurusan.menunggu_sejak).limit(1)
    ).scalar_one()
    values = {'jumlah': str(jumlah), 'peran': Peran(petugas.peran).label, 'tautan': link(f'/admin?lihat={oldest}')}
    _queue(session, petugas, Jenis.TUGAS_BARU, f'tugas:{petugas.id}:{since.isoformat() if since else "awal"}', values)
    petugas.kabar_sampai = at
    return 1


def _morning(session: Session, petugas: Petugas, at: datetime) -> int:
    """Queue the morning summary of the officer's kecamatan once per working day, from 07:00 WIB."""
    local = to_wib(at)
    if local.weekday() >= 5 or not MORNING_FROM <= local.time() < MORNING_UNTIL:
        return 0
    kunci = f'pagi:{local.date().isoformat()}:{petugas.id}'
    if session.execute(select(Pesan.id).where(Pesan.kunci.startswith(kunci))).first() is not None:
        return 0
    picture = queries_monitoring.monitoring(petugas.kecamatan_id, at)
    kecamatan = session.get(Kecamatan, petugas.kecamatan_id)
    values = {
        'kecamatan': kecamatan.nama if kecamatan else '',
        'menunggu': '\n'.join(f'{Peran(role).label}: {count}' for role, count in picture.per_stage.items()),
        'lewat_sla': str(picture.overdue),
        'selesai_kemarin': str(_finished_on_last_working_day(session, petugas.kecamatan_id, at)),
        'tautan': link('/admin/monitoring'),
    }
    _queue(session, petugas, Jenis.RINGKASAN_PAGI, kunci, values)
    return 1


def _finished_on_last_working_day(session: Session, kecamatan_id: int, at: datetime) -> int:
    day = to_wib(at).date() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    start, end = start_of_wib_day(day), start_of_wib_day(day + timedelta(days=1))
    return session.execute(
        select(func.count())
        .select_from(Pengurusan)
        .where(
            Pengurusan.kecamatan_id == kecamatan_id,
            Pengurusan.selesai_at >= start,
            Pengurusan.selesai_at < end,
            Pengurusan.status.in_([s.value for s in wf.TERBIT]),
        )
    ).scalar_one()


def _queue(session: Session, petugas: Petugas, jenis: Jenis, kunci: str, values: dict[str, str]) -> None:
    kanal, tujuan = recipient(petugas.kabar_kanal, petugas.no_hp, petugas.email)
    subjek, isi = render(templat(session, jenis), values)
    full_key = f'{kunci}:{kanal.value}:{tujuan}'
    enqueue(session, kunci=full_key, jenis=jenis, kanal=kanal, tujuan=tujuan, subjek=subjek, isi=isi)
