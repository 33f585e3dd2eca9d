"""Abuse limits of the public portal: a few submissions per address per minute and per NIK per day, and a cap on
tracking look-ups per address (so nobody guesses NIKs for a known Nomor Pendaftaran).

The per-address windows live in this process's memory (a form stays on one process: sticky sessions); the per-NIK
count is read from the database, so it holds across processes and restarts.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from apok_ui.services.errors import ServiceError
from models import Pengurusan

SUBMISSIONS_PER_IP_PER_MINUTE = 5
SUBMISSIONS_PER_NIK_PER_DAY = 5
LOOKUPS_PER_IP_PER_MINUTE = 10
_MAX_KEYS = 50_000  # beyond this many addresses, forget the idle ones (memory stays bounded under a flood)


class Dibatasi(ServiceError):
    """Too many requests; the message says what happened and when to try again."""


class Jendela:
    """A sliding window: at most `limit` events per key within `seconds`; thread-safe."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, *, at: float | None = None) -> bool:
        """Record one event for the key and return True, or return False when its window is full."""
        at = time.monotonic() if at is None else at
        with self._lock:
            if len(self._events) > _MAX_KEYS:
                self._forget_idle(at)
            events = self._events.setdefault(key, deque())
            while events and events[0] <= at - self.seconds:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(at)
            return True

    def give_back(self, key: str) -> None:
        """Undo the key's latest event (the action it stood for did not happen)."""
        with self._lock:
            events = self._events.get(key)
            if events:
                events.pop()

    def reset(self) -> None:
        """Forget every event."""
        with self._lock:
            self._events.clear()

    def _forget_idle(self, at: float) -> None:
        for key in [k for k, v in self._events.items() if not v or v[-1] <= at - self.seconds]:
            del self._events[key]


_submissions = Jendela(SUBMISSIONS_PER_IP_PER_MINUTE, 60)
_lookups = Jendela(LOOKUPS_PER_IP_PER_MINUTE, 60)


def reserve_submission(ip: str) -> None:
    """Count a submission from this address, or raise Dibatasi when it sent too many in the last minute."""
    if not _submissions.take(ip or '-'):
        raise Dibatasi('Terlalu banyak permohonan dari perangkat atau jaringan ini. Tunggu 1 menit, lalu kirim lagi.')


def release_submission(ip: str) -> None:
    """Give back a reserved submission that was not stored."""
    _submissions.give_back(ip or '-')


def check_nik(session: Session, nik: str, at: datetime) -> None:
    """Raise Dibatasi when this NIK already made the day's share of applications (cancelled ones count too)."""
    count = session.execute(
        select(func.count())
        .select_from(Pengurusan)
        .where(Pengurusan.nik == nik, Pengurusan.diajukan_at > at - timedelta(days=1))
    ).scalar_one()
    if count >= SUBMISSIONS_PER_NIK_PER_DAY:
        raise Dibatasi(
            f'NIK ini sudah mengajukan {SUBMISSIONS_PER_NIK_PER_DAY} permohonan dalam 24 jam terakhir. '
            'Silakan coba lagi besok, atau datang ke kantor kecamatan.'
        )


def check_lookup(ip: str) -> None:
    """Count a tracking look-up from this address, or raise Dibatasi when it made too many in the last minute."""
    if not _lookups.take(ip or '-'):
        raise Dibatasi('Terlalu banyak pencarian dari perangkat atau jaringan ini. Tunggu 1 menit, lalu coba lagi.')


def reset() -> None:
    """Forget every per-address count (a fresh start, e.g. between tests)."""
    _submissions.reset()
    _lookups.reset()
