"""The formats of the numbers APOK hands out: Nomor Pendaftaran and nomor surat.

Months and years are WIB calendar ones: a letter approved at 00:30 WIB on 1 January is dated in the new year (its
date is printed in WIB), so its number must count in the new year too, though it is still 31 December in UTC.
"""

from __future__ import annotations

from datetime import datetime

from models.waktu import to_wib

ROMAN_MONTHS = ('I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII')


def counter_key_pendaftaran(kode_kecamatan: str, at: datetime) -> str:
    """Return the counter that numbers a kecamatan's registrations of one month."""
    return f'daftar:{kode_kecamatan}:{to_wib(at):%y%m}'


def format_nomor_pendaftaran(kode_kecamatan: str, at: datetime, seq: int) -> str:
    """Return a readable registration number, e.g. BTK-2611-00042."""
    return f'{kode_kecamatan}-{to_wib(at):%y%m}-{seq:05d}'


def counter_key_surat(kode_kecamatan: str, at: datetime) -> str:
    """Return the counter that numbers a kecamatan's letters of one year (no gaps, no duplicates)."""
    return f'surat:{kode_kecamatan}:{to_wib(at).year}'


def format_nomor_surat(kode_klasifikasi: str, seq: int, kode_kecamatan: str, at: datetime) -> str:
    """Return the letter number of SPEC §3, e.g. 560/007/BTK/XI/2026."""
    local = to_wib(at)
    return f'{kode_klasifikasi}/{seq:03d}/{kode_kecamatan}/{ROMAN_MONTHS[local.month - 1]}/{local.year}'
