"""What a citizen's application must hold, and the checks on each field; pure, shared by forms and services."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from models.kabar import Kanal
from models.tables import Pengurusan
from models.validasi import (
    InvalidValue,
    check_nama,
    check_nik,
    check_text,
    nik_birth_date,
    normalize_email,
    normalize_phone,
)
from models.waktu import format_tanggal, parse_tanggal, today_wib

JENIS_KELAMIN = ('Laki-laki', 'Perempuan')
AGAMA = ('Islam', 'Kristen', 'Katolik', 'Hindu', 'Buddha', 'Konghucu', 'Kepercayaan')
STATUS_PERKAWINAN = ('Belum Kawin', 'Kawin', 'Cerai Hidup', 'Cerai Mati')
PILIHAN = {'jenis_kelamin': JENIS_KELAMIN, 'agama': AGAMA, 'status_perkawinan': STATUS_PERKAWINAN}  # picked from a list
TANPA_KABAR = 'tidak'  # the form's choice "Tidak perlu": no message about the application
# Column widths of models.tables.Pengurusan that a typed value must fit.
MAX_NAMA, MAX_TEMPAT_LAHIR = 100, 60

# The applicant fields an Admin may correct in a revision, with their labels.
FIELD_LABELS = {
    'nik': 'NIK',
    'nama': 'Nama',
    'tempat_lahir': 'Tempat lahir',
    'tanggal_lahir': 'Tanggal lahir',
    'jenis_kelamin': 'Jenis kelamin',
    'agama': 'Agama',
    'pekerjaan': 'Pekerjaan',
    'status_perkawinan': 'Status perkawinan',
    'alamat': 'Alamat',
    'rt': 'RT',
    'rw': 'RW',
    'no_hp': 'No HP',
    'email': 'Email',
}


@dataclass
class DataPemohon:
    """The applicant's data as typed (strings) or already clean; `isian` holds the layanan's extra fields."""

    nik: str = ''
    nama: str = ''
    tempat_lahir: str = ''
    tanggal_lahir: str | date = ''
    jenis_kelamin: str = ''
    agama: str = ''
    pekerjaan: str = ''
    status_perkawinan: str = ''
    alamat: str = ''
    rt: str = ''
    rw: str = ''
    no_hp: str = ''
    email: str = ''
    isian: dict[str, Any] = field(default_factory=dict)
    kabar_kanal: str = ''  # how the citizen chose to hear about the application: a models.kabar.Kanal value or ''


class InvalidForm(ValueError):
    """A form with one Indonesian message per wrong field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__('; '.join(f'{k}: {v}' for k, v in errors.items()))
        self.errors = errors


def clean_field(name: str, value: Any, *, today: date | None = None) -> Any:
    """Return one applicant field in its clean form, or raise InvalidValue with a message for the person."""
    text = value if isinstance(value, date) else str(value or '').strip()
    if name == 'nik':
        return check_nik(text, today=today)
    if name in ('nama', 'tempat_lahir'):
        return check_nama(text, field=FIELD_LABELS[name], max_len=MAX_NAMA if name == 'nama' else MAX_TEMPAT_LAHIR)
    if name == 'tanggal_lahir':
        return _check_birth_date(text, today=today)
    if name in ('jenis_kelamin', 'agama', 'status_perkawinan'):
        return _check_choice(text, name)
    if name == 'pekerjaan':
        return check_text(text, field='Pekerjaan', max_len=60)
    if name == 'alamat':
        return check_text(text, field='Alamat', max_len=200)
    if name in ('rt', 'rw'):
        return _check_rt_rw(text, FIELD_LABELS[name])
    if name == 'no_hp':
        return normalize_phone(text)
    if name == 'email':
        return normalize_email(text) if text else ''
    raise KeyError(name)


def clean_pemohon(data: DataPemohon, isian_spec: list[dict], *, today: date | None = None) -> DataPemohon:
    """Return the applicant's data in clean form, or raise InvalidForm listing every wrong field."""
    errors: dict[str, str] = {}
    clean = DataPemohon()
    for name in FIELD_LABELS:
        try:
            setattr(clean, name, clean_field(name, getattr(data, name), today=today))
        except InvalidValue as error:
            errors[name] = str(error)
    if 'nik' not in errors and 'tanggal_lahir' not in errors and 'jenis_kelamin' not in errors:
        mismatch = _nik_mismatch(clean)
        if mismatch:
            errors['nik'] = mismatch
    if 'email' not in errors:
        try:
            clean.kabar_kanal = clean_kabar(data.kabar_kanal, email=clean.email)
        except InvalidValue as error:
            errors['kabar_kanal'] = str(error)
    clean.isian, isian_errors = clean_isian(data.isian, isian_spec)
    errors.update(isian_errors)
    if errors:
        raise InvalidForm(errors)
    return clean


def clean_kabar(value: str, *, email: str) -> str:
    """Return the channel a citizen opted into ('' for none), or raise InvalidValue (email chosen but not given)."""
    kanal = str(value or '').strip().lower()
    if kanal in ('', TANPA_KABAR):
        return ''
    if kanal not in {k.value for k in Kanal}:
        raise InvalidValue('Pilih cara kami mengabari Anda dari daftar.')
    if kanal == Kanal.EMAIL and not email:
        raise InvalidValue('Isi Email di atas, atau pilih WhatsApp atau Tidak perlu.')
    return kanal


def clean_isian(values: dict[str, Any], spec: list[dict]) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the layanan's extra fields cleaned, and errors keyed 'isian.{kode}'."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for item in spec:
        kode, label = item['kode'], item['label']
        raw = str(values.get(kode) or '').strip()
        try:
            clean[kode] = _check_isian(raw, item)
        except InvalidValue as error:
            errors[f'isian.{kode}'] = str(error) or f'{label} tidak valid.'
    return clean, errors


# What people write around an amount: a leading 'Rp' / 'Rp.' and a trailing ',-' or ',00' (no cents in rupiah).
RUPIAH_RE = re.compile(r'^\s*rp\.?\s*|,(?:-|0{1,2})\s*$', re.IGNORECASE)


def _check_isian(raw: str, item: dict) -> str:
    label, jenis = item['label'], item.get('jenis', 'teks')
    if not raw:
        if item.get('wajib', True):
            raise InvalidValue(f'{label} wajib diisi.')
        return ''
    if jenis == 'angka':
        digits = re.sub(r'[.,\s]', '', RUPIAH_RE.sub('', raw))  # 'Rp 1.500.000,-' is 1500000, as is '1.500.000'
        if not re.fullmatch(r'[0-9]{1,15}', digits):
            raise InvalidValue(f'{label} harus berupa angka.')
        return digits
    if jenis == 'tanggal':
        return _parse_date(raw, label).isoformat()
    if jenis == 'pilihan':
        if raw not in item.get('pilihan', []):
            raise InvalidValue(f'Pilih {label} dari daftar.')
        return raw
    long = jenis == 'teks_panjang'
    return check_text(raw, field=label, max_len=1000 if long else 200, multiline=long)


def format_isian(item: dict, value: object) -> str:
    """Return an extra field's value as people read it (Lihat Data, the letter): a date in words, a rupiah amount
    grouped as 1.800.000 (years and counts stay plain), '' when empty."""
    text = str(value or '').strip()
    if not text:
        return ''
    jenis = item.get('jenis', 'teks')
    if jenis == 'tanggal':
        try:
            return format_tanggal(date.fromisoformat(text))
        except ValueError:
            return text
    if jenis == 'angka' and '(Rp)' in item.get('label', '') and text.isdigit():
        return f'{int(text):,}'.replace(',', '.')
    return text


def _check_birth_date(text: str | date, *, today: date | None) -> date:
    if not text:
        raise InvalidValue('Tanggal lahir wajib diisi.')
    born = text if isinstance(text, date) else _parse_date(text, 'Tanggal lahir')
    if born > (today or today_wib()) or born.year < 1900:
        raise InvalidValue('Tanggal lahir tidak valid.')
    return born


def _parse_date(text: str, label: str) -> date:
    """Return the date of '31/12/2000' (the date field), '31-12-2000' or '2000-12-31' (models.waktu.parse_tanggal)."""
    try:
        return parse_tanggal(text)
    except ValueError:
        raise InvalidValue(f'{label} harus berupa tanggal (contoh: 31/12/2000).') from None


def _check_choice(text: str, name: str) -> str:
    if text not in PILIHAN[name]:
        raise InvalidValue(f'Pilih {FIELD_LABELS[name].lower()} dari daftar.')
    return text


def _check_rt_rw(text: str, label: str) -> str:
    if not text:
        raise InvalidValue(f'{label} wajib diisi.')
    if not re.fullmatch(r'[0-9]{1,3}', text) or int(text) == 0:
        raise InvalidValue(f'{label} harus 1–3 angka, contoh: 004.')
    return f'{int(text):03d}'


def _nik_mismatch(clean: DataPemohon) -> str | None:
    """Return a message when the NIK's encoded birth date or sex contradicts the typed ones."""
    born = nik_birth_date(clean.nik)
    female = int(clean.nik[6:8]) > 40
    if born is not None and (born.day, born.month, born.year % 100) != (
        clean.tanggal_lahir.day,
        clean.tanggal_lahir.month,
        clean.tanggal_lahir.year % 100,
    ):
        return 'Tanggal lahir pada NIK tidak cocok dengan tanggal lahir yang diisi.'
    if female != (clean.jenis_kelamin == 'Perempuan'):
        return 'Kode jenis kelamin pada NIK tidak cocok dengan jenis kelamin yang diisi.'
    return None


def plan_revision(
    pengurusan: Pengurusan, isian_spec: list[dict], changes: dict[str, Any]
) -> tuple[dict[str, Any], list[dict], dict[str, str]]:
    """Return the cleaned new values, the old → new list, and a message per wrong field."""
    values: dict[str, Any] = {}
    diff: list[dict] = []
    errors: dict[str, str] = {}
    for name, raw in changes.items():
        if name == 'isian':
            continue
        if name not in FIELD_LABELS:
            errors[name] = 'Kolom ini tidak dapat direvisi.'
            continue
        try:
            new = clean_field(name, raw)
        except InvalidValue as error:
            errors[name] = str(error)
            continue
        old = getattr(pengurusan, name)
        if new != old:
            values[name] = new
            diff.append({'field': name, 'label': FIELD_LABELS[name], 'old': str(old), 'new': str(new)})
    if 'isian' in changes:
        merged = {**pengurusan.isian, **changes['isian']}
        clean, isian_errors = clean_isian(merged, isian_spec)
        errors.update(isian_errors)
        labels = {item['kode']: item['label'] for item in isian_spec}
        for kode, new in clean.items():
            if new != pengurusan.isian.get(kode, ''):
                diff.append(
                    {
                        'field': f'isian.{kode}',
                        'label': labels[kode],
                        'old': str(pengurusan.isian.get(kode, '')),
                        'new': str(new),
                    }
                )
        if clean != pengurusan.isian:
            values['isian'] = clean
    return values, diff, errors
