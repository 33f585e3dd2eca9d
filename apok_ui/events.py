"""The live-update bus: services record what changed; officer pages subscribe and refresh themselves.

A service records its change in its own write transaction (`record`, `record_sessions_ended`: a row of the outbox,
apok_ui/outbox.py). After the commit, the process's `relay` reads the new rows by position and emits them here,
each once and in commit order, whichever process committed them. Within one process the bus is a NiceGUI Event;
the relay may run in worker threads, so emitting hands the event to the event loop thread-safely.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import asdict, dataclass

from nicegui import Event, core
from sqlmodel import Session

from apok_ui import db, outbox

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # how soon a change is seen here whose wake-up was lost (SQLite shared by processes has none)
PRUNE_SECONDS = 6 * 3600


@dataclass(frozen=True)
class Perubahan:
    """An application changed: enough for every session to decide whether and how to refresh."""

    pengurusan_id: int
    nomor_pendaftaran: str
    kecamatan_id: int
    layanan_id: int
    aksi: str
    status: str
    peran_menunggu: str | None
    peran_sebelum: str | None
    version: int


pengurusan_changed: Event[Perubahan] = Event()
"""Fired after a change to a Pengurusan committed in any process (submission, decision, revision, print, hand-over…)."""

petugas_changed: Event[int] = Event()
"""Fired with a Petugas id after their password changed or they were deactivated: their open pages must close."""

resync: Event[[]] = Event()
"""Fired when changes may have been missed (the relay fell too far behind): every page reloads its view."""


def record(session: Session, change: Perubahan) -> None:
    """Record, in the service's write transaction, that a Pengurusan changed; the bus hears it after the commit."""
    outbox.record(session, outbox.PENGURUSAN, asdict(change))


def record_sessions_ended(session: Session, petugas_id: int) -> None:
    """Record, in the service's write transaction, that an officer's sessions ended (their open pages close)."""
    outbox.record(session, outbox.PETUGAS, {'petugas_id': petugas_id})


def publish_resync() -> None:
    """Tell every open page of this process to reload its view from the database."""
    emit_local(resync)


def _deliver(fact: outbox.Fact) -> None:
    if fact.kind == outbox.PENGURUSAN:
        emit_local(pengurusan_changed, Perubahan(**fact.payload))
    elif fact.kind == outbox.PETUGAS:
        emit_local(petugas_changed, int(fact.payload['petugas_id']))


relay = outbox.Relay(db.get, deliver=_deliver, reload=publish_resync)
"""This process's reader of the outbox: every committed change reaches the bus once, in commit order. main.py starts
it (and apok_ui/events_pg.py wakes it when another process commits); a process that never starts it (the CLI)
publishes nothing."""


def install(poll_seconds: float = POLL_SECONDS) -> None:
    """Run the relay with the app: from its start on, every change committed by any process reaches this bus."""
    from nicegui import app

    tasks: list[asyncio.Task] = []

    async def begin() -> None:
        await asyncio.to_thread(relay.start)
        tasks.append(asyncio.create_task(relay.follow(poll_seconds), name='apok-outbox-relay'))
        tasks.append(asyncio.create_task(_prune_forever(), name='apok-outbox-prune'))

    async def end() -> None:
        relay.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        tasks.clear()

    app.on_startup(begin)
    app.on_shutdown(end)


async def _prune_forever() -> None:
    while True:
        try:
            await asyncio.to_thread(outbox.prune, db.get())
        except Exception:  # pruning is housekeeping: try again next round
            log.exception('could not prune the outbox')
        await asyncio.sleep(PRUNE_SECONDS)


def emit_local(event: Event, *payload: object) -> None:
    """Emit on this process's bus from any thread."""
    loop = core.loop
    if loop is None or not loop.is_running() or _on_loop_thread(loop):
        event.emit(*payload)
    else:
        loop.call_soon_threadsafe(lambda: event.emit(*payload))


def _on_loop_thread(loop: asyncio.AbstractEventLoop) -> bool:
    return getattr(loop, '_thread_id', None) == threading.get_ident()
