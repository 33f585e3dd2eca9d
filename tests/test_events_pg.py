"""Live events cross processes through PostgreSQL LISTEN/NOTIFY, and survive a dropped listener connection."""

import asyncio
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from apok_ui import berkas, db, events, services
from apok_ui.events_pg import APPLICATION_NAME, PostgresBridge
from models import Peran
from tests.conftest import PG_ADMIN, PG_DATABASE, _fresh_postgres, _make_people, submit

ROOT = Path(__file__).resolve().parent.parent
OTHER_PROCESS = """
import sys
from apok_ui import db, events, services
from apok_ui.events_pg import PostgresBridge
from models import Peran
database = db.init(sys.argv[1])
events.set_bridge(PostgresBridge(database.engine))
services.approve(actor=services.Actor(int(sys.argv[2]), 1), pengurusan_id=int(sys.argv[3]), version=int(sys.argv[4]))
"""


def approve_in_another_process(url: str, petugas_id: int, pengurusan_id: int, version: int) -> None:
    result = subprocess.run(
        [sys.executable, '-c', OTHER_PROCESS, url, str(petugas_id), str(pengurusan_id), str(version)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def kill_listener_connections() -> int:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        return len(
            conn.execute(
                'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s AND datname = %s',
                (APPLICATION_NAME, PG_DATABASE),
            ).fetchall()
        )


@pytest.fixture
def postgres_people(request):
    """The personas in the PostgreSQL database only."""
    url = request.getfixturevalue('postgres_url')
    _fresh_postgres(url)
    services.seed_reference()
    return url, _make_people(request.getfixturevalue('password_hash'))


async def test_an_approval_in_another_process_reaches_this_process_even_after_the_listener_was_killed(
    postgres_people, tmp_path
):
    url, people = postgres_people
    berkas.init(tmp_path / 'berkas', 5 * 1024 * 1024)
    first, second = submit(seq=1).pengurusan_id, submit(seq=2).pengurusan_id
    received: asyncio.Queue = asyncio.Queue()
    resyncs: list[bool] = []
    events.pengurusan_changed.subscribe(received.put_nowait)
    events.resync.subscribe(lambda: resyncs.append(True))
    bridge = PostgresBridge(db.get().engine)
    bridge.start()
    try:
        await asyncio.wait_for(bridge.connected.wait(), 10)
        admin = people.of(Peran.ADMIN).actor.petugas_id
        await asyncio.to_thread(approve_in_another_process, url, admin, first, 1)
        change = await asyncio.wait_for(received.get(), 10)
        assert (change.pengurusan_id, change.aksi, change.peran_menunggu) == (first, 'disetujui', 'kasi')

        assert kill_listener_connections() == 1
        await asyncio.wait_for(_reconnected(bridge), 15)
        await asyncio.to_thread(approve_in_another_process, url, admin, second, 1)
        change = await asyncio.wait_for(received.get(), 10)
        assert change.pengurusan_id == second
        assert resyncs  # pages were told to reload what they might have missed
    finally:
        events.pengurusan_changed.unsubscribe(received.put_nowait)
        events.resync.callbacks.clear()
        await bridge.stop()


async def _reconnected(bridge: PostgresBridge) -> None:
    while bridge.connections < 2:
        await asyncio.sleep(0.05)
