"""Passwords (bcrypt, cost 12) and the login lock rules. Hashing is slow on purpose: call it off the event loop."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

import bcrypt

BCRYPT_COST = 12
MIN_PASSWORD_BYTES = 8
MAX_PASSWORD_BYTES = 72  # bcrypt 5 refuses longer passwords instead of silently cutting them
LOCK_AFTER_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)
PASSWORD_POLICY = 'Password 8–72 byte (huruf beraksen dihitung 2 byte), berisi huruf dan angka.'


def password_problem(password: str) -> str | None:
    """Return what is wrong with a new password (Indonesian), or None when it meets the policy."""
    size = len(password.encode())
    if size < MIN_PASSWORD_BYTES:
        return f'Password minimal {MIN_PASSWORD_BYTES} karakter.'
    if size > MAX_PASSWORD_BYTES:
        return f'Password maksimal {MAX_PASSWORD_BYTES} byte (sekarang {size} byte); perpendek password Anda.'
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
