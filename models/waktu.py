"""Time as APOK shows and counts it: WIB (Asia/Jakarta), Indonesian dates, working days."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WIB = ZoneInfo('Asia/Jakarta')
BULAN = (
    'Januari',
    'Februari',
    'Maret',
    'April',
    'Mei',
    'Juni',
    'Juli',
    'Agustus',
    'September',
    'Oktober',
    'November',
    'Desember',
)


ISO_DATE_RE = re.compile(r'[0-9]{4}-[0-9]{2}-[0-9]{2}')
DMY_DATE_RE = re.compile(r'([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})')


def parse_tanggal(text: str) -> date:
    """Return the date of '2000-12-31' (ISO) or '31/12/2000', '31-12-2000' (as people write it); raise ValueError."""
    text = (text or '').strip()
    if ISO_DATE_RE.fullmatch(text):
        return date.fromisoformat(text)
    if match := DMY_DATE_RE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day)
    raise ValueError(f'not a date: {text!r}')


def now() -> datetime:
    """Return the current time, timezone-aware in UTC (stored as such)."""
    return datetime.now(UTC)


def today_wib() -> date:
    """Return today's date in Batam: until 07:00 WIB the server's UTC date is still yesterday."""
    return to_wib(now()).date()


def as_utc(value: datetime) -> datetime:
    """Return a stored time as aware UTC (SQLite gives naive values back)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_wib(value: datetime) -> datetime:
    """Return a stored time in WIB."""
    return as_utc(value).astimezone(WIB)


def start_of_wib_day(day: date) -> datetime:
    """Return the UTC moment a WIB calendar day begins.

    Stored times are UTC, and SQLite compares them as text without their zone: a bound in WIB (00:00+07:00) would be
    read as 00:00 UTC, seven hours late.
    """
    return datetime.combine(day, time.min, WIB).astimezone(UTC)


def format_tanggal(value: date | datetime) -> str:
    """Return '29 November 2026'."""
    if isinstance(value, datetime):
        value = to_wib(value)
    return f'{value.day} {BULAN[value.month - 1]} {value.year}'


def format_waktu(value: datetime) -> str:
    """Return '29 Nov 2026 10:15' in WIB."""
    local = to_wib(value)
    return f'{local.day} {BULAN[local.month - 1][:3]} {local.year} {local:%H:%M}'


def working_days_between(start: datetime, end: datetime) -> int:
    """Return the whole working days (Monday–Friday, WIB) that passed from start to end."""
    first, last = to_wib(start).date(), to_wib(end).date()
    if last <= first:
        return 0
    days = (last - first).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for i in range(1, rest + 1):
        if (first + timedelta(days=weeks * 7 + i)).weekday() < 5:
            count += 1
    return count


def is_overdue(since: datetime, sla_hari_kerja: int, at: datetime | None = None) -> bool:
    """Return whether an application waiting since `since` is past its SLA in working days."""
    return working_days_between(since, at or now()) > sla_hari_kerja
