"""The floor of bench/live.py: the least a NiceGUI page can do to show a change pushed through PostgreSQL.

No APOK code: page '/' has one `ui.refreshable` label; one psycopg LISTEN task on the channel 'bench_floor' hears
every NOTIFY. A fair floor does what APOK does around the page (issue 19), so the ratio measures APOK's own work:
- `--fanout batch` (default): one fan-out task per process takes every NOTIFY that arrived meanwhile as one batch and
  refreshes the pages once per batch, 20 at a time with a yield in between, as APOK's `live.Hub`;
  `--fanout per-event` refreshes every page for every NOTIFY through a NiceGUI `Event` (the floor before issue 19).
- `--gc apok` (default): `gc.freeze()` and `gc.set_threshold(50_000, 20, 10)` before `ui.run`, as APOK's main.py;
  `--gc default` keeps Python's thresholds (the floor before issue 19, whose p95 was mostly its own collections).

    .venv/bin/python bench/floor_app.py --port 8123 --conninfo 'host=127.0.0.1 user=postgres dbname=postgres' \
        --static assets/static

`install_lag_monitor()` is shared with bench/live.py, which also runs it inside the APOK server (without touching
APOK's code): a task sleeps 10 ms in a loop and records how late it wakes up — the event loop's lag — served as
JSON from /__bench/lag?since=<time.monotonic()>; and the cyclic garbage collector's pauses are recorded (gc.callbacks)
and served from /__bench/gc?since=… as [start, seconds, generation]; /__bench/heap counts the objects the
collector tracks.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import time
from collections import deque
from collections.abc import Callable

CHANNEL = 'bench_floor'
CHUNK = 20  # pages per round of a fan-out, as apok_ui.live.CHUNK
LAG_INTERVAL = 0.010
LAG_PATH = '/__bench/lag'
GC_PATH = '/__bench/gc'
HEAP_PATH = '/__bench/heap'

log = logging.getLogger(__name__)


def install_lag_monitor() -> None:
    """Measure the event loop's lag and the garbage collector's pauses inside the server; serve them (LAG_PATH,
    GC_PATH) with the object, client, element and kept-message counts (HEAP_PATH, `?collect=true` collects first)."""
    from nicegui import app

    samples: deque[tuple[float, float]] = deque(maxlen=100_000)  # (time.monotonic() of the sleep, lag in seconds)
    pauses: deque[tuple[float, float, int]] = deque(maxlen=100_000)  # (start, seconds, generation) of each collection
    tasks: list[asyncio.Task] = []
    started = [0.0]

    def on_gc(phase: str, info: dict) -> None:
        if phase == 'start':
            started[0] = time.monotonic()
        else:
            pauses.append((started[0], time.monotonic() - started[0], info['generation']))

    gc.callbacks.append(on_gc)

    async def monitor() -> None:
        while True:
            start = time.monotonic()
            await asyncio.sleep(LAG_INTERVAL)
            samples.append((start, time.monotonic() - start - LAG_INTERVAL))

    def start() -> None:
        tasks.append(asyncio.get_running_loop().create_task(monitor(), name='bench-lag-monitor'))

    async def lag(since: float = 0.0) -> list[tuple[float, float]]:
        return [sample for sample in list(samples) if sample[0] >= since]

    async def collections(since: float = 0.0) -> list[tuple[float, float, int]]:
        return [pause for pause in list(pauses) if pause[0] >= since]

    async def objects(collect: bool = False) -> dict:
        from nicegui import Client

        if collect:
            gc.collect()
        clients = list(Client.instances.values())
        return {
            'objects': len(gc.get_objects()),
            'clients': len(clients),
            'elements': sum(len(c.elements) for c in clients),
            'history': sum(len(c.outbox.message_history) for c in clients),  # messages kept for reconnects
        }

    app.on_startup(start)
    app.get(LAG_PATH, include_in_schema=False)(lag)
    app.get(GC_PATH, include_in_schema=False)(collections)
    app.get(HEAP_PATH, include_in_schema=False)(objects)


class _Hub:
    """One fan-out per process: what arrives while pages are refreshed waits for the next round, as APOK's Hub."""

    def __init__(self) -> None:
        self.pages: dict[Callable[[list[str]], None], None] = {}
        self.pending: list[str] = []
        self.task: asyncio.Task | None = None

    def join(self, refresh: Callable[[list[str]], None]) -> None:
        self.pages[refresh] = None

    def leave(self, refresh: Callable[[list[str]], None]) -> None:
        self.pages.pop(refresh, None)

    def on_change(self, payload: str) -> None:
        self.pending.append(payload)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._fan_out(), name='floor fan-out')

    async def _fan_out(self) -> None:
        while self.pending:
            batch, self.pending = self.pending, []
            pages = list(self.pages)
            for start in range(0, len(pages), CHUNK):
                for refresh in pages[start : start + CHUNK]:
                    refresh(batch)
                await asyncio.sleep(0)  # between chunks the loop serves others


def main() -> None:
    import psycopg
    from nicegui import Event, app, ui

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--conninfo', required=True, help='libpq connection string of the PostgreSQL to LISTEN on')
    parser.add_argument('--reconnect-timeout', type=float, default=60.0, help="as APOK's default")
    parser.add_argument('--static', help='a folder to serve at /static (the probe of bench/live.py fetches a file)')
    parser.add_argument('--fanout', choices=['batch', 'per-event'], default='batch', help='see the docstring')
    parser.add_argument('--gc', choices=['apok', 'default'], default='apok', help='see the docstring')
    args = parser.parse_args()

    changed: Event[str] = Event()
    hub = _Hub()

    async def listen() -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(args.conninfo, autocommit=True) as conn:
                    await conn.execute(f'LISTEN {CHANNEL}')
                    async for notify in conn.notifies():
                        if args.fanout == 'batch':
                            hub.on_change(notify.payload)
                        else:
                            changed.emit(notify.payload)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # keep the floor listening, as APOK's bridge does
                log.warning('floor listener lost PostgreSQL (%s); reconnecting', error)
                await asyncio.sleep(0.5)

    tasks: list[asyncio.Task] = []
    app.on_startup(lambda: tasks.append(asyncio.get_running_loop().create_task(listen(), name='floor-listener')))
    install_lag_monitor()
    if args.static:
        app.add_static_files('/static', args.static)

    @ui.page('/')
    def index() -> None:
        state = {'count': 0, 'last': ''}

        @ui.refreshable
        def view() -> None:
            ui.label(f'{state["count"]} perubahan, terakhir: {state["last"]}')

        def on_change(payload: str) -> None:
            state['count'] += 1
            state['last'] = payload
            view.refresh()

        def on_batch(payloads: list[str]) -> None:
            state['count'] += len(payloads)
            state['last'] = payloads[-1]
            view.refresh()

        view()
        if args.fanout == 'batch':
            hub.join(on_batch)
            ui.context.client.on_delete(lambda: hub.leave(on_batch))
        else:
            changed.subscribe(on_change)  # inside the page: unsubscribed when the tab goes away

    if args.gc == 'apok':  # as APOK's main.py, just before ui.run
        gc.freeze()
        gc.set_threshold(50_000, 20, 10)
    ui.run(
        host='127.0.0.1',
        port=args.port,
        title='floor',
        reconnect_timeout=args.reconnect_timeout,
        show=False,
        reload=False,
        show_welcome_message=False,
    )


if __name__ == '__main__':
    main()
