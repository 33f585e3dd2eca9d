"""Reads shared by every open page of a kecamatan between two changes of it.

After one approval, every open queue of the kecamatan refreshes; most of them show the same thing (the same role,
tab, layanan, search and page). The first page to ask computes it, the others get the same answer, until the next
change of that kecamatan. So 200 open pages cost a handful of queries instead of 200 sets.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from nicegui import run

from apok_ui import db, events
from apok_ui.events import Perubahan

T = TypeVar('T')
MAX_ENTRIES = 5000
MAX_AGE_SECONDS = 30.0  # ages and 'overdue' move with the clock even when nothing changes


class SharedReads:
    """A cache of read results per kecamatan, emptied for a kecamatan whenever it changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: dict[int, int] = {}
        self._entries: dict[tuple, tuple[float, object]] = {}
        self._computing: dict[tuple, threading.Lock] = {}
        self._database: object | None = None

    def invalidate(self, kecamatan_id: int) -> None:
        """Forget everything read about a kecamatan (it just changed)."""
        with self._lock:
            self._generation[kecamatan_id] = self._generation.get(kecamatan_id, 0) + 1

    def clear(self) -> None:
        """Forget everything (events may have been missed)."""
        with self._lock:
            self._generation = {k: g + 1 for k, g in self._generation.items()}
            self._entries.clear()

    def get(self, kecamatan_id: int, key: Hashable, compute: Callable[[], T]) -> T:
        """Return the current answer for key, computing it once per change of the kecamatan (thread-safe)."""
        with self._lock:
            self._follow_database()
            full_key = (kecamatan_id, self._generation.get(kecamatan_id, 0), key)
            if (hit := self._fresh(full_key)) is not None:
                return hit[1]  # type: ignore[return-value]
            computing = self._computing.setdefault(full_key, threading.Lock())
        with computing:  # the first asker computes; the others wait for its answer instead of asking again
            with self._lock:
                if (hit := self._fresh(full_key)) is not None:
                    return hit[1]  # type: ignore[return-value]
            value = compute()
            with self._lock:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.clear()
                self._entries[full_key] = (time.monotonic(), value)
                self._computing.pop(full_key, None)
            return value

    async def read(self, kecamatan_id: int, key: Hashable, compute: Callable[[], T]) -> T:
        """Return the current answer for key: at once if another page read it already, else from a worker thread.

        200 pages showing one view cost one query, and no thread hop for the other 199.
        """
        with self._lock:
            self._follow_database()
            hit = self._fresh((kecamatan_id, self._generation.get(kecamatan_id, 0), key))
        if hit is not None:
            return hit[1]  # type: ignore[return-value]
        return await run.io_bound(self.get, kecamatan_id, key, compute)

    def _fresh(self, full_key: tuple) -> tuple[float, object] | None:
        entry = self._entries.get(full_key)
        return entry if entry is not None and time.monotonic() - entry[0] < MAX_AGE_SECONDS else None

    def _follow_database(self) -> None:
        """Start afresh when the process opened another database (tests do, per test)."""
        current = db.get()
        if current is not self._database:
            self._database = current
            self._entries.clear()
            self._computing.clear()


shared = SharedReads()


def _on_change(change: Perubahan) -> None:
    shared.invalidate(change.kecamatan_id)


def install() -> None:
    """Empty the cache on every change; subscribed before any page, so it runs before their refreshes."""
    events.pengurusan_changed.subscribe(_on_change, unsubscribe_on_delete=False)
    events.resync.subscribe(shared.clear, unsubscribe_on_delete=False)
