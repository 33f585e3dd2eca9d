"""Benchmark what the outbox adds to one officer action (issue 12): the change record written in the approval's own
transaction and this process's relay catching up right after the commit.

    .venv/bin/python bench/outbox.py                  # 200 approvals per side, SQLite and PostgreSQL
    .venv/bin/python bench/outbox.py --approvals 500 --engine postgresql

How it measures: a fresh database with the demo officers and 2 × N applications waiting for the Admin of Batam Kota.
The Admin approves them one by one through `services.approve` (its whole transaction, the commit and, on the APOK
side, the outbox row, PostgreSQL's advisory lock and NOTIFY, and the relay's read and delivery to the bus). The floor,
in the same run and interleaved in blocks of 10, is the very same approval with the outbox switched off
(`outbox.write_pending` records nothing), i.e. the approval as it was before the outbox. Reported: p50/p95 in ms per
side and the ratio. Numbers vary with the machine: compare the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import psycopg
from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apok_ui import berkas, db, events, outbox, services  # noqa: E402
from apok_ui.demo import make_nik, sample_isian, sample_uploads, seed_demo  # noqa: E402
from models import Kecamatan, Kelurahan, Layanan, Peran, Petugas  # noqa: E402
from tests.samples import sample_pemohon  # noqa: E402

PG_ADMIN = 'host=127.0.0.1 user=postgres dbname=test'
PG_DATABASE = 'apok_bench_outbox'
BLOCK = 10


@contextmanager
def scratch_database(engine: str, folder: str, name: str = PG_DATABASE) -> Iterator[str]:
    """Yield the URL of an empty database for one run: a SQLite file in `folder`, or a new PostgreSQL database
    `name`; afterwards APOK's connections are closed and the PostgreSQL database dropped."""
    if engine == 'sqlite':
        url = f'sqlite:///{folder}/apok.db'
    else:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
            conn.execute(f'CREATE DATABASE {name}')
        url = f'postgresql+psycopg://postgres@127.0.0.1:5432/{name}'
    try:
        yield url
    finally:
        db.get().dispose()
        if engine == 'postgresql':
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')


def prepare(url: str, count: int, folder: Path, **pemohon: str) -> tuple[services.Actor, list[int]]:
    """Migrate, seed the demo officers and submit `count` applications waiting for the Admin of Batam Kota
    (`pemohon` overrides the applicants' fields, e.g. kabar_kanal='email'; bench/kabar.py shares this)."""
    db.init(url).migrate()
    services.seed_reference()
    berkas.init(folder / 'berkas', 5 * 1024 * 1024)
    seed_demo(per_kecamatan=0)
    with db.get().read() as session:
        kec = session.exec(select(Kecamatan).where(Kecamatan.nama == 'Batam Kota')).one()
        kel = session.exec(select(Kelurahan).where(Kelurahan.kecamatan_id == kec.id)).first()
        layanan = session.exec(select(Layanan).where(Layanan.kode == 'SKTM')).one()
        admin = session.exec(select(Petugas).where(Petugas.kecamatan_id == kec.id, Petugas.peran == Peran.ADMIN)).one()
    ids = []
    for n in range(count):
        data = sample_pemohon(make_nik(1, date(1990, 8, 17), False, n + 1), **pemohon)
        data.isian = sample_isian(layanan.isian)
        done = services.submit(
            layanan_kode='SKTM',
            kecamatan_id=kec.id,
            kelurahan_id=kel.id,
            data=data,
            uploads=sample_uploads(layanan.persyaratan),
        )
        ids.append(done.pengurusan_id)
    return services.Actor(admin.id, admin.sesi_versi), ids


def measure(actor: services.Actor, ids: list[int]) -> dict[str, list[float]]:
    """Approve every application, alternating blocks with and without the outbox; return the times per side."""
    heard: list[events.Perubahan] = []
    events.pengurusan_changed.subscribe(heard.append)
    events.relay.start()
    real_write = outbox.write_pending
    times: dict[str, list[float]] = {'outbox': [], 'floor': []}
    try:
        for start in range(0, len(ids), BLOCK):
            side = 'outbox' if (start // BLOCK) % 2 == 0 else 'floor'
            outbox.write_pending = real_write if side == 'outbox' else _record_nothing
            for pengurusan_id in ids[start : start + BLOCK]:
                t0 = time.perf_counter()
                services.approve(actor=actor, pengurusan_id=pengurusan_id, version=1)
                times[side].append((time.perf_counter() - t0) * 1000)
    finally:
        outbox.write_pending = real_write
        events.relay.stop()
        events.pengurusan_changed.unsubscribe(heard.append)
    assert len(heard) == len(times['outbox']), 'every approval with the outbox reached the bus once'
    return times


def _record_nothing(session, *, postgres: bool) -> list:
    session.info.pop('apok_outbox_pending', None)
    return []


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method='inclusive')[int(q) - 1]


def run(engine: str, approvals: int) -> str:
    with tempfile.TemporaryDirectory() as folder, scratch_database(engine, folder) as url:
        actor, ids = prepare(url, 2 * approvals, Path(folder))
        times = measure(actor, ids)
    a, f = times['outbox'], times['floor']
    return (
        f'| {engine} | {len(a)} | {p(a, 50):.2f} / {p(a, 95):.2f} | {p(f, 50):.2f} / {p(f, 95):.2f} '
        f'| {p(a, 50) / p(f, 50):.2f}× / {p(a, 95) / p(f, 95):.2f}× |'
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--approvals', type=int, default=200, help='approvals per side (default 200)')
    parser.add_argument('--engine', choices=('sqlite', 'postgresql', 'both'), default='both')
    args = parser.parse_args()
    engines = ('sqlite', 'postgresql') if args.engine == 'both' else (args.engine,)
    print('| engine | approvals per side | with the outbox p50 / p95 ms | floor p50 / p95 ms | ratio p50 / p95 |')
    print('|---|---:|---:|---:|---:|')
    for engine in engines:
        print(run(engine, args.approvals), flush=True)


if __name__ == '__main__':
    main()
