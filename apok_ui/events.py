"""The live-update bus: services publish what changed; officer pages subscribe and refresh themselves.

Within one process this is a NiceGUI Event. Services may run in worker threads (run.io_bound), so publishing
hands the event to the event loop thread-safely.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

from nicegui import Event, core


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


def publish(change: Perubahan) -> None:
    """Deliver a committed change to every subscriber of this process."""
    _emit(pengurusan_changed, change)


def publish_petugas(petugas_id: int) -> None:
    """Tell open pages that an officer's sessions have ended."""
    _emit(petugas_changed, petugas_id)


def _emit(event: Event, payload: object) -> None:
    loop = core.loop
    if loop is None or not loop.is_running() or _on_loop_thread(loop):
        event.emit(payload)
    else:
        loop.call_soon_threadsafe(event.emit, payload)


def _on_loop_thread(loop: asyncio.AbstractEventLoop) -> bool:
    return getattr(loop, '_thread_id', None) == threading.get_ident()
