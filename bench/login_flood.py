"""Benchmark a login flood (issue 11, observation 6): 40 officers log in at once through the real login page while an
unrelated page is requested again and again; its p95 during the flood (target ≤ 500 ms) beside its p95 with no
flood, in the same run.

    .venv/bin/python bench/login_flood.py                    # 40 logins, 3 rounds, each after 8 s without a flood
    .venv/bin/python bench/login_flood.py --logins 20 --rounds 1 --idle 4     # a quick look
    .venv/bin/python bench/login_flood.py --shared-pool      # the same with bcrypt in run.io_bound, as before
    .venv/bin/python bench/login_flood.py --keep             # keep the database and the server log afterwards

How it measures (loopback only; the server and these clients share the machine's cores):
- A fresh SQLite database in a temporary folder (APOK's default), migrated, with `--logins` officers made through
  `services.create_petugas` with one bcrypt hash of cost 12 (what a real check costs). A real `main.py` serves it.
- Probes: for each `--probe` page, one request at a time, `--gap` seconds apart, for the whole run; every sample
  is labelled idle or flood by the phase it started in. The defaults are pages that have nothing to do with logging
  in: `/` (the public home page, built on the event loop) and `/verifikasi/…` (a QR check, which reads the database
  through NiceGUI's shared `run.io_bound` pool like the officer pages do: the pool bcrypt used to fill).
- One round: `--idle` seconds of probing with nothing else going on, then the flood. Each login is a browser tab as
  nicegui.js drives it: GET /login (the page build), a python-socketio client on the page's client, the Username
  and Password values sent as the inputs' `update:value` events. When all tabs are open, every tab clicks Masuk at
  the same moment; the flood phase lasts from those clicks until every officer is in. A tab told "Server sedang
  sibuk" tries again after `--retry-after` seconds, as a person would. A login's outcome is the page's answer: a
  navigation (logged in) or the error label's text.
- `--shared-pool` runs main.py behind a wrapper that sends the login page's bcrypt call to NiceGUI's shared
  `run.io_bound` pool, unbounded, as before issue 11, for comparison; without it the benchmark measures the tree
  exactly as it is (pages/login.py calls `apok_ui.hashing.run_hashing`).
- Bounded: every wait has a timeout, the whole run stops after `--timeout` seconds, and the server is stopped in
  every case.
Prints a markdown table and writes the raw figures to bench/out/login-flood-<date>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.live import clean_env, ms, pct  # noqa: E402  (the live benchmark's helpers)
from tests.conftest import free_port, stop_server, wait_until_answers  # noqa: E402

OUT = ROOT / 'bench' / 'out'
SOCKETIO_PATH = '/_nicegui_ws/socket.io'
PASSWORD = 'rahasia2026'
TARGET_P95 = 0.500
SHARED_POOL_WRAPPER = """
import runpy, sys
from nicegui import run
import pages.login


async def shared_pool(fn, *args, **kwargs):  # the old main: bcrypt in NiceGUI's shared pool, queued without end
    return await run.io_bound(fn, *args, **kwargs)


pages.login.run_hashing = shared_pool
sys.argv = ['main.py']
runpy.run_path('main.py', run_name='__main__')
"""
ELEMENTS = re.compile(r'parseElements\(String\.raw`(.*?)`\)', re.S)
CLIENT_ID = re.compile(r"""['"]client_id['"]\s*:\s*['"]([0-9a-fA-F-]+)['"]""")


# --- the server ---------------------------------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors='replace')[-4000:]


def prepare(folder: Path, logins: int) -> tuple[str, list[str]]:
    """Create the database with `logins` officers; return its URL and their NIPs."""
    from apok_ui import db, services
    from apok_ui.security import hash_password

    url = f'sqlite:///{folder / "apok.db"}'
    db.init(url).migrate()
    services.seed_reference()
    password_hash = hash_password(PASSWORD)
    if not 1 <= logins <= 100:
        raise SystemExit('--logins must be between 1 and 100')
    nips = [f'1985010120100110{n:02d}' for n in range(logins)]
    for n, nip in enumerate(nips):
        services.create_petugas(
            nip=nip,
            nama=f'Petugas {chr(65 + n % 26)}{chr(65 + n // 26)}',
            peran='admin',
            kecamatan='Batam Kota',
            password='',
            password_hash=password_hash,
        )
    db.get().dispose()  # the server owns the file from now on
    return url, nips


def start(folder: Path, url: str, *, shared_pool: bool) -> Server:
    """Start main.py (or the shared-pool wrapper) on the database and wait until it answers."""
    port = free_port()
    env = clean_env(
        APOK_ENV='development',
        APOK_DATA_DIR=str(folder / 'data'),
        APOK_DATABASE_URL=url,
        APOK_PORT=str(port),
        APOK_HOST='127.0.0.1',
        APOK_DEMO='0',
        APOK_BASE_URL=f'http://127.0.0.1:{port}',
    )
    log = folder / 'server.log'
    command = [sys.executable, '-c', SHARED_POOL_WRAPPER] if shared_pool else [sys.executable, 'main.py']
    with open(log, 'wb') as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f'http://127.0.0.1:{port}', process, log)
    wait_until_answers(server, f'{server.url}/login', name='APOK server', timeout=90)
    return server


# --- the probe ----------------------------------------------------------------------------------------------------


@dataclass
class Probe:
    """The unrelated request, one at a time, labelled by the phase it started in."""

    url: str
    gap: float
    phase: str = 'idle'
    samples: list[tuple[str, float, int]] = field(default_factory=list)  # (phase, seconds, status)
    running: bool = True

    async def run(self) -> None:
        import httpx

        async with httpx.AsyncClient(timeout=30) as http:
            while self.running:
                phase, t0 = self.phase, time.monotonic()
                try:
                    status = (await http.get(self.url)).status_code
                except httpx.HTTPError:
                    status = 0
                self.samples.append((phase, time.monotonic() - t0, status))
                await asyncio.sleep(self.gap)

    def of(self, phase: str) -> list[float]:
        return [s for p, s, status in self.samples if p == phase and status == 200]


# --- one login tab ------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    nip: str
    result: str  # 'masuk', 'sibuk' or the refusal's text
    seconds: float  # from the click to the page's answer
    attempts: int


class LoginTab:
    """The login page in one browser tab, driven over socket.io as nicegui.js does."""

    def __init__(self, base: str, nip: str) -> None:
        self.base, self.nip = base, nip
        self.answer: asyncio.Future | None = None

    async def open(self, http) -> None:
        import socketio

        response = await http.get(f'{self.base}/login', timeout=60)
        response.raise_for_status()
        elements = json.loads(ELEMENTS.search(response.text).group(1))
        self.client_id = CLIENT_ID.search(response.text).group(1)
        self.username = _element(elements, 'nicegui-input', 'label', 'Username')
        self.password = _element(elements, 'nicegui-input', 'label', 'Password')
        self.button = _element(elements, 'q-btn', 'label', 'Masuk')
        self.error_id = next(i for i, e in elements.items() if e.get('props', {}).get('role') == 'alert')
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on('*', self._on_message)
        self.cookies = '; '.join(f'{k}={v}' for k, v in response.cookies.items())
        query = {
            'client_id': self.client_id,
            'next_message_id': 0,
            'implicit_handshake': 'true',
            'document_id': str(uuid.uuid4()),
            'tab_id': str(uuid.uuid4()),
        }
        await self.sio.connect(
            f'{self.base}?{urlencode(query)}',
            headers={'Cookie': self.cookies},
            transports=['websocket'],
            socketio_path=SOCKETIO_PATH,
            wait_timeout=30,
        )
        await self._send(self.username, 'update:value', self.nip)

    async def click(self) -> str:
        """Type the password (a refusal empties it), click Masuk; return the page's answer: 'masuk' or the error."""
        await self._send(self.password, 'update:value', PASSWORD)
        self.answer = asyncio.get_running_loop().create_future()
        await self._send(self.button, 'click')
        return await asyncio.wait_for(self.answer, 120)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.sio.disconnect(), 5)

    async def _send(self, element: tuple[str, dict], event: str, value: object = None) -> None:
        element_id, listeners = element
        args = [json.dumps(value)] if event.startswith('update:') else []
        await self.sio.emit(
            'event', {'id': int(element_id), 'client_id': self.client_id, 'listener_id': listeners[event], 'args': args}
        )

    def _on_message(self, event: str, data: object = None, *_: object) -> None:
        if self.answer is None or self.answer.done():
            return
        if event in ('open', 'navigate'):
            self.answer.set_result('masuk')
        elif event == 'update' and isinstance(data, dict):
            error = data.get(self.error_id)
            if error and error.get('text') and 'hidden' not in error.get('class', []):
                self.answer.set_result(error['text'])


def _element(elements: dict, tag: str, prop: str, value: str) -> tuple[str, dict[str, str]]:
    for element_id, element in elements.items():
        if element.get('tag') == tag and element.get('props', {}).get(prop) == value:
            return element_id, {e['type']: e['listener_id'] for e in element.get('events', [])}
    raise RuntimeError(f'no {tag} with {prop}={value!r} on /login')


async def log_in(tab: LoginTab, start: asyncio.Event, retry_after: float, attempts: int = 30) -> Outcome:
    """Click Masuk when the flood starts; on "sibuk" try again after a pause, like a person."""
    await start.wait()
    t0 = time.monotonic()
    for attempt in range(1, attempts + 1):
        answer = await tab.click()
        if answer == 'masuk' or 'sibuk' not in answer:
            return Outcome(tab.nip, answer, time.monotonic() - t0, attempt)
        await asyncio.sleep(retry_after)
    return Outcome(tab.nip, 'sibuk', time.monotonic() - t0, attempts)


# --- the run ------------------------------------------------------------------------------------------------------


@dataclass
class Round:
    first_try: dict[str, int]  # answer -> how many tabs got it at their first click
    outcomes: list[Outcome]
    seconds: float  # from the clicks until every tab had its final answer


async def flood(server: Server, probe: Probes, nips: list[str], retry_after: float) -> Round:
    """Open one login tab per officer, then click Masuk in all of them at once; return what each got."""
    import httpx

    tabs = [LoginTab(server.url, nip) for nip in nips]
    async with httpx.AsyncClient() as http:
        await asyncio.gather(*(tab.open(http) for tab in tabs))
    await asyncio.sleep(1)  # the page builds and connections settle before the clicks
    start = asyncio.Event()
    tasks = [asyncio.create_task(log_in(tab, start, retry_after)) for tab in tabs]
    probe.phase, t0 = 'flood', time.monotonic()
    start.set()
    try:
        outcomes = await asyncio.gather(*tasks)
    finally:
        probe.phase = 'idle'
        await asyncio.gather(*(tab.close() for tab in tabs))
    first: dict[str, int] = {}
    for o in outcomes:
        key = 'masuk' if o.attempts == 1 and o.result == 'masuk' else ('sibuk' if o.attempts > 1 else o.result)
        first[key] = first.get(key, 0) + 1
    return Round(first, outcomes, time.monotonic() - t0)


class Probes(list):
    """Several probes; setting the phase sets it for all."""

    @property
    def phase(self) -> str:
        return self[0].phase

    @phase.setter
    def phase(self, value: str) -> None:
        for probe in self:
            probe.phase = value


async def measure(server: Server, nips: list[str], args: argparse.Namespace) -> tuple[Probes, list[Round]]:
    probes = Probes(Probe(server.url + path, args.gap) for path in args.probe)
    tasks = [asyncio.create_task(probe.run()) for probe in probes]
    rounds = []
    try:
        for _ in range(args.rounds):
            await asyncio.sleep(args.idle)
            rounds.append(await flood(server, probes, nips, args.retry_after))
        await asyncio.sleep(args.idle / 2)
    finally:
        for probe in probes:
            probe.running = False
        await asyncio.wait_for(asyncio.gather(*tasks), 60)
    return probes, rounds


def report(probes: Probes, rounds: list[Round], args: argparse.Namespace, mode: str) -> dict:
    logins = [o for r in rounds for o in r.outcomes]
    seconds = [o.seconds for o in logins if o.result == 'masuk']
    first: dict[str, int] = {}
    for r in rounds:
        for key, n in r.first_try.items():
            first[key] = first.get(key, 0) + n
    load = os.getloadavg()[0]
    print(f'\n## Login flood — {datetime.now():%Y-%m-%d %H:%M} ({mode}; {os.cpu_count()} cores, loopback)\n')
    print(f'{args.logins} parallel logins × {args.rounds} rounds; each probe every {args.gap * 1000:.0f} ms\n')
    print('| probe | phase | samples | p50 ms | p95 ms | max ms | target p95 ≤ 500 ms |')
    print('|---|---|---:|---:|---:|---:|---|')
    figures = {}
    for probe in probes:
        path = '/' + probe.url.split('//', 1)[1].split('/', 1)[1]
        for name, phase in (('no flood', 'idle'), ('during the flood', 'flood')):
            values = probe.of(phase)
            verdict = '' if phase == 'idle' else ('met' if pct(values, 95) <= TARGET_P95 else '**missed**')
            print(
                f'| GET {path} | {name} | {len(values)} | {ms(pct(values, 50))} | {ms(pct(values, 95))} '
                f'| {ms(max(values, default=0))} | {verdict} |'
            )
            figures[f'{path} {phase}'] = values
    failed = sum(1 for probe in probes for s in probe.samples if s[2] != 200)
    print(f'\nFailed probe requests: {failed}. Load average (1 min) at the end: {load:.2f}.')
    print(f'Logins: {len([o for o in logins if o.result == "masuk"])} of {len(logins)} got in; first click: {first}.')
    print(
        f'Click to logged in: p50 {ms(pct(seconds, 50))} ms, p95 {ms(pct(seconds, 95))} ms, '
        f'max {ms(max(seconds, default=0))} ms; every officer in after '
        + ', '.join(f'{r.seconds:.1f} s' for r in rounds)
        + ' (per round).'
    )
    return {
        'date': datetime.now().isoformat(timespec='seconds'),
        'mode': mode,
        'args': vars(args),
        'probes': figures,
        'probe_failed': failed,
        'load_1min': load,
        'rounds': [asdict(r) for r in rounds],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--logins', type=int, default=40)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--idle', type=float, default=8.0, help='seconds of probing without a flood before each round')
    parser.add_argument(
        '--probe',
        action='append',
        help='an unrelated page to request (repeatable; default: / and /verifikasi/bukan-token-surat)',
    )
    parser.add_argument('--gap', type=float, default=0.05, help='seconds between two probe requests')
    parser.add_argument('--retry-after', type=float, default=1.0, help='seconds before a "sibuk" tab tries again')
    parser.add_argument('--shared-pool', action='store_true', help="the old main: bcrypt in run.io_bound's pool")
    parser.add_argument('--timeout', type=float, default=600, help='stop the whole run after this many seconds')
    parser.add_argument('--keep', action='store_true', help='keep the database and server log')
    args = parser.parse_args()
    args.probe = args.probe or ['/', '/verifikasi/bukan-token-surat']
    folder = Path(tempfile.mkdtemp(prefix='apok-login-flood-'))
    server = None
    try:
        url, nips = prepare(folder, args.logins)
        server = start(folder, url, shared_pool=args.shared_pool)
        probe, rounds = asyncio.run(asyncio.wait_for(measure(server, nips, args), args.timeout))
        mode = "bcrypt in run.io_bound's shared pool, as before" if args.shared_pool else 'bcrypt in its own pool'
        figures = report(probe, rounds, args, mode)
        OUT.mkdir(parents=True, exist_ok=True)
        out = OUT / f'login-flood-{datetime.now():%Y%m%d-%H%M%S}.json'
        out.write_text(json.dumps(figures, indent=1))
        print(f'\nRaw figures: {out.relative_to(ROOT)}')
    finally:
        stop_server(server)
        if server is not None and ('Traceback' in server.output()):
            print('\nThe server logged a traceback:\n' + server.output(), file=sys.stderr)
        if args.keep:
            print(f'Kept {folder}')
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == '__main__':
    main()
