"""What the Camat watches: work per stage and layanan, overdue items, output, and how long each stage takes."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import DateTime, func, select

from apok_ui import db
from models import Layanan, Pengurusan, Riwayat
from models import workflow as wf
from models.waktu import as_utc, now, start_of_wib_day, to_wib

STAGE_ORDER = tuple(r.value for r in wf.VERIFIER_ROLES)
MEDIAN_DAYS = 30


@dataclass(frozen=True)
class Monitoring:
    """A kecamatan's live picture."""

    per_stage: dict[str, int]
    per_layanan: list[tuple[str, dict[str, int]]]  # (layanan name, waiting per role)
    overdue: int
    overdue_per_stage: dict[str, int]
    selesai_today: int
    selesai_week: int
    median_hours: dict[str, float | None] = field(default_factory=dict)


def monitoring(kecamatan_id: int, at: datetime | None = None) -> Monitoring:
    """Return the live picture of one kecamatan (run off the event loop)."""
    at = at or now()
    with db.get().read() as session:
        waiting = session.execute(
            select(
                Pengurusan.layanan_id,
                Pengurusan.peran_menunggu,
                Pengurusan.status,
                Pengurusan.diajukan_at,
                Layanan.sla_hari_kerja,
            )
            .join(Layanan, Layanan.id == Pengurusan.layanan_id)
            .where(Pengurusan.kecamatan_id == kecamatan_id, Pengurusan.peran_menunggu.is_not(None))
        ).all()
        names = dict(session.execute(select(Layanan.id, Layanan.nama)).all())
        today, week = _day_starts(at)
        done = session.execute(
            select(func.count().filter(Pengurusan.selesai_at >= today), func.count()).where(
                Pengurusan.kecamatan_id == kecamatan_id, Pengurusan.selesai_at >= week
            )
        ).one()
        durations = _stage_durations(session, kecamatan_id, at)
    per_stage = dict.fromkeys(STAGE_ORDER, 0)
    per_layanan: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STAGE_ORDER, 0))
    overdue_per_stage = dict.fromkeys(STAGE_ORDER, 0)
    for layanan_id, role, status, diajukan_at, sla in waiting:
        per_stage[role] += 1
        per_layanan[layanan_id][role] += 1
        if wf.lewat_sla(status, diajukan_at, sla, at):
            overdue_per_stage[role] += 1
    rows = sorted(((names[k], v) for k, v in per_layanan.items()), key=lambda item: item[0])
    medians = {role: (statistics.median(d) if d else None) for role, d in durations.items()}
    return Monitoring(per_stage, rows, sum(overdue_per_stage.values()), overdue_per_stage, done[0], done[1], medians)


def _day_starts(at: datetime) -> tuple[datetime, datetime]:
    """Return the UTC moments today and this week (from Monday) began, in WIB."""
    today = to_wib(at).date()
    return start_of_wib_day(today), start_of_wib_day(today - timedelta(days=today.weekday()))


def _stage_durations(session, kecamatan_id: int, at: datetime) -> dict[str, list[float]]:
    """Return, per role, the hours each decision of the last 30 days took since the step before it."""
    since = at - timedelta(days=MEDIAN_DAYS)
    # SQLite forgets a window function's type: say it is a timestamp.
    lag = func.lag(Riwayat.waktu, type_=DateTime(timezone=True))
    previous = lag.over(partition_by=Riwayat.pengurusan_id, order_by=Riwayat.id)
    steps = (
        select(Riwayat.peran, Riwayat.aksi, Riwayat.waktu, previous.label('sebelum'))
        .join(Pengurusan, Pengurusan.id == Riwayat.pengurusan_id)
        .where(Pengurusan.kecamatan_id == kecamatan_id, Pengurusan.diubah_at >= since)
        .subquery()
    )
    rows = session.execute(
        select(steps.c.peran, steps.c.waktu, steps.c.sebelum).where(
            steps.c.aksi.in_((wf.Aksi.SETUJUI.value, wf.Aksi.TOLAK.value)),
            steps.c.waktu >= since,
            steps.c.sebelum.is_not(None),
        )
    ).all()
    durations: dict[str, list[float]] = {role: [] for role in STAGE_ORDER}
    for role, waktu, sebelum in rows:
        if role in durations:
            durations[role].append((as_utc(waktu) - as_utc(sebelum)).total_seconds() / 3600)
    return durations
