"""Checks and normal forms of the identifiers people type: NIK, NIP, phone, email, names; and masking.

Each rule lives here once; forms, services, queries and the command line all ask it.
"""

from __future__ import annotations

import re
from datetime import date

NIP_RE = re.compile(r'^\d{18}$')
NIK_RE = re.compile(r'^\d{16}$')
EMAIL_RE = re.compile(r'^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$')
NAMA_RE = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ .,'\-]*$")
NOMOR_PENDAFTARAN_RE = re.compile(r'^[A-Z]{3}-\d{4}-\d{5}$')
PHONE_CHARS_RE = re.compile(r'^\+?[\d\s\-.()]+$')


class InvalidValue(ValueError):
    """A value a person typed that does not fit; the message is Indonesian and meant for them."""


def check_nip(value: str) -> str:
    """Return the NIP stripped of spaces, or raise InvalidValue unless it has exactly 18 digits."""
    nip = re.sub(r'\s', '', value or '')
    if not NIP_RE.match(nip):
        raise InvalidValue('NIP harus terdiri dari 18 angka.')
    return nip


def check_nik(value: str, *, today: date | None = None) -> str:
    """Return the NIK, or raise InvalidValue unless it has 16 digits with a plausible region and birth date."""
    nik = re.sub(r'\s', '', value or '')
    if not NIK_RE.match(nik):
        raise InvalidValue('NIK harus terdiri dari 16 angka.')
    if nik[:2] < '11' or nik[:2] > '96' or nik[2:4] == '00' or nik[4:6] == '00':
        raise InvalidValue('Kode wilayah pada NIK tidak dikenal.')
    if nik_birth_date(nik, today=today) is None:
        raise InvalidValue('Tanggal lahir pada NIK tidak valid.')
    if nik[12:] == '0000':
        raise InvalidValue('Nomor urut pada NIK tidak valid.')
    return nik


def nik_birth_date(nik: str, *, today: date | None = None) -> date | None:
    """Return the birth date encoded in a NIK (day + 40 for women), or None if it is no real past date."""
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    today = today or date.today()
    year = 2000 + year2 if 2000 + year2 <= today.year else 1900 + year2
    try:
        born = date(year, month, day)
    except ValueError:
        return None
    return born if born <= today else None


def normalize_phone(value: str) -> str:
    """Return an Indonesian mobile number as +62…, or raise InvalidValue; accepts 0812…, 62812…, +62 812-…."""
    raw = (value or '').strip()
    if not raw or not PHONE_CHARS_RE.match(raw):
        raise InvalidValue('Nomor HP hanya boleh berisi angka, spasi, tanda hubung atau awalan +62.')
    digits = re.sub(r'\D', '', raw)
    if digits.startswith('62'):
        digits = digits[2:]
    elif digits.startswith('0'):
        digits = digits[1:]
    if not digits.startswith('8') or not 9 <= len(digits) <= 12:
        raise InvalidValue('Nomor HP tidak valid; contoh: 0812 3456 7890.')
    return '+62' + digits


def looks_like_phone(value: str) -> bool:
    """Return whether a search term is meant as a phone number."""
    try:
        normalize_phone(value)
    except InvalidValue:
        return False
    return True


def normalize_email(value: str) -> str:
    """Return the email in lower case, or raise InvalidValue."""
    email = (value or '').strip().lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise InvalidValue('Alamat email tidak valid; contoh: nama@contoh.id.')
    return email


def check_nama(value: str, *, field: str = 'Nama') -> str:
    """Return a person's name with single spaces, or raise InvalidValue unless it is 2–100 letters and . , ' -."""
    nama = ' '.join((value or '').split())
    if len(nama) < 2:
        raise InvalidValue(f'{field} wajib diisi (minimal 2 huruf).')
    if len(nama) > 100:
        raise InvalidValue(f'{field} terlalu panjang (maksimal 100 karakter).')
    if not NAMA_RE.match(nama):
        raise InvalidValue(f'{field} hanya boleh berisi huruf, spasi, titik, koma, apostrof dan tanda hubung.')
    return nama


def check_text(value: str, *, field: str, max_len: int = 200, required: bool = True) -> str:
    """Return free text trimmed, or raise InvalidValue when it is missing or too long."""
    text = (value or '').strip()
    if required and not text:
        raise InvalidValue(f'{field} wajib diisi.')
    if len(text) > max_len:
        raise InvalidValue(f'{field} terlalu panjang (maksimal {max_len} karakter).')
    return text


def mask_name(nama: str) -> str:
    """Return a name with all but each word's first letter hidden: 'Budi Santoso' -> 'B*** S******'."""
    return ' '.join(word[0] + '*' * (len(word) - 1) for word in nama.split())


def mask_nik(nik: str) -> str:
    """Return a NIK with its middle hidden, for public pages."""
    return nik[:4] + '*' * 8 + nik[-4:] if len(nik) == 16 else '*' * len(nik)
