"""Sessions that really end: a page left open — in a real browser, or held by a raw socket.io client that ignores
every navigation — can read nothing, act on nothing and hears nothing once its session is over (Keluar in another
tab, a password change elsewhere, deactivation by the superadmin, idle expiry), and a cookie taken before a login
is never logged in by it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import socketio

from apok_ui import db, services
from models import Peran
from tests.conftest import (
    KEC_A,
    PASSWORD,
    LiveServer,
    login_in_browser,
    start_server,
    stop_server,
    submit,
    type_into,
)
from tests.raw_page import Background, RawPage

WAIT_MS = 30_000  # a generous bound for a loaded CI machine, never a measurement


TEMPORARY_NIP = '198501012010011005'


@pytest.fixture
def applications(sqlite_url: str, app_people) -> list[str]:
    """Three applications waiting for Batam Kota's admin (their Nomor Pendaftaran), and an admin of Batam Kota whose
    password is a temporary one."""
    services.create_petugas(
        nip=TEMPORARY_NIP,
        nama='Petugas Baru',
        peran=Peran.ADMIN.value,
        kecamatan=KEC_A,
        password=PASSWORD,
        wajib_ganti_password=True,
    )
    return [submit(seq=seq).nomor_pendaftaran for seq in (1, 2, 3)]


def _server(tmp_path: Path, sqlite_url: str, **env: str) -> LiveServer:
    db.get().dispose()  # the server process owns the file from now on
    return start_server(tmp_path, sqlite_url, APOK_DATA_DIR=str(tmp_path), **env)


@pytest.fixture
def server(sqlite_url: str, applications, tmp_path: Path) -> Iterator[LiveServer]:
    running = _server(tmp_path, sqlite_url)
    yield running
    stop_server(running)


@pytest.fixture
def background() -> Iterator[Background]:
    loop = Background()
    yield loop
    loop.stop()


def _cookies(context) -> dict[str, str]:
    return {c['name']: c['value'] for c in context.cookies()}


def _hold_open(background: Background, server: LiveServer, context) -> RawPage:
    """Open /admin as another tab of the browser `context`, through a client that ignores navigation."""

    cookies = _cookies(context)  # Playwright's sync API is called from its own thread only

    async def go() -> RawPage:
        raw = RawPage(server.url, cookies)
        response = await raw.open('/admin')
        assert response.status_code == 200, response.headers.get('location')
        await raw.connect()
        return raw

    return background.run(go())


def _tabs(raw: RawPage) -> str:
    return raw.element(lambda e: e.get('tag') == 'q-tabs')


def _search(raw: RawPage) -> str:
    return raw.element(lambda e: e.get('props', {}).get('label') == 'Search')


def _lihat(raw: RawPage) -> str:
    return raw.element(lambda e: e.get('props', {}).get('label') == 'Lihat Data')


def _read_everything(background: Background, raw: RawPage) -> None:
    """Do what the attacker did: switch tabs, search by name, page on, open Lihat Data (errors ignored)."""

    async def go() -> None:
        for find, kind, arg in (
            (_tabs, 'value', 'proses'),
            (_tabs, 'value', 'baru'),
            (_search, 'value', 'Budi'),
            (_lihat, 'click', None),
        ):
            # A closed socket or a page that is gone: nothing to read either way.
            with contextlib.suppress(socketio.exceptions.SocketIOError, AssertionError, KeyError):
                element = find(raw)
                await (raw.set_value(element, arg) if kind == 'value' else raw.send(element, kind, arg))

    background.run(go())


def _can_read(background: Background, raw: RawPage, nomor: str) -> None:
    """The control: while the session lives, the raw client does read the queue (so the harness works)."""
    start = len(raw.received)
    background.run(raw.set_value(_tabs(raw), 'proses'))
    background.run(raw.set_value(_tabs(raw), 'baru'))
    background.run(raw.wait_for(lambda text: nomor in text))
    assert nomor in raw.text_since(start)


def _is_shut_out(background: Background, server: LiveServer, left: LeftOpen, reason: str, nomors: list[str]) -> None:
    """After its session ended, the tab left open was closed by the server, received none of the data after the
    session was ended, and cannot come back."""
    raw = left.raw
    _read_everything(background, raw)  # at once, while the server may still be tearing the page down
    background.run(raw.disconnected.wait(), timeout=60)  # the server closes the page: wait for that event
    _read_everything(background, raw)
    assert not any(nomor in raw.text_since(left.since) for nomor in nomors)

    async def reopen() -> None:
        again = RawPage(server.url, raw.cookies)
        again.client_id = raw.client_id
        with pytest.raises(socketio.exceptions.ConnectionError):
            await again.connect()  # the handshake of a deleted page fails
        response = await again.open('/admin')
        assert response.status_code in (302, 303, 307)
        assert response.headers['location'] == f'/login?berakhir={reason}'
        async with httpx.AsyncClient(base_url=server.url, cookies=raw.cookies) as http:
            assert (await http.get('/admin/berkas/1')).status_code == 401

    background.run(reopen())


@dataclass
class LeftOpen:
    """An officer's browser tab, and a second tab of the same browser held by a client that ignores navigation."""

    page: object
    raw: RawPage
    since: int = 0  # what the raw tab had received when its session was ended

    def ending(self) -> None:
        """Note the moment the session is about to be ended: nothing of the data may arrive after it."""
        self.since = len(self.raw.received)


@contextlib.contextmanager
def tab_left_open(chromium, background: Background, server: LiveServer, nip: str, nomor: str) -> Iterator[LeftOpen]:
    """Log an officer in and hold another tab of that browser open; it reads the queue while the session lives."""
    context, raw = chromium.new_context(), None
    try:
        page = context.new_page()
        login_in_browser(page, server, nip)
        raw = _hold_open(background, server, context)
        _can_read(background, raw, nomor)
        yield LeftOpen(page, raw)
    finally:
        if raw is not None:
            background.run(raw.close())
        context.close()


def test_keluar_in_one_tab_ends_a_tab_left_open_that_ignores_navigation(
    chromium, server, app_people, applications, background
):
    with tab_left_open(chromium, background, server, app_people.of(Peran.ADMIN).nip, applications[0]) as left:
        left.page.get_by_role('tab', name='Profil Petugas').click()
        left.ending()
        left.page.get_by_role('button', name='Keluar').click()
        left.page.wait_for_url('**/login?berakhir=keluar', timeout=WAIT_MS)
        left.page.get_by_text('Sesi Anda berakhir: Anda sudah keluar.').wait_for(timeout=WAIT_MS)
        _is_shut_out(background, server, left, 'keluar', applications)


def test_a_password_change_on_another_device_ends_the_open_pages_of_the_old_one(
    chromium, server, app_people, applications, background
):
    nip = app_people.of(Peran.ADMIN).nip
    with (
        tab_left_open(chromium, background, server, nip, applications[0]) as left,
        contextlib.closing(chromium.new_context()) as other,
    ):
        page = other.new_page()
        login_in_browser(page, server, nip)
        page.get_by_role('tab', name='Profil Petugas').click()
        left.ending()
        type_into(page.get_by_label('Password lama'), PASSWORD)
        type_into(page.get_by_label('Password baru', exact=True), 'rahasiaBaru2027')
        type_into(page.get_by_label('Ulangi password baru'), 'rahasiaBaru2027')
        page.get_by_role('button', name='Simpan Password').click()
        page.get_by_text('Password berhasil diganti.').wait_for(timeout=WAIT_MS)
        left.page.wait_for_url('**/login?berakhir=akun', timeout=WAIT_MS)
        _is_shut_out(background, server, left, 'akun', applications)
        assert '/admin' in page.url  # the session that changed the password goes on
        page.get_by_role('tab', name='Data Baru').click()
        page.get_by_text(applications[0]).first.wait_for(timeout=WAIT_MS)


def test_deactivation_by_the_superadmin_ends_the_officers_open_pages(
    chromium, server, app_people, applications, background
):
    nip = app_people.of(Peran.ADMIN).nip
    with (
        tab_left_open(chromium, background, server, nip, applications[0]) as left,
        contextlib.closing(chromium.new_context()) as superadmin,
    ):
        page = superadmin.new_page()
        login_in_browser(page, server, app_people.of(Peran.SUPERADMIN).nip)
        page.goto(f'{server.url}/admin/sistem/petugas')
        left.ending()
        page.locator('.q-card', has_text=f'NIP {nip}').get_by_role('button', name='Nonaktifkan').click()
        page.get_by_role('dialog').get_by_role('button', name='Nonaktifkan').click()
        left.page.wait_for_url('**/login?berakhir=nonaktif', timeout=WAIT_MS)
        _is_shut_out(background, server, left, 'nonaktif', applications)


def test_an_idle_session_is_ended_by_the_server_without_any_request_from_its_pages(
    chromium, sqlite_url, app_people, applications, tmp_path, background
):
    idle = _server(tmp_path, sqlite_url, APOK_SESSION_IDLE_MINUTES='0.2')  # 12 s, a developer-only setting
    try:
        with tab_left_open(chromium, background, idle, app_people.of(Peran.ADMIN).nip, applications[0]) as left:
            left.ending()
            # Neither tab sends anything from now on: the server's sweep ends the session by itself.
            left.page.wait_for_url('**/login?berakhir=diam', timeout=60_000)
            left.page.get_by_text('terlalu lama tidak ada aktivitas').wait_for(timeout=WAIT_MS)
            _is_shut_out(background, idle, left, 'diam', applications)
    finally:
        stop_server(idle)


def test_a_temporary_password_officer_cannot_read_the_queue_by_sending_the_tabs_value(
    chromium, server, applications, background
):
    with contextlib.closing(chromium.new_context()) as context:
        page = context.new_page()
        page.goto(f'{server.url}/login')
        type_into(page.get_by_label('Username'), TEMPORARY_NIP)
        type_into(page.get_by_label('Password'), PASSWORD)
        page.get_by_role('button', name='Masuk').click()
        page.wait_for_url('**/admin/profil?ganti=1', timeout=WAIT_MS)

        cookies = _cookies(context)

        async def drive() -> RawPage:
            raw = RawPage(server.url, cookies)
            assert (await raw.open('/admin/profil?ganti=1')).status_code == 200
            await raw.connect()
            for tab in ('baru', 'proses', 'selesai', 'baru'):
                await raw.set_value(_tabs(raw), tab)
            # A fence: the answer to a wrong old password comes after a bcrypt check (a third of a second), long after
            # any queue read those tab values would have started.
            lama = raw.element(lambda e: e.get('props', {}).get('label') == 'Password lama')
            for label in ('Password lama', 'Password baru', 'Ulangi password baru'):
                field = raw.element(lambda e, label=label: e.get('props', {}).get('label') == label)
                await raw.set_value(field, 'salahSekali123' if field == lama else 'baruSekali123')
            await raw.send(raw.element(lambda e: e.get('props', {}).get('label') == 'Simpan Password'), 'click', None)
            try:
                await raw.wait_for(lambda text: 'Password lama salah' in text)
            except TimeoutError:
                pytest.fail('a tab value sent over the socket was obeyed: Profil Petugas and its fields were replaced')
            return raw

        raw = background.run(drive())
        background.run(raw.close())
        assert not any(nomor in raw.text_since(0) for nomor in applications)
        assert not any(nomor in str(raw.elements) for nomor in applications)


def test_a_cookie_taken_before_the_login_is_not_logged_in_by_it(chromium, server, app_people):
    with httpx.Client(base_url=server.url) as attacker:
        attacker.get('/login')
        planted = dict(attacker.cookies)
    context = chromium.new_context()
    try:
        context.add_cookies([{'name': k, 'value': v, 'url': server.url} for k, v in planted.items()])
        page = context.new_page()
        login_in_browser(page, server, app_people.of(Peran.ADMIN).nip)
        after = _cookies(context)
        assert after['session'] != planted['session']  # NiceGUI's browser id was renewed at the login
        with httpx.Client(base_url=server.url, cookies=planted) as attacker:
            response = attacker.get('/admin')
        assert response.status_code in (302, 303, 307) and response.headers['location'].startswith('/login')
    finally:
        context.close()


def test_keluar_on_one_process_ends_the_same_sessions_page_held_open_on_another(chromium, two_servers, background):
    server_a, server_b, people = two_servers
    nomors = [submit(seq=seq).nomor_pendaftaran for seq in (1, 2)]
    with contextlib.closing(chromium.new_context()) as context:
        page = context.new_page()
        login_in_browser(page, server_a, people.of(Peran.ADMIN).nip)
        left = LeftOpen(page, _hold_open(background, server_b, context))  # the token, not the process, is the session
        try:
            _can_read(background, left.raw, nomors[0])
            page.get_by_role('tab', name='Profil Petugas').click()
            left.ending()
            page.get_by_role('button', name='Keluar').click()
            page.wait_for_url('**/login?berakhir=keluar', timeout=WAIT_MS)
            _is_shut_out(background, server_b, left, 'keluar', nomors)  # told through PostgreSQL's NOTIFY
        finally:
            background.run(left.raw.close())
