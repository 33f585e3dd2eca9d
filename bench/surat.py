"""Benchmark the digital letter (issue 14): the final approval that renders, signs and stores the letter against
rendering alone; Cetak of a stored letter against a fresh render; Periksa berkas on a 300 KB signed PDF.

Run from the project root: `python -m bench.surat` (SQLite in a temporary folder, the demo CA and certificates of
`make run`, letters signed with Batam Kota's segel in NiceGUI-free worker processes as in tests).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import time
import zlib
from datetime import date
from pathlib import Path

from apok_ui import berkas, db, services
from apok_ui.demo import seed_demo
from apok_ui.printing import cetak, keaslian, render, terbit
from apok_ui.printing import queries as queries_cetak
from apok_ui.printing.surat_baru import trusted_roots
from apok_ui.services import sertifikat
from models import Kecamatan, Pengurusan, Peran, Petugas
from models.tanda_tangan import CaraTtd
from tests.samples import contoh_surat

RUNS = 15
PERIKSA_RUNS = 40
TARGET_RATIO = 1.5
TARGET_PERIKSA_P95_MS = 300


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def prepare(folder: Path) -> tuple[dict[str, services.Actor], int]:
    """Migrate a fresh SQLite database, seed the demo officers and certificates, let Batam Kota sign with its segel."""
    db.init(f'sqlite:///{folder}/apok.db').migrate()
    services.seed_reference()
    berkas.init(folder / 'berkas', 5 * 1024 * 1024)
    cetak.configure('https://apok.batam.example')
    seed_demo(per_kecamatan=0)
    from sqlmodel import select

    with db.get().read() as session:
        kec = session.exec(select(Kecamatan).order_by(Kecamatan.id)).first()
        officers = session.exec(select(Petugas).where(Petugas.kecamatan_id == kec.id)).all()
    sertifikat.seed_cara_ttd(kecamatan_id=kec.id, cara=CaraTtd.SEGEL)
    return {p.peran: services.Actor(p.id, p.sesi_versi) for p in officers}, kec.id


def up_to_camat(actors: dict[str, services.Actor], kecamatan_id: int, seq: int) -> int:
    from sqlmodel import select

    from apok_ui.demo import make_nik, sample_isian, sample_uploads
    from models import Kelurahan, Layanan
    from tests.samples import sample_pemohon

    with db.get().read() as session:
        layanan = session.exec(select(Layanan).where(Layanan.kode == 'SKTM')).one()
        kelurahan = session.exec(select(Kelurahan).where(Kelurahan.kecamatan_id == kecamatan_id)).first()
    data = sample_pemohon(make_nik(1, date(1990, 8, 17), False, seq))
    data.isian = sample_isian(layanan.isian)
    pid = services.submit(
        layanan_kode='SKTM',
        kecamatan_id=kecamatan_id,
        kelurahan_id=kelurahan.id,
        data=data,
        uploads=sample_uploads(layanan.persyaratan),
    ).pengurusan_id
    for peran in (Peran.ADMIN, Peran.KASI, Peran.SEKCAM):
        services.approve(actor=actors[peran], pengurusan_id=pid, version=_version(pid))
    return pid


def _token(pengurusan_id: int) -> str:
    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id).token_verifikasi


def _version(pengurusan_id: int) -> int:
    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id).version


async def timed(coroutine) -> float:
    started = time.perf_counter()
    await coroutine
    return (time.perf_counter() - started) * 1000


async def completion(actors, kecamatan_id) -> tuple[list[float], list[float], list[int]]:
    """Return ms of (final approval with render + sign + store, render alone of the same letter), alternating."""
    issued, alone, ids = [], [], []
    for seq in range(RUNS + 1):
        pid = up_to_camat(actors, kecamatan_id, seq + 1)
        ms = await timed(terbit.approve(actors[Peran.CAMAT], pengurusan_id=pid, version=_version(pid)))
        surat = await asyncio.to_thread(queries_cetak.surat_data, actors[Peran.ADMIN], pid, cetak.base_url())
        render_ms = await timed(render.render_letter_async(surat))
        if seq:  # the first of each warms the workers
            issued.append(ms)
            alone.append(render_ms)
        ids.append(pid)
    return issued, alone, ids


async def cetak_runs(actors, ids: list[int]) -> tuple[list[float], list[float]]:
    """Return ms of (Cetak of a stored letter, a fresh render of it), alternating."""
    stored, fresh = [], []
    for pid in ids[1:]:
        stored.append(await timed(cetak.letter_pdf(actors[Peran.ADMIN], pid)))
        surat = await asyncio.to_thread(queries_cetak.surat_data, actors[Peran.ADMIN], pid, cetak.base_url())
        fresh.append(await timed(render.render_letter_async(surat)))
    return stored, fresh


async def periksa(actors, pid: int) -> tuple[int, list[float]]:
    """Return the size of a signed ~300 KB letter and ms of Periksa berkas on it (hash + signature)."""
    rencana = await asyncio.to_thread(queries_cetak.letter_plan, actors[Peran.ADMIN], pid, cetak.base_url())
    with db.get().read() as session:
        roots = trusted_roots(session)
    assert roots
    foto = _noise_png(310)
    surat = contoh_surat('AK1', pas_foto=foto)
    pdf = await render.render_and_sign_async(surat, rencana.permintaan)
    token = await asyncio.to_thread(_token, pid)
    runs = []
    for _ in range(PERIKSA_RUNS):
        started = time.perf_counter()
        hasil = await asyncio.to_thread(keaslian.periksa_berkas, token, pdf)
        runs.append((time.perf_counter() - started) * 1000)
    assert hasil is not None and hasil.tanda.utuh
    return len(pdf), runs


def _noise_png(side: int) -> bytes:
    """Return an incompressible RGB PNG of side x side pixels (about 3 bytes a pixel)."""
    rng = random.Random(14)
    raw = b''.join(b'\x00' + rng.randbytes(side * 3) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, 'big') + kind + data + zlib.crc32(kind + data).to_bytes(4, 'big')

    header = side.to_bytes(4, 'big') * 2 + bytes([8, 2, 0, 0, 0])
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(raw, 1)) + chunk(b'IEND', b'')


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        actors, kecamatan_id = prepare(Path(tmp))
        issued, alone, ids = await completion(actors, kecamatan_id)
        stored, fresh = await cetak_runs(actors, ids)
        size, checks = await periksa(actors, ids[-1])
    ratio = statistics.median(issued) / statistics.median(alone)
    print(f'cores: {os.cpu_count()}, runs: {RUNS}')
    print(
        f'final approval with render + sign + store: median {statistics.median(issued):.0f} ms, '
        f'p95 {p95(issued):.0f} ms'
    )
    print(
        f'render alone (same letters, same pool):   median {statistics.median(alone):.0f} ms, p95 {p95(alone):.0f} ms'
    )
    print(f'ratio (median) {ratio:.2f}x (target <= {TARGET_RATIO}x)')
    print(
        f'Cetak of the stored letter: median {statistics.median(stored):.1f} ms vs fresh render '
        f'{statistics.median(fresh):.0f} ms ({statistics.median(fresh) / statistics.median(stored):.0f}x faster)'
    )
    print(
        f'Periksa berkas, {size / 1024:.0f} KB signed PDF: median {statistics.median(checks):.0f} ms, '
        f'p95 {p95(checks):.0f} ms (target <= {TARGET_PERIKSA_P95_MS} ms)'
    )


if __name__ == '__main__':
    asyncio.run(main())
