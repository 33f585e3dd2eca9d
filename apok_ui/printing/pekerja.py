"""Print workers end with the server that started them.

A server killed with SIGKILL cannot stop its process pool: each worker (WeasyPrint loaded, about 140 MB) was
re-parented to PID 1 and stayed; seven kills left 21 processes and 2 GB (issue 17). A worker therefore watches its
parent and exits once it is gone. A parent-death signal (prctl) would fire when the *thread* that spawned the worker
ends, which for a pool may be any thread; the parent's pid does not depend on threads.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

WATCH_SECONDS = 1.0  # how soon an orphaned worker notices (it does nothing else meanwhile)
_watching = False
_lock = threading.Lock()


def stay_with_parent() -> None:
    """In a worker process of a pool: exit as soon as the process that started it has gone. Elsewhere (the server's
    own threads, a plain script) nothing happens. Safe to call on every task: the watch starts once per process."""
    global _watching  # noqa: PLW0603  # one watch per process
    if multiprocessing.parent_process() is None:
        return
    with _lock:
        if _watching:
            return
        _watching = True
    parent = os.getppid()
    threading.Thread(target=_watch, args=(parent,), name='apok-orangtua', daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(0)  # no cleanup to run: the worker holds nothing that outlives its server
