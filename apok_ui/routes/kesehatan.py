"""GET /healthz: can this process serve? For nginx, systemd and monitoring (issue 17).

Each check answers in a word, never with a host, a port or an exception's text: the database answers a query
within HEALTH_TIMEOUT seconds, the cross-process listener is connected (PostgreSQL only), the print pool exists
and no worker of it died. 200 when every check passes, else 503; never cached.
"""

from __future__ import annotations

import asyncio
import logging

from nicegui import run
from sqlalchemy import text
from starlette.responses import JSONResponse

from apok_ui import db, events_pg

HEALTH_TIMEOUT = 3.0
OK, TIDAK_DIPAKAI = 'ok', 'tidak dipakai'
log = logging.getLogger(__name__)


async def healthz() -> JSONResponse:
    """Answer the checks as JSON: {"status": "ok" | "gagal", "database": …, "pendengar": …, "cetak": …}."""
    checks = {'database': await _database(), 'pendengar': _listener(), 'cetak': _print_pool()}
    healthy = all(state in (OK, TIDAK_DIPAKAI) for state in checks.values())
    return JSONResponse(
        {'status': 'ok' if healthy else 'gagal', **checks},
        status_code=200 if healthy else 503,
        headers={'Cache-Control': 'no-store'},
    )


def _ping() -> None:
    with db.get().engine.connect() as connection:
        connection.execute(text('SELECT 1')).scalar_one()


async def _database() -> str:
    try:
        await asyncio.wait_for(run.io_bound(_ping), HEALTH_TIMEOUT)
    except TimeoutError:
        return 'tidak menjawab'
    except Exception as error:  # refused, dropped, authentication: the log says which, the answer only that
        log.warning('health check: the database is unreachable (%s)', type(error).__name__)
        return 'tidak terhubung'
    return OK


def _listener() -> str:
    state = events_pg.listening()
    return TIDAK_DIPAKAI if state is None else OK if state else 'tidak terhubung'


def _print_pool() -> str:
    pool = run.process_pool
    if pool is None:
        return 'tidak ada'
    return 'rusak' if getattr(pool, '_broken', False) else OK  # NiceGUI starts a new pool at the next letter
