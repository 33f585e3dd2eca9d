"""Passwords (bcrypt, cost 12) and the login throttling rules (pure: apok_ui.services.login_throttle applies them).

Hashing is slow on purpose: run it with apok_ui.hashing.run_hashing, never on the event loop.

Throttling follows OWASP's "Slow Down Online Guessing Attacks with Device Cookies": failures are counted per
*source*, never per NIP alone, so nobody can lock an officer out by typing their NIP. A source is the browser's
address, unless the browser sends a device token this officer logged in with before (a trusted device): that device
has a limit of its own and still gets in while every untrusted source is blocked. Unknown NIPs are counted exactly
like real ones, so no answer ever tells which NIPs exist.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import bcrypt

BCRYPT_COST = 12
MIN_PASSWORD_BYTES = 8
MAX_PASSWORD_BYTES = 72  # bcrypt 5 refuses longer passwords instead of silently cutting them

# A person mistypes two or three times in a row: those cost nothing.
FREE_FAILURES = 3
# Then each further failure doubles the wait before the source may try again: 1, 2, 4 … 32, 60 s. A person barely
# notices the first waits; a script gets 7 guesses in about two minutes instead of hundreds.
SLOWDOWN_FIRST = timedelta(seconds=1)
SLOWDOWN_MAX = timedelta(minutes=1)
# At 10 failures (about two minutes of doubling waits) the source is blocked for that NIP ...
BLOCK_AFTER_FAILURES = 10
# ... for 15 minutes after its last failure; failures keep counting for an hour, so a source that goes on gets one
# guess per 15 minutes: about 14 guesses an hour per address and NIP.
BLOCK_DURATION = timedelta(minutes=15)
FAILURE_WINDOW = timedelta(hours=1)
# Many addresses against one NIP (a botnet): 50 untrusted failures in the hour from all addresses together block
# untrusted logins for that NIP (trusted devices still get in). Caps a NIP at about 60 guesses an hour.
NIP_BLOCK_AFTER_FAILURES = 50
# Password spraying: failures for 10 different NIPs from one address in the hour block that address's untrusted
# logins for an hour. A kecamatan office behind one address has far fewer officers failing without ever getting in
# (a success forgets that NIP's failures from that address), and their usual browsers are trusted devices anyway.
SPRAY_DISTINCT_NIPS = 10
SPRAY_BLOCK_DURATION = timedelta(hours=1)
# Failure rows older than every window are deleted (the audit log keeps the history).
FAILURE_RETENTION = timedelta(hours=2)

# The device token: random, set by the login's HTTP hop as an HttpOnly cookie, renewed at every successful login.
DEVICE_COOKIE = 'apok_perangkat'
# 180 days: an officer who logs in at least twice a year keeps their device trusted; each login renews it.
DEVICE_COOKIE_MAX_AGE = 180 * 24 * 3600
DEVICE_TOKEN_BYTES = 32
_DEVICE_TOKEN = re.compile(r'[A-Za-z0-9_-]{43}')  # secrets.token_urlsafe(32); anything else is ignored

# In a clerk's words: characters, not bytes (bcrypt counts bytes; an accented letter such as é takes two).
PASSWORD_POLICY = (
    'Password 8 sampai 72 karakter, berisi huruf dan angka (huruf beraksen seperti é dihitung 2 karakter).'
)


def password_problem(password: str) -> str | None:
    """Return what is wrong with a new password (Indonesian), or None when it meets the policy."""
    size = len(password.encode())
    if size < MIN_PASSWORD_BYTES:
        return f'Password minimal {MIN_PASSWORD_BYTES} karakter.'
    if size > MAX_PASSWORD_BYTES:
        return (
            f'Password terlalu panjang: maksimal {MAX_PASSWORD_BYTES} karakter (huruf beraksen seperti é dihitung 2); '
            'perpendek password Anda.'
        )
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        return 'Password harus berisi huruf dan angka.'
    return None


def hash_password(password: str) -> str:
    """Return the bcrypt hash of a password that meets the policy (slow: run off the event loop)."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(BCRYPT_COST)).decode()


def verify_password(password: str, password_hash: str | None) -> bool:
    """Return whether the password matches; without a hash, spend the same time and return False."""
    candidate = password.encode()
    if len(candidate) > MAX_PASSWORD_BYTES:
        candidate = candidate[:MAX_PASSWORD_BYTES]  # still spend the time; such a password never matches
        password_hash = None
    try:
        matches = bcrypt.checkpw(candidate, (password_hash or _dummy_hash()).encode())
    except ValueError:
        bcrypt.checkpw(candidate, _dummy_hash().encode())
        return False
    return matches and password_hash is not None


@cache
def _dummy_hash() -> str:
    """Return a hash of the same cost, so an unknown NIP takes as long as a wrong password."""
    return bcrypt.hashpw(b'apok-no-such-officer', bcrypt.gensalt(BCRYPT_COST)).decode()


@dataclass(frozen=True)
class Gagal:
    """The failures counted against one source (or NIPs, for spraying) in the window, and the time of the last."""

    jumlah: int
    terakhir: datetime | None


def wait_before_next(gagal: Gagal, at: datetime, *, slowdown: bool = True) -> timedelta | None:
    """Return how long the source must still wait before its next attempt, or None when it may try now."""
    if gagal.terakhir is None or gagal.jumlah < FREE_FAILURES:
        return None
    if gagal.jumlah >= BLOCK_AFTER_FAILURES:
        pause = BLOCK_DURATION
    elif slowdown:
        pause = min(SLOWDOWN_MAX, SLOWDOWN_FIRST * 2 ** (gagal.jumlah - FREE_FAILURES))
    else:
        return None
    return _remaining(gagal.terakhir + pause, at)


def blocked_for(gagal: Gagal, at: datetime, *, after: int, duration: timedelta) -> timedelta | None:
    """Return how long a block of `duration` after `after` failures still lasts, or None when there is none."""
    if gagal.terakhir is None or gagal.jumlah < after:
        return None
    return _remaining(gagal.terakhir + duration, at)


def throttle_message(wait: timedelta, *, trusted: bool) -> str:
    """Return the refusal of a throttled login (Indonesian), the same for every NIP, known or not."""
    seconds = max(1, int(-(-wait.total_seconds() // 1)))
    if seconds < 60:
        return f'Terlalu banyak percobaan gagal. Tunggu {seconds} detik, lalu coba lagi.'
    text = f'Terlalu banyak percobaan gagal. Coba lagi dalam {-(-seconds // 60)} menit'
    return text + ('.' if trusted else ', atau masuk dari perangkat yang biasa Anda pakai.')


def source_address(ip: str) -> str:
    """Return the address a login is counted under: an IPv6 /64 is one subscriber, so it counts as one address."""
    try:
        address = ipaddress.ip_address((ip or '').strip())
    except ValueError:
        return (ip or '').strip()[:45]
    if address.version == 6 and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f'{address}/64', strict=False))
    return str(address.ipv4_mapped or address) if address.version == 6 else str(address)


def device_token_or_none(raw: str | None) -> str | None:
    """Return the browser's device token if it has the shape APOK issues, else None (empty, garbage, forged)."""
    return raw if raw and _DEVICE_TOKEN.fullmatch(raw) else None


def throttle_key(kind: str, value: str) -> str:
    """Return the stored key of a NIP, address or device token (SHA-256, hex; fixed length, nothing readable)."""
    return hashlib.sha256(f'apok-{kind}:{value}'.encode()).hexdigest()


def _remaining(until: datetime, at: datetime) -> timedelta | None:
    return until - at if until > at else None
