"""What an odd address, a framing page and a lost connection meet on a real server: Indonesian answers with 4xx
(never an exception, in the page or in the log), an Indonesian 404 page, security headers on every answer (HSTS
only behind https), and an Indonesian reconnect notice."""

from __future__ import annotations

import sqlite3
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nicegui
import pytest

from models import Peran
from tests.conftest import LiveServer, login_in_browser, start_server, stop_server, submit

ENGLISH = ("This page doesn't exist", 'Server error', 'Internal Server Error', 'Not Found', '"detail"', 'Traceback')
EXCEPTIONS = ('Traceback', 'ValueError', 'OverflowError', 'Exception')
HUGE = '99999999999999999999999'
ODD_IDS = ('²', HUGE, '2147483648', '0', '-1', '1e3', 'abc', '%00', '%20%201')


@dataclass(frozen=True)
class Answer:
    """What the server answered: status, headers and body."""

    status: int
    headers: dict[str, str]
    text: str


def fetch(url: str, *, method: str = 'GET') -> Answer:
    """Return the server's answer to one request, without following redirects (urllib, no browser)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # the redirect itself is the answer under test
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, method=method, data=b'' if method == 'POST' else None)
    try:
        with opener.open(request, timeout=30) as response:
            return Answer(
                response.status, {k.lower(): v for k, v in response.headers.items()}, response.read().decode()
            )
    except urllib.error.HTTPError as error:
        return Answer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read().decode())


def assert_no_traceback(server: LiveServer) -> None:
    log = server.output()
    assert 'Traceback' not in log, log


@pytest.fixture(scope='module')
def public_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Serve a fresh database (reference data only) from a real APOK process for the whole module."""
    folder = tmp_path_factory.mktemp('public')
    server = start_server(folder, f'sqlite:///{folder / "apok.db"}')
    yield server
    stop_server(server)


def officer_request(chromium, server: LiveServer, nip: str):
    """Log an officer in with a real browser and return its request context (it sends the browser's cookies)."""
    context = chromium.new_context(locale='id-ID')
    page = context.new_page()
    login_in_browser(page, server, nip)
    return context, page


# --- odd ids ---------------------------------------------------------------------------------------------------


def test_an_officer_opening_lihat_data_of_an_odd_id_is_told_it_is_not_found(chromium, server, app_people):
    context, page = officer_request(chromium, server, app_people.of(Peran.ADMIN).nip)
    try:
        for odd in ODD_IDS:
            page.goto(f'{server.url}/admin?lihat={odd}')
            page.get_by_text('Pengurusan tidak ditemukan.').first.wait_for()
            assert page.get_by_text('Pilih Pengurusan').is_visible(), odd
            assert not any(word in page.content() for word in EXCEPTIONS), odd
    finally:
        context.close()
    assert_no_traceback(server)


def test_an_odd_berkas_id_is_not_found_in_one_indonesian_line(chromium, server, app_people):
    context, _ = officer_request(chromium, server, app_people.of(Peran.ADMIN).nip)
    try:
        for odd in ODD_IDS:
            answer = context.request.get(f'{server.url}/admin/berkas/{odd}', max_redirects=0)
            assert answer.status == 404, (odd, answer.status, answer.text())
            assert answer.headers['content-type'].startswith('text/plain'), odd
            assert answer.text() == 'Berkas tidak ditemukan.', odd
    finally:
        context.close()
    assert_no_traceback(server)


def test_the_superadmin_opening_an_odd_layanan_gets_the_404_page(chromium, server, app_people):
    context, _ = officer_request(chromium, server, app_people.of(Peran.SUPERADMIN).nip)
    try:
        for odd in (*ODD_IDS, 'baru2'):
            answer = context.request.get(f'{server.url}/admin/sistem/layanan/{odd}', max_redirects=0)
            assert answer.status == 404, (odd, answer.status)
            assert 'Layanan tidak ditemukan.' in answer.text(), odd
            assert not any(word in answer.text() for word in EXCEPTIONS), odd
        assert context.request.get(f'{server.url}/admin/sistem/layanan/1').status == 200
    finally:
        context.close()
    assert_no_traceback(server)


@pytest.mark.parametrize(
    'address',
    [
        '/ajukan/%00',
        '/ajukan/%C2%B2',
        '/ajukan/SKTM%0A',
        '/verifikasi/%00',
        '/verifikasi/' + 'x' * 3000,
        '/lacak?nomor=%00',
    ],
)
def test_odd_public_addresses_get_the_calm_indonesian_page(public_server, address):
    answer = fetch(public_server.url + address)
    assert answer.status in (200, 404), answer.status
    assert 'tidak ditemukan' in answer.text.lower() or 'Lacak Permohonan' in answer.text
    assert not any(word in answer.text for word in EXCEPTIONS)
    assert_no_traceback(public_server)


def test_a_nul_byte_in_a_layanan_code_never_reaches_postgresql(postgres_url, tmp_path: Path):
    server = start_server(tmp_path, postgres_url)
    try:
        answer = fetch(f'{server.url}/ajukan/%00')
        assert answer.status == 200
        assert 'Layanan tidak ditemukan atau sedang tidak dibuka.' in answer.text
        assert_no_traceback(server)
    finally:
        stop_server(server)


def test_an_odd_berkas_address_of_someone_not_logged_in_is_refused_in_indonesian(public_server):
    for odd in (HUGE, 'abc', '1'):
        answer = fetch(f'{public_server.url}/admin/berkas/{odd}')
        assert (answer.status, answer.text) == (401, 'Silakan masuk sebagai petugas.'), odd


# --- unknown addresses and other errors --------------------------------------------------------------------------


@pytest.mark.parametrize('address', ['/tidak-ada', '/admin/sistem/tidak-ada', '/ajukan', '/_nicegui/tidak-ada'])
def test_an_unknown_address_gets_the_indonesian_404_page(public_server, address):
    answer = fetch(public_server.url + address)
    assert answer.status == 404
    assert answer.headers['content-type'].startswith('text/html')
    assert 'Halaman tidak ditemukan' in answer.text
    assert not any(word in answer.text for word in ENGLISH)


@pytest.mark.parametrize('address', ['/static/tidak-ada.css', f'/_nicegui/{nicegui.__version__}/libraries/tidak-ada'])
def test_a_missing_file_or_resource_is_not_found_in_one_indonesian_line(public_server, address):
    answer = fetch(public_server.url + address)
    assert answer.status == 404
    assert answer.headers['content-type'].startswith('text/plain')
    assert answer.text == 'Tidak ditemukan.'
    assert not any(word in answer.text for word in ENGLISH)


def test_a_request_a_page_does_not_take_is_refused_in_indonesian(public_server):
    answer = fetch(f'{public_server.url}/login', method='POST')
    assert answer.status == 405
    assert answer.text == 'Cara permintaan ini tidak didukung.'
    assert 'GET' in answer.headers.get('allow', '')


def test_no_error_above_left_a_traceback_in_the_server_log(public_server):
    assert_no_traceback(public_server)


def test_a_page_that_fails_apologises_in_indonesian_and_logs_the_failure_once(tmp_path: Path):
    database = tmp_path / 'apok.db'
    server = start_server(tmp_path, f'sqlite:///{database}')
    try:
        with sqlite3.connect(database) as connection:  # a damaged database: the home page cannot read its layanan
            connection.execute('ALTER TABLE layanan RENAME TO layanan_rusak')
        answer = fetch(f'{server.url}/')
    finally:
        stop_server(server)
    assert answer.status == 500
    assert 'Terjadi kesalahan' in answer.text
    assert not any(word in answer.text for word in (*EXCEPTIONS, *ENGLISH, 'no such table', 'layanan_rusak'))
    assert "frame-ancestors 'none'" in policy(answer)
    log = server.output()
    assert log.count('sqlalchemy.exc.OperationalError') == 1, log


# --- headers -----------------------------------------------------------------------------------------------------


def policy(answer: Answer) -> set[str]:
    return {part.strip() for part in answer.headers.get('content-security-policy', '').split(';')}


@pytest.mark.parametrize('address', ['/', '/login', '/lacak', '/tidak-ada', '/static/lambang.svg', '/admin'])
def test_pages_and_files_carry_the_security_headers(public_server, address):
    answer = fetch(public_server.url + address)
    assert answer.status < 500
    assert {"frame-ancestors 'none'", "base-uri 'self'"} <= policy(answer)
    assert "object-src 'self'" in policy(answer) if address == '/admin' else "object-src 'none'" in policy(answer)
    assert not any(part.startswith('script-src') for part in policy(answer))  # NiceGUI needs inline scripts
    assert answer.headers['x-content-type-options'] == 'nosniff'
    assert answer.headers['referrer-policy'] == 'same-origin'
    assert answer.headers['x-frame-options'] == 'DENY'
    assert 'strict-transport-security' not in answer.headers  # plain http: a browser would ignore it anyway


def test_the_berkas_route_keeps_its_stricter_referrer_policy_and_may_be_framed_only_by_apok(public_server):
    answer = fetch(f'{public_server.url}/admin/berkas/1')
    assert answer.status == 401
    assert answer.headers['referrer-policy'] == 'no-referrer'
    assert answer.headers['x-frame-options'] == 'SAMEORIGIN'
    assert "frame-ancestors 'self'" in policy(answer)
    assert answer.headers['x-content-type-options'] == 'nosniff'


def test_https_base_url_adds_strict_transport_security(tmp_path: Path):
    server = start_server(tmp_path, f'sqlite:///{tmp_path / "apok.db"}', APOK_BASE_URL='https://apok.batam.go.id')
    try:
        for address in ('/', '/tidak-ada', '/admin/berkas/1'):
            assert fetch(server.url + address).headers['strict-transport-security'] == 'max-age=31536000', address
    finally:
        stop_server(server)


# --- NiceGUI's own texts -----------------------------------------------------------------------------------------


def test_the_reconnect_notice_is_indonesian(public_server):
    page = fetch(f'{public_server.url}/').text
    assert 'Koneksi terputus.' in page
    assert 'Menyambung ulang…' in page
    assert 'Connection lost' not in page
    assert 'Trying to reconnect' not in page


def test_the_pdf_preview_on_an_officer_page_is_not_blocked_by_the_frame_rules(chromium, server, app_people):
    nomor = submit(seq=1).nomor_pendaftaran
    context = chromium.new_context(locale='id-ID')
    page = context.new_page()
    refusals: list[str] = []
    page.on('console', lambda message: refusals.append(message.text) if 'Refused' in message.text else None)
    try:
        login_in_browser(page, server, app_people.of(Peran.ADMIN).nip)
        page.locator('[role=listitem]', has_text=nomor).get_by_role('button', name='Lihat Data').click()
        with page.expect_response(lambda r: '/admin/berkas/' in r.url and 'pdf' in r.headers['content-type']) as pdf:
            page.get_by_role('tab', name='Berkas Persyaratan').click()
        assert pdf.value.status == 200
        page.locator('object[type="application/pdf"]').first.wait_for()
        page.evaluate('document.fonts.ready.then(() => true)')
    finally:
        context.close()
    assert refusals == []
