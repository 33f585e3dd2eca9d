"""What a layanan definition must look like (SPEC §2): codes, requirements, extra fields, stages, SLA. No I/O.

Applications keep the stages they started with (Pengurusan.tahapan), so a changed definition only affects
new submissions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from models.jenis_berkas import JENIS_BERKAS
from models.validasi import InvalidValue, check_text
from models.workflow import DEFAULT_TAHAPAN, validate_tahapan

JENIS_ISIAN = {
    'teks': 'Teks singkat',
    'teks_panjang': 'Teks panjang',
    'angka': 'Angka',
    'tanggal': 'Tanggal',
    'pilihan': 'Pilihan',
}
UKURAN_KERTAS = {'A4': '210mm 297mm', 'F4': '215mm 330mm'}  # the paper a letter prints on, with its CSS page size
SLA_MAX = 60
KODE_LAYANAN_RE = re.compile(r'^[A-Z0-9]{2,10}$')
KODE_KLASIFIKASI_RE = re.compile(r'^\d{3}(\.\d{1,3}){0,3}$')
KODE_ITEM_RE = re.compile(r'^[a-z0-9_]{1,40}$')


class InvalidLayanan(ValueError):
    """A layanan definition that does not fit; `errors` maps field names to Indonesian messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__('Periksa kembali isian layanan yang ditandai.')
        self.errors = errors


@dataclass
class DataLayanan:
    """A layanan as the administrator edits it; requirement and field codes stay stable once given."""

    kode: str
    nama: str
    kode_klasifikasi: str
    deskripsi: str = ''
    persyaratan: list[dict] = field(default_factory=list)  # [{kode, label, wajib, jenis: [pdf|jpg|png]}]
    isian: list[dict] = field(default_factory=list)  # [{kode, label, jenis, wajib, pilihan}]
    tahapan: list[str] = field(default_factory=lambda: list(DEFAULT_TAHAPAN))
    sla_hari_kerja: int | str = 3
    template: str = 'umum.html'
    ukuran_kertas: str = 'A4'
    aktif: bool = True
    unduh_online: bool = False  # the finished letter may be downloaded from Lacak (issue 14)


def clean_layanan(data: DataLayanan, *, templates: frozenset[str]) -> DataLayanan:
    """Return the definition cleaned, or raise InvalidLayanan naming every wrong field."""
    errors: dict[str, str] = {}
    clean = replace(data)
    for name, check in (
        ('kode', _kode),
        ('nama', lambda v: check_text(v, field='Nama layanan', max_len=120)),
        ('deskripsi', lambda v: check_text(v, field='Deskripsi', max_len=500, required=False)),
        ('kode_klasifikasi', _kode_klasifikasi),
        ('sla_hari_kerja', _sla),
        ('ukuran_kertas', _ukuran),
        ('template', lambda v: _template(v, templates)),
        ('tahapan', _tahapan),
    ):
        try:
            setattr(clean, name, check(getattr(data, name)))
        except InvalidValue as error:
            errors[name] = str(error)
    clean.persyaratan = _items(data.persyaratan, _persyaratan, 'persyaratan', errors)
    clean.isian = _items(data.isian, _isian, 'isian', errors)
    if not data.persyaratan:
        errors['persyaratan'] = 'Tambahkan minimal satu persyaratan.'
    if errors:
        raise InvalidLayanan(errors)
    clean.aktif = bool(data.aktif)
    clean.unduh_online = bool(data.unduh_online)
    return clean


def _kode(value: str) -> str:
    kode = (value or '').strip().upper()
    if not KODE_LAYANAN_RE.match(kode):
        raise InvalidValue('Kode layanan 2–10 huruf besar atau angka, contoh: SKTM.')
    return kode


def _kode_klasifikasi(value: str) -> str:
    kode = (value or '').strip()
    if not KODE_KLASIFIKASI_RE.match(kode):
        raise InvalidValue('Kode klasifikasi berupa angka arsip, contoh: 400 atau 474.2.')
    return kode


def _sla(value: int | str) -> int:
    try:
        days = int(str(value).strip())
    except ValueError:
        raise InvalidValue('SLA berupa jumlah hari kerja (angka).') from None
    if not 1 <= days <= SLA_MAX:
        raise InvalidValue(f'SLA antara 1 dan {SLA_MAX} hari kerja.')
    return days


def _ukuran(value: str) -> str:
    ukuran = (value or '').strip().upper()
    if ukuran not in UKURAN_KERTAS:
        raise InvalidValue(f'Pilih ukuran kertas {" atau ".join(UKURAN_KERTAS)}.')
    return ukuran


def _template(value: str, templates: frozenset[str]) -> str:
    if value not in templates:
        raise InvalidValue('Pilih template cetak dari daftar.')
    return value


def _tahapan(value: list[str]) -> list[str]:
    try:
        return list(validate_tahapan([str(v) for v in value or []]))
    except ValueError as error:
        raise InvalidValue(str(error)) from None


def _items(items: list[dict], check, name: str, errors: dict[str, str]) -> list[dict]:
    """Return each item checked, and report wrong ones as '{name}.{index}'; codes must be distinct."""
    clean: list[dict] = []
    for index, item in enumerate(items or []):
        try:
            clean.append(check(item))
        except InvalidValue as error:
            errors[f'{name}.{index}'] = str(error)
    kodes = [item['kode'] for item in clean]
    if len(set(kodes)) != len(kodes):
        errors[name] = 'Dua baris memiliki label yang sama; bedakan labelnya.'
    return clean


def _kode_item(item: dict) -> str:
    kode = str(item.get('kode') or '')
    if not KODE_ITEM_RE.match(kode):
        raise InvalidValue('Kode baris tidak valid.')
    return kode


def _persyaratan(item: dict) -> dict:
    label = check_text(item.get('label', ''), field='Nama persyaratan', max_len=120)
    jenis = [j for j in JENIS_BERKAS if j in (item.get('jenis') or [])]
    if not jenis:
        raise InvalidValue(f'{label}: pilih minimal satu jenis berkas (PDF, JPG, PNG).')
    return {'kode': _kode_item(item), 'label': label, 'wajib': bool(item.get('wajib', True)), 'jenis': jenis}


def _isian(item: dict) -> dict:
    label = check_text(item.get('label', ''), field='Nama isian', max_len=120)
    jenis = item.get('jenis', 'teks')
    if jenis not in JENIS_ISIAN:
        raise InvalidValue(f'{label}: pilih jenis isian dari daftar.')
    pilihan = [check_text(str(p), field='Pilihan', max_len=60) for p in item.get('pilihan') or [] if str(p).strip()]
    if jenis == 'pilihan' and len(pilihan) < 2:
        raise InvalidValue(f'{label}: isian pilihan butuh minimal dua pilihan.')
    if len(set(pilihan)) != len(pilihan):
        raise InvalidValue(f'{label}: ada pilihan yang sama.')
    return {
        'kode': _kode_item(item),
        'label': label,
        'jenis': jenis,
        'wajib': bool(item.get('wajib', True)),
        'pilihan': pilihan if jenis == 'pilihan' else [],
    }
