"""The wake-up between APOK processes sharing one PostgreSQL: LISTEN on the outbox's channel.

Every transaction that records a change sends a NOTIFY, which PostgreSQL delivers when (and only when) it commits
(apok_ui/outbox.py). The payload only names the sending process: on each one of another process, the relay reads
the outbox from its own position, so a change is emitted once here however many notifications arrive, and nothing
is missed while the listening connection was down: when it is back, the relay catches up from where it was.
"""

from __future__ import annotations

import asyncio
import logging

import psycopg
from sqlalchemy import Engine

from apok_ui import events, outbox

APPLICATION_NAME = 'apok-listener'
RETRY_SECONDS = (0.2, 0.5, 1, 2, 5)

log = logging.getLogger(__name__)


class Listener:
    """Wake a relay whenever another process (or this one) committed facts."""

    def __init__(self, engine: Engine, relay: outbox.Relay) -> None:
        url = engine.url.set(drivername='postgresql')
        self.conninfo = url.render_as_string(hide_password=False)
        self.relay = relay
        self.connected = asyncio.Event()
        self.connections = 0  # how many times the listener (re)connected
        self._task: asyncio.Task | None = None

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
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self.conninfo, autocommit=True, application_name=APPLICATION_NAME
                ) as conn:
                    await conn.execute(f'LISTEN {outbox.CHANNEL}')
                    self.connected.set()
                    self.connections += 1
                    attempt = 0
                    self.relay.wake()  # whatever committed while we were away
                    async for notify in conn.notifies():
                        if notify.payload != outbox.ORIGIN or not self.relay.hears_local_commits:
                            self.relay.wake()  # (our own commits were handed to the relay at once)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a dropped connection or a restarting server: try again, calmly
                self.connected.clear()
                delay = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                attempt += 1
                log.warning('live-update listener lost PostgreSQL (%s); reconnecting in %.1f s', error, delay)
                await asyncio.sleep(delay)


_installed: Listener | None = None


def install(engine: Engine) -> Listener | None:
    """Wake this process's relay on other processes' commits when the database is PostgreSQL; return the listener."""
    from nicegui import app

    global _installed  # noqa: PLW0603  # one listener per process
    _installed = None
    if engine.dialect.name != 'postgresql':
        return None
    _installed = listener = Listener(engine, events.relay)
    app.on_startup(listener.start)
    app.on_shutdown(listener.stop)
    return listener


def listening() -> bool | None:
    """Return whether this process hears other processes' commits now, or None where there is nothing to hear
    (SQLite: one process)."""
    return None if _installed is None else _installed.connected.is_set()
