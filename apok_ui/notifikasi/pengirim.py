"""The one sender: takes due messages from the `pesan` queue and delivers them after the commit, in every process.

A round claims due rows (waiting, `berikutnya` passed) by moving `berikutnya` a lease ahead, in one short write
transaction (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so processes claim different rows; SQLite: its one write
transaction). It then sends them one by one outside any transaction, and records each result in a transaction of
its own as soon as the server answered: delivered (`terkirim`), or another attempt after `models.kabar.backoff`,
or failed for good (`gagal`, with the server's answer) on a permanent refusal or once the message is
`GIVE_UP_AFTER` old. A process killed at any moment therefore sends again at most the message whose answer it
was waiting for; the rows it had claimed but not begun wait until their lease ends, then any process takes them.
Sends stop before the lease could run out under them, so two processes never hold the same row.

`install(settings)` runs it with the app (main.py); `wake()` asks it to look now (after a commit that queued
messages); otherwise it looks every POLL_SECONDS. Old rows are pruned after APOK_NOTIF_RETENTION_DAYS.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, update

from apok_ui import db
from apok_ui.notifikasi import keadaan
from apok_ui.notifikasi.saluran import TIMEOUT_SECONDS, Jawaban, Kiriman, Saluran, from_settings
from models.kabar import GIVE_UP_AFTER, Kanal, StatusPesan, backoff
from models.tables import Pesan
from models.waktu import as_utc, now

if TYPE_CHECKING:
    from apok_ui.config import Settings
    from apok_ui.db import Database

LEASE = timedelta(minutes=2)  # a claimed row is this process's for so long; sends stop well before it ends
BATCH = 20  # rows claimed at a time
POLL_SECONDS = 5.0  # how soon a retry that fell due, or a wake-up that was lost, is seen
PRUNE_SECONDS = 6 * 3600
SELESAI = (StatusPesan.TERKIRIM.value, StatusPesan.GAGAL.value, StatusPesan.DIBATALKAN.value)

log = logging.getLogger(__name__)
_table = Pesan.__table__


class Pengirim:
    """Delivers the queue through the configured channels; blocking methods, for a worker thread."""

    def __init__(
        self,
        database: Callable[[], Database],
        saluran: Mapping[Kanal, Saluran],
        *,
        lease: timedelta = LEASE,
        batch: int = BATCH,
        retention_days: int = 90,
        clock: Callable[[], datetime] = now,
    ) -> None:
        self.database = database
        self.saluran = dict(saluran)
        self.lease = lease
        self.batch = batch
        self.retention = timedelta(days=retention_days)
        self.clock = clock  # what time it is for the queue (the tests move it past a backoff)
        # Begin no send later than this into a lease: the slowest send (TIMEOUT_SECONDS) still ends inside it.
        self.send_window = max(lease.total_seconds() - 2 * TIMEOUT_SECONDS, lease.total_seconds() / 2)
        self.sent = 0  # delivered by this sender since it started
        self.rounds = 0  # drains finished (each ends when nothing is due)

    def drain(self) -> int:
        """Send rounds until nothing is due; return how many messages were attempted."""
        total = 0
        try:
            while attempted := self.run_once():
                total += attempted
        finally:
            for channel in self.saluran.values():
                channel.close()
            self.rounds += 1
        return total

    def run_once(self) -> int:
        """Claim one batch of due messages, send them and record each answer; return how many were claimed."""
        claimed = self.claim()
        started = time.monotonic()
        for index, kiriman in enumerate(claimed):
            if time.monotonic() - started > self.send_window:
                self.release(claimed[index:])  # the lease is running out: leave the rest to the next round
                break
            self.record(kiriman, self.send(kiriman))
        return len(claimed)

    def claim(self) -> list[Kiriman]:
        """Take up to `batch` due messages of the configured channels for the length of the lease."""
        if not self.saluran:
            return []
        at = self.clock()
        due = (
            select(_table.c.id)
            .where(
                _table.c.status == StatusPesan.MENUNGGU.value,
                _table.c.berikutnya <= at,
                _table.c.kanal.in_([k.value for k in self.saluran]),
            )
            .order_by(_table.c.berikutnya, _table.c.id)
        )
        with self.database().read() as session:  # most polls find nothing: that takes no write lock
            if session.execute(due.limit(1)).first() is None:
                return []
        # PostgreSQL: rows another process is claiming this moment are left to it
        due = due.limit(self.batch).with_for_update(skip_locked=True)
        columns = (_table.c.id, _table.c.kunci, _table.c.kanal, _table.c.tujuan, _table.c.subjek, _table.c.isi)
        with self.database().write() as session:
            rows = session.execute(
                update(_table)
                .where(_table.c.id.in_(due.scalar_subquery()))
                .values(berikutnya=at + self.lease)
                .returning(*columns)
            ).all()
        return sorted(
            (Kiriman(row.id, row.kunci, Kanal(row.kanal), row.tujuan, row.subjek, row.isi) for row in rows),
            key=lambda k: k.id,
        )

    def send(self, kiriman: Kiriman) -> Jawaban:
        """Send one message through its channel; a bug in a channel counts as a failure worth retrying."""
        channel = self.saluran[kiriman.kanal]
        try:
            jawaban = channel.send(kiriman)
        except Exception as error:  # a channel must not stop the queue: the message waits for its next attempt
            log.exception('the %s channel failed unexpectedly', kiriman.kanal.value)
            jawaban = Jawaban.later(f'Kesalahan tak terduga di APOK ({type(error).__name__})')
        keadaan.after_send(kiriman.kanal, jawaban)
        return jawaban

    def record(self, kiriman: Kiriman, jawaban: Jawaban) -> None:
        """Write down one attempt's answer: delivered, due again after the backoff, or failed for good."""
        at = self.clock()
        row = _table.c
        with self.database().write() as session:
            if jawaban.ok:
                # Also over a cancel made while it was on its way: it did go out.
                session.execute(
                    update(_table)
                    .where(row.id == kiriman.id, row.status != StatusPesan.TERKIRIM.value)
                    .values(
                        status=StatusPesan.TERKIRIM.value,
                        terkirim_at=at,
                        percobaan=row.percobaan + 1,
                        jawaban=jawaban.teks,
                    )
                )
                self.sent += 1
                return
            current = session.execute(
                select(row.percobaan, row.dibuat_at).where(
                    row.id == kiriman.id, row.status == StatusPesan.MENUNGGU.value
                )
            ).first()
            if current is None:
                return  # cancelled meanwhile
            attempts = current.percobaan + 1
            values = {'percobaan': attempts, 'jawaban': jawaban.teks, 'berikutnya': at + backoff(attempts)}
            if not jawaban.retry or _gives_up(current.dibuat_at, at):
                values['status'] = StatusPesan.GAGAL.value
            session.execute(update(_table).where(row.id == kiriman.id).values(**values))

    def release(self, kiriman: list[Kiriman]) -> None:
        """Give claimed, unsent messages back to the queue at once."""
        with self.database().write() as session:
            session.execute(
                update(_table)
                .where(_table.c.id.in_([k.id for k in kiriman]), _table.c.status == StatusPesan.MENUNGGU.value)
                .values(berikutnya=self.clock())
            )

    def prune(self) -> int:
        """Delete finished rows older than the retention; fail those of a channel that is not configured once they
        are GIVE_UP_AFTER old (they could never go). Return how many were deleted."""
        at = self.clock()
        row = _table.c
        with self.database().write() as session:
            session.execute(
                update(_table)
                .where(
                    row.status == StatusPesan.MENUNGGU.value,
                    row.kanal.not_in([k.value for k in self.saluran]),
                    row.dibuat_at < at - GIVE_UP_AFTER,
                )
                .values(status=StatusPesan.GAGAL.value, jawaban='Kanal ini tidak diatur di server APOK')
            )
            result = session.execute(delete(_table).where(row.status.in_(SELESAI), row.dibuat_at < at - self.retention))
            return result.rowcount or 0


def _gives_up(dibuat_at: datetime, at: datetime) -> bool:
    return at - as_utc(dibuat_at) >= GIVE_UP_AFTER


# --- the sender of this process ----------------------------------------------------------------------------------


class _Follower:
    """Runs a Pengirim with the app: woken by wake(), and every poll."""

    def __init__(self) -> None:
        self.pengirim: Pengirim | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._lock = threading.Lock()

    def wake(self) -> None:
        with self._lock:
            loop, wakeup = self._loop, self._wakeup
        if loop is not None and wakeup is not None and not loop.is_closed():
            loop.call_soon_threadsafe(wakeup.set)

    async def follow(self, pengirim: Pengirim, poll_seconds: float) -> None:
        with self._lock:
            self.pengirim, self._loop, self._wakeup = pengirim, asyncio.get_running_loop(), asyncio.Event()
        wakeup = self._wakeup
        while True:
            try:
                await asyncio.to_thread(pengirim.drain)
            except Exception:  # the database is away: the rows wait, the next round tries again
                log.exception('could not deliver the message queue; the next round retries')
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), poll_seconds)
            wakeup.clear()

    def stop(self) -> None:
        with self._lock:
            self.pengirim, self._loop, self._wakeup = None, None, None


_follower = _Follower()


def wake() -> None:
    """Ask this process's sender to look at the queue now; call it after the commit that queued messages. Safe
    from any thread, and a no-op in a process without a sender (the CLI): any other process, or the poll, sends."""
    _follower.wake()


def current() -> Pengirim | None:
    """Return this process's running sender, if any."""
    return _follower.pengirim


def install(settings: Settings, poll_seconds: float = POLL_SECONDS) -> None:
    """Run the sender with the app: the channels the settings configure, checked once at start-up (one line in
    the log for each problem, or one line that notifications are off)."""
    from nicegui import app

    channels = from_settings(settings)
    keadaan.configure(channels)
    pengirim = Pengirim(db.get, channels, retention_days=settings.notif_retention_days)
    tasks: list[asyncio.Task] = []

    async def begin() -> None:
        tasks.append(asyncio.create_task(_check(channels), name='apok-pesan-check'))
        tasks.append(asyncio.create_task(_follower.follow(pengirim, poll_seconds), name='apok-pesan-sender'))
        tasks.append(asyncio.create_task(_prune_forever(pengirim), name='apok-pesan-prune'))

    async def end() -> None:
        _follower.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        tasks.clear()

    app.on_startup(begin)
    app.on_shutdown(end)


async def _check(channels: Mapping[Kanal, Saluran]) -> None:
    if not channels:
        log.warning(keadaan.OFF_LOG)
        return
    for kanal, channel in channels.items():
        problem = await asyncio.to_thread(channel.probe)
        keadaan.after_probe(kanal, problem)
        if problem:
            log.warning('%s channel: %s; messages wait and are retried', kanal.value, problem)


async def _prune_forever(pengirim: Pengirim) -> None:
    while True:
        try:
            await asyncio.to_thread(pengirim.prune)
        except Exception:  # housekeeping: try again next round
            log.exception('could not prune the message queue')
        await asyncio.sleep(PRUNE_SECONDS)
