"""Committed changes are durable facts: whatever runs after the commit reads them by position, so a change reaches
every process once, in order, even when its writer died right after the commit or a listener was away."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlmodel import func, select

from apok_ui import berkas, db, events, outbox, services
from apok_ui.events_pg import Listener
from apok_ui.outbox import Fact, Relay
from apok_ui.services import Stale, administrasi
from models import Peran
from models.tables import Outbox
from tests.conftest import _fresh_postgres, _make_people, submit

ROOT = Path(__file__).resolve().parent.parent
NEVER = 3600.0  # a poll that never comes within a test: only wake-ups can deliver
OTHER_PROCESS = """
import os, signal, sys
from apok_ui import db, outbox, services
db.init(sys.argv[1])
if sys.argv[2] == 'die-after-commit':  # killed -9 right after the commit, before anything of this process runs
    outbox.committed = lambda facts: os.kill(os.getpid(), signal.SIGKILL)
actor = services.Actor(int(sys.argv[3]), 1)
for pengurusan_id in sys.argv[4:]:
    services.approve(actor=actor, pengurusan_id=int(pengurusan_id), version=1)
"""


def approve_in_another_process(url: str, admin_id: int, *pengurusan_ids: int, die_after_commit: bool = False) -> int:
    """Approve as the Admin in a separate Python process; return its exit code."""
    mode = 'die-after-commit' if die_after_commit else 'normal'
    result = subprocess.run(
        [sys.executable, '-c', OTHER_PROCESS, url, mode, str(admin_id), *map(str, pengurusan_ids)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, -signal.SIGKILL), result.stderr
    return result.returncode


class Heard:
    """What one process's relay delivered, awaitable from the test's event loop."""

    def __init__(self) -> None:
        self.facts: list[Fact] = []
        self.reloads = 0
        self.loop = asyncio.get_running_loop()
        self.changed = asyncio.Condition()

    def deliver(self, fact: Fact) -> None:  # called from the relay's worker thread
        self.loop.call_soon_threadsafe(self._add, fact)

    def reload(self) -> None:
        self.reloads += 1

    def _add(self, fact: Fact) -> None:
        self.facts.append(fact)
        asyncio.ensure_future(self._notify())

    async def _notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def until(self, count: int) -> list[Fact]:
        """Wait until `count` facts were delivered (a 60 s net against a hang, not an expected duration)."""

        async def wait() -> None:
            async with self.changed:
                await self.changed.wait_for(lambda: len(self.facts) >= count)

        await asyncio.wait_for(wait(), 60)
        return self.facts

    def pengurusan(self) -> list[tuple[int, str]]:
        return [(f.payload['pengurusan_id'], f.payload['aksi']) for f in self.facts if f.kind == outbox.PENGURUSAN]


class Process:
    """A stand-in for one more APOK process in this test: its own engine, relay and (on PostgreSQL) listener."""

    def __init__(self, url: str, poll_seconds: float = NEVER) -> None:
        self.database = db.Database(url)
        self.heard = Heard()
        self.relay = Relay(lambda: self.database, deliver=self.heard.deliver, reload=self.heard.reload)
        self.listener = Listener(self.database.engine, self.relay) if not self.database.is_sqlite else None
        self.poll_seconds = poll_seconds
        self.task: asyncio.Task | None = None

    async def start(self) -> None:
        await asyncio.to_thread(self.relay.start, local=False)  # the test's own commits are not this process's
        self.task = asyncio.create_task(self.relay.follow(self.poll_seconds))
        if self.listener:
            self.listener.start()
            await asyncio.wait_for(self.listener.connected.wait(), 30)

    async def stop(self) -> None:
        if self.listener:
            await self.listener.stop()
        if self.task:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
        self.database.dispose()


@pytest.fixture
def postgres_people(request, tmp_path):
    """The personas in the PostgreSQL database only."""
    url = _fresh_postgres(request.getfixturevalue('postgres_url'))
    services.seed_reference()
    berkas.init(tmp_path / 'berkas', 5 * 1024 * 1024)
    return url, _make_people(request.getfixturevalue('password_hash'))


@pytest.fixture
async def other_process(postgres_people) -> AsyncIterator[Process]:
    process = Process(postgres_people[0])
    await process.start()
    yield process
    await process.stop()


def admin_id(people) -> int:
    return people.of(Peran.ADMIN).actor.petugas_id


async def test_a_process_killed_right_after_its_commit_still_reaches_the_others(postgres_people, other_process):
    url, people = postgres_people
    pid = submit(seq=1).pengurusan_id
    await other_process.heard.until(1)  # the submission
    code = await asyncio.to_thread(approve_in_another_process, url, admin_id(people), pid, die_after_commit=True)
    assert code == -signal.SIGKILL  # it never ran a line after its commit
    await other_process.heard.until(2)
    assert other_process.heard.pengurusan() == [(pid, 'diajukan'), (pid, 'disetujui')]


async def test_changes_made_while_the_listener_was_away_arrive_in_order_without_a_reload(
    postgres_people, other_process
):
    url, people = postgres_people
    first, second = submit(seq=1).pengurusan_id, submit(seq=2).pengurusan_id
    await other_process.heard.until(2)
    await other_process.listener.stop()  # the connection is gone; nothing polls (NEVER)
    await asyncio.to_thread(approve_in_another_process, url, admin_id(people), first, second)
    other_process.listener.start()  # back: the relay reads on from where it was
    facts = await other_process.heard.until(4)
    assert other_process.heard.pengurusan()[2:] == [(first, 'disetujui'), (second, 'disetujui')]
    assert [f.position for f in facts] == sorted({f.position for f in facts})
    assert other_process.heard.reloads == 0


async def test_two_processes_each_hear_every_change_once_however_often_they_are_woken(postgres_people):
    url, people = postgres_people
    a, b = Process(url), Process(url)
    await a.start()
    await b.start()
    try:
        ids = [submit(seq=n).pengurusan_id for n in range(1, 6)]
        for _ in range(5):  # extra wake-ups, as from a burst of NOTIFYs, must not deliver anything twice
            a.relay.wake()
            b.relay.wake()
        await asyncio.to_thread(approve_in_another_process, url, admin_id(people), *ids)
        marker = submit(seq=9).pengurusan_id  # delivered in order: once it arrives, everything before it did
        expected = [(i, 'diajukan') for i in ids] + [(i, 'disetujui') for i in ids] + [(marker, 'diajukan')]
        for process in (a, b):
            await process.heard.until(len(expected))
            assert process.heard.pengurusan() == expected
    finally:
        await a.stop()
        await b.stop()


async def test_an_officers_ended_sessions_travel_the_same_way(postgres_people, other_process):
    _, people = postgres_people
    kasi = people.of(Peran.KASI).actor.petugas_id
    await asyncio.to_thread(administrasi.deactivate_petugas, actor=people.of(Peran.SUPERADMIN).actor, petugas_id=kasi)
    [fact] = await other_process.heard.until(1)
    assert (fact.kind, fact.payload) == (outbox.PETUGAS, {'petugas_id': kasi})


async def test_two_processes_on_one_sqlite_file_hear_each_other_by_the_poll(people, database_url):
    if not database_url.startswith('sqlite'):
        pytest.skip('PostgreSQL wakes the others with NOTIFY (the tests above)')
    process = Process(database_url, poll_seconds=0.05)
    await process.start()
    try:
        pid = submit(seq=1).pengurusan_id
        await asyncio.to_thread(approve_in_another_process, database_url, admin_id(people), pid)
        await process.heard.until(2)
        assert process.heard.pengurusan() == [(pid, 'diajukan'), (pid, 'disetujui')]
    finally:
        await process.stop()


def test_a_refused_action_leaves_no_fact_and_a_committed_one_exactly_one(people):
    pid = submit().pengurusan_id
    before = count_facts()
    services.approve(actor=people.of(Peran.ADMIN).actor, pengurusan_id=pid, version=1)
    assert count_facts() == before + 1
    with pytest.raises(Stale):
        services.approve(actor=people.of(Peran.KASI).actor, pengurusan_id=pid, version=1)
    assert count_facts() == before + 1


def test_this_process_hears_its_own_change_once_and_in_commit_order(people):
    heard: list[events.Perubahan] = []
    events.pengurusan_changed.subscribe(heard.append)
    try:
        pid = submit().pengurusan_id
        services.approve(actor=people.of(Peran.ADMIN).actor, pengurusan_id=pid, version=1)
        events.relay.catch_up()  # an extra wake-up delivers nothing twice
    finally:
        events.pengurusan_changed.unsubscribe(heard.append)
    assert [(c.pengurusan_id, c.aksi, c.version) for c in heard] == [(pid, 'diajukan', 1), (pid, 'disetujui', 2)]


def test_a_relay_that_fell_far_behind_reloads_every_page_instead_of_replaying(people, monkeypatch):
    monkeypatch.setattr(outbox, 'MAX_BEHIND', 2)
    delivered: list[Fact] = []
    reloads: list[bool] = []
    relay = Relay(db.get, deliver=delivered.append, reload=lambda: reloads.append(True))
    relay.position = 0  # never registered: it hears nothing of the commits until asked
    for n in range(1, 5):
        submit(seq=n)
    relay.catch_up()
    assert (delivered, reloads) == ([], [True])
    pid = submit(seq=5).pengurusan_id
    relay.catch_up()
    assert [f.payload['pengurusan_id'] for f in delivered] == [pid]  # and from there on it follows again


def test_a_consumer_shared_by_processes_handles_each_fact_once(people, database_url):
    handled: list[int] = []
    lock = threading.Lock()

    def handle(session, facts: list[Fact]) -> None:
        with lock:
            handled.extend(f.position for f in facts)

    first = db.Database(database_url)
    second = db.Database(database_url)
    outbox.consume(first, 'uji', handle)  # a new consumer starts at the end, not at the history
    positions = []
    for n in range(1, 9):
        submit(seq=n)
        positions.append(last_position())

    def drain(database: db.Database) -> None:
        while outbox.consume(database, 'uji', handle, limit=3):
            pass

    threads = [threading.Thread(target=drain, args=(d,)) for d in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first.dispose()
    second.dispose()
    assert sorted(handled) == positions and len(handled) == len(set(handled))


def test_a_consumer_whose_work_fails_gets_the_same_facts_again(people):
    handled: list[int] = []
    outbox.consume(db.get(), 'uji', lambda session, facts: None)
    submit(seq=1)

    def fail(session, facts):
        raise RuntimeError('the mail server is down')

    with pytest.raises(RuntimeError):
        outbox.consume(db.get(), 'uji', fail)
    assert outbox.consume(db.get(), 'uji', lambda session, facts: handled.extend(f.position for f in facts)) == 1
    assert handled == [last_position()]


def test_pruning_keeps_the_newest_fact_and_what_a_consumer_has_not_handled(people, monkeypatch):
    from datetime import timedelta

    outbox.consume(db.get(), 'uji', lambda session, facts: None)
    for n in range(1, 4):
        submit(seq=n)
    monkeypatch.setattr(outbox, 'KEEP', timedelta(0))
    newest = last_position()
    assert outbox.prune(db.get()) == 0  # the consumer has handled none of them
    outbox.consume(db.get(), 'uji', lambda session, facts: None)
    stored = count_facts()
    assert outbox.prune(db.get()) == stored - 1
    assert last_position() == newest and count_facts() == 1


def count_facts() -> int:
    with db.get().read() as session:
        return session.exec(select(func.count()).select_from(Outbox)).one()


def last_position() -> int:
    with db.get().read() as session:
        return outbox.last_position(session)
