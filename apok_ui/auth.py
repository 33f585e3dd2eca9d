"""Officer sessions in the browser: the login's HTTP hop, the current officer of a page or request, Keluar.

The browser holds one HttpOnly cookie with a random token that only the server can map to a session
(apok_ui/services/sesi.py); every page built for an officer is admitted to apok_ui/session_guard.py, which ends it
with its session. A login happens over the page's socket, where no cookie can be set, so it ends with a navigation
to `/login/lanjut?kode=…`: that request trades the one-time code for the cookie and renews NiceGUI's browser id.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

from nicegui import Client, app, run, ui
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from apok_ui import security, session_guard
from apok_ui.queries import workspace as queries
from apok_ui.queries.workspace import Officer
from apok_ui.services import Actor, Masuk, NotFound
from apok_ui.services import sesi as sesi_service
from apok_ui.services.sesi import SesiRow
from models.sesi import Akhir, Batas, device_label

SESSION_COOKIE = 'apok_sesi'
CLAIM_PATH = '/login/lanjut'
_settings = {'batas': Batas(diam=120 * 60, usia=12 * 3600), 'https': False}


def configure(batas: Batas, *, https: bool) -> None:
    """Set how long sessions last and whether cookies are for https only; start this process's guard."""
    _settings.update(batas=batas, https=https)
    session_guard.install(batas)


def batas() -> Batas:
    """Return how long sessions last in this process."""
    return _settings['batas']


def safe_next(path: str) -> str | None:
    """Return an officer page's address to go to after the login (a digest's link), or None for anything that is
    not plainly one of APOK's own /admin pages (an open redirect would send officers to a look-alike site)."""
    path = (path or '').strip()
    if len(path) > 200 or not (path == '/admin' or path.startswith(('/admin?', '/admin/'))):
        return None
    if '\\' in path or '//' in path or any(ord(c) < 33 for c in path):
        return None
    return path


async def begin_session(masuk: Masuk, ke: str = '') -> None:
    """Open the session of a successful login on this page and send the browser to claim it (and then to `ke`,
    the page the officer was going to, when it is one of APOK's own)."""
    request: Request = ui.context.client.request
    kode = await run.io_bound(
        sesi_service.open_sesi,
        petugas_id=masuk.petugas_id,
        sesi_versi=masuk.sesi_versi,
        peramban=_browser_id(request),
        ip=client_ip(),
        perangkat=device_label(request.headers.get('user-agent', '')),
        perangkat_token=masuk.perangkat,
    )
    target = safe_next(ke)
    ui.navigate.to(f'{CLAIM_PATH}?kode={kode}' + (f'&ke={quote(target, safe="")}' if target else ''))


async def claim(request: Request, kode: str = '', ke: str = '') -> Response:
    """Trade a login's one-time code for the session cookie (GET /login/lanjut), then go to the workspace."""
    try:
        klaim = await run.io_bound(sesi_service.claim_sesi, kode=kode[:100], peramban=_browser_id(request))
    except NotFound:
        return RedirectResponse('/login?berakhir=kode', status_code=303)
    # A new browser id: whatever was stored for the pre-login id (and whoever else holds that cookie) stays behind.
    request.session.clear()
    request.session['id'] = str(uuid.uuid4())
    target = '/admin/profil?ganti=1' if klaim.wajib_ganti_password else (safe_next(ke) or '/admin')
    response = RedirectResponse(target, status_code=303)
    secure = bool(_settings['https'])
    max_age = int(_settings['batas'].usia)
    response.set_cookie(SESSION_COOKIE, klaim.token, max_age=max_age, httponly=True, samesite='lax', secure=secure)
    if klaim.perangkat:
        response.set_cookie(
            security.DEVICE_COOKIE,
            klaim.perangkat,
            max_age=security.DEVICE_COOKIE_MAX_AGE,
            httponly=True,
            samesite='lax',
            secure=secure,
        )
    return response


async def page_officer() -> Officer | None:
    """Return the officer of the page being built, read in a worker, and admit the page to its session; None
    without a live one.

    Pages ask it through components/guard.py's officer_page, when the page is built, and pass the result down:
    inside callbacks triggered by another officer's action, the request context belongs to that other officer
    (see STACK-NOTES.md).
    """
    client = ui.context.client
    return _admitted(client, *await run.io_bound(_session_and_officer, client.request))


async def read_request_officer(request: Request) -> Officer | None:
    """Return the officer behind a plain HTTP request (a berkas download; the login asks whether someone is in
    already), read in a worker, or None without a live session."""
    return _judged(*await run.io_bound(_session_and_officer, request))


def to_login() -> RedirectResponse:
    """Return the way to the login for a page without a live session, saying why when its session just ended."""
    request: Request = ui.context.client.request
    reason = getattr(request.state, 'sesi_berakhir', None)
    asked = request.url.path + (f'?{request.url.query}' if request.url.query else '')
    target = safe_next(asked) if asked not in ('/admin', '/admin/') else None  # a digest's link survives the login
    query = '&'.join(
        part
        for part in (f'berakhir={reason.value}' if reason else '', f'ke={quote(target, safe="")}' if target else '')
        if part
    )
    return RedirectResponse(f'/login?{query}' if query else '/login')


def page_session() -> int | None:
    """Return the session id of the page the caller runs in (None on a page of no officer)."""
    return session_guard.guard.of_client.get(ui.context.client.id)


def end_here(sesi_id: int, reason: Akhir = Akhir.KELUAR) -> None:
    """Send this page to the login and tear down this process's pages of a session right away (the database
    already says it ended)."""
    ui.navigate.to(f'/login?berakhir={reason.value}')
    session_guard.guard.end(sesi_id, reason, told=ui.context.client)


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


def browser_id() -> str | None:
    """Return the id NiceGUI keeps for the current page's browser (in its session cookie), or None without one.

    The citizen portal counts submissions per device with it (apok_ui.services.batas), not per address alone.
    """
    try:
        return str(app.storage.browser['id'])
    except (KeyError, RuntimeError):  # no session middleware or no request behind this page
        return None


def _session_and_officer(request: Request | None) -> tuple[SesiRow | None, Officer | None]:
    """Return the session of a request's cookie and its officer as the database has them (two reads, no state)."""
    token = request.cookies.get(SESSION_COOKIE, '')[:100] if request is not None else ''
    row = sesi_service.find_sesi(token) if token else None
    return row, queries.officer(row.petugas_id) if row is not None else None


def _admitted(client: Client, row: SesiRow | None, officer: Officer | None) -> Officer | None:
    """Admit a page to its session (on the loop: the guard's state is the loop's) and return its live officer."""
    if row is None:
        return None
    reason = session_guard.guard.admit(row, client)
    if reason is not None:
        client.request.state.sesi_berakhir = reason
        return None
    return officer if officer is not None and officer.aktif else None


def _judged(row: SesiRow | None, officer: Officer | None) -> Officer | None:
    """Return the officer of a plain request's session while it lives (judged on the loop, by the guard)."""
    if row is None or session_guard.guard.verdict_of(row) is not None:
        return None
    return officer


def _browser_id(request: Request) -> str:
    """Return NiceGUI's id of this browser (kept in its signed session cookie)."""
    return str(request.session.get('id', '')) if 'session' in request.scope else ''
