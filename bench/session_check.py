"""Benchmark the session check of open officer pages (issue 11): what it adds to a live refresh and to an event.

    .venv/bin/python bench/session_check.py                 # N = 200 open pages, 2 000 rounds
    .venv/bin/python bench/session_check.py --pages 500

How it measures: the real apok_ui.session_guard.Guard holds N open pages of N sessions (page stand-ins that carry
only the client id the guard looks up). One live refresh of a kecamatan asks `allows(client)` once per open page
(apok_ui/live.py, before its refresh), so a round of N checks is what one change adds to the fan-out; an event from
a page goes through the guarded `handle_event` (the check, the touch, then NiceGUI's own dispatch, here a no-op).
The baseline in the same run is a bare loop that calls a no-op per page, so the figure is the check's own cost.
Compare the round's figure with the live-update p95 of bench/live.py at the same N (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apok_ui import session_guard  # noqa: E402
from apok_ui.services.sesi import SesiRow  # noqa: E402
from models.sesi import Batas, Keadaan  # noqa: E402


class Page:
    """What the guard reads of a NiceGUI client: its id (hashable, as a Client is)."""

    def __init__(self, client_id: str) -> None:
        self.id = client_id


def _guard(pages: int) -> tuple[session_guard.Guard, list[Page]]:
    guard = session_guard.Guard(Batas(diam=120 * 60, usia=12 * 3600))
    now = time.time()
    clients = []
    for n in range(pages):
        keadaan = Keadaan(None, 1, 1, True, now, now)
        client = Page(f'client-{n}')
        guard.held[n] = session_guard.Held(SesiRow(n, n, keadaan), now, now, {client: None})
        guard.of_client[client.id] = n
        clients.append(client)
    return guard, clients


def _median_round(call, clients: list, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for client in clients:
            call(client)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--pages', type=int, default=200)
    parser.add_argument('--rounds', type=int, default=2000)
    args = parser.parse_args()
    guard, clients = _guard(args.pages)
    bare = _median_round(lambda client: None, clients, args.rounds)
    checked = _median_round(guard.allows, clients, args.rounds)
    handlers = {c.id: session_guard._guarded(guard, c, lambda msg: None) for c in clients}
    guarded = _median_round(lambda c: handlers[c.id]({}), clients, args.rounds)
    per_page = (checked - bare) / args.pages
    per_event = (guarded - bare) / args.pages
    print(f'open pages: {args.pages}, rounds: {args.rounds} (medians)')
    print(f'bare loop over the pages:            {bare * 1e3:8.3f} ms per round')
    round_ms = (checked - bare) * 1e3
    print(f'session check before a live refresh: {round_ms:8.3f} ms per round, {per_page * 1e6:.2f} µs a page')
    print(f'guarded event (check + touch):       {per_event * 1e6:8.2f} µs an event')


if __name__ == '__main__':
    main()
