"""Ids that arrive in addresses: one rule for what counts as a row id, so no odd text reaches a query."""

from __future__ import annotations

# The tables' ids are INTEGER: 32 bits on PostgreSQL (64 on SQLite). A larger number matches no row, and SQLite
# raises OverflowError on one above 64 bits, so anything outside this range is simply not found.
MAX_ID = 2**31 - 1


def parse_id(text: str | None) -> int | None:
    """Return the row id written in text (ASCII digits only, 1..MAX_ID), or None for anything else."""
    if not text or len(text) > len(str(MAX_ID)) or not (text.isascii() and text.isdigit()):
        return None  # str.isdigit alone accepts '²' and other digits that int() refuses
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
