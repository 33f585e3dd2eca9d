"""Benchmark the message queue's delivery (issue 13): from the commit that queues a message to its arrival at a real
SMTP server (aiosmtpd) or a WhatsApp gateway stand-in (an HTTP server), both on loopback in this process.

    .venv/bin/python bench/notifikasi.py                       # 1 000 messages per channel, SQLite and PostgreSQL
    .venv/bin/python bench/notifikasi.py --messages 200 --engine sqlite

How it measures, per database and channel, on a fresh migrated database with the sender running as main.py runs it
(`pengirim._follower.follow`, woken by `pengirim.wake()` after each commit, the poll at 5 s):

- latency: N messages queued one at a time, each in its own write transaction (`antrian.enqueue`); the clock starts
  when the commit returned and stops when the peer has received it (both `time.perf_counter` in this process); the
  next message is queued once the previous one arrived. Reported: p50 and p95 in ms. The floor, in the same run, is
  the channel's own send of the same message straight to the peer (no queue, no database): the ratio is what the
  queue adds.
- drain: N messages queued in one transaction, then one wake-up; messages per second until the last one arrived,
  against the channel's own sends one after another (the same floor).
Numbers vary with the machine: compare the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apok_ui import db  # noqa: E402
from apok_ui.config import Gateway, Smtp  # noqa: E402
from apok_ui.notifikasi import pengirim  # noqa: E402
from apok_ui.notifikasi.pengirim import Pengirim  # noqa: E402
from apok_ui.notifikasi.saluran import Email, Kiriman, Saluran, WhatsApp  # noqa: E402
from bench.outbox import scratch_database  # noqa: E402
from models.kabar import Kanal  # noqa: E402
from tests.kabar_peers import GatewayPeer, SmtpPeer  # noqa: E402
from tests.test_notifikasi_kirim import queue  # noqa: E402

PG_DATABASE = 'apok_bench_notifikasi'


def channel_for(kanal: Kanal, peer: SmtpPeer | GatewayPeer) -> Saluran:
    if kanal is Kanal.EMAIL:
        return Email(
            Smtp(host='127.0.0.1', port=peer.port, user='', password='', sender='apok@batam.go.id', security='none')
        )
    body = '{"target": "{tujuan}", "message": "{isi}"}'
    return WhatsApp(Gateway(url=peer.url, header='Authorization', value='token', body=body, form=True))


def floor(kanal: Kanal, peer, count: int) -> tuple[list[float], float]:
    """Send `count` messages straight through the channel: per-message ms, and messages per second."""
    channel = channel_for(kanal, peer)
    start, before, times = time.perf_counter(), len(peer.received.items), []
    for i in range(count):
        kunci = f'floor-{kanal.value}-{i}'
        t0 = time.perf_counter()
        assert channel.send(
            Kiriman(
                i,
                kunci,
                kanal,
                'warga@contoh.id' if kanal is Kanal.EMAIL else '+6281234567890',
                'Subjek 0',
                f'[{kunci}] Permohonan Anda diterima.',  # as the tests' queue() writes it
            )
        ).ok
        peer.received.wait_for(before + i + 1)
        times.append((peer.received.at[before + i] - t0) * 1000)
    channel.close()
    return times, count / (time.perf_counter() - start)


async def through_queue(kanal: Kanal, peer, count: int) -> tuple[list[float], float]:
    """Latency of messages queued one at a time, and the drain rate of a batch queued at once."""
    sender = Pengirim(db.get, {kanal: channel_for(kanal, peer)})
    task = asyncio.create_task(pengirim._follower.follow(sender, pengirim.POLL_SECONDS))
    try:
        times = []
        for i in range(count):
            before = len(peer.received.items)
            await asyncio.to_thread(queue, 1, kanal, prefix=f'lat{i}-')
            t0 = time.perf_counter()
            pengirim.wake()
            await asyncio.to_thread(peer.received.wait_for, before + 1)
            times.append((peer.received.at[before] - t0) * 1000)
        before = len(peer.received.items)
        await asyncio.to_thread(queue, count, kanal, prefix='drain')
        start = time.perf_counter()
        pengirim.wake()
        await asyncio.to_thread(peer.received.wait_for, before + count, deadline=600)
        rate = count / (peer.received.at[before + count - 1] - start)
    finally:
        task.cancel()
        pengirim._follower.stop()
    return times, rate


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def run(engine: str, count: int) -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as folder, scratch_database(engine, folder, PG_DATABASE) as url:
        db.init(url).migrate()
        for kanal in (Kanal.EMAIL, Kanal.WHATSAPP):
            peer = SmtpPeer() if kanal is Kanal.EMAIL else GatewayPeer()
            with peer:
                base, base_rate = floor(kanal, peer, count)
                times, rate = asyncio.run(through_queue(kanal, peer, count))
            lines.append(
                f'| {engine} | {kanal.label} | {pct(times, 50):.1f} / {pct(times, 95):.1f} | '
                f'{pct(base, 50):.1f} / {pct(base, 95):.1f} | '
                f'{pct(times, 50) / pct(base, 50):.2f}x / {pct(times, 95) / pct(base, 95):.2f}x | '
                f'{rate:.0f} | {base_rate:.0f} | {rate / base_rate:.2f}x |'
            )
            print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--messages', type=int, default=1000)
    parser.add_argument('--engine', choices=('sqlite', 'postgresql', 'both'), default='both')
    args = parser.parse_args()
    print(f'{args.messages} messages per channel')
    print(
        '| database | channel | commit → received p50 / p95 ms | floor: direct send p50 / p95 ms | ratio | '
        'drain msg/s | floor msg/s | ratio |'
    )
    print('|---|---|---|---|---|---|---|---|')
    for engine in ('sqlite', 'postgresql') if args.engine == 'both' else (args.engine,):
        run(engine, args.messages)


if __name__ == '__main__':
    main()
