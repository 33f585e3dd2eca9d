"""bcrypt work in a pool of its own, bounded, so a login flood slows logins and never the rest of APOK.

NiceGUI's `run.io_bound` pool serves every page read and action; 20 logins at once filled it with bcrypt checks
and every other call waited ~3 s behind them (issue 19). Services that hash (log in, change a password, create an
officer, reset a password) run whole in this pool instead; when too many already wait, the caller is told to try
again in a moment rather than queued without end.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from apok_ui.services.errors import ServiceError

T = TypeVar('T')

THREAD_NAME = 'apok-bcrypt'
BUSY_MESSAGE = 'Server sedang sibuk, coba lagi sebentar.'


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (a container may get fewer)
    except AttributeError:
        return os.cpu_count() or 1


# bcrypt releases the GIL, so each worker keeps one core busy: leave one core to the event loop (and the database).
HASHING_WORKERS = max(1, _cores() - 1)
# A check takes ~0.33 s (cost 12): 12 waiting per worker is about 4 s of queue. Beyond that "try again in a moment"
# is kinder than a spinner, and it bounds what a flood can pile up.
HASHING_WAITING_PER_WORKER = 12
HASHING_CAPACITY = HASHING_WORKERS * (1 + HASHING_WAITING_PER_WORKER)  # running plus waiting


class ServerBusy(ServiceError):
    """Too many password checks are already waiting; the person should try again in a moment."""


_pool = ThreadPoolExecutor(max_workers=HASHING_WORKERS, thread_name_prefix=THREAD_NAME)
_lock = threading.Lock()
_in_flight = 0


async def run_hashing(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run a bcrypt-heavy call in the hashing pool and return its result; raise ServerBusy when the pool is full.

    A call whose caller goes away while it still waits (a closed tab) is dropped without running.
    """
    global _in_flight
    with _lock:
        if _in_flight >= HASHING_CAPACITY:
            raise ServerBusy(BUSY_MESSAGE)
        _in_flight += 1
    try:
        future = _pool.submit(fn, *args, **kwargs)
    except BaseException:
        _release(None)
        raise
    future.add_done_callback(_release)  # when it ends, also if it never ran: the slot is free only then
    return await asyncio.wrap_future(future)


def in_flight() -> int:
    """Return how many hashing calls run or wait right now."""
    return _in_flight


def _release(_future: Future | None) -> None:
    global _in_flight
    with _lock:
        _in_flight -= 1
