"""The live-update bus: services publish what changed; officer pages subscribe and refresh themselves.

Within one process this is a NiceGUI Event. Services may run in worker threads (run.io_bound), so publishing
hands the event to the event loop thread-safely. With PostgreSQL, a bridge (apok_ui/events_pg.py) carries every
event to the other APOK processes too.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import asdict, dataclass
from typing import Protocol

from nicegui import Event, core

log = logging.getLogger(__name__)


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
"""Fired after a service committed a change to a Pengurusan (submission, decision, revision, print, hand-over…)."""

petugas_changed: Event[int] = Event()
"""Fired with a Petugas id after their password changed or they were deactivated: their open pages must close."""

resync: Event[[]] = Event()
"""Fired when events may have been missed (the cross-process listener reconnected): every page reloads its view."""


class Bridge(Protocol):
    """Carries events to other processes."""

    def send(self, kind: str, payload: dict) -> None: ...


_bridge: Bridge | None = None


def set_bridge(bridge: Bridge | None) -> None:
    """Carry every published event to other processes through this bridge (None: this process only)."""
    global _bridge
    _bridge = bridge


def publish(change: Perubahan) -> None:
    """Deliver a committed change to every subscriber of this process and, through the bridge, of the others."""
    emit_local(pengurusan_changed, change)
    _send('pengurusan', asdict(change))


def publish_petugas(petugas_id: int) -> None:
    """Tell open pages, here and in other processes, that an officer's sessions have ended."""
    emit_local(petugas_changed, petugas_id)
    _send('petugas', petugas_id)


def publish_resync() -> None:
    """Tell every open page of this process to reload its view from the database."""
    emit_local(resync)


def _send(kind: str, payload: object) -> None:
    if _bridge is None:
        return
    try:
        _bridge.send(kind, payload)
    except Exception:  # the change is committed; a lost notification only delays other processes' screens
        log.exception('could not send a live event to other processes')


def emit_local(event: Event, *payload: object) -> None:
    """Emit on this process's bus from any thread."""
    loop = core.loop
    if loop is None or not loop.is_running() or _on_loop_thread(loop):
        event.emit(*payload)
    else:
        loop.call_soon_threadsafe(lambda: event.emit(*payload))


def _on_loop_thread(loop: asyncio.AbstractEventLoop) -> bool:
    return getattr(loop, '_thread_id', None) == threading.get_ident()
