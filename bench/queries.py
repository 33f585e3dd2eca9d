"""Benchmark an officer's queue and searches at scale, next to hand-written SQL (the floor).

    .venv/bin/python bench/queries.py                 # 100 000 applications, SQLite and PostgreSQL
    .venv/bin/python bench/queries.py --rows 1000000  # the issue's target size
    .venv/bin/python bench/queries.py --engine sqlite --keep   # reuse a filled database on the next run

Prints a markdown table of p50/p95 in milliseconds. Numbers vary with the machine: compare the ratios.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apok_ui import db, services  # noqa: E402
from apok_ui.demo import FIRST, LAST, make_nik  # noqa: E402
from apok_ui.queries import workspace as queries  # noqa: E402
from models import Pengurusan, Peran, Tab  # noqa: E402
from models.penomoran import counter_key_pendaftaran, format_nomor_pendaftaran  # noqa: E402

OUT = Path(__file__).resolve().parent / 'out'
PG_ADMIN = 'host=127.0.0.1 user=postgres dbname=test'
KODE = ('BTK', 'BTJ', 'BTA', 'BLP', 'BKG', 'BLG', 'GLG', 'LBJ', 'NGS', 'SGL', 'SBD', 'SKP')
MIDDLE = ('', '', 'Dwi', 'Tri', 'Putra', 'Putri', 'Adi', 'Nur', 'Sri', 'Muhammad', 'Agung', 'Ayu')
# (status, peran_menunggu, tahap, weight): most rows are finished, a fair share waits somewhere in the chain.
STATES = (
    ('diajukan', 'admin', 0, 6),
    ('diajukan', 'kasi', 1, 4),
    ('diajukan', 'sekcam', 2, 3),
    ('diajukan', 'camat', 3, 3),
    ('revisi', 'admin', 0, 1),
    ('ditolak', None, 0, 3),
    ('selesai', None, 3, 30),
    ('diserahkan', None, 3, 45),
    ('dibatalkan', None, 0, 5),
)


def fill(rows: int, seed: int = 1) -> dict:
    """Insert `rows` applications spread over the 12 kecamatan and 8 layanan; return sample values to search."""
    rng = random.Random(seed)
    with db.get().read() as session:
        layanan = session.execute(text('SELECT id, tahapan FROM layanan')).all()
        kelurahan = session.execute(text('SELECT id, kecamatan_id FROM kelurahan')).all()
    by_kec: dict[int, list[int]] = {}
    for kel_id, kec_id in kelurahan:
        by_kec.setdefault(kec_id, []).append(kel_id)
    weights = [s[3] for s in STATES]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    batch, sample, seq = [], {}, {}
    for n in range(rows):
        kec_id = n % 12 + 1
        status, waiting, tahap, _ = rng.choices(STATES, weights)[0]
        at = start + timedelta(minutes=n)
        born = date(rng.randint(1960, 2005), rng.randint(1, 12), rng.randint(1, 28))
        nama = ' '.join(p for p in (rng.choice(FIRST), rng.choice(MIDDLE), rng.choice(LAST)) if p)
        key = counter_key_pendaftaran(KODE[kec_id - 1], at)
        seq[key] = seq.get(key, 0) + 1
        row = dict(
            nomor_pendaftaran=format_nomor_pendaftaran(KODE[kec_id - 1], at, seq[key]),
            layanan_id=rng.choice(layanan)[0],
            kecamatan_id=kec_id,
            kelurahan_id=rng.choice(by_kec[kec_id]),
            nik=make_nik(kec_id, born, False, n),
            nama=nama,
            tempat_lahir='Batam',
            tanggal_lahir=born,
            jenis_kelamin='Laki-laki',
            agama='Islam',
            pekerjaan='Wiraswasta',
            status_perkawinan='Kawin',
            alamat='Jl. Contoh',
            rt='001',
            rw='002',
            no_hp=f'+628{n:011d}'[:15],
            email=f'p{n}@contoh.id',
            isian={},
            status=status,
            tahap=tahap,
            tahapan=['admin', 'kasi', 'sekcam', 'camat'],
            peran_menunggu=waiting,
            version=1,
            diajukan_at=at,
            menunggu_sejak=at,
            diubah_at=at,
        )
        batch.append(row)
        if n == rows // 2:
            sample = {
                'nomor': row['nomor_pendaftaran'],
                'nik': row['nik'],
                'email': row['email'],
                'hp': '0' + row['no_hp'][3:],
                'kecamatan_id': kec_id,
            }
        if len(batch) == 20_000:
            _flush(batch)
    _flush(batch)
    return sample


def _flush(batch: list[dict]) -> None:
    if batch:
        with db.get().write() as session:
            session.execute(insert(Pengurusan), batch)
        batch.clear()


def measure(fn, runs: int) -> tuple[float, float]:
    """Return p50 and p95 in milliseconds of `runs` calls after two warm-up calls."""
    fn(), fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def raw(sql: str, **params):
    """Return a function running hand-written SQL through the same engine (the floor)."""

    def run():
        with db.get().engine.connect() as conn:
            return conn.execute(text(sql), params).all()

    return run


def floor_queue(kec: int, sqlite: bool):
    """Hand-written SQL for the Data Baru screen: four tab counts, counts per layanan, the first page."""
    statements = [
        ("SELECT count(*) FROM pengurusan WHERE kecamatan_id=:k AND peran_menunggu='admin'", {}),
        (
            'SELECT count(*) FROM pengurusan WHERE kecamatan_id=:k AND peran_menunggu IS NOT NULL '
            "AND peran_menunggu!='admin'",
            {},
        ),
        ("SELECT count(*) FROM pengurusan WHERE kecamatan_id=:k AND status IN ('diserahkan','selesai')", {}),
        ("SELECT count(*) FROM pengurusan WHERE kecamatan_id=:k AND status='ditolak'", {}),
        (
            "SELECT layanan_id, count(*) FROM pengurusan WHERE kecamatan_id=:k AND peran_menunggu='admin' "
            'GROUP BY layanan_id',
            {},
        ),
        (
            'SELECT p.id, p.nomor_pendaftaran, p.nama, p.nik, p.no_hp, l.nama FROM pengurusan p JOIN layanan l '
            "ON l.id=p.layanan_id WHERE p.kecamatan_id=:k AND p.peran_menunggu='admin' "
            'ORDER BY p.menunggu_sejak, p.id LIMIT 20',
            {},
        ),
    ]

    def run():
        with db.get().engine.connect() as conn:
            for sql, _ in statements:
                conn.execute(text(sql), {'k': kec}).all()

    return run


def app_queue(kec: int):
    def run():
        queries.tab_counts(kec, Peran.ADMIN)
        queries.layanan_counts(kec, Peran.ADMIN, Tab.DATA_BARU)
        queries.queue(kec, Peran.ADMIN, Tab.DATA_BARU)

    return run


def bench_engine(engine: str, rows: int, runs: int, keep: bool) -> list[tuple]:
    url, fresh = prepare(engine, rows, keep)
    database = db.init(url)
    database.migrate()
    if fresh:
        services.seed_reference()
        t = time.perf_counter()
        sample = fill(rows)
        print(f'{engine}: filled {rows} rows in {time.perf_counter() - t:.0f} s', file=sys.stderr)
        if database.is_sqlite:
            with database.engine.begin() as conn:
                conn.execute(text('ANALYZE'))  # what `python main.py migrate` does too: fresh statistics
        else:  # what autovacuum does after a bulk load: statistics and the visibility map for index-only scans
            with database.engine.connect().execution_options(isolation_level='AUTOCOMMIT') as conn:
                conn.execute(text('VACUUM ANALYZE'))
    else:
        with database.read() as session:
            row = session.execute(
                text('SELECT nomor_pendaftaran, nik, email, no_hp, kecamatan_id FROM pengurusan WHERE id = :i'),
                {'i': rows // 2 + 1},
            ).one()
        sample = {'nomor': row[0], 'nik': row[1], 'email': row[2], 'hp': '0' + row[3][3:], 'kecamatan_id': row[4]}
    assert queries.queue(sample['kecamatan_id'], Peran.ADMIN, Tab.DATA_SELESAI, search=sample['nomor']).page >= 1
    kec = sample['kecamatan_id']
    sqlite = database.is_sqlite
    trigram = '+id IN (SELECT rowid FROM pengurusan_nama WHERE pengurusan_nama MATCH :q)'
    like = trigram if sqlite else 'lower(nama) LIKE :q'
    cases = [('queue page + counts (Data Baru, admin)', app_queue(kec), floor_queue(kec, sqlite))]
    for kind, column, term, value in (
        ('nomor', 'nomor_pendaftaran', sample['nomor'], sample['nomor']),
        ('NIK', 'nik', sample['nik'], sample['nik']),
        ('phone 08…', 'no_hp', sample['hp'], '+62' + sample['hp'][1:]),
        ('email', 'email', sample['email'], sample['email']),
    ):
        cases.append(
            (
                f'search {kind}',
                search(kec, Tab.DATA_SELESAI, term),
                raw(f'SELECT id FROM pengurusan WHERE kecamatan_id=:k AND {column}=:v', k=kec, v=value),
            )
        )
    for term in ('santo', 'hutap', 'dwi pu'):
        q = f'"{term}"' if sqlite else f'%{term}%'
        cases.append(
            (
                f'search name part "{term}" (Data Selesai)',
                search(kec, Tab.DATA_SELESAI, term),
                raw(
                    'SELECT count(*) FROM pengurusan WHERE kecamatan_id=:k '
                    f"AND status IN ('diserahkan','selesai') AND {like}",
                    k=kec,
                    q=q,
                ),
            )
        )
    results = []
    for name, app_fn, floor_fn in cases:
        a50, a95 = measure(app_fn, runs)
        f50, f95 = measure(floor_fn, runs)
        results.append((engine, name, a50, a95, f50, f95))
    database.dispose()
    return results


def search(kec: int, tab: Tab, term: str):
    def run():
        queries.queue(kec, Peran.ADMIN, tab, search=term)

    return run


def prepare(engine: str, rows: int, keep: bool) -> tuple[str, bool]:
    """Return the database URL and whether it must be filled."""
    OUT.mkdir(exist_ok=True)
    if engine == 'sqlite':
        path = OUT / f'queries-{rows}.db'
        if keep and path.exists():
            return f'sqlite:///{path}', False
        for suffix in ('', '-wal', '-shm'):
            Path(f'{path}{suffix}').unlink(missing_ok=True)
        return f'sqlite:///{path}', True
    name = f'apok_bench_{rows}'
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        exists = conn.execute('SELECT 1 FROM pg_database WHERE datname=%s', (name,)).fetchone()
        if keep and exists:
            return f'postgresql+psycopg://postgres@127.0.0.1:5432/{name}', False
        conn.execute(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        conn.execute(f'CREATE DATABASE {name}')
    return f'postgresql+psycopg://postgres@127.0.0.1:5432/{name}', True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rows', type=int, default=100_000)
    parser.add_argument('--runs', type=int, default=40)
    parser.add_argument('--engine', choices=('sqlite', 'postgresql', 'both'), default='both')
    parser.add_argument('--keep', action='store_true', help='reuse an already filled database')
    args = parser.parse_args()
    engines = ('sqlite', 'postgresql') if args.engine == 'both' else (args.engine,)
    print(
        f'\n{args.rows:,} applications, {args.runs} runs each, {datetime.now():%Y-%m-%d %H:%M}, '
        f'{os.cpu_count()} cores\n'
    )
    print('| engine | query | APOK p50 ms | APOK p95 ms | floor p50 ms | floor p95 ms | p95 ratio |')
    print('|---|---|---:|---:|---:|---:|---:|')
    for engine in engines:
        for e, name, a50, a95, f50, f95 in bench_engine(engine, args.rows, args.runs, args.keep):
            print(
                f'| {e} | {name} | {a50:.1f} | {a95:.1f} | {f50:.1f} | {f95:.1f} | {a95 / max(f95, 0.01):.2f} |',
                flush=True,
            )


if __name__ == '__main__':
    main()
