"""Which officers have a page open: noted in the database by every process, so a digest goes only to an officer
who is away from every screen of every process."""

from __future__ import annotations

from datetime import datetime

from nicegui import Client, ui
from sqlalchemy import update

from apok_ui import db
from models import Petugas
from models.waktu import as_utc, now

HEARTBEAT_SECONDS = 30  # ringkasan.AWAY allows three missed beats before an officer counts as away

_pages: dict[str, int] = {}  # NiceGUI client id → the officer whose page it is (this process only)


def hadir(petugas_id: int) -> None:
    """Note that the page being built is this officer's (call from the page). The next round of tugas.py writes
    it down with every other open page's officer: opening a page writes nothing, so it never waits for a writer."""
    _pages[ui.context.client.id] = petugas_id


def present() -> set[int]:
    """Return the officers with a page of this process still open, forgetting the pages that closed."""
    for client_id in [c for c in _pages if c not in Client.instances]:
        _pages.pop(client_id, None)
    return {
        petugas_id
        for client_id, petugas_id in list(_pages.items())
        if (client := Client.instances.get(client_id)) is not None and client.has_socket_connection
    }


def seen(petugas_ids: set[int], at: datetime | None = None) -> None:
    """Record that these officers had a page open just now (one statement for all of them)."""
    if petugas_ids:
        with db.get().write() as session:
            session.execute(
                update(Petugas).where(Petugas.id.in_(petugas_ids)).values(daring_sampai=as_utc(at or now()))
            )
