"""Keeps the open officer pages in step with the database: the live half of every officer screen.

One `Hub` per process subscribes to the bus; each open page registers a `Live` with it, for the officer the page
was built for (never app.storage.user in a callback: another officer's action triggers these). The hub fans each
batch of changes out to the pages of that kecamatan only, a chunk at a time with a yield in between, so that
200 open pages never hold the event loop for long. Changes arriving during a fan-out wait for the next round and
are handled together: a burst of 50 approvals costs each page a few refreshes and one toast per round, not 50.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from nicegui import background_tasks, ui

from apok_ui import events, session_guard
from apok_ui.events import Perubahan
from apok_ui.queries.workspace import Officer

log = logging.getLogger(__name__)

CHUNK = 20  # pages refreshed together before the loop serves others (measured in bench/live.py)
TOAST_NAMES = 3
Changes = Sequence[Perubahan] | None  # None: anything may have changed (events may have been missed)
Refresh = Callable[[Changes], Awaitable[None]]


class Live:
    """One open page's subscription to its kecamatan's changes, for as long as its session lives."""

    def __init__(self, officer: Officer, refresh: Refresh, *, toast_new_work: bool = True) -> None:
        self.officer = officer
        self.refresh = refresh
        self.toast_new_work = toast_new_work
        self.client = ui.context.client
        if officer.kecamatan_id is not None:
            hub.join(self)
            self.client.on_delete(lambda: hub.leave(self))

    async def apply(self, changes: Changes) -> None:
        """Show a batch of the kecamatan's changes: one toast for new work, then one refresh."""
        if self.client.is_deleted or not session_guard.guard.allows(self.client):
            hub.leave(self)  # a page whose session ended gets nothing more (the guard tears it down)
            return
        with self.client:
            if self.toast_new_work and changes:
                self._toast([c.nomor_pendaftaran for c in changes if self._is_new_work(c)])
            await self.refresh(changes)

    def _toast(self, nomor: list[str]) -> None:
        if not nomor:
            return
        names = ', '.join(nomor[:TOAST_NAMES]) + (' …' if len(nomor) > TOAST_NAMES else '')
        text = f'Pengurusan baru: {names}' if len(nomor) == 1 else f'{len(nomor)} pengurusan baru: {names}'
        ui.notify(text, type='info', position='top-right')

    def _is_new_work(self, change: Perubahan) -> bool:
        """Return whether the change put an application into this officer's Data Baru."""
        mine = self.officer.peran.value
        return change.peran_menunggu == mine and change.peran_sebelum != mine


class Hub:
    """The process's one subscriber: batches changes per kecamatan and hands them to that kecamatan's pages."""

    def __init__(self) -> None:
        self.pages: dict[int, dict[Live, None]] = {}  # per kecamatan, in the order the pages opened
        self.pending: dict[int, list[Perubahan]] = {}
        self.resync = False
        self.task: asyncio.Task | None = None

    def join(self, live: Live) -> None:
        """Send this page its kecamatan's changes from now on."""
        self.pages.setdefault(live.officer.kecamatan_id, {})[live] = None

    def leave(self, live: Live) -> None:
        """Stop sending to a page (its browser tab went away)."""
        pages = self.pages.get(live.officer.kecamatan_id)
        if pages is not None:
            pages.pop(live, None)
            if not pages:
                del self.pages[live.officer.kecamatan_id]

    def on_change(self, change: Perubahan) -> None:
        """Queue a committed change for the open pages of its kecamatan (none open: nothing to do)."""
        if change.kecamatan_id in self.pages:
            self.pending.setdefault(change.kecamatan_id, []).append(change)
            self._wake()

    def on_resync(self) -> None:
        """Queue a full refresh of every open page (events may have been missed)."""
        self.resync = True
        self._wake()

    def _wake(self) -> None:
        if self.task is None or self.task.done():
            self.task = background_tasks.create(self._fan_out(), name='live fan-out')

    async def _fan_out(self) -> None:
        while self.pending or self.resync:
            pending, resync = self.pending, self.resync
            self.pending, self.resync = {}, False
            for kecamatan_id in list(self.pages if resync else pending):
                await self._deliver(kecamatan_id, None if resync else pending[kecamatan_id])

    async def _deliver(self, kecamatan_id: int, changes: Changes) -> None:
        lives = list(self.pages.get(kecamatan_id, ()))
        for start in range(0, len(lives), CHUNK):
            # Pages of one chunk share their reads (apok_ui/shared_reads.py); between chunks the loop serves others.
            await asyncio.gather(*(_apply_safely(live, changes) for live in lives[start : start + CHUNK]))


async def _apply_safely(live: Live, changes: Changes) -> None:
    try:
        await live.apply(changes)
    except Exception:  # one broken page must not keep the others from their update
        log.exception('a live refresh failed')


hub = Hub()


def install() -> None:
    """Start a fresh hub and subscribe it to the bus (once per process start, after apok_ui.shared_reads)."""
    global hub
    hub = Hub()
    events.pengurusan_changed.subscribe(hub.on_change, unsubscribe_on_delete=False)
    events.resync.subscribe(hub.on_resync, unsubscribe_on_delete=False)
