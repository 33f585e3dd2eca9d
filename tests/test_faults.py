"""Faults a real server meets (issue 17). /healthz: every check in a word, 200 or 503. A cut PostgreSQL is reported
without a host, a port or an exception's text; page loads meanwhile get an Indonesian 503; an officer's decision is
told in Indonesian with the typed Keterangan kept; and everything recovers by itself."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from apok_ui import berkas, services
from apok_ui.errors import TERGANGGU
from models import Peran
from tests.conftest import (
    KEC_A,
    NIPS,
    PG_ADMIN,
    PG_DATABASE,
    TABLET,
    LiveServer,
    _fresh_postgres,
    _make_people,
    start_server,
    stop_server,
    submit,
    type_into,
)
from tests.test_browser_workspace import Screens

DEADLINE = 60  # seconds: a bound for a loaded machine, never a measurement


def health(server: LiveServer) -> tuple[int, dict, str]:
    """GET /healthz: the status code, the JSON answer and its Cache-Control."""
    try:
        with urllib.request.urlopen(f'{server.url}/healthz', timeout=10) as answer:
            return answer.status, json.loads(answer.read()), answer.headers['Cache-Control']
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers['Cache-Control']


def health_until(server: LiveServer, wanted: dict) -> tuple[int, dict]:
    """Ask /healthz until its answer holds every item of `wanted` (the server reacts on its own time)."""
    deadline = time.monotonic() + DEADLINE
    while True:
        status, answer, _ = health(server)
        if wanted.items() <= answer.items():
            return status, answer
        assert time.monotonic() < deadline, f'/healthz still says {answer}, not {wanted}'
        time.sleep(0.2)


REVEALING = ('127.0.0.1', '5432', 'Error', 'psycopg', PG_DATABASE)


def load(server: LiveServer, path: str) -> tuple[int, str, str | None]:
    """GET a page: its status, its HTML and its Retry-After."""
    try:
        with urllib.request.urlopen(f'{server.url}{path}', timeout=30) as answer:
            return answer.status, answer.read().decode(), answer.headers['Retry-After']
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers['Retry-After']


def test_a_sqlite_server_is_healthy_needs_no_listener_and_is_never_cached(server: LiveServer) -> None:
    status, answer, cache = health(server)
    assert (status, answer, cache) == (
        200,
        {'status': 'ok', 'database': 'ok', 'pendengar': 'tidak dipakai', 'cetak': 'ok'},
        'no-store',
    )


@pytest.fixture
def pg_server(postgres_url: str, password_hash: str, tmp_path: Path) -> Iterator[LiveServer]:
    _fresh_postgres(postgres_url)
    services.seed_reference()
    berkas.init(tmp_path / 'berkas', 5 * 1024 * 1024)
    _make_people(password_hash)
    server = start_server(tmp_path, postgres_url)
    try:
        yield server
    finally:
        stop_server(server)
        restore_database()


def cut_database() -> None:
    """The database goes away: no new connection is accepted and every open one is closed."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE {PG_DATABASE} WITH ALLOW_CONNECTIONS false')
        conn.execute('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s', (PG_DATABASE,))


def restore_database() -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE {PG_DATABASE} WITH ALLOW_CONNECTIONS true')


def test_a_cut_postgresql_is_reported_in_words_with_a_503_and_the_server_recovers_by_itself(
    pg_server: LiveServer,
) -> None:
    assert health_until(pg_server, {'pendengar': 'ok'}) == (
        200,
        {'status': 'ok', 'database': 'ok', 'pendengar': 'ok', 'cetak': 'ok'},
    )
    cut_database()
    status, answer = health_until(pg_server, {'database': 'tidak terhubung', 'pendengar': 'tidak terhubung'})
    assert (status, answer['status']) == (503, 'gagal')
    assert not any(word in json.dumps(answer) for word in REVEALING)
    for path in ('/', '/ajukan/SKTM'):  # a citizen's page load meanwhile: a 503 in Indonesian, nothing revealed
        status, page, retry = load(pg_server, path)
        assert (status, retry) == (503, '30') and 'Layanan sedang terganggu' in page, path
        assert not any(word in page for word in REVEALING), path
    restore_database()
    assert health_until(pg_server, {'status': 'ok', 'pendengar': 'ok'})[0] == 200
    assert 'Traceback' not in pg_server.output()


def test_a_decision_while_postgresql_is_cut_is_told_in_indonesian_keeps_the_keterangan_and_goes_through_later(
    chromium, pg_server: LiveServer
) -> None:
    nomor = submit(seq=1).nomor_pendaftaran
    health_until(pg_server, {'pendengar': 'ok'})
    admin = Screens(chromium, pg_server, TABLET)
    try:
        admin.login(NIPS[(KEC_A, Peran.ADMIN)])
        admin.open_lihat_data(nomor)
        keterangan = admin.page.get_by_label('Keterangan')
        type_into(keterangan, 'Berkas lengkap dan sesuai.')
        cut_database()
        admin.page.get_by_role('button', name='Disetujui').click()
        admin.page.get_by_role('button', name='Ya, Setujui').click()
        admin.page.get_by_text(TERGANGGU).wait_for()
        assert keterangan.input_value() == 'Berkas lengkap dan sesuai.'
        restore_database()
        health_until(pg_server, {'status': 'ok'})
        admin.page.get_by_role('button', name='Disetujui').click()
        admin.page.get_by_role('button', name='Ya, Setujui').click()
        admin.page.get_by_text(f'Pengurusan {nomor} disetujui.').wait_for()
    finally:
        admin.close()
    assert 'Traceback' not in pg_server.output()
