"""The formats of the numbers APOK hands out: Nomor Pendaftaran and nomor surat.

Months and years are WIB calendar ones: a letter approved at 00:30 WIB on 1 January is dated in the new year (its
date is printed in WIB), so its number must count in the new year too, though it is still 31 December in UTC.
"""

from __future__ import annotations

import re
import string
from datetime import datetime

from models.label import LabelledEnum
from models.waktu import to_wib

ROMAN_MONTHS = ('I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII')


def counter_key_pendaftaran(kode_kecamatan: str, at: datetime) -> str:
    """Return the counter that numbers a kecamatan's registrations of one month."""
    return f'daftar:{kode_kecamatan}:{to_wib(at):%y%m}'


def format_nomor_pendaftaran(kode_kecamatan: str, at: datetime, seq: int) -> str:
    """Return a readable registration number, e.g. BTK-2611-00042."""
    return f'{kode_kecamatan}-{to_wib(at):%y%m}-{seq:05d}'


POLA_BAKU = '{klasifikasi}/{nomor}/{kode_kecamatan}/{bulan_romawi}/{tahun}'
PLACEHOLDER = ('klasifikasi', 'nomor', 'kode_kecamatan', 'bulan_romawi', 'tahun')
POLA_MAX = 80
NOMOR_SURAT_MAX = 60  # models.tables.Pengurusan.nomor_surat
_LITERAL_RE = re.compile(r'[A-Za-z0-9./\-_ ]*')


class Lingkup(LabelledEnum):
    """What one gapless counter of letters covers."""

    KECAMATAN_TAHUN = 'kecamatan_tahun', 'Per kecamatan per tahun'
    KLASIFIKASI_TAHUN = 'klasifikasi_tahun', 'Per kecamatan, per kode klasifikasi, per tahun'


def check_pola(pola: str) -> str | None:
    """Return why a nomor surat pattern cannot be used (Indonesian, for the field), or None."""
    if not pola.strip():
        return 'Isi pola nomor surat.'
    if len(pola) > POLA_MAX:
        return f'Pola nomor surat paling panjang {POLA_MAX} karakter.'
    try:
        parts = list(string.Formatter().parse(pola))
    except ValueError:
        return 'Kurung kurawal { } pada pola tidak berpasangan.'
    names = [name for _, name, spec, conv in parts if name is not None]
    unknown = [name for name in names if name not in PLACEHOLDER]
    if unknown:
        return f'Penanda tidak dikenal: {{{unknown[0]}}}. Gunakan {", ".join(_braced())}.'
    if any(spec or conv for _, name, spec, conv in parts if name is not None):
        return 'Tulis penanda tanpa format tambahan, misalnya {nomor}.'
    if 'nomor' not in names:
        return 'Pola harus memuat {nomor}: tanpa nomor urut, dua surat bisa bernomor sama.'
    if not all(_LITERAL_RE.fullmatch(text) for text, *_ in parts):
        return 'Di luar penanda, pola hanya boleh memuat huruf, angka, spasi, titik, garis miring, - dan _.'
    contoh = format_nomor_surat('474.2', 999, 'XXXXX', datetime(2026, 12, 31, 12), pola=pola)
    if len(contoh) > NOMOR_SURAT_MAX:
        return f'Nomor surat dari pola ini bisa lebih dari {NOMOR_SURAT_MAX} karakter.'
    return None


def counter_key_surat(
    kode_kecamatan: str, at: datetime, *, lingkup: str = Lingkup.KECAMATAN_TAHUN, kode_klasifikasi: str = ''
) -> str:
    """Return the counter that numbers a kecamatan's letters of one year, or of one klasifikasi in one year."""
    kunci = f'surat:{kode_kecamatan}:{to_wib(at).year}'
    return f'{kunci}:{kode_klasifikasi}' if lingkup == Lingkup.KLASIFIKASI_TAHUN else kunci


def format_nomor_surat(
    kode_klasifikasi: str, seq: int, kode_kecamatan: str, at: datetime, *, pola: str = POLA_BAKU
) -> str:
    """Return the letter number in the city's pattern; the default is SPEC §3's, e.g. 560/007/BTK/XI/2026."""
    local = to_wib(at)
    return pola.format(
        klasifikasi=kode_klasifikasi,
        nomor=f'{seq:03d}',
        kode_kecamatan=kode_kecamatan,
        bulan_romawi=ROMAN_MONTHS[local.month - 1],
        tahun=local.year,
    )


def _braced() -> list[str]:
    return [f'{{{name}}}' for name in PLACEHOLDER]
