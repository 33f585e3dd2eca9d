"""The bridge that carries live events between APOK processes sharing one PostgreSQL: LISTEN/NOTIFY.

Each process sends what its services published with pg_notify and listens on one dedicated connection; events
from other processes are emitted on the local bus as if they happened here. When the listening connection drops,
the bridge reconnects by itself and tells every page to reload its view (it may have missed events meanwhile).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import uuid

import psycopg
from sqlalchemy import Engine, text

from apok_ui import events
from apok_ui.events import Perubahan

CHANNEL = 'apok_events'
APPLICATION_NAME = 'apok-listener'
ORIGIN = f'{os.getpid()}-{uuid.uuid4().hex[:8]}'
RETRY_SECONDS = (0.2, 0.5, 1, 2, 5)

log = logging.getLogger(__name__)


class PostgresBridge:
    """Send this process's events to the others and emit theirs here."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        url = engine.url.set(drivername='postgresql')
        self.conninfo = url.render_as_string(hide_password=False)
        self.connected = asyncio.Event()
        self.connections = 0  # how many times the listener (re)connected
        self._task: asyncio.Task | None = None

    def send(self, kind: str, payload: dict) -> None:
        """Notify the other processes (called after the change committed; safe from worker threads)."""
        message = json.dumps({'origin': ORIGIN, 'kind': kind, 'data': payload})
        with self.engine.connect() as conn:
            conn.execute(text('SELECT pg_notify(:channel, :message)'), {'channel': CHANNEL, 'message': message})
            conn.commit()

    def start(self) -> None:
        """Start listening in the background (call from the running event loop)."""
        self._task = asyncio.get_running_loop().create_task(self._listen_forever(), name='apok-pg-listener')

    async def stop(self) -> None:
        """Stop listening."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _listen_forever(self) -> None:
        attempt = 0
        first = True
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self.conninfo, autocommit=True, application_name=APPLICATION_NAME
                ) as conn:
                    await conn.execute(f'LISTEN {CHANNEL}')
                    self.connected.set()
                    self.connections += 1
                    if not first:
                        events.publish_resync()  # events sent while we were away are lost: refresh everything
                    first, attempt = False, 0
                    async for notify in conn.notifies():
                        self._deliver(notify.payload)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a dropped connection or a restarting server: try again, calmly
                self.connected.clear()
                delay = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                attempt += 1
                log.warning('live-event listener lost PostgreSQL (%s); reconnecting in %.1f s', error, delay)
                await asyncio.sleep(delay)

    @staticmethod
    def _deliver(payload: str) -> None:
        try:
            message = json.loads(payload)
        except ValueError:
            return
        if message.get('origin') == ORIGIN:
            return  # our own event was already delivered locally
        kind, data = message.get('kind'), message.get('data')
        if kind == 'pengurusan':
            events.emit_local(events.pengurusan_changed, Perubahan(**data))
        elif kind == 'petugas':
            events.emit_local(events.petugas_changed, int(data))


def install(engine: Engine) -> PostgresBridge | None:
    """Bridge this process's live events through PostgreSQL when the database is one; return the bridge."""
    from nicegui import app

    if engine.dialect.name != 'postgresql':
        events.set_bridge(None)
        return None
    bridge = PostgresBridge(engine)
    events.set_bridge(bridge)
    app.on_startup(bridge.start)
    app.on_shutdown(bridge.stop)
    return bridge
