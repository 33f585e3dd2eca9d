"""Keeps one open officer page in step with the database: the live half of every officer screen.

A page creates one `Live` when it is built, for the officer it was built for (never app.storage.user in a
callback: another officer's action triggers these). Changes of other kecamatan are ignored without a query.
Refreshes never pile up: while one runs, further events only mark the page dirty and one more refresh follows,
so a burst of 50 approvals costs each page at most two reads, and a single change costs no added delay.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from nicegui import app, run, ui

from apok_ui import events, queries
from apok_ui.events import Perubahan
from apok_ui.queries import Officer

SESSION_GRACE_SECONDS = 0.5
Refresh = Callable[[Perubahan | None], Awaitable[None]]


class Live:
    """Subscribe a page to its kecamatan's changes and to the end of its officer's session."""

    def __init__(self, officer: Officer, refresh: Refresh, *, toast_new_work: bool = True) -> None:
        self.officer = officer
        self.refresh = refresh
        self.toast_new_work = toast_new_work
        self.running = False
        self.dirty: Perubahan | None = None
        self.missed = False
        self.client = ui.context.client
        self.storage = app.storage.user  # this browser's session, held now: in callbacks the lookup would be wrong
        # Subscribed inside the page's UI context: NiceGUI unsubscribes when this browser tab goes away.
        events.pengurusan_changed.subscribe(self._on_change)
        events.petugas_changed.subscribe(self._on_petugas)
        events.resync.subscribe(self._on_resync)

    async def _on_change(self, change: Perubahan) -> None:
        if change.kecamatan_id != self.officer.kecamatan_id:
            return
        if self.toast_new_work and self._is_new_work(change):
            ui.notify(f'Pengurusan baru: {change.nomor_pendaftaran}', type='info', position='top-right')
        await self._refresh(change)

    def _is_new_work(self, change: Perubahan) -> bool:
        """Return whether the change put an application into this officer's Data Baru."""
        mine = self.officer.peran.value
        return change.peran_menunggu == mine and change.peran_sebelum != mine

    async def _on_resync(self) -> None:
        await self._refresh(None)

    async def _on_petugas(self, petugas_id: int) -> None:
        if petugas_id != self.officer.id:
            return
        # The session that changed its own password stores its new version right after the change: give it a moment,
        # then ask the database whether this browser's session still holds.
        await asyncio.sleep(SESSION_GRACE_SECONDS)
        if self.client.is_deleted:
            return
        current = await run.io_bound(queries.officer, petugas_id)
        if current is None or not current.aktif or current.sesi_versi != self.storage.get('sesi_versi'):
            ui.navigate.to('/login')

    async def _refresh(self, change: Perubahan | None) -> None:
        if self.client.is_deleted:
            return
        if self.running:
            self.dirty, self.missed = change, True
            return
        self.running = True
        try:
            await self.refresh(change)
            while self.missed and not self.client.is_deleted:
                change, self.dirty, self.missed = self.dirty, None, False
                await self.refresh(change)
        finally:
            self.running = False
