"""The floor of bench/live.py: the least a NiceGUI page can do to show a change pushed through PostgreSQL.

No APOK code: page '/' has one `ui.refreshable` label subscribed (inside the page, like APOK's Live) to a NiceGUI
`Event`; one psycopg LISTEN task on the channel 'bench_floor' emits the Event for every NOTIFY.

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

CHANNEL = 'bench_floor'
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


def main() -> None:
    import psycopg
    from nicegui import Event, app, ui

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--conninfo', required=True, help='libpq connection string of the PostgreSQL to LISTEN on')
    parser.add_argument('--reconnect-timeout', type=float, default=60.0, help="as APOK's default")
    parser.add_argument('--static', help='a folder to serve at /static (the probe of bench/live.py fetches a file)')
    args = parser.parse_args()

    changed: Event[str] = Event()

    async def listen() -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(args.conninfo, autocommit=True) as conn:
                    await conn.execute(f'LISTEN {CHANNEL}')
                    async for notify in conn.notifies():
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

        view()
        changed.subscribe(on_change)  # inside the page: unsubscribed when the tab goes away

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
