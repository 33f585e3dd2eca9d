"""Benchmark uploads under attack (issue 11, observations 7 and 8): the server's memory and an unrelated request's
latency while forms full of near-limit images are sent, and the memory that unsent forms keep after their browsers
have left.

    .venv/bin/python bench/uploads.py                       # the full run: 2 x 6 x 5 images, 8 x 5 x 5 MB (10 min)
    .venv/bin/python bench/uploads.py --forms 2 --rounds 1 --abandoned 2 --settle 10 --reconnect 5   # a quick look
    .venv/bin/python bench/uploads.py --env MALLOC_ARENA_MAX=2   # the server with an extra environment variable

How it measures (everything on this machine, loopback only):
- APOK: a real `main.py` process (tests/conftest.start_server) on a fresh SQLite file, development mode, the
  production default reconnect timeout (60 s: a page whose browser left is deleted after it) unless --reconnect.
- A form is what a browser does, without the browser: GET /ajukan/SKTM (the real page build), a python-socketio
  client that connects to the page's client as nicegui.js does (bench/live.py), the fields set through the same
  socket events a browser sends, each file POSTed as multipart to the page's own upload route, the statement ticked
  and Kirim clicked; a form is done when the server shows 'Permohonan terkirim'. Each form comes from its own
  address (X-Forwarded-For from loopback, as behind nginx), so the portal's per-address limits do not stop it.
- Attack (observation 7): --forms forms at once, each uploading 5 PNGs just under the PNG pixel limit (3999 x 4000
  RGBA, 64 MB decoded; compressed to about 67 KB each and different from each other), all 5 at once, then Kirim;
  --rounds times, one after the other (the first round also warms up what six parallel forms need once).
- Abandoned forms (observation 8): --abandoned forms each upload 5 PDFs of just under 5 MB, are never sent, and
  their sockets close (the browsers leave).
- Memory: VmRSS of the server process plus its children (the image workers), sampled every 100 ms. "Start" is after
  a warm-up of as many parallel forms with small images (sent, their pages deleted) and after the no-attack probe:
  what six parallel forms need once (database connections and their page caches, threads and their malloc arenas)
  and what 2 000 probe requests leave (main.py's high GC thresholds let request garbage live long: about 7 MB here)
  are not the attack's. "After" is --settle s after the forms are gone (sockets closed, then the pages deleted after
  the reconnect timeout).
- Latency: a separate probe process GETs /static/lambang.svg every 10 ms (bench/live.py's Probe): p95 with no attack,
  then during the attack, in the same run.
Prints a markdown table and writes the raw figures to bench/out/uploads-<date>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.live import PROBE_PATH, QUERY_CLIENT_ID, QUERY_NEXT_ID, SOCKETIO_PATH, Probe, pct  # noqa: E402
from tests.conftest import start_server, stop_server  # noqa: E402  (the tests' own server handling)

OUT = ROOT / 'bench' / 'out'
KODE = 'SKTM'  # five requirements that all take PNG
MB = 1024 * 1024
ELEMENTS = re.compile(r'parseElements\(String\.raw`(.*?)`\)', re.S)
SENT = 'Permohonan terkirim'


# --- memory --------------------------------------------------------------------------------------------------------


def rss_kb(pid: int) -> int:
    """Return a process's resident memory in KiB, 0 when it is gone."""
    try:
        for line in Path(f'/proc/{pid}/status').read_text().splitlines():
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """Return the ids of a process's children, their children, and so on."""
    found: list[int] = []
    for task in Path(f'/proc/{pid}/task').glob('*'):
        with contextlib.suppress(OSError):
            for child in (task / 'children').read_text().split():
                found += [int(child), *descendants(int(child))]
    return found


class Memory:
    """Samples the server's RSS (alone, and with its image workers) every 100 ms in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.samples: list[tuple[float, int, int]] = []  # (monotonic, server KiB, server + children KiB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            server = rss_kb(self.pid)
            self.samples.append((time.monotonic(), server, server + sum(rss_kb(c) for c in descendants(self.pid))))

    def now(self) -> tuple[int, int]:
        """Return the latest (server, with workers) RSS in KiB."""
        return self.samples[-1][1:] if self.samples else (rss_kb(self.pid), rss_kb(self.pid))

    def peak(self, since: float) -> tuple[int, int]:
        """Return the highest (server, with workers) RSS since a moment."""
        window = [s for s in self.samples if s[0] >= since] or [(0, 0, 0)]
        return max(s[1] for s in window), max(s[2] for s in window)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


# --- files ---------------------------------------------------------------------------------------------------------


def near_limit_png(seed: int, width: int = 3999, height: int = 4000) -> bytes:
    """Return an RGBA PNG just under 16 MP that compresses to tens of KB; each seed gives different bytes."""
    squeeze = zlib.compressobj(9)
    colour = bytes([seed % 251, seed // 251 % 251, 7, 255])
    row = b'\x00' + colour * width
    body = b''.join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()
    header = width.to_bytes(4, 'big') + height.to_bytes(4, 'big') + b'\x08\x06\x00\x00\x00'
    return b'\x89PNG\r\n\x1a\n' + _chunk(b'IHDR', header) + _chunk(b'IDAT', body) + _chunk(b'IEND', b'')


def small_pngs(seed: int) -> list[bytes]:
    return [near_limit_png(9000 + seed * 5 + n, 400, 300) for n in range(5)]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, 'big') + kind + data + zlib.crc32(kind + data).to_bytes(4, 'big')


def big_pdf(size: int = 5 * MB - 4096) -> bytes:
    """Return a PDF of just under 5 MB, different every time (random bytes between header and end)."""
    return b'%PDF-1.4\n' + random.randbytes(size - 16) + b'\n%%EOF\n'


# --- one form, as a browser would send it -------------------------------------------------------------------------


@dataclass
class Form:
    """One page of /ajukan/SKTM: its elements as the page sent them, and what the server pushed since."""

    base: str
    address: str
    http: object = None
    sio: object = None
    client_id: str = ''
    elements: dict = field(default_factory=dict)
    pushed: list[str] = field(default_factory=list)

    async def open(self) -> None:
        """Load the page (a real build) and connect its client over socket.io like nicegui.js."""
        import httpx
        import socketio

        self.http = httpx.AsyncClient(base_url=self.base, timeout=120, headers={'X-Forwarded-For': self.address})
        page = (await self.http.get(f'/ajukan/{KODE}')).text
        self.client_id = QUERY_CLIENT_ID.search(page).group(1)
        next_id = int(QUERY_NEXT_ID.search(page).group(1))
        self.elements = json.loads(ELEMENTS.search(page).group(1))
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on('*', self._pushed)
        query = {
            'client_id': self.client_id,
            'next_message_id': next_id,
            'implicit_handshake': 'true',
            'document_id': str(uuid.uuid4()),
            'tab_id': str(uuid.uuid4()),
        }
        cookies = '; '.join(f'{k}={v}' for k, v in self.http.cookies.items())
        await self.sio.connect(
            f'{self.base}?{urlencode(query)}',
            headers={'Cookie': cookies},
            transports=['websocket'],
            socketio_path=SOCKETIO_PATH,
            wait_timeout=30,
        )

    def _pushed(self, event: str, *args: object) -> None:
        if event == 'update':
            self.pushed.append(json.dumps(args, ensure_ascii=False))

    def element(self, *, label: str | None = None, text: str | None = None) -> tuple[str, dict]:
        """Return (id, element) of the one element with this label or text."""
        for key, element in self.elements.items():
            if (label is not None and element.get('props', {}).get('label') == label) or (
                text is not None and element.get('text') == text
            ):
                return key, element
        raise LookupError(label or text)

    async def send_event(self, key: str, kind: str, *args: object) -> None:
        element = self.elements[key]
        listener = next(e['listener_id'] for e in element.get('events', []) if e['type'] == kind)
        message = {'id': int(key), 'client_id': self.client_id, 'listener_id': listener}
        await self.sio.emit('event', {**message, 'args': [json.dumps(a) for a in args]})

    async def type(self, label: str, value: str) -> None:
        await self.send_event(self.element(label=label)[0], 'update:value', value)

    async def choose(self, label: str, option: str | None = None, index: int | None = None) -> None:
        key, element = self.element(label=label)
        options = element['props'].get('options') or []
        picked = index if index is not None else next(o['value'] for o in options if o['label'] == option)
        await self.send_event(key, 'update:modelValue', {'value': picked, 'label': option or ''})

    def upload_urls(self) -> list[str]:
        return [e['props']['url'] for e in self.elements.values() if e['tag'] == 'nicegui-upload']

    async def upload(self, url: str, name: str, isi: bytes, content_type: str) -> None:
        answer = await self.http.post(url, files={'file': (name, isi, content_type)})
        if answer.status_code != 200:
            raise RuntimeError(f'upload answered {answer.status_code}: {answer.text[:200]}')

    async def wait_for(self, texts: list[str], timeout: float) -> None:
        """Wait until every text has been pushed by the server (bounded by timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen = '\n'.join(self.pushed)
            if all(t in seen for t in texts):
                return
            await asyncio.sleep(0.2)
        missing = [t for t in texts if t not in '\n'.join(self.pushed)]
        raise TimeoutError(f'{self.address}: never shown {missing}; last push: {self.pushed[-1:]!s:.400}')

    async def close(self) -> None:
        if self.sio is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.sio.disconnect(), 5)
        if self.http is not None:
            await self.http.aclose()


async def fill(form: Form, seq: int, labels: dict[str, str]) -> None:
    """Fill in the place and the applicant as a citizen does (the tests' sample citizen, one NIK per form)."""
    from tests.test_portal_support import citizen

    data = citizen(KODE, seq)
    await form.choose('Kecamatan', index=0)
    await asyncio.sleep(0.3)  # the kelurahan options arrive with the kecamatan's answer
    await form.choose('Kelurahan', index=0)
    texts = {
        'NIK': data.nik,
        'Nama lengkap': data.nama,
        'Tempat lahir': data.tempat_lahir,
        'Tanggal lahir': str(data.tanggal_lahir),
        'Pekerjaan': data.pekerjaan,
        'Alamat': data.alamat,
        'RT': data.rt,
        'RW': data.rw,
        'No HP (WhatsApp)': data.no_hp,
        'Email (opsional)': data.email,
        **{labels[kode]: value for kode, value in data.isian.items()},
    }
    for label, value in texts.items():
        await form.type(label, value)
    for label, value in (
        ('Jenis kelamin', data.jenis_kelamin),
        ('Agama', data.agama),
        ('Status perkawinan', data.status_perkawinan),
    ):
        await form.choose(label, value)


async def send_form(form: Form) -> None:
    """Tick the statement and press Kirim; wait for the Nomor Pendaftaran."""
    from pages.ajukan import SETUJU

    await form.send_event(form.element(text=SETUJU)[0], 'update:modelValue', True)
    await form.send_event(form.element(label='Kirim Permohonan')[0], 'click')
    await form.wait_for([SENT], timeout=300)


async def attack_form(base: str, index: int, labels: dict[str, str], files: list[bytes]) -> float:
    """One attacking form (index: its own address and NIK): filled, 5 PNGs uploaded at once, sent; return seconds."""
    start = time.monotonic()
    form = Form(base, f'10.11.{index // 250}.{index % 250 + 1}')
    try:
        await form.open()
        await fill(form, 100 + index, labels)
        names = [f'foto-{index}-{n}.png' for n in range(len(files))]
        await asyncio.gather(
            *(
                form.upload(url, name, isi, 'image/png')
                for url, name, isi in zip(form.upload_urls(), names, files, strict=True)
            )
        )
        await form.wait_for([f'{name} (' for name in names], timeout=600)
        await send_form(form)
    finally:
        await form.close()
    return time.monotonic() - start


async def abandoned_form(base: str, index: int) -> Form:
    """One form that uploads 5 files of nearly 5 MB and is never sent; return it still open."""
    form = Form(base, f'10.12.0.{index + 1}')
    await form.open()
    names = [f'berkas-{index}-{n}.pdf' for n in range(5)]
    for url, name in zip(form.upload_urls(), names, strict=True):
        await form.upload(url, name, big_pdf(), 'application/pdf')
    await form.wait_for([f'{name} (' for name in names], timeout=300)
    return form


# --- the run -------------------------------------------------------------------------------------------------------


def log(text: str) -> None:
    print(f'[{time.strftime("%H:%M:%S")}] {text}', flush=True)


def prepare_database(work: Path) -> tuple[str, dict[str, str]]:
    """Create a migrated SQLite file with the reference data; return its URL and the layanan's field labels."""
    from apok_ui import db, services
    from tests.conftest import _fresh_sqlite
    from tests.test_portal_support import layanan_row

    url = _fresh_sqlite(work)
    services.seed_reference()
    labels = {item['kode']: item['label'] for item in layanan_row(KODE).isian}
    db.get().dispose()
    return url, labels


async def probe_p95(server, seconds: float | None = None, until: asyncio.Future | None = None) -> list[float]:
    """Run the outside probe for a while (or until a task is done); return its response times in seconds."""
    probe = Probe(server.url + PROBE_PATH)
    try:
        if until is not None:
            await until
        else:
            await asyncio.sleep(seconds)
    finally:
        samples = await asyncio.to_thread(probe.stop)
    return [rtt for _, rtt in samples]


async def gone(memory: Memory, reconnect: float, settle: float) -> tuple[tuple[int, int], tuple[int, int]]:
    """Wait until the pages of closed sockets are deleted, then --settle s more; return RSS at both moments."""
    await asyncio.sleep(reconnect + 5)
    deleted = memory.now()
    await asyncio.sleep(settle)
    return deleted, memory.now()


async def run(args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix='apok-bench-uploads-'))
    url, labels = prepare_database(work)
    env = dict(item.split('=', 1) for item in args.env)
    server = start_server(work, url, APOK_RECONNECT_TIMEOUT=str(int(args.reconnect)), **env)
    memory = Memory(server.process.pid)
    result: dict = {'date': datetime.now().isoformat(timespec='minutes'), 'forms': args.forms, 'env': env}
    try:
        log(f'warm-up: {args.forms} forms at once with small images, sent')
        await asyncio.gather(*(attack_form(server.url, 900 + f, labels, small_pngs(f)) for f in range(args.forms)))
        await gone(memory, args.reconnect, 5)
        result['before_probe'] = memory.now()
        log(f'probing with no attack for {args.idle:.0f} s')
        result['idle_rtt'] = await probe_p95(server, seconds=args.idle)
        result['start'] = memory.now()
        log(f'start: {result["start"][1] / 1024:.0f} MiB')
        result['rounds'] = [await attack_round(server, memory, labels, args, n) for n in range(args.rounds)]
        result['abandoned'] = await abandoned(server, memory, args)
    finally:
        memory.stop()
        stop_server(server)
        result['rss_each_second'] = memory.samples[::10]
        result['tracebacks'] = tracebacks(server.output())
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return result


async def attack_round(server, memory: Memory, labels: dict[str, str], args: argparse.Namespace, n: int) -> dict:
    """Observation 7 once: --forms forms at once, 5 near-limit PNGs each; then wait until their pages are gone."""
    first = n * args.forms
    files = [[near_limit_png((first + f) * 5 + k) for k in range(5)] for f in range(args.forms)]
    log(f'attack {n + 1}: {args.forms} forms x 5 PNGs ({sum(map(len, files[0])) / 1024:.0f} KB per form)')
    before = memory.now()
    begin = time.monotonic()
    attack = asyncio.ensure_future(
        asyncio.gather(*(attack_form(server.url, first + f, labels, files[f]) for f in range(args.forms)))
    )
    rtt = await probe_p95(server, until=attack)
    peak = memory.peak(begin)
    log(f'attack {n + 1} done in {time.monotonic() - begin:.0f} s; waiting for the pages to go')
    deleted, after = await gone(memory, args.reconnect, args.settle)
    return {
        'rtt': rtt,
        'form_seconds': attack.result(),
        'before': before,
        'peak': peak,
        'deleted': deleted,
        'after': after,
    }


def tracebacks(log_text: str) -> dict[str, int]:
    """Count the server log's tracebacks: those of the probe's own cut-off requests (it is killed mid-request, and
    Starlette's BaseHTTPMiddleware logs that as 'No response returned.'), and all others."""
    marker = 'Traceback (most recent call last)'
    blocks = [block.split('ERROR:')[0] for block in log_text.split('Exception in ASGI application')[1:]]
    probe = [block for block in blocks if block.rstrip().endswith('No response returned.')]
    return {'probe_disconnects': len(probe), 'other': log_text.count(marker) - sum(b.count(marker) for b in probe)}


async def abandoned(server, memory: Memory, args: argparse.Namespace) -> dict:
    """Observation 8: forms that upload 5 x 5 MB each, never sent, whose browsers leave."""
    before = memory.now()
    log(f'abandoned: {args.abandoned} forms x 5 PDFs of 5 MB')
    forms = await asyncio.gather(*(abandoned_form(server.url, i) for i in range(args.abandoned)))
    held = memory.now()
    for form in forms:
        await form.close()
    log('abandoned forms left; waiting for their pages to go')
    deleted, after = await gone(memory, args.reconnect, args.settle)
    return {'before': before, 'held': held, 'deleted': deleted, 'after': after}


def mib(kib: int) -> str:
    return f'{kib / 1024:.0f}'


def report(r: dict, args: argparse.Namespace) -> None:
    start = r['start'][1]
    rows = [
        ('RSS before the no-attack probe (server + workers), MiB', mib(r['before_probe'][1]), ''),
        ('RSS at start, after the no-attack probe (server + workers), MiB', mib(start), ''),
        ('probe p95 with no attack, ms', f'{pct(r["idle_rtt"], 95) * 1000:.0f}', ''),
    ]
    for n, attack in enumerate(r['rounds'], 1):
        after = attack['after'][1]
        rows += [
            (f'attack {n}: peak RSS increase (server + workers), MiB', mib(attack['peak'][1] - start), '≤ 400'),
            (f'attack {n}: peak increase of the server process alone, MiB', mib(attack['peak'][0] - r['start'][0]), ''),
            (
                f'attack {n}: RSS {args.settle:.0f} s after the pages went, MiB (vs start)',
                f'{mib(after)} ({(after - start) / start:+.1%})',
                'within 10 %',
            ),
            (
                f'attack {n}: seconds per form (fill, 5 uploads, Kirim), median / max',
                _seconds(attack['form_seconds']),
                '',
            ),
            (f'attack {n}: probe p95 / max during the attack, ms', _ms(attack['rtt']), 'p95 ≤ 1000'),
        ]
    a = r['abandoned']
    rows += [
        (f'abandoned: RSS held by {args.abandoned} x 5 x 5 MB unsent, MiB', mib(a['held'][1] - a['before'][1]), ''),
        ('abandoned: RSS when their pages were deleted, vs before, MiB', _delta(a['deleted'][1] - a['before'][1]), ''),
        (f'abandoned: RSS {args.settle:.0f} s later, vs before, MiB', _delta(a['after'][1] - a['before'][1]), ''),
        ('tracebacks in the server log (besides the probe being stopped)', str(r['tracebacks']['other']), '0'),
    ]
    settings = ', '.join(f'{k}={v}' for k, v in r['env'].items()) or 'no extra environment'
    print(f'\n### Uploads under attack ({r["date"]}; {args.forms} x 5 PNGs x {args.rounds}; {settings})\n')
    print('| measure | value | target |\n|---|---|---|')
    for row in rows:
        print('| ' + ' | '.join(row) + ' |')


def _ms(values: list[float]) -> str:
    return f'{pct(values, 95) * 1000:.0f} / {max(values, default=0) * 1000:.0f}'


def _delta(kib: int) -> str:
    return f'{kib / 1024:+.0f}'


def _seconds(values: list[float]) -> str:
    ordered = sorted(values)
    return f'{ordered[len(ordered) // 2]:.0f} / {ordered[-1]:.0f}' if ordered else '–'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--forms', type=int, default=6, help='attacking forms, 5 near-limit PNGs each')
    parser.add_argument('--abandoned', type=int, default=8, help='unsent forms, 5 PDFs of 5 MB each')
    parser.add_argument('--idle', type=float, default=20, help='seconds of probing with no attack')
    parser.add_argument('--settle', type=float, default=60, help='seconds to wait after the pages went')
    parser.add_argument('--reconnect', type=float, default=60, help="the server's reconnect timeout (s)")
    parser.add_argument('--rounds', type=int, default=2, help='attacks one after the other (the first warms up more)')
    parser.add_argument('--env', nargs='*', default=[], metavar='KEY=VALUE', help='extra environment for the server')
    parser.add_argument('--keep', action='store_true', help='keep the database and the server log afterwards')
    args = parser.parse_args()
    result = asyncio.run(run(args))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f'uploads-{result["date"][:10]}.json').write_text(json.dumps(result, default=str, indent=1))
    report(result, args)


if __name__ == '__main__':
    main()
