"""Benchmark the officer's workspace at scale: server time to build the page and to open Lihat Data, and the bytes
a Data Baru page view sends to the browser.

    .venv/bin/python bench/pages.py                   # 100 000 applications (SQLite)
    .venv/bin/python bench/pages.py --rows 1000000    # the issue's target size
    .venv/bin/python bench/pages.py --keep            # reuse the filled database of an earlier run
    .venv/bin/python bench/pages.py --rows 1000000 --from bench/out/queries-1000000.db   # start from its rows

The app runs in NiceGUI's simulated browser (the test suite's `User`), so a page build is the whole server side of
`GET /admin` — session check, queries, elements, HTML — plus the websocket handshake, without a network. Lihat Data
is timed from the click's handler to the built dialog: the audit row (a write), the detail read and the elements.
Prints a markdown table; targets: page build ≤ 150 ms p95, Lihat Data ≤ 100 ms p95, ≤ 200 KB per page view.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import gzip
import json
import multiprocessing
import os
import random
import re
import sqlite3
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / 'bench' / 'out'
# NiceGUI's simulated browser is made for pytest: say we are one, and keep its storage away from the project's.
os.environ.setdefault('PYTEST_CURRENT_TEST', 'bench/pages.py')
os.environ.setdefault('NICEGUI_STORAGE_PATH', str(OUT / 'nicegui-storage'))

from apok_ui import berkas, db, services  # noqa: E402
from apok_ui.demo import sample_isian, sample_uploads  # noqa: E402
from apok_ui.queries import workspace as queries  # noqa: E402
from bench.queries import fill  # noqa: E402
from models import Berkas, Pengurusan, Riwayat  # noqa: E402
from tests.samples import sample_pemohon  # noqa: E402

PASSWORD = 'bench2026aman'
ADMIN_NIP = '198001012005011991'
KASI_NIP = '198001012005011992'
KECAMATAN_ID = 1  # bench/queries.fill spreads rows over kecamatan 1..12
SAMPLES = 30
WARM_UP = 5  # views not counted: SQLite's page cache and Python's first calls warm up
LIVE_PAGES = 48  # 12 kecamatan × 4 officers, each with the workspace open


def prepare(rows: int, keep: bool) -> tuple[str, Path, bool]:
    """Return the database URL, the data folder and whether the database must be filled."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f'pages-{rows}.db'
    data_dir = OUT / f'pages-{rows}-data'
    if keep and path.exists():
        return f'sqlite:///{path}', data_dir, False
    for suffix in ('', '-wal', '-shm'):
        Path(f'{path}{suffix}').unlink(missing_ok=True)
    return f'sqlite:///{path}', data_dir, True


def fill_history(batch_size: int = 50_000) -> None:
    """Give every bulk application a Riwayat row and a Berkas row, so those tables are as big as the real ones."""
    with db.get().read() as session:
        rows = session.execute(select(Pengurusan.id, Pengurusan.diajukan_at).order_by(Pengurusan.id)).all()
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        with db.get().write() as session:
            session.execute(
                insert(Riwayat),
                [
                    dict(
                        pengurusan_id=i,
                        aksi='diajukan',
                        pelaku='pemohon',
                        keterangan='',
                        perubahan=[],
                        status_sesudah='diajukan',
                        waktu=at,
                    )
                    for i, at in chunk
                ],
            )
            session.execute(
                insert(Berkas),
                [
                    dict(
                        pengurusan_id=i,
                        persyaratan_kode='ktp',
                        nama_asli='ktp.pdf',
                        nama_simpan=f'bulk-{i}.pdf',
                        content_type='application/pdf',
                        ukuran=1000,
                        sha256='0' * 64,
                        aktif=True,
                        diunggah_at=at,
                    )
                    for i, at in chunk
                ],
            )


def seed_officers_and_samples() -> list[int]:
    """Add the benchmark's Admin and Kasi, and real applications (with berkas and history) to open in Lihat Data."""
    admin = services.create_petugas(
        nip=ADMIN_NIP, nama='Admin Bench', peran='admin', kecamatan='Batam Kota', password=PASSWORD
    )
    kasi = services.create_petugas(
        nip=KASI_NIP, nama='Kasi Bench', peran='kasi', kecamatan='Batam Kota', password=PASSWORD
    )
    rng = random.Random(3)
    with db.get().read() as session:
        layanan = session.execute(text('SELECT kode FROM layanan')).scalars().all()
        kelurahan = (
            session.execute(text('SELECT id FROM kelurahan WHERE kecamatan_id = :k'), {'k': KECAMATAN_ID})
            .scalars()
            .all()
        )
    ids = []
    for n in range(SAMPLES):
        kode = rng.choice(layanan)
        done = submit_sample(kode, rng.choice(kelurahan), n)
        if n % 3 == 1:  # a third went back from the Kasi for revision: a longer Status Pengurusan
            services.approve(
                actor=services.Actor(admin.id, 1),
                pengurusan_id=done.pengurusan_id,
                version=1,
                keterangan='Berkas lengkap.',
            )
            services.reject(
                actor=services.Actor(kasi.id, 1),
                pengurusan_id=done.pengurusan_id,
                version=2,
                keterangan='Alamat berbeda dengan KTP.',
            )
        ids.append(done.pengurusan_id)
    return ids


def submit_sample(kode: str, kelurahan_id: int, n: int) -> services.Pendaftaran:
    with db.get().read() as session:
        spec = session.execute(text('SELECT persyaratan, isian FROM layanan WHERE kode = :k'), {'k': kode}).one()
    persyaratan, isian = (json.loads(v) if isinstance(v, str) else v for v in spec)
    data = sample_pemohon(f'217101170890{n + 1:04d}', nama='Bench Santoso')
    data.isian = sample_isian(isian)
    uploads = sample_uploads(persyaratan)
    return services.submit(
        layanan_kode=kode,
        kecamatan_id=KECAMATAN_ID,
        kelurahan_id=kelurahan_id,
        data=data,
        uploads=uploads,
        at=datetime.now(UTC) - timedelta(days=40),
    )


def copy_applications(source: Path, url: str) -> None:
    """Start from a database bench/queries.py filled (the same applications), copied with SQLite's backup API."""
    target = sqlite3.connect(url.removeprefix('sqlite:///'))
    with sqlite3.connect(f'file:{source}?mode=ro', uri=True) as origin:
        origin.backup(target)
    target.close()


def build(rows: int, keep: bool, source: Path | None = None) -> tuple[str, Path, list[int]]:
    """Return a filled database (made now, kept from an earlier run, or copied) and the sample applications."""
    url, data_dir, fresh = prepare(rows, keep)
    if fresh and source is not None:
        copy_applications(source, url)
    database = db.init(url)
    database.migrate()
    berkas.init(data_dir / 'berkas', 5 * 1024 * 1024)
    if fresh:
        services.seed_reference()
        started = time.perf_counter()
        if source is None:
            fill(rows)
        fill_history()
        seed_officers_and_samples()
        with database.engine.begin() as conn:
            conn.execute(text('ANALYZE'))
        print(f'filled {rows} applications in {time.perf_counter() - started:.0f} s', file=sys.stderr)
    with database.read() as session:
        samples = (
            session.execute(
                text('SELECT id FROM pengurusan WHERE nama = :n AND kecamatan_id = :k ORDER BY id'),
                {'n': 'Bench Santoso', 'k': KECAMATAN_ID},
            )
            .scalars()
            .all()
        )
        total = session.execute(text('SELECT count(*) FROM pengurusan')).scalar_one()
    database.dispose()
    print(f'{total} applications in the database', file=sys.stderr)
    return url, data_dir, list(samples)


def percentiles(times: list[float]) -> tuple[float, float]:
    """Return p50 and p95 in milliseconds."""
    times = sorted(times)
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


async def run(url: str, data_dir: Path, samples: list[int], runs: int) -> list[tuple[str, str, str]]:
    """Measure in the simulated browser; return (what, p50, p95 or size) lines."""
    os.environ.update(APOK_DATABASE_URL=url, APOK_DATA_DIR=str(data_dir), APOK_DEMO='0', APOK_ENV='development')
    from nicegui.testing.user_simulation import user_simulation

    from apok_ui.components.lihat_data import LihatData

    results = []
    async with user_simulation(main_file=ROOT / 'main.py') as user:
        await user.open('/login')
        user.find('Username').type(ADMIN_NIP)
        user.find('Password').type(PASSWORD)
        user.find('Masuk').click()
        await user.should_see('Pilih Pengurusan', retries=100)
        pages = {
            'page build: Data Baru (Admin)': '/admin',
            'page build: In Progress': '/admin?tab=proses',
            'page build: Data Selesai': '/admin?tab=selesai',
        }
        times: dict[str, list[float]] = {label: [] for label in pages}
        pauses = GcPauses()
        for n in range(runs + WARM_UP):
            for label, path in pages.items():  # round robin, so a busy moment of the machine hits every page alike
                started = time.perf_counter()
                await user.open(path)
                if n >= WARM_UP:
                    times[label].append((time.perf_counter() - started) * 1000)
                _keep_live_pages(user)
        for label, measured in times.items():
            p50, p95 = percentiles(measured)
            results.append((label, f'{p50:.1f}', f'{p95:.1f}'))
        results.append(pauses.line())
        officer = queries.officer(user_officer_id())
        lihat_times, sizes = [], []
        for n in range(runs + WARM_UP):
            with user.client:
                lihat = LihatData(officer, samples[n % len(samples)], ip='bench', on_changed=_nothing)
                started = time.perf_counter()
                assert await lihat.open()
                elapsed = (time.perf_counter() - started) * 1000
                sizes.append(_elements_bytes(lihat.dialog))
                lihat.dialog.delete()
            if n >= WARM_UP:
                lihat_times.append(elapsed)
        p50, p95 = percentiles(lihat_times)
        results.append(('Lihat Data: open (audit row + detail + dialog)', f'{p50:.1f}', f'{p95:.1f}'))
        results += await page_bytes(user, statistics.median(sizes))
    return results


class GcPauses:
    """Collect how long Python's full (generation 2) garbage collections stop the event loop."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._started = 0.0
        gc.callbacks.append(self._observe)

    def _observe(self, phase: str, info: dict) -> None:
        if phase == 'start':
            self._started = time.perf_counter()
        elif info['generation'] == 2:
            self.pauses.append((time.perf_counter() - self._started) * 1000)

    def line(self) -> tuple[str, str, str]:
        """Return the report line: how many full collections ran while measuring, and the longest."""
        longest = max(self.pauses, default=0.0)
        return (
            f'full GC runs while measuring: {len(self.pauses)} (gc thresholds {gc.get_threshold()})',
            f'{statistics.median(self.pauses) if self.pauses else 0:.1f}',
            f'{longest:.1f} (max)',
        )


def _keep_live_pages(user) -> None:
    """Keep as many pages open as a city's officers would (a browser that left is deleted after its timeout)."""
    from nicegui import Client

    pages = [c for c in Client.instances.values() if c is not user.client and c.page.path.startswith('/admin')]
    for client in pages[:-LIVE_PAGES]:
        client.delete()


async def _nothing() -> None:
    return None


def user_officer_id() -> int:
    with db.get().read() as session:
        return session.execute(text('SELECT id FROM petugas WHERE nip = :n'), {'n': ADMIN_NIP}).scalar_one()


def _elements_bytes(element) -> int:
    """Return the JSON size of an element tree as NiceGUI sends it over the websocket."""
    return sum(len(json.dumps(e._to_dict(), default=str)) for e in [element, *element.descendants()])


async def page_bytes(user, dialog_bytes: float) -> list[tuple[str, str, str]]:
    """Return the bytes of a Data Baru page view: the HTML (with every element), and the cached static files."""
    response = await user.http_client.get('/admin')
    html = response.content
    statics = sorted(set(re.findall(rb'(?:src|href)="(/_nicegui/[^"]+)"', html)))
    static_raw = static_gzip = 0
    for path in statics:
        body = (await user.http_client.get(path.decode())).content
        static_raw += len(body)
        static_gzip += len(gzip.compress(body))
    kb = 1024
    return [
        (
            'bytes: Data Baru page HTML (elements of 20 rows inline)',
            f'{len(html) / kb:.0f} KB',
            f'{len(gzip.compress(html)) / kb:.0f} KB gzip',
        ),
        ('bytes: opening Lihat Data (websocket update)', f'{dialog_bytes / kb:.0f} KB', 'JSON'),
        (
            f'bytes: static JS/CSS, {len(statics)} files (first visit only, then cached)',
            f'{static_raw / kb:.0f} KB',
            f'{static_gzip / kb:.0f} KB gzip',
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rows', type=int, default=100_000)
    parser.add_argument('--runs', type=int, default=50)
    parser.add_argument('--keep', action='store_true', help='reuse bench/out/pages-{rows}.db if it exists')
    parser.add_argument('--gc-threshold', help="try other thresholds of Python's garbage collector, e.g. 50000,20,10")
    parser.add_argument('--from', dest='source', type=Path, help='copy the applications of a bench/queries.py database')
    args = parser.parse_args()
    # Filling runs the services, whose events would put NiceGUI into script mode: do it in a process of its own.
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context('spawn')) as pool:
        url, data_dir, samples = pool.submit(build, args.rows, args.keep, args.source).result()
    if args.gc_threshold:
        gc.set_threshold(*(int(n) for n in args.gc_threshold.split(',')))
    results = asyncio.run(run(url, data_dir, samples, args.runs))
    print(f'\n{args.rows:_} applications (SQLite), {args.runs} runs each\n'.replace('_', ' '))
    print('| measure | p50 ms | p95 ms |')
    print('|---|---:|---:|')
    for what, a, b in results:
        print(f'| {what} | {a} | {b} |')


if __name__ == '__main__':
    main()
