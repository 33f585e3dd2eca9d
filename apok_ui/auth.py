"""Officer sessions: sign in and out, and the current officer of a page (checked against the database).

A session remembers the officer's id and session version; a password change or deactivation bumps the version,
so every other session of theirs ends at its next request or action.
"""

from __future__ import annotations

import time

from nicegui import app, ui
from starlette.requests import Request

from apok_ui import queries
from apok_ui.queries import Officer
from apok_ui.services import Actor, Masuk

_idle_seconds = 120 * 60


def configure(idle_minutes: int) -> None:
    """Set after how many idle minutes a session ends."""
    global _idle_seconds
    _idle_seconds = idle_minutes * 60


def sign_in(masuk: Masuk) -> None:
    """Remember the officer in this browser's session."""
    app.storage.user.clear()
    app.storage.user.update(petugas_id=masuk.petugas_id, sesi_versi=masuk.sesi_versi, seen=time.time())


def sign_out() -> None:
    """Forget the officer in this browser's session."""
    app.storage.user.clear()


def current_officer() -> Officer | None:
    """Return the officer of this browser's session, or None when logged out, idle too long, or ended elsewhere.

    Call it when a page is built and pass the result down: inside callbacks triggered by another officer's action,
    app.storage.user belongs to that other officer (see STACK-NOTES.md).
    """
    data = app.storage.user
    petugas_id = data.get('petugas_id')
    if not isinstance(petugas_id, int):
        return None
    if time.time() - float(data.get('seen', 0)) > _idle_seconds:
        data.clear()
        return None
    officer = queries.officer(petugas_id)
    if officer is None or not officer.aktif or officer.sesi_versi != data.get('sesi_versi'):
        data.clear()
        return None
    data['seen'] = time.time()
    return officer


def keep_session(sesi_versi: int) -> None:
    """Keep this session alive after its own password change (the others end)."""
    app.storage.user['sesi_versi'] = sesi_versi


def actor(officer: Officer) -> Actor:
    """Return the service-side identity of an officer, as this page knew them."""
    return Actor(officer.id, officer.sesi_versi)


def client_ip() -> str:
    """Return the address of the browser behind the current page (for the audit log and the abuse limits).

    Behind nginx, uvicorn's proxy-headers support already put the forwarded address here for trusted proxies only;
    reading X-Forwarded-For ourselves would let any browser pick its own address.
    """
    request: Request | None = getattr(ui.context.client, 'request', None)
    if request is None or request.client is None:
        return ''
    return request.client.host
