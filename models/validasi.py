"""Checks and normal forms of the identifiers people type: NIK, NIP, phone, email, names; and masking.

Each rule lives here once; forms, services, queries and the command line all ask it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import phonenumbers

from models.waktu import today_wib

# Digits are spelled [0-9]: \d would also accept Arabic-Indic or full-width digits. Checks use fullmatch, since $
# alone would let a trailing newline through.
NIP_RE = re.compile(r'^[0-9]{18}$')
NIK_RE = re.compile(r'^[0-9]{16}$')
_EMAIL_WORD = r'[A-Za-z0-9_%+\-]+'
_DOMAIN_LABEL = r'[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?'
EMAIL_RE = re.compile(rf'^{_EMAIL_WORD}(?:\.{_EMAIL_WORD})*@(?:{_DOMAIN_LABEL}\.)+[A-Za-z]{{2,24}}$')
NAMA_RE = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ .,'\-]*$")
NOMOR_PENDAFTARAN_RE = re.compile(r'^[A-Z]{3}-[0-9]{4}-[0-9]{5}$')
PHONE_CHARS_RE = re.compile(r'^\(?\+?[0-9\s\-.()]+$')
MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
# The province codes Dukcapil gives a NIK's first two digits (Aceh 11 … Papua Barat Daya 96).
KODE_PROVINSI = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65}
    | {71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96}
)


class InvalidValue(ValueError):
    """A value a person typed that does not fit; the message is Indonesian and meant for them."""


def check_nip(value: str) -> str:
    """Return the NIP stripped of spaces, or raise InvalidValue unless it has exactly 18 digits."""
    nip = re.sub(r'\s', '', value or '')
    if not NIP_RE.fullmatch(nip):
        raise InvalidValue('NIP harus terdiri dari 18 angka.')
    return nip


def normalize_nip(value: str) -> str:
    """Return a login name as it is stored and compared: a NIP typed as letters print it ('19800101 200501 1 011')
    without its spaces; any other name (the superadmin's) only trimmed."""
    compact = re.sub(r'\s', '', value or '')
    return compact if compact.isdigit() else (value or '').strip()


def normalize_nik(value: str) -> str:
    """Return a NIK as it is stored and compared: without spaces ('2171 0117 0890 0002' is '2171011708900002')."""
    return re.sub(r'\s', '', value or '')


def normalize_nomor_pendaftaran(value: str) -> str:
    """Return a Nomor Pendaftaran as it is stored and compared: trimmed, in capitals ('btk-2611-00042 ')."""
    return (value or '').strip().upper()


def check_nik(value: str, *, today: date | None = None) -> str:
    """Return the NIK, or raise InvalidValue unless it has 16 digits with a plausible region and birth date."""
    nik = normalize_nik(value)
    if not nik:
        raise InvalidValue('NIK wajib diisi.')
    if not NIK_RE.fullmatch(nik):
        raise InvalidValue('NIK harus terdiri dari 16 angka.')
    if int(nik[:2]) not in KODE_PROVINSI or nik[2:4] == '00' or nik[4:6] == '00':
        raise InvalidValue('Kode wilayah pada NIK tidak dikenal.')
    if nik_birth_date(nik, today=today) is None:
        raise InvalidValue('Tanggal lahir pada NIK tidak valid.')
    if nik[12:] == '0000':
        raise InvalidValue('Nomor urut pada NIK tidak valid.')
    return nik


def nik_birth_date(nik: str, *, today: date | None = None) -> date | None:
    """Return the birth date encoded in a NIK (day + 40 for women), or None if it is no real past date.

    The NIK holds two year digits: the century is the most recent one that puts the date in the past.
    """
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    today = today or today_wib()
    for century in (2000, 1900):
        try:
            born = date(century + year2, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    return None


def normalize_phone(value: str) -> str:
    """Return an Indonesian mobile number as +62…, or raise InvalidValue; accepts 0812…, 62812…, +62 812-…."""
    raw = (value or '').strip()
    if not raw:
        raise InvalidValue('Nomor HP wajib diisi.')
    if not PHONE_CHARS_RE.fullmatch(raw):
        raise InvalidValue('Nomor HP hanya boleh berisi angka, spasi, tanda hubung atau awalan +62.')
    # The numbering plan is phonenumbers' (Google's libphonenumber metadata, kept current with Indonesia's ranges):
    # only a real Indonesian mobile number passes, so a message to it can reach a phone with WhatsApp.
    digits = re.sub(r'[^0-9+]', '', raw)
    try:
        number = phonenumbers.parse('+' + digits if digits.startswith('62') else digits, 'ID')
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or number.country_code != 62
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        raise InvalidValue('Nomor HP tidak valid; contoh: 0812 3456 7890.')
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(value: str) -> str:
    """Return the email in lower case, or raise InvalidValue."""
    email = (value or '').strip().lower()
    if len(email) > 254 or len(email.split('@')[0]) > 64 or not EMAIL_RE.fullmatch(email):
        raise InvalidValue('Alamat email tidak valid; contoh: nama@contoh.id.')
    return email


def check_nama(value: str, *, field: str = 'Nama', max_len: int = 100) -> str:
    """Return a name with single spaces, or raise InvalidValue unless it is 2–max_len letters and . , ' -."""
    nama = ' '.join((value or '').split())
    if len(nama) < 2:
        raise InvalidValue(f'{field} wajib diisi (minimal 2 huruf).')
    if len(nama) > max_len:
        raise InvalidValue(f'{field} terlalu panjang (maksimal {max_len} karakter).')
    if not NAMA_RE.fullmatch(nama):
        raise InvalidValue(f'{field} hanya boleh berisi huruf, spasi, titik, koma, apostrof dan tanda hubung.')
    return nama


def check_text(value: str, *, field: str, max_len: int = 200, required: bool = True, multiline: bool = False) -> str:
    """Return free text trimmed, or raise InvalidValue when it is missing, too long or holds control characters."""
    text = (value or '').strip()
    if required and not text:
        raise InvalidValue(f'{field} wajib diisi.')
    if len(text) > max_len:
        raise InvalidValue(f'{field} terlalu panjang (maksimal {max_len} karakter).')
    allowed = '\n\r\t' if multiline else ''
    # NUL and lone surrogates cannot be stored (PostgreSQL and UTF-8 refuse them); other controls are never meant.
    if any(unicodedata.category(c) in ('Cc', 'Cs') and c not in allowed for c in text):
        raise InvalidValue(f'{field} berisi karakter yang tidak diizinkan.')
    return text


def mask_name(nama: str) -> str:
    """Return a name with all but each word's first letter hidden: 'Budi Santoso' -> 'B*** S******'."""
    return ' '.join(word[0] + '*' * (len(word) - 1) for word in nama.split())


def format_nip(nip: str) -> str:
    """Return an 18-digit NIP grouped as letters print it: '19750812 199803 1 004'."""
    if len(nip) != 18 or not nip.isdigit():
        return nip
    return f'{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}'
