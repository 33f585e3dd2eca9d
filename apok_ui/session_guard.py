"""Open officer pages live exactly as long as their session: every event, read and live push of a page asks here.

An open NiceGUI page never asks the HTTP middleware again, and a client may ignore `navigate`, so the check has to
sit where the page's own traffic enters: each officer page's `handle_event` (every click, value and tab change
that arrives over the socket) and the live fan-out (apok_ui/live.py). The check is a dictionary lookup and a few
comparisons (models.sesi.ended_because on what this process holds); what could make the answer stale arrives as
an event (`petugas_changed`, from this process or through the PostgreSQL bridge), after which the sessions of that
officer are read again. A sweep ends idle sessions without any request from their pages.

A dead session's pages are torn down on the server: told to go to the login with the reason, then deleted (no more
reads, no more pushes), their sockets closed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from nicegui import Client, app, background_tasks, core, run

from apok_ui import events
from apok_ui.services import sesi as sesi_service
from apok_ui.services.sesi import SesiRow
from models.sesi import Akhir, Batas, ended_because

log = logging.getLogger(__name__)

TOUCH_SECONDS = 60  # the latest activity is written at most this often per session (the idle limit is minutes)
FLUSH_SECONDS = 2.0  # how long a dying page's "go to the login" may take to leave before the page is deleted
RECORDED_HERE = (Akhir.DIAM, Akhir.USIA, Akhir.AKUN, Akhir.NONAKTIF)  # ends nobody wrote down yet


@dataclass
class Held:
    """A session with open pages in this process."""

    row: SesiRow
    terakhir: float  # the latest activity seen here (epoch seconds)
    stored: float  # the latest activity written to the database
    pages: dict[Client, None] = field(default_factory=dict)
    ended: Akhir | None = None


class Guard:
    """This process's sessions with open pages, and the pages of each."""

    def __init__(self, batas: Batas) -> None:
        self.batas = batas
        self.held: dict[int, Held] = {}
        self.of_client: dict[str, int] = {}
        self.sweeper: asyncio.Task | None = None

    def admit(self, row: SesiRow, client: Client) -> Akhir | None:
        """Let a page being built live with its session; return why not when the session has ended."""
        held = self.held.get(row.id)
        if held is None:
            held = self.held[row.id] = Held(row, row.keadaan.terakhir, row.keadaan.terakhir)
        else:
            held.row = row
        reason = self.verdict(row.id)
        if reason is not None:
            self.end(row.id, reason)
            return reason
        self.touch(row.id)
        if client.id not in self.of_client:
            held.pages[client] = None
            self.of_client[client.id] = row.id
            client.handle_event = _guarded(self, client, client.handle_event)  # the socket's one entry for events
            client.on_delete(lambda: self._forget(client))
        return None

    def verdict(self, sesi_id: int) -> Akhir | None:
        """Return why a session can no longer be used here, or None while it is alive."""
        held = self.held.get(sesi_id)
        if held is None:
            return Akhir.KELUAR  # never admitted here, or forgotten: nothing may run for it
        if held.ended is not None:
            return held.ended
        return ended_because(replace(held.row.keadaan, terakhir=held.terakhir), self.batas, time.time())

    def verdict_of(self, row: SesiRow) -> Akhir | None:
        """Return why a session read for a plain request has ended: with the activity seen here when this process
        holds it (and a request of a live session counts as activity), otherwise as the database has it."""
        if row.id not in self.held:
            return ended_because(row.keadaan, self.batas, time.time())
        reason = self.verdict(row.id)
        if reason is None:
            self.touch(row.id)
        return reason

    def allows(self, client: Client) -> bool:
        """Return whether this page may still be shown anything; a page whose session ended is torn down."""
        sesi_id = self.of_client.get(client.id)
        if sesi_id is None:
            return False
        reason = self.verdict(sesi_id)
        if reason is not None:
            self.end(sesi_id, reason)
            return False
        return True

    def touch(self, sesi_id: int) -> None:
        """Note activity of a session; write it through when the stored value is older than TOUCH_SECONDS."""
        held = self.held.get(sesi_id)
        if held is None:
            return
        held.terakhir = time.time()
        if held.terakhir - held.stored >= TOUCH_SECONDS:
            held.stored = held.terakhir
            at = datetime.fromtimestamp(held.terakhir, UTC)
            background_tasks.create(_quietly(sesi_service.touch_sesi, sesi_id=sesi_id, at=at), name='sesi touch')

    def end(self, sesi_id: int, reason: Akhir, *, told: Client | None = None) -> None:
        """Stop everything of a session in this process now and tear its pages down (`told`: a page that is on its
        way to the login already, so it is not sent there twice)."""
        held = self.held.get(sesi_id)
        if held is None or held.ended is not None:
            return
        held.ended = reason
        if reason in RECORDED_HERE:
            background_tasks.create(_quietly(sesi_service.expire_sesi, sesi_id=sesi_id, alasan=reason), name='expire')
        for client in list(held.pages):
            background_tasks.create(_tear_down(client, reason, navigate=client is not told), name='sesi tear-down')
        if not held.pages:
            del self.held[sesi_id]

    def _forget(self, client: Client) -> None:
        sesi_id = self.of_client.pop(client.id, None)
        held = self.held.get(sesi_id) if sesi_id is not None else None
        if held is None:
            return
        held.pages.pop(client, None)
        if held.pages:
            return
        del self.held[sesi_id]
        if held.ended is None and held.terakhir > held.stored:  # keep the latest activity for the next page
            at = datetime.fromtimestamp(held.terakhir, UTC)
            background_tasks.create(_quietly(sesi_service.touch_sesi, sesi_id=sesi_id, at=at), name='sesi touch')

    async def recheck(self, petugas_id: int | None = None) -> None:
        """Read again the sessions of an officer (None: all held here) and end those that are over."""
        ids = [i for i, h in self.held.items() if petugas_id is None or h.row.petugas_id == petugas_id]
        if not ids:
            return
        rows = await run.io_bound(sesi_service.sesi_rows, ids)
        for sesi_id in ids:
            held = self.held.get(sesi_id)
            if held is None:
                continue
            if sesi_id in rows:
                held.row = rows[sesi_id]
            reason = self.verdict(sesi_id) if sesi_id in rows else Akhir.KELUAR
            if reason is not None:
                self.end(sesi_id, reason)

    def sweep(self) -> None:
        """End every held session that went idle or too old (no request from its pages needed)."""
        for sesi_id in list(self.held):
            reason = self.verdict(sesi_id)
            if reason is not None:
                self.end(sesi_id, reason)

    async def sweep_forever(self) -> None:
        """Sweep a few times per idle limit, for as long as the process serves."""
        interval = max(0.5, min(15.0, self.batas.diam / 4))
        while True:
            await asyncio.sleep(interval)
            try:
                self.sweep()
            except Exception:  # a failed sweep must not stop the next one
                log.exception('session sweep failed')


def _guarded(guard: Guard, client: Client, original: Callable[[dict], None]) -> Callable[[dict], None]:
    def handle_event(msg: dict) -> None:
        sesi_id = guard.of_client.get(client.id)
        reason = guard.verdict(sesi_id) if sesi_id is not None else Akhir.KELUAR
        if reason is not None:
            if sesi_id is not None:
                guard.end(sesi_id, reason)
            return  # the event is dropped: nothing of a dead session runs
        guard.touch(sesi_id)
        original(msg)

    return handle_event


async def _tear_down(client: Client, reason: Akhir, *, navigate: bool = True) -> None:
    """Send a page to the login with the reason, then delete it and close its sockets."""
    if client.is_deleted:
        return
    if navigate:
        client.open(f'/login?berakhir={reason.value}')
    # The outbox sends on its own loop; a page that has a socket gets the navigation before it is deleted. One that
    # ignores it is deleted all the same, and the guard drops its events meanwhile.
    deadline = time.monotonic() + FLUSH_SECONDS
    while client.outbox.messages and client.has_socket_connection and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.05)  # let the socket write what the outbox handed it
    if client.is_deleted:
        return
    sockets = list(client._socket_to_document_id)  # noqa: SLF001 (NiceGUI keeps no public list of a client's sockets)
    client.delete()
    for sid in sockets:
        if not sid.startswith('test-'):  # the simulated browser of the test suite has no real socket
            await core.sio.disconnect(sid)


async def _quietly(function: Callable, **kwargs: object) -> None:
    try:
        await run.io_bound(function, **kwargs)
    except Exception:  # bookkeeping only: the session's fate is already decided in memory
        log.exception('could not store a session change')


guard = Guard(Batas(diam=120 * 60, usia=12 * 3600))


def install(batas: Batas) -> None:
    """Start a fresh guard for this process: listen for ended sessions and sweep idle ones."""
    global guard
    guard = Guard(batas)
    events.petugas_changed.subscribe(guard.recheck, unsubscribe_on_delete=False)
    events.resync.subscribe(lambda: guard.recheck(None), unsubscribe_on_delete=False)

    def start_sweeping() -> None:
        guard.sweeper = background_tasks.create(guard.sweep_forever(), name='session sweep')

    if core.loop is not None and core.loop.is_running():
        start_sweeping()
    else:
        app.on_startup(start_sweeping)
