"""Benchmark what notifications cost an officer's decision (issue 13): the same approvals and rejections with the
notifier working beside them and with it off, in one run.

    .venv/bin/python bench/kabar.py                    # 200 decisions per side and kind, SQLite and PostgreSQL
    .venv/bin/python bench/kabar.py --decisions 500 --engine sqlite

How it measures: a fresh database with the demo officers and applications waiting for the Admin of Batam Kota, every
citizen opted into email. The Admin approves half of them (no message: the step stays inside the office) and
rejects the other half (each rejection tells its citizen: a queued message, sent over SMTP). "On": this process
runs the notifier as APOK does, in a worker thread: it turns every committed change into messages
(`kabar.catch_up`) and the sender delivers them to a real SMTP server on loopback (aiosmtpd, tests/kabar_peers.py)
while the Admin keeps deciding. "Off": the same decisions with the notifier stopped (APOK as before issue 13). The
sides alternate in blocks of 100, the off side starting once the on side's last round ended. Reported per kind:
p50/p95 of `services.approve` / `services.reject` in ms, and the ratio on/off (the target: p95 ≤ 1.10). Numbers
vary with the machine: compare the ratios.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apok_ui import db, events, services  # noqa: E402
from apok_ui.config import Smtp  # noqa: E402
from apok_ui.notifikasi import kabar, tugas  # noqa: E402
from apok_ui.notifikasi.pengirim import Pengirim  # noqa: E402
from apok_ui.notifikasi.saluran import Email  # noqa: E402
from bench.outbox import p, prepare, scratch_database  # noqa: E402
from models.kabar import Kanal  # noqa: E402
from tests.kabar_peers import SmtpPeer  # noqa: E402

PG_DATABASE = 'apok_bench_kabar'
BLOCK = 100  # decisions per block: long enough for the notifier's coalesced rounds to fall inside their side


class Notifier:
    """APOK's notifier in a worker thread: changes → messages → SMTP, woken by every committed change."""

    def __init__(self, smtp_port: int) -> None:
        channel = Email(
            Smtp(
                host='127.0.0.1',
                port=smtp_port,
                user='',
                password='',
                sender='APOK <apok@batam.go.id>',
                security='none',
            )
        )
        self.pengirim = Pengirim(db.get, {Kanal.EMAIL: channel})
        self.on = threading.Event()
        self.wake = threading.Event()
        self.stopping = False
        self.idle = threading.Event()
        self.idle.set()
        self.thread = threading.Thread(target=self._run, daemon=True)
        events.pengurusan_changed.subscribe(lambda _change: self.wake.set())

    def _run(self) -> None:
        while not self.stopping:
            if self.wake.wait(tugas.POLL_SECONDS):
                time.sleep(tugas.COALESCE_SECONDS)  # as the app's notifier does: one round per burst
            self.wake.clear()
            if self.on.is_set():
                self.idle.clear()
                while kabar.catch_up():
                    pass
                self.pengirim.drain()
                self.idle.set()


def measure(actor: services.Actor, ids: list[int], smtp: SmtpPeer) -> dict[str, list[float]]:
    """Decide every application, alternating blocks with the notifier on and off; return the times per side."""
    kabar.catch_up()  # the notifier's position, before the first decision
    events.relay.start()
    notifier = Notifier(smtp.port)
    notifier.thread.start()
    times: dict[str, list[float]] = {f'{kind} {side}': [] for kind in ('approve', 'reject') for side in ('on', 'off')}
    try:
        for start in range(0, len(ids), BLOCK):
            side = 'on' if (start // BLOCK) % 2 == 0 else 'off'
            if side == 'on':
                notifier.on.set()
            else:  # the rounds the last block caused end before the off side starts
                notifier.on.clear()
                notifier.idle.wait()
            for n, pengurusan_id in enumerate(ids[start : start + BLOCK]):
                kind = 'approve' if n % 2 == 0 else 'reject'
                t0 = time.perf_counter()
                if kind == 'approve':
                    services.approve(actor=actor, pengurusan_id=pengurusan_id, version=1)
                else:
                    services.reject(actor=actor, pengurusan_id=pengurusan_id, version=1, keterangan='KTP buram.')
                times[f'{kind} {side}'].append((time.perf_counter() - t0) * 1000)
        notifier.on.set()
        notifier.wake.set()
        expected = len(times['reject on']) + len(times['reject off'])  # each rejection tells its citizen
        smtp.received.wait_for(expected)
    finally:
        notifier.stopping = True
        notifier.wake.set()
        notifier.thread.join()
        events.relay.stop()
    return times


def run(engine: str, decisions: int) -> list[str]:
    with (
        tempfile.TemporaryDirectory() as folder,
        SmtpPeer() as smtp,
        scratch_database(engine, folder, PG_DATABASE) as url,
    ):
        actor, ids = prepare(url, 4 * decisions, Path(folder), kabar_kanal='email')
        times = measure(actor, ids, smtp)
    lines = []
    for kind in ('approve', 'reject'):
        on, off = times[f'{kind} on'], times[f'{kind} off']
        lines.append(
            f'| {engine} | {kind} | {len(on)} | {p(on, 50):.2f} / {p(on, 95):.2f} '
            f'| {p(off, 50):.2f} / {p(off, 95):.2f} | {p(on, 50) / p(off, 50):.2f}× / {p(on, 95) / p(off, 95):.2f}× |'
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--decisions', type=int, default=200, help='decisions per side and kind (default 200)')
    parser.add_argument('--engine', choices=('sqlite', 'postgresql', 'both'), default='both')
    args = parser.parse_args()
    engines = ('sqlite', 'postgresql') if args.engine == 'both' else (args.engine,)
    print('| engine | decision | per side | notifier on p50 / p95 ms | off p50 / p95 ms | ratio p50 / p95 |')
    print('|---|---|---:|---:|---:|---:|')
    for engine in engines:
        for line in run(engine, args.decisions):
            print(line, flush=True)


if __name__ == '__main__':
    main()
