"""A production server starts its print workers with WeasyPrint loaded, so the first letter after a restart is quick."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from tests.conftest import start_server, stop_server
from tests.waiting import DEADLINE


def children_of(pid: int) -> list[int]:
    """Return the processes whose parent is pid (read from /proc)."""
    found = []
    for stat in Path('/proc').glob('[0-9]*/stat'):
        try:
            fields = stat.read_text().rsplit(')', 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def has_loaded_pango(pid: int) -> bool:
    """Return whether a process has mapped Pango, the library WeasyPrint loads when it is imported."""
    try:
        return 'libpango' in Path(f'/proc/{pid}/maps').read_text()
    except OSError:
        return False


def print_workers(pid: int) -> list[int]:
    return [child for child in children_of(pid) if has_loaded_pango(child)]


def test_a_production_server_has_its_print_workers_ready_before_anyone_prints(tmp_path: Path, sqlite_url: str):
    server = start_server(tmp_path, sqlite_url, APOK_ENV='production', APOK_STORAGE_SECRET=secrets.token_urlsafe(48))
    try:
        deadline = time.monotonic() + DEADLINE  # a fresh worker needs a few seconds to import APOK and WeasyPrint
        while len(workers := print_workers(server.process.pid)) != (os.cpu_count() or 1):
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)  # a worker announces nothing when it is ready: look at /proc again
        assert len(workers) == (os.cpu_count() or 1), server.output()
    finally:
        stop_server(server)


def running(pid: int) -> bool:
    """Return whether a process exists and is not a zombie waiting for a parent that does not reap it."""
    try:
        return Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


def test_a_server_killed_with_sigkill_leaves_no_print_worker_behind(tmp_path: Path, sqlite_url: str):
    server = start_server(tmp_path, sqlite_url, APOK_ENV='production', APOK_STORAGE_SECRET=secrets.token_urlsafe(48))
    try:
        deadline = time.monotonic() + DEADLINE
        while not (workers := print_workers(server.process.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)  # as above: /proc is the only sign of a worker
        assert workers, server.output()
        server.process.kill()  # SIGKILL: the server cannot stop its pool
        server.process.wait(timeout=10)
        deadline = time.monotonic() + DEADLINE
        while (left := [pid for pid in workers if running(pid)]) and time.monotonic() < deadline:
            time.sleep(0.1)  # an orphaned worker notices its parent is gone and exits
        assert left == [], f'print workers {left} outlived their server'
    finally:
        stop_server(server)
