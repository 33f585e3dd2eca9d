"""What a 12 MP phone photo costs on its way in (issue 19): the upload's check (`berkas.accept`, the image worker) and
Kirim's check (`berkas.prepare`), against the floor of a bare decode and re-encode with Pillow in this process.

    .venv/bin/python bench/photo.py               # 7 rounds, APOK and the floor alternated
    .venv/bin/python bench/photo.py --rounds 15

The photo: 4000 x 3000, camera-like detail, JPEG quality 92 (`--quality`), EXIF orientation 6 (taken upright,
stored sideways) and a GPS tag, as a phone writes it. Every round draws a fresh photo (new noise), so no memo of an
earlier round helps.
Reported: the median time of each side and their ratio, the bytes in and out, how many SHA-256 digests the path took
(hashlib.sha256 counted in this process) and how many image workers ran.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from apok_ui import berkas, berkas_pemeriksa  # noqa: E402

MB = 1024 * 1024


def phone_photo(seed: int, quality: int = 92) -> bytes:
    """Return a 12 MP JPEG as a phone writes it: sideways with an orientation tag, a GPS position."""
    small = Image.effect_noise((1000, 750), 40 + seed % 7).convert('RGB')
    image = small.resize((4000, 3000), Image.BICUBIC)  # smooth areas with grain, like a photo of a document
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: 'S', 2: (1.0, 7.0, 30.0)}
    out = io.BytesIO()
    image.save(out, 'JPEG', quality=quality, exif=exif.tobytes())
    return out.getvalue()


def floor(isi: bytes) -> bytes:
    """The least the same work can cost: decode and encode once, in this process (no rotation, no worker)."""
    with Image.open(io.BytesIO(isi)) as image:
        out = io.BytesIO()
        image.save(out, 'JPEG', quality=90)
        return out.getvalue()


class Counted:
    """Count hashlib.sha256 calls while active."""

    def __init__(self) -> None:
        self.calls = 0
        self._real = hashlib.sha256

    def __enter__(self) -> Counted:
        def counting(*args: object) -> object:
            self.calls += 1
            return self._real(*args)

        hashlib.sha256 = counting
        return self

    def __exit__(self, *_: object) -> None:
        hashlib.sha256 = self._real


async def apok(isi: bytes, max_bytes: int) -> tuple[bytes, int, int]:
    """The way in: the upload's check, then Kirim's; return what is stored, digests taken and workers used."""
    started = len(berkas_pemeriksa._spares)
    spawned = [0]
    real_start = berkas_pemeriksa._start_worker

    def start() -> object:
        spawned[0] += 1
        return real_start()

    berkas_pemeriksa._start_worker = start
    try:
        with Counted() as digests:
            kept = await berkas.accept(isi, max_bytes=max_bytes)
            stored, _ = await asyncio.to_thread(berkas.prepare, kept, max_bytes=max_bytes)
    finally:
        berkas_pemeriksa._start_worker = real_start
    del started
    return stored, digests.calls, spawned[0]  # each drawing starts the next spare: workers used = spawned


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--rounds', type=int, default=7)
    parser.add_argument('--quality', type=int, default=92, help="the phone's JPEG quality (default 92)")
    args = parser.parse_args()
    max_bytes = 10 * MB
    with tempfile.TemporaryDirectory() as folder:
        berkas.init(Path(folder), max_bytes)
        await apok(phone_photo(99), max_bytes)  # warm: the first worker, imports
        times_apok, times_floor, sizes, digests, workers = [], [], [], [], []
        for r in range(args.rounds):
            isi = phone_photo(r, args.quality)
            t = time.perf_counter()
            stored, d, w = await apok(isi, max_bytes)
            times_apok.append(time.perf_counter() - t)
            t = time.perf_counter()
            floor(isi)
            times_floor.append(time.perf_counter() - t)
            sizes.append((len(isi), len(stored)))
            digests.append(d)
            workers.append(w)
    a, f = statistics.median(times_apok), statistics.median(times_floor)
    size_in = statistics.median(s[0] for s in sizes) / MB
    size_out = statistics.median(s[1] for s in sizes) / MB
    print(
        f'| 12 MP photo (quality {args.quality}), {args.rounds} rounds | APOK (accept + Kirim) '
        '| floor (decode + encode) | ratio |'
    )
    print('|---|---:|---:|---:|')
    print(f'| median ms | {a * 1000:.0f} | {f * 1000:.0f} | {a / f:.2f}× |')
    print(f'| MB in → stored | {size_in:.2f} → {size_out:.2f} | | |')
    print(f'| SHA-256 digests per photo | {statistics.median(digests):.0f} | | |')
    print(f'| image workers per photo | {statistics.median(workers):.0f} | | |')


if __name__ == '__main__':
    asyncio.run(main())
