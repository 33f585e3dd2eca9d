"""Abuse limits of the public portal, by what identifies an applicant and by cost, not by address alone.

Indonesian mobile carriers put many phones behind one address (carrier-grade NAT), and a kecamatan's public Wi-Fi
does the same: 5 submissions per address per minute refused half of 10 citizens applying at once (issue 19). So:
- per NIK: SUBMISSIONS_PER_NIK_PER_DAY, counted in the database (it holds across processes and restarts);
- per device (the browser's NiceGUI id): SUBMISSIONS_PER_DEVICE_PER_MINUTE, the old per-address rule;
- per address only a ceiling on what a flood can cost: SUBMISSIONS_PER_ADDRESS_PER_MINUTE submissions and
  MB_PER_ADDRESS_PER_MINUTE megabytes of berkas stored, far above a crowded office, for a client that drops its
  cookie on every try;
- tracking look-ups per address (so nobody guesses NIKs for a known Nomor Pendaftaran).
The windows live in this process's memory (a form stays on one process: sticky sessions).
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

SUBMISSIONS_PER_DEVICE_PER_MINUTE = 5
SUBMISSIONS_PER_ADDRESS_PER_MINUTE = 60  # 30 citizens in one minute on one Wi-Fi pass with room to spare
MB_PER_ADDRESS_PER_MINUTE = 600  # 60 submissions of 10 MB each
SUBMISSIONS_PER_NIK_PER_DAY = 5
MB = 1024 * 1024
LOOKUPS_PER_IP_PER_MINUTE = 10
DOWNLOADS_PER_IP_PER_MINUTE = 10  # Unduh surat from Lacak: as many as look-ups, counted on their own
_MAX_KEYS = 50_000  # beyond this many addresses, forget the idle ones (memory stays bounded under a flood)


class Dibatasi(ServiceError):
    """Too many requests; the message says what happened and when to try again."""


class Jendela:
    """A sliding window: at most `limit` (events, or their cost) per key within `seconds`; thread-safe."""

    def __init__(self, limit: float, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._events: dict[str, deque[tuple[float, float]]] = {}  # (when, cost)
        self._lock = threading.Lock()

    def take(self, key: str, *, at: float | None = None, cost: float = 1) -> bool:
        """Record one event of this cost for the key and return True, or return False when it would overfill."""
        at = time.monotonic() if at is None else at
        with self._lock:
            if len(self._events) > _MAX_KEYS:
                self._forget_idle(at)
            events = self._events.setdefault(key, deque())
            while events and events[0][0] <= at - self.seconds:
                events.popleft()
            if events and sum(c for _, c in events) + cost > self.limit:  # one event alone always fits
                return False
            events.append((at, cost))
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
        for key in [k for k, v in self._events.items() if not v or v[-1][0] <= at - self.seconds]:
            del self._events[key]


_per_device = Jendela(SUBMISSIONS_PER_DEVICE_PER_MINUTE, 60)
_per_address = Jendela(SUBMISSIONS_PER_ADDRESS_PER_MINUTE, 60)
_bytes_per_address = Jendela(MB_PER_ADDRESS_PER_MINUTE * MB, 60)
_lookups = Jendela(LOOKUPS_PER_IP_PER_MINUTE, 60)
_downloads = Jendela(DOWNLOADS_PER_IP_PER_MINUTE, 60)
PER_DEVICE = 'Terlalu banyak permohonan dari perangkat ini. Tunggu 1 menit, lalu kirim lagi.'
PER_ADDRESS = 'Jaringan ini sedang mengirim terlalu banyak permohonan. Tunggu 1 menit, lalu kirim lagi.'


def reserve_submission(ip: str, perangkat: str | None, ukuran: int) -> None:
    """Count a submission of `ukuran` bytes of berkas from this device and address, or raise Dibatasi when the
    device sent too many in the last minute, or the address too many or too much. A browser without a device id
    (cookies refused) counts as a device of its address."""
    device = perangkat or f'alamat:{ip or "-"}'
    if not _per_device.take(device):
        raise Dibatasi(PER_DEVICE)
    if not _per_address.take(ip or '-'):
        _per_device.give_back(device)
        raise Dibatasi(PER_ADDRESS)
    if not _bytes_per_address.take(ip or '-', cost=ukuran):
        _per_device.give_back(device)
        _per_address.give_back(ip or '-')
        raise Dibatasi(PER_ADDRESS)


def release_submission(ip: str, perangkat: str | None) -> None:
    """Give back a reserved submission that was not stored."""
    _per_device.give_back(perangkat or f'alamat:{ip or "-"}')
    _per_address.give_back(ip or '-')
    _bytes_per_address.give_back(ip or '-')


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


def check_download(ip: str) -> None:
    """Count a letter download from Lacak from this address, or raise Dibatasi when it made too many in a minute."""
    if not _downloads.take(ip or '-'):
        raise Dibatasi('Terlalu banyak unduhan dari perangkat atau jaringan ini. Tunggu 1 menit, lalu coba lagi.')


def reset() -> None:
    """Forget every per-device and per-address count (a fresh start, e.g. between tests)."""
    for window in (_per_device, _per_address, _bytes_per_address, _lookups, _downloads):
        window.reset()
