"""Shared fixtures: real databases (a SQLite file and the machine's PostgreSQL), personas, and the simulated app.

Personas: an admin, kasi, sekcam and camat of Batam Kota, and the same four of Sekupang (the other kecamatan).
"""

from __future__ import annotations

import gc
import importlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncGenerator, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

import bcrypt
import psycopg
import pytest
from nicegui.testing.general_fixtures import get_path_to_main_file
from nicegui.testing.user import User
from nicegui.testing.user_simulation import user_simulation
from sqlalchemy import text
from sqlmodel import SQLModel

from apok_ui import berkas, db, events, services
from apok_ui.demo import make_nik, sample_isian, sample_uploads
from apok_ui.events_pg import APPLICATION_NAME
from apok_ui.services import Actor
from models import Kecamatan, Layanan, Peran, Petugas
from models.permohonan import DataPemohon
from tests.samples import sample_pemohon

os.environ.setdefault('APOK_ENV', 'development')
PG_ADMIN = 'host=127.0.0.1 user=postgres dbname=test connect_timeout=3'
PG_DATABASE = f'apok_test_{os.getpid()}'
PASSWORD = 'rahasia2026'
KEC_A, KEC_B = 'Batam Kota', 'Sekupang'
# The browser tests save what they saw here; `make screenshots` writes them into docs/screenshots/ instead.
SCREENSHOTS = Path(os.environ.get('APOK_SCREENSHOTS') or Path(__file__).resolve().parent / 'out' / 'screenshots')
NIPS = {
    (KEC_A, Peran.ADMIN): '198501012010011001',
    (KEC_A, Peran.KASI): '198501012010011002',
    (KEC_A, Peran.SEKCAM): '198501012010011003',
    (KEC_A, Peran.CAMAT): '198501012010011004',
    (KEC_B, Peran.ADMIN): '198501012010011011',
    (KEC_B, Peran.KASI): '198501012010011012',
    (KEC_B, Peran.SEKCAM): '198501012010011013',
    (KEC_B, Peran.CAMAT): '198501012010011014',
    (None, Peran.SUPERADMIN): '198501012010011099',
}


def _postgres_available() -> bool:
    try:
        psycopg.connect(PG_ADMIN).close()
    except psycopg.Error:
        return False
    return True


@pytest.fixture(scope='session')
def postgres_url() -> Iterator[str]:
    """Create a throwaway PostgreSQL database for this test run, migrated once."""
    if not _postgres_available():
        if os.environ.get('CI'):
            pytest.fail('PostgreSQL is not reachable on 127.0.0.1:5432 (CI must start it)')
        pytest.skip('PostgreSQL is not reachable on 127.0.0.1:5432')
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)')
        conn.execute(f'CREATE DATABASE {PG_DATABASE}')
    url = f'postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DATABASE}'
    db.init(url).migrate()
    yield url
    db.get().dispose()
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)')


@pytest.fixture(scope='session')
def password_hash() -> str:
    """Return the personas' bcrypt hash of PASSWORD, at cost 4: every simulated and browser login checks it, and at
    APOK's cost of 12 each check took a quarter of a second (about 600 logins a run). The cost itself is APOK's
    (security.BCRYPT_COST, tested on the officers the services create and on the unknown-NIP check)."""
    return bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()


@pytest.fixture(scope='session')
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated and given its reference data once per test process; every test gets a copy of it
    (migrating and seeding took a quarter of a second per test, a copy takes two milliseconds)."""
    path = tmp_path_factory.mktemp('template') / 'apok.db'
    db.init(f'sqlite:///{path}').migrate()
    services.seed_reference()
    db.get().dispose()  # the last connection's close checkpoints the WAL into the file itself
    return path


def _fresh_sqlite(tmp_path: Path, template: Path) -> str:
    shutil.copyfile(template, tmp_path / 'apok.db')
    url = f'sqlite:///{tmp_path / "apok.db"}'
    db.init(url)
    events.relay.start()  # as main.py does: committed changes reach this process's bus
    return url


def _fresh_postgres(url: str) -> str:
    database = db.init(url)
    tables = ', '.join(t.name for t in SQLModel.metadata.sorted_tables)
    with database.engine.begin() as conn:
        conn.execute(text(f'TRUNCATE {tables} RESTART IDENTITY CASCADE'))
    events.relay.start()  # as main.py does: committed changes reach this process's bus
    return url


@pytest.fixture(params=['sqlite', 'postgresql'])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield an empty, migrated database with reference data: a SQLite file, then the real PostgreSQL."""
    if request.param == 'sqlite':
        url = _fresh_sqlite(tmp_path, request.getfixturevalue('sqlite_template'))
    else:
        url = _fresh_postgres(request.getfixturevalue('postgres_url'))
        services.seed_reference()
    berkas.init(tmp_path / 'berkas', 5 * 1024 * 1024)
    yield url
    db.get().dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """Yield an empty, migrated SQLite database with reference data (for screen tests)."""
    url = _fresh_sqlite(tmp_path, sqlite_template)
    berkas.init(tmp_path / 'berkas', 5 * 1024 * 1024)
    yield url
    db.get().dispose()


@dataclass(frozen=True)
class Persona:
    """A test officer: their NIP, role, kecamatan and service-side identity."""

    nip: str
    peran: Peran
    kecamatan: str | None
    actor: Actor
    kecamatan_id: int | None


class People(dict):
    """The personas by (kecamatan, role), with shortcuts for Batam Kota's."""

    def of(self, peran: Peran, kecamatan: str | None = KEC_A) -> Persona:
        """Return the persona of a role in a kecamatan (Batam Kota by default)."""
        return self[(None if peran is Peran.SUPERADMIN else kecamatan, peran)]


def _make_people(password_hash: str) -> People:
    people = People()
    for (kecamatan, peran), nip in NIPS.items():
        p: Petugas = services.create_petugas(
            nip=nip,
            nama=f'Petugas {peran.value.title()} {"B" if kecamatan == KEC_B else "A"}',
            peran=peran.value,
            kecamatan=kecamatan,
            password='',
            password_hash=password_hash,
        )
        people[(kecamatan, peran)] = Persona(nip, peran, kecamatan, Actor(p.id, p.sesi_versi), p.kecamatan_id)
    return people


@pytest.fixture
def people(database_url: str, password_hash: str) -> People:
    """Create the personas in the parametrised database."""
    return _make_people(password_hash)


@pytest.fixture
def app_people(sqlite_url: str, password_hash: str) -> People:
    """Create the personas in the SQLite database the simulated app will use."""
    return _make_people(password_hash)


def kecamatan_id(nama: str) -> int:
    """Return a kecamatan's id by name."""
    from sqlmodel import select

    with db.get().read() as session:
        return session.exec(select(Kecamatan).where(Kecamatan.nama == nama)).one().id


def pemohon(seq: int = 1, *, nama: str = 'Budi Santoso', **overrides: str) -> DataPemohon:
    """Return a valid applicant (a man born 17 Aug 1990 in Batam)."""
    nik = overrides.pop('nik') if 'nik' in overrides else make_nik(1, date(1990, 8, 17), False, seq)
    return sample_pemohon(nik, nama=nama, **overrides)


def _layanan(kode: str) -> Layanan:
    from sqlmodel import select

    with db.get().read() as session:
        return session.exec(select(Layanan).where(Layanan.kode == kode)).one()


def uploads_for(kode: str) -> list[berkas.Unggahan]:
    """Return a valid upload for every requirement of a layanan."""
    return sample_uploads(_layanan(kode).persyaratan)


def isian_for(kode: str) -> dict[str, str]:
    """Return valid values of a layanan's extra fields."""
    return sample_isian(_layanan(kode).isian)


def submit(
    kecamatan: str = KEC_A,
    kode: str = 'SKTM',
    seq: int = 1,
    at: datetime | None = None,
    uploads: list[berkas.Unggahan] | None = None,
    **overrides: str,
) -> services.Pendaftaran:
    """Submit a valid application through the citizen's service (with these files, or a valid one for every
    requirement) and return its registration."""
    from sqlmodel import select

    from models import Kelurahan

    kec_id = kecamatan_id(kecamatan)
    with db.get().read() as session:
        kelurahan = session.exec(select(Kelurahan).where(Kelurahan.kecamatan_id == kec_id)).first()
    data = pemohon(seq, **overrides)
    data.isian = isian_for(kode)
    return services.submit(
        layanan_kode=kode,
        kecamatan_id=kec_id,
        kelurahan_id=kelurahan.id,
        data=data,
        uploads=uploads if uploads is not None else uploads_for(kode),
        at=at,
    )


@pytest.fixture
async def user(
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> AsyncGenerator[User, None]:
    """Run main.py in NiceGUI's simulated browser on the test's SQLite database."""
    monkeypatch.setenv('APOK_DATA_DIR', str(tmp_path))
    monkeypatch.setenv('APOK_DATABASE_URL', sqlite_url)
    monkeypatch.setenv('APOK_DEMO', '0')
    async with user_simulation(main_file=get_path_to_main_file(request)) as simulated:
        yield simulated
        # The simulation drops its clients without deleting them, so their live subscriptions would outlive the test
        # and act on the next test's pages (in a real server NiceGUI unsubscribes when a client goes away).
        for event in (events.pengurusan_changed, events.petugas_changed, events.resync):
            event.callbacks.clear()
        errors = [r for r in caplog.get_records('call') if r.levelname == 'ERROR']
        serving = {name: module for name, module in sys.modules.items() if name.partition('.')[0] == 'pages'}
    # NiceGUI now drops the page modules so that apps whose @ui.page decorators run at import register again; main.py
    # wires its pages itself, so the next test may serve the same modules (importing them again cost 0.2 s a test).
    sys.modules.update(serving)
    if errors:
        pytest.fail(f'unexpected ERROR logs: {[r.getMessage() for r in errors]}', pytrace=False)


def page_module(name: str) -> ModuleType:
    """Return the pages module that the running simulation uses: NiceGUI imports the pages afresh for every test,
    so a module imported when the test file was collected may no longer be the one serving (monkeypatch this)."""
    return importlib.import_module(f'pages.{name}')


# --- a real server and real browsers (Playwright + Debian's Chromium) -------------------------------------------

CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-quic',
    '--no-first-run',
    '--disable-component-update',
    '--disable-sync',
]
PHONE = {'width': 360, 'height': 740}
TABLET = {'width': 800, 'height': 1280}


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """An APOK process serving a prepared database on a free port."""

    url: str
    process: object
    log: Path

    def output(self) -> str:
        """Return what the server printed so far (for failure messages)."""
        return self.log.read_text(errors='replace')


def start_server(tmp_path: Path, database_url: str, **env: str) -> LiveServer:
    """Start `python main.py` on database_url and wait until it answers."""
    port = free_port()
    log = tmp_path / f'server-{port}.log'
    environment = {
        **os.environ,
        'APOK_ENV': 'development',
        'APOK_DATA_DIR': str(tmp_path / f'data-{port}'),
        'APOK_DATABASE_URL': database_url,
        'APOK_PORT': str(port),
        'APOK_HOST': '127.0.0.1',
        'APOK_DEMO': '0',
        'APOK_BASE_URL': f'http://127.0.0.1:{port}',
        **env,
    }
    for name in ('NICEGUI_USER_SIMULATION', 'PYTEST_CURRENT_TEST', 'NICEGUI_SCREEN_TEST_PORT'):
        environment.pop(name, None)  # the server must run as in production, not as a test
    root = Path(__file__).resolve().parent.parent
    with open(log, 'wb') as out:
        process = subprocess.Popen(
            [sys.executable, 'main.py'], cwd=root, env=environment, stdout=out, stderr=subprocess.STDOUT
        )
    server = LiveServer(f'http://127.0.0.1:{port}', process, log)
    wait_until_answers(server, f'{server.url}/login', name='APOK server')
    return server


def wait_until_answers(server, url: str, *, name: str, timeout: float = 60) -> None:
    """Wait until a server process (anything with .process and .output()) answers url; stop it if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f'{name} exited early:\n{server.output()}')
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f'{name} did not answer within {timeout:.0f} s:\n{server.output()}')


def stop_server(server) -> None:
    """Stop a server process started for a test or a benchmark (None or already stopped: nothing to do)."""
    if server is None or server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


@pytest.fixture
def server(sqlite_url: str, app_people: People, tmp_path: Path) -> Iterator[LiveServer]:
    """Serve the test's SQLite database (with the personas) and its data folder, so the berkas the test submitted
    can be shown, from a real APOK process."""
    db.get().dispose()  # the server process owns the file from now on; the test may still read through db.get()
    running = start_server(tmp_path, sqlite_url, APOK_DATA_DIR=str(tmp_path))
    yield running
    stop_server(running)


@pytest.fixture(scope='module')
def chromium() -> Iterator[object]:
    """Launch Debian's Chromium for a module of browser tests (skipped without it, except in CI).

    Module scope, not session: Playwright's sync API keeps an event loop running until it stops, and the async
    tests of later modules need the loop to themselves.
    """
    if not Path(CHROMIUM).exists():
        if os.environ.get('CI'):
            pytest.fail(f'{CHROMIUM} is missing (.ci/run installs it)')
        pytest.skip(f'{CHROMIUM} is not installed (apt-get install chromium)')
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def type_into(field, value: str) -> None:
    """Tap a field, then type into it, as a person does.

    Playwright's `fill` focuses a field and inserts the text in the same instant. On the portal form, about one run
    in eight lost a field's text that way (empty right after the fill, no server message involved: Quasar's
    re-render on focus); after a tap first, 24 runs of 24 kept every field.
    """
    field.click()
    field.fill(value)


def login_in_browser(page, server: LiveServer, nip: str, password: str = PASSWORD) -> None:
    """Log an officer in through the real login page."""
    page.goto(f'{server.url}/login')
    type_into(page.get_by_label('Username'), nip)
    type_into(page.get_by_label('Password'), password)
    page.get_by_role('button', name='Masuk').click()
    page.wait_for_url(f'{server.url}/admin**')


def page_width_fits(page) -> bool:
    """Return whether the page is no wider than the viewport (no sideways scrolling)."""
    return page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')


# --- two APOK processes on one PostgreSQL database -------------------------------------------------------------


@pytest.fixture
def two_servers(postgres_url: str, password_hash: str, tmp_path: Path) -> Iterator[tuple]:
    """Two APOK processes on the same PostgreSQL database."""
    _fresh_postgres(postgres_url)
    services.seed_reference()
    berkas.init(tmp_path / 'berkas', 5 * 1024 * 1024)
    people = _make_people(password_hash)
    first, second = start_server(tmp_path, postgres_url), None
    try:
        second = start_server(tmp_path, postgres_url)
        wait_for_listeners(2)
        yield first, second, people
    finally:
        for running in (first, second):
            if running is not None:
                stop_server(running)


LISTENERS = 'FROM pg_stat_activity WHERE application_name = %s AND datname = %s'


def listeners() -> int:
    """Return how many APOK processes listen on this test run's database (other runs may share the server)."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        return conn.execute(f'SELECT count(*) {LISTENERS}', (APPLICATION_NAME, PG_DATABASE)).fetchone()[0]


def wait_for_listeners(count: int) -> None:
    deadline = time.monotonic() + 30
    while listeners() != count:
        assert time.monotonic() < deadline, f'expected {count} live-event listeners'
        time.sleep(0.1)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what collection imported (APOK, NiceGUI, FastAPI, every test module) out of the garbage collector's
    sight: NiceGUI's simulation collects twice per test, and a full collection of that heap took 0.2 s each time."""
    gc.collect()
    gc.freeze()
