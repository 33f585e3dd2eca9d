"""Benchmark printed letters: ms per letter against bare WeasyPrint, and event-loop lag while 20 letters print.

Run from the project root: `python -m bench.print`. As a side effect it writes docs/letters/{kode}.png, the first
page of each sample letter at 80 dpi, so a reviewer can see what the letters look like.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from apok_ui.printing.render import build_html, render_letter, render_letter_async, warm_up
from apok_ui.printing.templates import TEMPLATE_LAYANAN
from tests.samples import contoh_surat

RUNS = 7
CONCURRENT = 20
TICK_S = 0.005
TARGET_RATIO = 1.5
TARGET_LAG_MS = 50
LETTERS_DIR = Path(__file__).resolve().parent.parent / 'docs' / 'letters'


def timed_ms(action: Callable[[], object]) -> float:
    """Return the wall time of one run of an action in milliseconds."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure_layanan(kode: str) -> tuple[float, float]:
    """Return median ms of (render_letter, bare WeasyPrint on the same already-rendered HTML) for one layanan."""
    import weasyprint

    surat = contoh_surat(kode)
    html = build_html(surat)

    def ours() -> bytes:
        return render_letter(surat)

    def floor() -> bytes:
        return weasyprint.HTML(string=html).write_pdf()

    ours(), floor()  # untimed: fill font and image caches
    # alternate the two so a busy neighbour on the machine slows both alike and the ratio stays fair
    pairs = [(timed_ms(ours), timed_ms(floor)) for _ in range(RUNS)]
    return statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)


async def print_while_ticking(count: int) -> tuple[list[float], float]:
    """Return the event-loop lags (ms) seen by a 5 ms ticker while `count` letters print, and the total seconds."""
    loop = asyncio.get_running_loop()
    lags: list[float] = []
    done = asyncio.Event()

    async def tick() -> None:
        while not done.is_set():
            expected = loop.time() + TICK_S
            await asyncio.sleep(TICK_S)
            lags.append(max(0.0, loop.time() - expected) * 1000)

    ticker = asyncio.create_task(tick())
    started = time.perf_counter()
    kode = list(TEMPLATE_LAYANAN)
    letters = [replace(contoh_surat(kode[i % len(kode)]), nomor_pendaftaran=f'B-{i}') for i in range(count)]
    await asyncio.gather(*(render_letter_async(surat) for surat in letters))
    total = time.perf_counter() - started
    done.set()
    await ticker
    return lags, total


def lag_row(label: str, lags: list[float], total: float) -> str:
    """Return one markdown row: pool, letters, total time, throughput, lag p99 and max."""
    p99 = statistics.quantiles(lags, n=100)[98]
    verdict = 'ok' if p99 <= TARGET_LAG_MS else 'MISSED'
    return (f'| {label} | {CONCURRENT} | {total:.2f} | {CONCURRENT / total:.1f} | {p99:.1f} | {max(lags):.1f} '
            f'| {verdict} |')  # fmt: skip


def measure_lag_rows() -> list[str]:
    """Return lag rows for this module's fallback pool (cold, then warm) and for NiceGUI's run.cpu_bound pool."""
    from nicegui import run

    rows = [lag_row('fallback pool, cold (workers start)', *asyncio.run(print_while_ticking(CONCURRENT)))]
    rows.append(lag_row('fallback pool, warm', *asyncio.run(print_while_ticking(CONCURRENT))))
    run.process_pool_start_method = 'spawn'
    run.setup()  # what NiceGUI does when the app starts: run.cpu_bound gets its process pool
    try:
        rows.append(lag_row('NiceGUI run.cpu_bound, cold', *asyncio.run(print_while_ticking(CONCURRENT))))
        rows.append(lag_row('NiceGUI run.cpu_bound, warm', *asyncio.run(print_while_ticking(CONCURRENT))))
    finally:
        run.reset()
    return rows


def write_previews() -> list[Path]:
    """Write the first page of every sample letter as docs/letters/{kode}.png at 80 dpi; skip without pdftoppm."""
    if shutil.which('pdftoppm') is None:
        print('pdftoppm not found (Debian poppler-utils): docs/letters/*.png not written')
        return []
    LETTERS_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for kode in TEMPLATE_LAYANAN:
            pdf = Path(folder) / f'{kode}.pdf'
            pdf.write_bytes(render_letter(contoh_surat(kode)))
            command = ['pdftoppm', '-r', '80', '-png', '-f', '1', '-l', '1', '-singlefile', str(pdf)]
            subprocess.run([*command, str(LETTERS_DIR / kode)], check=True)
    return sorted(LETTERS_DIR.glob('*.png'))


def main() -> None:
    """Print the benchmark as markdown tables."""
    started = time.perf_counter()
    warm_up()
    print(f'warm_up(): {(time.perf_counter() - started) * 1000:.0f} ms\n')
    print(f'| layanan | render_letter ms | bare WeasyPrint ms | ratio (target <= {TARGET_RATIO}) |')
    print('|---|---:|---:|---:|')
    for kode in TEMPLATE_LAYANAN:
        ours, floor = measure_layanan(kode)
        print(f'| {kode} | {ours:.1f} | {floor:.1f} | {ours / floor:.2f} |')
    print(f'\n| pool | letters | total s | letters/s | loop lag p99 ms (target <= {TARGET_LAG_MS}) | max ms | |')
    print('|---|---:|---:|---:|---:|---:|---|')
    for row in measure_lag_rows():
        print(row)
    previews = write_previews()
    print(f'\nwrote {len(previews)} previews to {LETTERS_DIR}')


if __name__ == '__main__':
    main()
