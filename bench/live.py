"""Benchmark live updates (issue 4): one approval reaches N open officer workspaces of one kecamatan — how fast,
at what memory per session, and how much the event loop lags during a burst of approvals; with a bare NiceGUI page
measured in the same run as the floor.

    .venv/bin/python bench/live.py                        # N = 50 and 200, 10 approvals each, a burst of 50
    .venv/bin/python bench/live.py --sessions 20 --repeats 2 --burst 10   # a quick look
    .venv/bin/python bench/live.py --keep                 # keep the database and the server logs afterwards
    .venv/bin/python bench/live.py --py-spy bench/out/live-apok.svg   # profile APOK during the burst (py-spy)
    .venv/bin/python bench/live.py --sessions 200 --preload try_fix.py   # APOK runs try_fix.py before main.py

How it measures (everything on this machine, PostgreSQL on 127.0.0.1:5432, user postgres, trust):
- A fresh database (`apok_bench_live`), migrated, with the test personas (tests/conftest.py) and applications
  submitted through `services.submit`; `--queued` of them already approved by the Admin, so the Kasi's Data Baru
  shows a full first page when the sessions open (queues are oldest first, so a new arrival lands on page 2 and
  only counts change on screen; `--queued 0` makes every arrival a visible new row).
- APOK: a real `main.py` process on that database. The floor: bench/floor_app.py (page '/' with one
  `ui.refreshable` label; a psycopg LISTEN task hears each NOTIFY), with APOK's GC settings and APOK's batching
  fan-out by default (`--floor-gc default`, `--floor-fanout per-event`: the floor before issue 19). Both run a small
  monitor (bench/floor_app.py: event-loop lag every 10 ms, garbage-collector pauses, object counts); APOK gets it
  through a wrapper that registers it and then runs main.py unchanged. Both start afresh for every N.
- Sessions: the Kasi of Batam Kota logs in once in Chromium (Playwright); then each session is an HTTP GET of
  /admin with that cookie (the real page build) and a python-socketio client that connects to the page's client
  as nicegui.js does (websocket, implicit handshake, client_id / next_message_id from the page, its own
  document_id and tab_id) and acks what it received every 3 s like the browser. The floor gets as many sessions.
  After each batch of sessions, one change per side warms the new pages (their first refresh loads JS
  components) and is not counted.
- One change: the Admin's `services.approve(...)` in this process (its commit NOTIFYs the server), t0
  taken just before the call — APOK's figure includes its own transaction; the floor's change is a bare
  `pg_notify('bench_floor', …)`, t0 just before. Per session, "update" is the arrival of the last `update`
  message the change caused (APOK: the refreshed queue, after the toast), "first" of its first message (APOK: the
  toast). A change is over when every session got an `update`, then nothing arrived for --quiet seconds while the
  server's event loop ran freely. "All updated" is, per change, when the last of its sessions got its update.
  Changes alternate APOK / floor, --repeats times per N, --gap seconds apart.
- Memory: VmRSS of the server process after the sessions connected (and 2 s of rest) minus before (5 sessions open,
  one change done), per session added; both readings after a full garbage collection; likewise the objects the
  collector tracks. The report also gives the RSS after all changes (Python keeps freed memory).
- Burst: with all sessions open, --burst approvals of different applications from --burst-threads threads at once
  (the floor: as many NOTIFYs); event-loop lag from the in-process monitor (idle baseline before the burst), and
  from outside as the response time of GET /static/lambang.svg every 10 ms (a separate probe process) minus its
  idle p50; plus the time until every session got its last update.
- The clients run in this one process on the same machine: their JSON parsing competes with both servers and
  PostgreSQL for the same cores (two here), so a figure is the server's time plus the clients' share of the cores.
Prints a markdown table (and writes the raw figures to bench/out/live-<date>.json).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import stop_server, wait_until_answers  # noqa: E402  (the tests' own server handling)

OUT = ROOT / 'bench' / 'out'
PG_ADMIN = 'host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=5'
PG_URL = 'postgresql+psycopg://postgres@127.0.0.1:5432/{name}'
SOCKETIO_PATH = '/_nicegui_ws/socket.io'
PROBE_PATH = '/static/lambang.svg'
LAG_INTERVAL = 0.010  # bench/floor_app.py's monitor
WARM_SESSIONS = 5
APOK_WRAPPER = """
import os, runpy, sys
from bench.floor_app import install_lag_monitor
install_lag_monitor()
if os.environ.get('BENCH_PRELOAD'):  # --preload: try a change without editing APOK
    runpy.run_path(os.environ['BENCH_PRELOAD'], run_name='bench_preload')
sys.argv = ['main.py']
runpy.run_path('main.py', run_name='__main__')
"""


# --- numbers ------------------------------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    """Return the p-th percentile (linear between closest ranks); NaN for no values."""
    if not values:
        return float('nan')
    data = sorted(values)
    k = (len(data) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (k - low)


def ms(seconds: float) -> str:
    """Format seconds as whole milliseconds ('–' for NaN)."""
    return '–' if seconds != seconds else f'{seconds * 1000:.0f}'


def top(values: list[float]) -> float:
    """Return the largest value, NaN for none."""
    return max(values, default=float('nan'))


def spread(counts: list[int]) -> str:
    """Format a range of counts as 'min–max'."""
    return f'{min(counts, default=0)}–{max(counts, default=0)}'


def yes(ok: bool) -> str:
    return 'yes' if ok else '**no**'


def rss_kb(pid: int) -> int:
    """Return a process's resident memory in KiB (Linux /proc)."""
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1])
    raise RuntimeError(f'no VmRSS for pid {pid}')


# --- processes ----------------------------------------------------------------------------------------------------


def clean_env(**extra: str) -> dict[str, str]:
    """Return this environment without pytest's and NiceGUI's test switches, plus extra."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(('PYTEST_', 'NICEGUI_'))}
    env['PYTHONPATH'] = str(ROOT)
    env.update(extra)
    return env


@dataclass
class Server:
    """A server process of this benchmark."""

    name: str
    url: str
    process: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors='replace')[-4000:]


def start_server(name: str, cmd: list[str], env: dict[str, str], port: int, log: Path, timeout: float = 90) -> Server:
    """Start a server and wait until its lag route answers."""
    out = open(log, 'wb')  # noqa: SIM115 - the child keeps writing to it
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    out.close()
    server = Server(name, f'http://127.0.0.1:{port}', process, log)
    wait_until_answers(server, f'{server.url}/__bench/lag?since=1e12', name=name, timeout=timeout)
    return server


# --- database -----------------------------------------------------------------------------------------------------


@dataclass
class Fixture:
    url: str
    conninfo: str  # the same database for psycopg
    admin: object  # services.Actor of the Admin of Batam Kota
    kasi_nip: str
    waiting: list[tuple[int, int]]  # (pengurusan id, version) waiting for the Admin


def prepare_database(name: str, applications: int, queued: int, data_dir: Path) -> Fixture:
    """Create, migrate and fill a fresh PostgreSQL database; return what the benchmark needs."""
    import psycopg
    from sqlmodel import select

    from apok_ui import berkas, db, services
    from apok_ui.security import hash_password
    from models import Pengurusan, Peran
    from tests.conftest import PASSWORD, _make_people, submit

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        conn.execute(f'CREATE DATABASE {name}')
    url = PG_URL.format(name=name)
    db.init(url).migrate()
    services.seed_reference()
    berkas.init(data_dir / 'berkas', 5 * 1024 * 1024)
    people = _make_people(hash_password(PASSWORD))
    admin = people.of(Peran.ADMIN).actor
    ids = [submit(seq=i).pengurusan_id for i in range(1, applications + 1)]
    for pengurusan_id in ids[:queued]:  # a realistic Data Baru for the Kasi: a full first page
        services.approve(actor=admin, pengurusan_id=pengurusan_id, version=_version(pengurusan_id))
    with db.get().read() as session:
        rows = session.exec(select(Pengurusan.id, Pengurusan.version).where(Pengurusan.id.in_(ids[queued:]))).all()
    conninfo = PG_ADMIN.replace('dbname=postgres', f'dbname={name}')
    return Fixture(url, conninfo, admin, people.of(Peran.KASI).nip, sorted((r[0], r[1]) for r in rows))


def _version(pengurusan_id: int) -> int:
    from apok_ui import db
    from models import Pengurusan

    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id).version


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')


# --- sessions -----------------------------------------------------------------------------------------------------

QUERY_CLIENT_ID = re.compile(r"""['"]?client_id['"]?\s*:\s*['"]([0-9a-fA-F-]+)['"]""")
QUERY_NEXT_ID = re.compile(r"""['"]?next_message_id['"]?\s*:\s*(\d+)""")


@dataclass
class Session:
    """One simulated browser tab: the page's NiceGUI client over a socket.io connection."""

    client_id: str
    sio: object = None
    arrivals: list[tuple[float, str]] = field(default_factory=list)
    next_id: int = 0
    acked: int = 0
    acker: asyncio.Task | None = None

    def on_message(self, event: str, *args: object) -> None:
        self.arrivals.append((time.monotonic(), event))
        if args and isinstance(args[0], dict) and isinstance(args[0].get('_id'), int):
            self.next_id = max(self.next_id, args[0]['_id'] + 1)

    async def ack_forever(self) -> None:
        """Acknowledge received messages every 3 s, as nicegui.js does (the server prunes its history then)."""
        await asyncio.sleep(random.uniform(0, 3))
        while True:
            if self.next_id > self.acked and self.sio.connected:
                self.acked = self.next_id
                await self.sio.emit('ack', {'client_id': self.client_id, 'next_message_id': self.next_id})
            await asyncio.sleep(3)

    async def close(self) -> None:
        if self.acker is not None:
            self.acker.cancel()
        if self.sio is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.sio.disconnect(), 5)


async def open_session(http, base: str, path: str, cookie: str) -> Session:
    """Load the page over HTTP (a real page build) and connect its client over socket.io like nicegui.js."""
    import socketio

    response = await http.get(base + path, headers={'Cookie': cookie}, timeout=60)
    if response.status_code != 200:
        raise RuntimeError(f'GET {path} answered {response.status_code} (logged out?)')
    client_id = QUERY_CLIENT_ID.search(response.text)
    next_id = QUERY_NEXT_ID.search(response.text)
    if not client_id or not next_id:
        raise RuntimeError(f'GET {path}: no socket.io query in the page')
    session = Session(client_id.group(1), next_id=int(next_id.group(1)))
    session.acked = session.next_id
    query = {
        'client_id': session.client_id,
        'next_message_id': session.next_id,
        'implicit_handshake': 'true',
        'document_id': str(uuid.uuid4()),
        'tab_id': str(uuid.uuid4()),
    }
    sio = socketio.AsyncClient(reconnection=False)
    sio.on('*', session.on_message)
    session.sio = sio
    await sio.connect(
        f'{base}?{urlencode(query)}',
        headers={'Cookie': cookie},
        transports=['websocket'],
        socketio_path=SOCKETIO_PATH,
        wait_timeout=30,
    )
    session.acker = asyncio.create_task(session.ack_forever())
    return session


async def open_sessions(server: Server, path: str, cookie: str, count: int, into: list[Session], parallel: int) -> None:
    """Open count more sessions, a few at a time."""
    import httpx

    semaphore = asyncio.Semaphore(parallel)
    async with httpx.AsyncClient() as http:

        async def one() -> None:
            async with semaphore:
                into.append(await asyncio.wait_for(open_session(http, server.url, path, cookie), 90))

        await asyncio.gather(*(one() for _ in range(count)))


# --- one measurement ----------------------------------------------------------------------------------------------


@dataclass
class Delivery:
    """What every session received after one change (or burst)."""

    t0: float
    done: float  # when the trigger call returned (for a burst: the last approval committed)
    first: list[float]  # per session that got its update: first message of any kind - t0
    last: list[float]  # ... last 'update' message - t0 (the refreshed view)
    messages: list[int]  # ... messages received
    missed: int  # sessions that received no 'update'
    lag_max: float = float('nan')  # the server's longest event-loop stall between t0 and the end
    gc_total: float = float('nan')  # the server's time in the cyclic garbage collector between t0 and the end
    gc_max: float = float('nan')  # ... its longest collection
    load: float = field(default_factory=lambda: os.getloadavg()[0])  # the machine's 1-minute load average at the end


async def _server_was_running(server: Server, quiet: float) -> bool:
    """Return whether the server's event loop ran freely through the quiet window (not stalled in a long refresh)."""
    window = time.monotonic() - quiet
    try:
        samples = [v for t, v in await lag_samples(server, window, timeout=quiet)]
    except Exception:  # so busy it did not even answer: certainly not done
        return False
    return len(samples) >= 0.3 * quiet / LAG_INTERVAL and top(samples) < quiet / 3


def _updated(arrivals: list[tuple[float, str]], mark: int) -> bool:
    return any(event == 'update' for _, event in arrivals[mark:])


async def deliver(
    server: Server, sessions: list[Session], trigger: Callable[[], float], *, quiet: float, timeout: float
) -> Delivery:
    """Run trigger (in a thread; it returns its t0); wait until every session got an 'update' and all is quiet."""
    marks = [len(s.arrivals) for s in sessions]
    t0 = await asyncio.wait_for(asyncio.to_thread(trigger), timeout)
    done = time.monotonic()
    deadline = done + timeout
    pending = list(range(len(sessions)))
    while time.monotonic() < deadline:
        await asyncio.sleep(0.02)
        pending = [i for i in pending if not _updated(sessions[i].arrivals, marks[i])]
        if pending:
            continue
        latest = max((s.arrivals[-1][0] for s in sessions if s.arrivals), default=0.0)
        if time.monotonic() - latest >= quiet and await _server_was_running(server, quiet):
            break
    first, last, messages, missed = [], [], [], 0
    for s, mark in zip(sessions, marks, strict=True):
        got = [a for a in s.arrivals[mark:] if a[0] >= t0]
        updates = [t for t, event in got if event == 'update']
        if not updates:
            missed += 1
            continue
        first.append(got[0][0] - t0)
        last.append(updates[-1] - t0)
        messages.append(len(got))
    for s in sessions:
        s.arrivals.clear()  # keep memory flat over many changes
    end = t0 + max(last, default=done - t0)
    lag_max = top([v for t, v in await lag_samples(server, t0 - 1) if t + LAG_INTERVAL + v >= t0 and t <= end])
    pauses = [p for t, p, _ in await gc_pauses(server, t0) if t <= end]
    return Delivery(t0, done - t0, first, last, messages, missed, lag_max, sum(pauses), top(pauses))


class Triggers:
    """The changes: an Admin's approval in APOK, a bare NOTIFY for the floor."""

    def __init__(self, fixture: Fixture) -> None:
        import psycopg

        self.fixture = fixture
        self.waiting = list(fixture.waiting)
        self.notify_conn = psycopg.connect(fixture.conninfo, autocommit=True)  # NOTIFY is per database
        self.sent = 0

    def _approve(self, item: tuple[int, int]) -> None:
        from apok_ui import services

        services.approve(actor=self.fixture.admin, pengurusan_id=item[0], version=item[1])

    def approve(self) -> float:
        item = self.waiting.pop(0)
        t0 = time.monotonic()
        self._approve(item)
        return t0

    def notify(self) -> float:
        self.sent += 1
        t0 = time.monotonic()
        self.notify_conn.execute("SELECT pg_notify('bench_floor', %s)", (str(self.sent),))
        return t0

    def approve_burst(self, count: int, threads: int) -> float:
        items, self.waiting = self.waiting[:count], self.waiting[count:]
        if len(items) < count:
            raise RuntimeError('not enough applications left for the burst (raise --applications)')
        with ThreadPoolExecutor(threads) as pool:
            t0 = time.monotonic()
            list(pool.map(self._approve, items))
        return t0

    def notify_burst(self, count: int) -> float:
        t0 = time.monotonic()
        for _ in range(count):
            self.sent += 1
            self.notify_conn.execute("SELECT pg_notify('bench_floor', %s)", (str(self.sent),))
        return t0

    def close(self) -> None:
        self.notify_conn.close()


# --- lag ----------------------------------------------------------------------------------------------------------


def probe_main(url: str) -> None:
    """(Subprocess) GET url every 10 ms on one keep-alive connection; print 'start rtt' per line until killed."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    conn = None
    tick = time.monotonic()
    while True:
        start = time.monotonic()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            conn.request('GET', parts.path)
            response = conn.getresponse()
            response.read()
            rtt = time.monotonic() - start
        except (OSError, http.client.HTTPException):
            conn, rtt = None, float('nan')
        print(f'{start:.6f} {rtt:.6f}', flush=True)
        tick += 0.010
        time.sleep(max(0.0, tick - time.monotonic()))
        tick = max(tick, time.monotonic() - 0.010)


class Probe:
    """An outside probe of a server's responsiveness, in its own process."""

    def __init__(self, url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, '--probe', url], stdout=subprocess.PIPE, text=True, env=clean_env()
        )

    def stop(self) -> list[tuple[float, float]]:
        self.process.terminate()
        try:
            out, _ = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate(timeout=10)
        samples = []
        for line in out.splitlines():
            start, rtt = line.split()
            if rtt != 'nan':
                samples.append((float(start), float(rtt)))
        return samples


async def _monitor(server: Server, path: str, since: float, timeout: float = 120) -> list[tuple]:
    """Fetch samples of the server's monitor (bench/floor_app.py); it answers once its event loop is free."""
    import httpx

    async with httpx.AsyncClient() as http:
        response = await http.get(f'{server.url}{path}', params={'since': since}, timeout=timeout)
        response.raise_for_status()
        return [tuple(x) for x in response.json()]


async def lag_samples(server: Server, since: float, timeout: float = 120) -> list[tuple[float, float]]:
    """Return (start, lag seconds) samples of the server's event loop since a time.monotonic() value."""
    return await _monitor(server, '/__bench/lag', since, timeout)


async def gc_pauses(server: Server, since: float) -> list[tuple[float, float, int]]:
    """Return (start, seconds, generation) of the server's garbage collections since a time.monotonic() value."""
    return await _monitor(server, '/__bench/gc', since)


async def heap(server: Server, *, collect: bool = True) -> dict:
    """Return the server's count of objects the garbage collector tracks (after a full collection), its NiceGUI
    clients and the messages their outboxes keep for reconnects."""
    import httpx

    async with httpx.AsyncClient() as http:
        response = await http.get(f'{server.url}/__bench/heap', params={'collect': collect}, timeout=120)
        response.raise_for_status()
        return response.json()


@dataclass
class Burst:
    delivery: Delivery
    lag_idle: list[float]  # in-process lag samples (s) before the burst
    lag_burst: list[float]  # ... from t0 until every session had its last update
    probe_idle: list[float]  # outside response times (s)
    probe_burst: list[float]


async def burst(
    server: Server,
    sessions: list[Session],
    trigger: Callable[[], float],
    *,
    idle: float,
    quiet: float,
    timeout: float,
    py_spy: str | None = None,
) -> Burst:
    probe = Probe(server.url + PROBE_PATH)
    spy = None
    try:
        await asyncio.sleep(0.5)  # the probe's interpreter starts
        idle_from = time.monotonic()
        await asyncio.sleep(idle)
        if py_spy:
            venv_spy = Path(sys.executable).parent / 'py-spy'
            kind = {'.txt': 'raw', '.json': 'speedscope'}.get(Path(py_spy).suffix, 'flamegraph')
            spy = subprocess.Popen(
                [str(venv_spy) if venv_spy.exists() else 'py-spy', 'record', '--pid', str(server.pid)]
                + ['--output', py_spy, '--format', kind, '--rate', '100', '--threads', '--nonblocking'],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )
            await asyncio.sleep(1.0)
        delivery = await deliver(server, sessions, trigger, quiet=quiet, timeout=timeout)
    finally:
        samples = probe.stop()
        if spy is not None:
            spy.send_signal(signal.SIGINT)  # py-spy writes its flame graph on SIGINT
            try:
                spy.wait(timeout=60)
            except subprocess.TimeoutExpired:
                spy.kill()
    t0 = delivery.t0
    end = t0 + (max(delivery.last) if delivery.last else delivery.done)
    idle_until = t0 - 1.0 if py_spy else t0  # py-spy attaches during the last second before t0
    lag = await lag_samples(server, idle_from)
    # a sample counts where it ends: a stall that begins right after t0 ends the sleep that started just before
    return Burst(
        delivery,
        [v for t, v in lag if t + LAG_INTERVAL + v < idle_until],
        [v for t, v in lag if t + LAG_INTERVAL + v >= t0 and t <= end],
        [v for t, v in samples if idle_from <= t and t + v < idle_until],
        [v for t, v in samples if t + v >= t0 and t <= end],
    )


# --- the run ------------------------------------------------------------------------------------------------------


async def login_cookie(server: Server, nip: str, password: str) -> str:
    """Log in through the real login page in Chromium; return the Cookie header of that browser."""
    from playwright.async_api import async_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await (await browser.new_context()).new_page()
            page.set_default_timeout(30_000)
            await page.goto(f'{server.url}/login')
            await page.get_by_label('Username').fill(nip)
            await page.get_by_label('Password').fill(password)
            await page.get_by_role('button', name='Masuk').click()
            await page.wait_for_url(f'{server.url}/admin**')
            cookies = await page.context.cookies()
        finally:
            await browser.close()
    return '; '.join(f'{c["name"]}={c["value"]}' for c in cookies)


@dataclass
class Side:
    """APOK or the floor: how to change it, its server and sessions of the current round, and its figures."""

    name: str
    path: str
    trigger: Callable[[], float]
    burst_trigger: Callable[[], float]
    server: Server | None = None
    cookie: str = ''
    sessions: list[Session] = field(default_factory=list)
    deliveries: dict[int, list[Delivery]] = field(default_factory=dict)
    memory: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # N -> (added, kb before, kb after)
    objects: dict[int, tuple[int, int]] = field(default_factory=dict)  # N -> (tracked objects before, after)
    elements: dict[int, tuple[int, int]] = field(default_factory=dict)  # N -> (NiceGUI elements before, after)
    rss_end: int = 0
    heap_end: dict = field(default_factory=dict)
    burst: Burst | None = None

    async def grow(self, target: int, parallel: int) -> None:
        """Open sessions up to target and record the server's memory before and after (each after a full collection,
        so garbage of earlier changes does not count)."""
        start = await heap(self.server)
        before = rss_kb(self.server.pid)
        added = target - len(self.sessions)
        await open_sessions(self.server, self.path, self.cookie, added, self.sessions, parallel)
        await asyncio.sleep(2)  # outboxes start, first acks, the allocator settles
        end = await heap(self.server)
        self.objects[target] = (start['objects'], end['objects'])
        self.elements[target] = (start['elements'], end['elements'])
        self.memory[target] = (added, before, rss_kb(self.server.pid))

    async def close_sessions(self) -> None:
        await asyncio.gather(*(s.close() for s in self.sessions), return_exceptions=True)
        self.sessions = []


def start_servers(
    fixture: Fixture, work: Path, n: int, preload: Path | None, floor_gc: str = 'apok', floor_fanout: str = 'batch'
) -> tuple[Server, Server]:
    """Start a fresh APOK and a fresh floor (a new heap for every N, so memory per session is not blurred)."""
    from tests.conftest import free_port

    port = free_port()
    apok = start_server(
        'APOK',
        [sys.executable, '-c', APOK_WRAPPER],
        clean_env(
            APOK_ENV='development',
            APOK_DEMO='0',
            APOK_DATABASE_URL=fixture.url,
            APOK_PORT=str(port),
            APOK_HOST='127.0.0.1',
            APOK_BASE_URL=f'http://127.0.0.1:{port}',
            APOK_DATA_DIR=str(work / 'data'),
            NICEGUI_STORAGE_PATH=str(work / 'nicegui'),  # not the project's .nicegui/
            **({'BENCH_PRELOAD': str(preload.resolve())} if preload else {}),
        ),
        port,
        work / f'apok-{n}.log',
    )
    try:
        port = free_port()
        floor = start_server(
            'floor',
            [sys.executable, str(ROOT / 'bench' / 'floor_app.py'), '--port', str(port), '--conninfo', fixture.conninfo]
            + ['--static', str(ROOT / 'assets' / 'static'), '--gc', floor_gc, '--fanout', floor_fanout],
            clean_env(NICEGUI_STORAGE_PATH=str(work / 'nicegui')),
            port,
            work / f'floor-{n}.log',
        )
    except BaseException:
        stop_server(apok)
        raise
    return apok, floor


def log(text: str) -> None:
    print(f'# {text}', file=sys.stderr, flush=True)


async def measure_round(args: argparse.Namespace, sides: list[Side], n: int, kasi_nip: str, last: bool) -> None:
    """With fresh servers: warm up, open N sessions per side, measure --repeats changes (and the burst)."""
    from tests.conftest import PASSWORD

    apok, floor = sides
    apok.cookie = await login_cookie(apok.server, kasi_nip, PASSWORD)
    for side in sides:  # a few sessions and one change each, not counted: imports, pools and caches warm up
        await open_sessions(side.server, side.path, side.cookie, WARM_SESSIONS, side.sessions, 1)
        await deliver(side.server, side.sessions, side.trigger, quiet=args.quiet, timeout=args.timeout)
    for side in sides:
        started = time.monotonic()
        await side.grow(n, args.parallel)
        added, before, after = side.memory[n]
        log(
            f'{side.name}: {added} more sessions in {time.monotonic() - started:.1f} s, '
            f'{(after - before) / max(added, 1):.0f} KiB each'
        )
    for side in sides:  # each new page's first refresh loads its JS components: not counted either
        await asyncio.sleep(args.gap)
        await deliver(side.server, side.sessions, side.trigger, quiet=args.quiet, timeout=args.timeout)
    for r in range(args.repeats):
        for side in sides:
            await asyncio.sleep(args.gap)
            d = await deliver(side.server, side.sessions, side.trigger, quiet=args.quiet, timeout=args.timeout)
            side.deliveries.setdefault(n, []).append(d)
            log(
                f'N={n} #{r + 1} {side.name}: update p50 {ms(pct(d.last, 50))} ms, max {ms(top(d.last))} ms, '
                f'first p50 {ms(pct(d.first, 50))} ms, messages {spread(d.messages)}, '
                f'missed {d.missed}, loop stall {ms(d.lag_max)} ms, GC {ms(d.gc_total)} ms, load {d.load:.1f}'
            )
    if last and args.burst:
        for side in sides:
            await asyncio.sleep(args.gap)
            log(f'{side.name}: burst of {args.burst} with {len(side.sessions)} sessions')
            side.burst = b = await burst(
                side.server,
                side.sessions,
                side.burst_trigger,
                idle=args.idle,
                quiet=args.quiet,
                timeout=args.timeout * 4,
                py_spy=args.py_spy if side is apok else None,
            )
            log(
                f'  lag p99 {ms(pct(b.lag_burst, 99))} ms (idle {ms(pct(b.lag_idle, 99))}), '
                f'all updated after {ms(top(b.delivery.last))} ms, missed {b.delivery.missed}'
            )
    await asyncio.sleep(args.quiet)  # the sessions ack the last messages
    for side in sides:
        side.heap_end = await heap(side.server)
        side.rss_end = rss_kb(side.server.pid)


async def run(args: argparse.Namespace) -> dict:
    OUT.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix='apok-bench-live-'))
    sizes = sorted(args.sessions)
    applications = args.queued + (args.repeats + 2) * len(sizes) + args.burst + 5
    sides: list[Side] = []
    triggers = None
    try:
        log(f'preparing {args.database}: {applications} applications, {args.queued} in the Kasi Data Baru')
        started = time.monotonic()
        fixture = prepare_database(args.database, applications, args.queued, work)
        log(f'  {time.monotonic() - started:.0f} s')
        triggers = Triggers(fixture)
        sides = [
            Side('APOK', '/admin', triggers.approve, lambda: triggers.approve_burst(args.burst, args.burst_threads)),
            Side('floor', '/', triggers.notify, lambda: triggers.notify_burst(args.burst)),
        ]
        for n in sizes:
            log(f'N = {n}: starting fresh servers')
            for side, server in zip(
                sides, start_servers(fixture, work, n, args.preload, args.floor_gc, args.floor_fanout), strict=True
            ):
                side.server = server
            try:
                await measure_round(args, sides, n, fixture.kasi_nip, last=n == sizes[-1])
            finally:
                for side in sides:
                    await side.close_sessions()
                    stop_server(side.server)
        return report(args, sides)
    finally:
        for side in sides:
            await side.close_sessions()
            stop_server(side.server)
        if triggers is not None:
            triggers.close()
        try:
            from apok_ui import db

            db.get().dispose()
        except Exception:
            pass
        if args.keep:
            log(f'kept: database {args.database}, logs and data in {work}')
        else:
            shutil.rmtree(work, ignore_errors=True)
            try:
                drop_database(args.database)
            except Exception as error:
                log(f'could not drop {args.database}: {error}')


# --- the report ---------------------------------------------------------------------------------------------------


def report(args: argparse.Namespace, sides: list[Side]) -> dict:
    apok, floor = sides
    raw: dict = {'date': date.today().isoformat(), 'args': {k: v for k, v in vars(args).items()}, 'sides': {}}
    loads = [d.load for side in sides for ds in side.deliveries.values() for d in ds]
    lines = [
        f'Live updates, {date.today().isoformat()}: {args.repeats} changes per N (sessions × changes pooled), '
        f'PostgreSQL, one machine ({os.cpu_count()} cores; 1-minute load average {args.load_before[0]:.1f} at the '
        f'start, {min(loads, default=0):.1f}–{max(loads, default=0):.1f} during the changes). Floor: GC '
        f'{args.floor_gc}, fan-out {args.floor_fanout}; the clients share the cores with both servers.',
        '',
        '| page | N | update p50 ms | update p95 ms | update max ms | all updated p50 / p95 ms (per change) '
        '| first msg p50 ms | first msg p95 ms '
        '| msgs/session | missed | longest loop stall ms | GC ms per change (longest pause) | server KiB per session '
        '| GC-tracked objects per session | NiceGUI elements per session |',
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ]
    for n in sorted(apok.deliveries):
        for side in sides:
            ds = side.deliveries[n]
            last = [x for d in ds for x in d.last]
            first = [x for d in ds for x in d.first]
            msgs = [x for d in ds for x in d.messages]
            added, before, after = side.memory[n]
            per = (after - before) / max(added, 1)
            every = [top(d.last) for d in ds]  # per change: until its last session was updated
            lines.append(
                f'| {side.name} | {n} | {ms(pct(last, 50))} | {ms(pct(last, 95))} | {ms(top(last))} '
                f'| {ms(pct(every, 50))} / {ms(pct(every, 95))} '
                f'| {ms(pct(first, 50))} | {ms(pct(first, 95))} | {spread(msgs)} '
                f'| {sum(d.missed for d in ds)} | {ms(max(d.lag_max for d in ds))} '
                f'| {ms(pct([d.gc_total for d in ds], 50))} ({ms(max(d.gc_max for d in ds))}) | {per:.0f} '
                f'| {(side.objects[n][1] - side.objects[n][0]) / max(added, 1):.0f} '
                f'| {(side.elements[n][1] - side.elements[n][0]) / max(added, 1):.0f} |'
            )
            raw['sides'].setdefault(side.name, {})[str(n)] = {
                'update_s': last,
                'all_updated_s': every,
                'first_s': first,
                'messages': msgs,
                'missed': sum(d.missed for d in ds),
                'trigger_s': [d.done for d in ds],
                'lag_max_s': [d.lag_max for d in ds],
                'gc_total_s': [d.gc_total for d in ds],
                'gc_max_s': [d.gc_max for d in ds],
                'memory_kb': {'added': added, 'before': before, 'after': after},
                'objects': side.objects[n],
                'elements': side.elements[n],
            }
    big = max(apok.deliveries)
    lines.append('')
    for side in sides:
        end = side.heap_end
        lines.append(
            f'- {side.name} server after every change: RSS {side.rss_end / 1024:.0f} MiB, '
            f'{end.get("objects", 0):,} GC-tracked objects after a full collection (right after opening {big} '
            f'sessions: {side.memory[big][2] / 1024:.0f} MiB, {side.objects[big][1]:,}); '
            f'{end.get("clients", 0)} NiceGUI clients keeping {end.get("history", 0):,} sent messages for reconnects.'
        )
    lines.append('')
    lines.append('| N | APOK p95 / floor p95 | all updated: APOK p95 / floor p95 |')
    lines.append('|---:|---:|---:|')
    ratios = {}
    for n in sorted(apok.deliveries):
        a = pct([x for d in apok.deliveries[n] for x in d.last], 95)
        f = pct([x for d in floor.deliveries[n] for x in d.last], 95)
        ratios[n] = a / f if f else float('nan')
        a_all = pct([top(d.last) for d in apok.deliveries[n]], 95)
        f_all = pct([top(d.last) for d in floor.deliveries[n]], 95)
        lines.append(f'| {n} | {ratios[n]:.2f} | {a_all / f_all if f_all else float("nan"):.2f} |')
    if apok.burst is not None:
        lines += [
            '',
            f'Burst of {args.burst} changes with {big} sessions open '
            f'(APOK: approvals from {args.burst_threads} threads; floor: NOTIFYs):',
            '',
            '| page | changes sent in ms | every session updated after ms | update p50 ms | msgs/session | missed '
            '| loop lag p50 / p99 / max ms (idle p99) | probe extra p50 / p99 ms (idle p50) | GC ms (longest pause) |',
            '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
        ]
        for side in sides:
            b = side.burst
            d = b.delivery
            base = pct(b.probe_idle, 50)
            extra = [v - base for v in b.probe_burst]
            lines.append(
                f'| {side.name} | {ms(d.done)} | {ms(top(d.last))} | {ms(pct(d.last, 50))} '
                f'| {spread(d.messages)} | {d.missed} '
                f'| {ms(pct(b.lag_burst, 50))} / {ms(pct(b.lag_burst, 99))} / {ms(top(b.lag_burst))} '
                f'({ms(pct(b.lag_idle, 99))}) '
                f'| {ms(pct(extra, 50))} / {ms(pct(extra, 99))} ({ms(base)}) | {ms(d.gc_total)} ({ms(d.gc_max)}) |'
            )
            raw['sides'][side.name]['burst'] = {
                'sent_s': d.done,
                'update_s': d.last,
                'messages': d.messages,
                'missed': d.missed,
                'gc_total_s': d.gc_total,
                'gc_max_s': d.gc_max,
                'lag_idle_s': b.lag_idle,
                'lag_burst_s': b.lag_burst,
                'probe_idle_s': b.probe_idle,
                'probe_burst_s': b.probe_burst,
            }
    apok_p95 = pct([x for d in apok.deliveries[big] for x in d.last], 95)
    added, before, after = apok.memory[big]
    per_mb = (after - before) / max(added, 1) / 1024
    lines += [
        '',
        '| target | measured | met |',
        '|---|---:|:-:|',
        f'| p95 ≤ 1.5× floor at N = {big} | {ratios[big]:.2f}× | {yes(ratios[big] <= 1.5)} |',
        f'| p95 ≤ 250 ms at N = {big} | {ms(apok_p95)} ms | {yes(apok_p95 <= 0.25)} |',
        f'| ≤ 1 MB server memory per officer session (N = {big}) | {per_mb:.2f} MB | {yes(per_mb <= 1)} |',
    ]
    if apok.burst is not None:
        p99 = pct(apok.burst.lag_burst, 99)
        lines.append(
            f'| event-loop lag p99 ≤ 50 ms during a burst of {args.burst} | {ms(p99)} ms | {yes(p99 <= 0.05)} |'
        )
    for side in sides:
        raw['sides'][side.name]['rss_end_kb'] = side.rss_end
        raw['sides'][side.name]['heap_end'] = side.heap_end
    raw['markdown'] = '\n'.join(lines)
    return raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--sessions', type=int, nargs='+', default=[50, 200], help='N: open sessions (default 50 200)')
    parser.add_argument('--repeats', type=int, default=10, help='changes measured per N (default 10)')
    parser.add_argument('--burst', type=int, default=50, help='approvals in the burst (0: no burst; default 50)')
    parser.add_argument('--burst-threads', type=int, default=4, help='threads sending the burst (default 4)')
    parser.add_argument('--queued', type=int, default=20, help="applications already in the Kasi's Data Baru")
    parser.add_argument('--parallel', type=int, default=8, help='sessions opened at once (default 8)')
    parser.add_argument('--gap', type=float, default=1.0, help='seconds of rest between changes (default 1)')
    parser.add_argument(
        '--quiet',
        type=float,
        default=3.0,
        help='a change is over when every session got an update and then '
        'nothing arrived for this long (default 3 s; must exceed the longest event-loop stall)',
    )
    parser.add_argument('--idle', type=float, default=3.0, help='seconds of idle lag baseline before a burst')
    parser.add_argument('--timeout', type=float, default=60.0, help='seconds a change may take at most (a burst: 4×)')
    parser.add_argument('--database', default='apok_bench_live')
    parser.add_argument('--keep', action='store_true', help='keep the database, logs and data folder')
    parser.add_argument('--py-spy', metavar='SVG', help="profile APOK's server during its burst with py-spy")
    parser.add_argument('--json', type=Path, help='raw figures (default bench/out/live-<date>.json)')
    parser.add_argument(
        '--preload',
        type=Path,
        metavar='PY',
        help='a Python file the APOK server runs before main.py (e.g. monkeypatches to try a fix without editing APOK)',
    )
    parser.add_argument('--floor-gc', choices=['apok', 'default'], default='apok', help="the floor's GC settings")
    parser.add_argument(
        '--floor-fanout', choices=['batch', 'per-event'], default='batch', help="the floor's fan-out (batch: as APOK)"
    )
    parser.add_argument('--probe', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe_main(args.probe)
        return
    if not re.fullmatch(r'[a-z_][a-z0-9_]*', args.database):
        parser.error('--database: lowercase letters, digits and _ only')
    args.load_before = os.getloadavg()
    raw = asyncio.run(run(args))
    path = args.json or OUT / f'live-{raw["date"]}.json'
    path.write_text(json.dumps(raw, indent=1, default=str))
    print(raw['markdown'])
    print(f'\n(raw figures: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path})')


if __name__ == '__main__':
    main()
