"""The rules of an officer's session: when it has ended, why, and how that is told (pure, no I/O).

Every place that asks "may this page still act?" (a page build, an event from an open page, a live push, the idle
sweep) asks `ended_because` here, so the answer cannot drift between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

CODE_SECONDS = 60  # a login's one-time code must reach the browser's next request within this


class Akhir(StrEnum):
    """Why a session ended."""

    KELUAR = 'keluar'
    DIAKHIRI = 'diakhiri'  # ended by the officer from Sesi aktif on another device
    ADMIN = 'admin'  # ended by the superadmin
    AKUN = 'akun'  # the account changed: password (by the officer elsewhere, or a reset), NIP, role or kecamatan
    NONAKTIF = 'nonaktif'
    DIAM = 'diam'  # idle past the limit
    USIA = 'usia'  # older than the longest a session may last

    @property
    def message(self) -> str:
        """Return the sentence the login page shows after this end."""
        return 'Sesi Anda berakhir: ' + _REASONS[self]


_REASONS = {
    Akhir.KELUAR: 'Anda sudah keluar.',
    Akhir.DIAKHIRI: 'sesi ini diakhiri dari perangkat lain.',
    Akhir.ADMIN: 'sesi ini diakhiri oleh Administrator Sistem.',
    Akhir.AKUN: 'password, NIP, peran atau kecamatan akun ini diubah. Silakan masuk kembali.',
    Akhir.NONAKTIF: 'akun ini dinonaktifkan.',
    Akhir.DIAM: 'terlalu lama tidak ada aktivitas.',
    Akhir.USIA: 'batas lama sesi tercapai.',
}


@dataclass(frozen=True)
class Batas:
    """How long a session may last: idle seconds since the last activity, and seconds since login."""

    diam: float
    usia: float


@dataclass(frozen=True)
class Keadaan:
    """A session as far as the rules need it: times are epoch seconds."""

    berakhir: Akhir | None
    sesi_versi: int
    petugas_versi: int
    petugas_aktif: bool
    dibuat: float
    terakhir: float


def ended_because(keadaan: Keadaan, batas: Batas, at: float) -> Akhir | None:
    """Return why the session has ended by time `at`, or None while it is alive."""
    if keadaan.berakhir is not None:
        return keadaan.berakhir
    if not keadaan.petugas_aktif:
        return Akhir.NONAKTIF
    if keadaan.sesi_versi != keadaan.petugas_versi:
        return Akhir.AKUN
    if at - keadaan.dibuat > batas.usia:
        return Akhir.USIA
    if at - keadaan.terakhir > batas.diam:
        return Akhir.DIAM
    return None


def akhir_of(value: str | None) -> Akhir | None:
    """Return the end named in an address or a row, or None for anything else (never echo a URL's text)."""
    try:
        return Akhir(value) if value else None
    except ValueError:
        return None


_BROWSERS = (('Edg/', 'Edge'), ('OPR/', 'Opera'), ('SamsungBrowser', 'Samsung Internet'), ('Firefox/', 'Firefox'))
_SYSTEMS = (
    ('Android', 'Android'),
    ('iPhone', 'iPhone'),
    ('iPad', 'iPad'),
    ('Windows', 'Windows'),
    ('Mac OS X', 'Mac'),
    ('CrOS', 'Chromebook'),
    ('Linux', 'Linux'),
)


def device_label(user_agent: str) -> str:
    """Return how an officer recognises a device from its browser's User-Agent: 'Chrome di Android'."""
    agent = user_agent or ''
    browser = next((name for mark, name in _BROWSERS if mark in agent), '')
    if not browser:
        browser = 'Chrome' if re.search(r'Chrom(e|ium)/', agent) else 'Safari' if 'Safari/' in agent else 'Peramban'
    system = next((name for mark, name in _SYSTEMS if mark in agent), '')
    return f'{browser} di {system}' if system else browser
