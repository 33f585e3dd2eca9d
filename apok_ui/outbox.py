"""Committed changes as durable facts: what runs after a commit reads them by position, so nothing is lost.

A service records each fact with `record(session, kind, payload)` inside its write transaction. `Database.write`
writes the recorded facts as the transaction's last statements (`write_pending`): on PostgreSQL under one
transaction-level advisory lock, so that ids follow commit order (a reader that has seen id 7 has seen every id
below it that will ever commit), and with a NOTIFY that PostgreSQL delivers at the commit itself. A process killed
right after its commit therefore still wakes the others, and its own pages reload when it restarts.

Two kinds of readers take the rows after the commit:

- `Relay`, one per process, hands every row once and in order to this process's bus (apok_ui/events.py). It keeps
  its position in memory, starting at the end of the outbox when the process starts (pages built from then on read
  the database anyway). It is woken by this process's commits, by NOTIFY from the others, and by a slow poll that
  covers a lost wake-up; a relay that fell far behind tells the pages to reload instead of replaying everything.
- `consume(name, handle)`, for work that must happen once for all processes (the notifier): the consumer's
  position is a row of `OutboxPosition`, moved in the same transaction as the consumer's own writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from models.tables import Outbox, OutboxPosition
from models.waktu import now

if TYPE_CHECKING:
    from apok_ui.db import Database

PENGURUSAN = 'pengurusan'
"""A Pengurusan changed (payload: apok_ui.events.Perubahan as a dict)."""
PETUGAS = 'petugas'
"""An officer's sessions ended (payload: {'petugas_id': …}): their open pages must close."""

CHANNEL = 'apok_outbox'
LOCK_KEY = 0x41504F4B  # 'APOK': the one advisory lock that orders outbox writes on PostgreSQL
BATCH = 500
MAX_BEHIND = 5_000  # a relay further behind than this reloads every page instead of replaying the changes
KEEP = timedelta(days=7)  # rows older than this are pruned, once every durable consumer has passed them
_PENDING = 'apok_outbox_pending'
ORIGIN = f'{os.getpid()}-{uuid.uuid4().hex[:8]}'  # this process, as its NOTIFYs name it

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fact:
    """One committed outbox row as its readers see it."""

    position: int
    kind: str
    payload: dict[str, Any]


def record(session: Session, kind: str, payload: dict[str, Any]) -> None:
    """Add a fact to this write transaction; it is written last and exists exactly when the transaction commits."""
    session.info.setdefault(_PENDING, []).append((kind, payload))


def write_pending(session: Session, *, postgres: bool) -> list[Fact]:
    """Write the facts recorded in this transaction, as its last statements; return them as written."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return []
    if postgres:
        # The lock is held until commit: writers of facts commit one after another, in the order of their ids. The
        # NOTIFY goes out at the commit; it names this process, whose own relay needs no wake-up (see committed).
        session.execute(
            text('SELECT pg_advisory_xact_lock(:key), pg_notify(:channel, :origin)'),
            {'key': LOCK_KEY, 'channel': CHANNEL, 'origin': ORIGIN},
        )
    at = now()
    table = Outbox.__table__  # Core, not the ORM's bulk insert: a third of the cost, for a row nothing else reads here
    ids = (
        session.connection()
        .execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            [{'kind': k, 'payload': p, 'created_at': at} for k, p in pending],
        )
        .scalars()
    )
    return [Fact(int(id_), kind, payload) for id_, (kind, payload) in zip(ids, pending, strict=True)]


def last_position(session: Session) -> int:
    """Return the position of the newest fact (0 when there is none)."""
    return int(session.execute(select(func.coalesce(func.max(Outbox.id), 0))).scalar_one())


def read_after(session: Session, position: int, limit: int = BATCH) -> list[Fact]:
    """Return the facts after a position, oldest first."""
    rows = session.execute(
        select(Outbox.id, Outbox.kind, Outbox.payload).where(Outbox.id > position).order_by(Outbox.id).limit(limit)
    )
    return [Fact(int(id_), kind, payload) for id_, kind, payload in rows]


# --- the process's relay -----------------------------------------------------------------------------------------

_relays: list[Relay] = []


def committed(facts: list[Fact]) -> None:
    """Hand this process's relays the facts a transaction of this process just committed (Database.write)."""
    for relay in list(_relays):
        relay.catch_up(facts)


class Relay:
    """Hands every committed fact, once and in order, to `deliver`; `reload` when it fell too far behind."""

    def __init__(self, database: Callable[[], Database], deliver: Callable[[Fact], None], reload: Callable[[], None]):
        self.database = database
        self.deliver = deliver
        self.reload = reload
        self.position: int | None = None  # None: not started, nothing is delivered
        self.delivered = 0
        self._lock = threading.Lock()
        self._busy = False
        self._owed = False
        self._wakeup: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self, *, local: bool = True) -> None:
        """Deliver, from now on, every fact committed after this moment; `local`: catch up at once after each of
        this process's own commits (otherwise only when woken)."""
        with self.database().read() as session:
            self.position = last_position(session)
        if local and self not in _relays:
            _relays.append(self)

    @property
    def hears_local_commits(self) -> bool:
        """Whether this process's own commits are handed to this relay at once (see start)."""
        return self in _relays

    def stop(self) -> None:
        """Deliver nothing more."""
        if self in _relays:
            _relays.remove(self)
        self.position = None

    def catch_up(self, committed: list[Fact] | None = None) -> None:
        """Deliver what committed since the last delivery (any thread; it may read, so not on the event loop).

        `committed` are facts this process just committed: when they follow the last delivered one directly, they
        are delivered as they are, without reading them back. If another thread is already delivering, it takes
        this round too: deliveries never overlap or reorder.
        """
        with self._lock:
            self._owed = True
            if self._busy:
                return
            self._busy = True
        try:
            while self._take_owed():
                if committed and committed[0].position == self.position + 1:
                    self._hand(committed)  # ids follow commit order: nothing can sit between
                else:
                    self._deliver_new()
                committed = None
        except Exception:  # the facts stay in the outbox: the next wake-up or poll delivers them
            log.exception('could not read the outbox; the next wake-up retries')
        finally:
            with self._lock:
                self._busy = False

    def wake(self) -> None:
        """Ask the following task (see follow) to catch up soon; safe from any thread."""
        if self._loop is None or self._wakeup is None:
            return
        self._loop.call_soon_threadsafe(self._wakeup.set)

    async def follow(self, poll_seconds: float) -> None:
        """Catch up whenever woken (NOTIFY from other processes) and at least every `poll_seconds`."""
        self._loop, self._wakeup = asyncio.get_running_loop(), asyncio.Event()
        while True:
            with contextlib.suppress(TimeoutError):  # the poll: a wake-up may have been lost
                await asyncio.wait_for(self._wakeup.wait(), poll_seconds)
            self._wakeup.clear()
            await asyncio.to_thread(self.catch_up)

    def _take_owed(self) -> bool:
        with self._lock:
            owed, self._owed = self._owed, False
            return owed and self.position is not None

    def _deliver_new(self) -> None:
        while self.position is not None:
            with self.database().read() as session:
                facts = read_after(session, self.position)
                if not facts:
                    return
                newest = last_position(session) if len(facts) == BATCH else facts[-1].position
            if newest - self.position > MAX_BEHIND:
                log.warning('live updates fell %d changes behind; every page reloads', newest - self.position)
                self.position = newest
                self.reload()
                return
            self._hand(facts)
            if len(facts) < BATCH:
                return

    def _hand(self, facts: list[Fact]) -> None:
        for fact in facts:
            self.deliver(fact)
            self.position = fact.position
            self.delivered += 1


# --- consumers that run once for all processes -------------------------------------------------------------------


def consume(database: Database, consumer: str, handle: Callable[[Session, list[Fact]], None], limit: int = 100) -> int:
    """Hand the facts after `consumer`'s position to `handle` in one write transaction that also moves the position;
    return how many were handled.

    Whatever `handle` writes commits together with the new position, so across all processes each fact is handled
    once; if `handle` raises, nothing of the round stays and the same facts come again next time. A consumer seen
    for the first time starts at the end: it is not handed the history from before it existed.
    """
    with database.write() as session:
        position = _claim(session, database, consumer)
        facts = read_after(session, position, limit)
        if facts:
            handle(session, facts)
            row = session.get(OutboxPosition, consumer)
            row.position, row.updated_at = facts[-1].position, now()
        return len(facts)


def _claim(session: Session, database: Database, consumer: str) -> int:
    """Return the consumer's position, locked until commit (SQLite: the write transaction already is)."""
    upsert = sqlite_insert if database.is_sqlite else pg_insert
    start = last_position(session)
    session.execute(
        upsert(OutboxPosition)
        .values(consumer=consumer, position=start, updated_at=now())
        .on_conflict_do_nothing(index_elements=['consumer'])
    )
    return int(
        session.execute(
            select(OutboxPosition.position).where(OutboxPosition.consumer == consumer).with_for_update()
        ).scalar_one()
    )


def prune(database: Database) -> int:
    """Delete facts older than KEEP that every durable consumer has passed; the newest row always stays (SQLite
    would otherwise hand its id out again). Return how many were deleted."""
    with database.write() as session:
        newest = last_position(session)
        slowest = session.execute(select(func.min(OutboxPosition.position))).scalar_one()
        below = newest if slowest is None else min(newest, slowest + 1)
        result = session.execute(delete(Outbox).where(Outbox.id < below, Outbox.created_at < now() - KEEP))
        return result.rowcount or 0
