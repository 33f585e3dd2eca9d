"""The superadmin's settings of the printed letter: a kecamatan's letterhead (kop surat) and the city's nomor surat
pattern. Each is validated here, beside its field, and audited; letters already issued never change."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from apok_ui.nomor_surat import LINGKUP, POLA
from apok_ui.services.common import Actor, admin_action, audit, invalid
from apok_ui.services.errors import NotFound
from models import Kecamatan, Pengaturan, Petugas, jenis_berkas
from models.akses import Kelola
from models.penomoran import Lingkup, check_pola
from models.validasi import InvalidValue, check_text, normalize_email

LOGO_MAX_BYTES = 512 * 1024
KODE_POS_RE = re.compile(r'\d{5}')
TELEPON_RE = re.compile(r'[0-9 ()+\-.]{5,30}')
LAMAN_RE = re.compile(r'(https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/[A-Za-z0-9._~/-]*)?')


@dataclass
class DataKop:
    """A kecamatan's letterhead as the superadmin types it; `logo` None keeps the current logo, b'' removes it."""

    alamat: str = ''
    kode_pos: str = ''
    telepon: str = ''
    email: str = ''
    laman: str = ''
    logo: bytes | None = None


def clean_kop(data: DataKop) -> dict:
    """Return the letterhead's columns checked, or raise Invalid naming each wrong field in Indonesian."""
    errors: dict[str, str] = {}
    values: dict = {}
    try:
        values['alamat'] = check_text(data.alamat, field='Alamat kantor', max_len=200)
    except InvalidValue as error:
        errors['alamat'] = str(error)
    for name, pattern, message in (
        ('kode_pos', KODE_POS_RE, 'Kode pos 5 angka, contoh: 29461.'),
        ('telepon', TELEPON_RE, 'Nomor telepon hanya angka, spasi, ( ) + - dan titik, contoh: (0778) 460000.'),
        ('laman', LAMAN_RE, 'Tulis alamat laman, contoh: batamkota.batam.go.id.'),
    ):
        value = ' '.join((getattr(data, name) or '').split())
        if value and not pattern.fullmatch(value):
            errors[name] = message
        values[name] = value
    email = (data.email or '').strip()
    if email:
        try:
            email = normalize_email(email)
        except InvalidValue as error:
            errors['email'] = str(error)
    values['email'] = email
    if data.logo:
        if len(data.logo) > LOGO_MAX_BYTES:
            errors['logo'] = 'Logo paling besar 512 KB.'
        elif jenis_berkas.jenis_of(data.logo) not in jenis_berkas.GAMBAR:
            errors['logo'] = 'Logo harus gambar PNG atau JPG.'
    if data.logo is not None:
        values['logo'] = data.logo or None
    if errors:
        raise invalid(errors, 'Periksa kembali kop surat yang ditandai.')
    return values


def update_kop(*, actor: Actor, kecamatan_id: int, data: DataKop, ip: str = '') -> None:
    """Change a kecamatan's letterhead (new letters only)."""
    values = clean_kop(data)

    def act(session: Session, admin: Petugas) -> None:
        kecamatan = session.get(Kecamatan, kecamatan_id)
        if kecamatan is None:
            raise NotFound('Kecamatan tidak ditemukan.')
        changed = [name for name, value in values.items() if getattr(kecamatan, name) != value]
        for name in changed:
            setattr(kecamatan, name, values[name])
        detail = ', '.join(changed) or 'tidak ada yang berubah'
        audit(
            session,
            'kop_ubah',
            petugas=admin,
            objek=f'kecamatan:{kecamatan_id}',
            ip=ip,
            detail=detail,
            kecamatan_id=kecamatan_id,
        )

    admin_action(actor, Kelola.KECAMATAN, 'kop_ubah', f'kecamatan:{kecamatan_id}', act)


def save_penomoran(*, actor: Actor, pola: str, lingkup: str, ip: str = '') -> None:
    """Set the city's nomor surat pattern and counter scope; a pattern without {nomor} (or with an unknown
    placeholder) is refused beside its field. Numbers already issued keep their form."""
    pola = (pola or '').strip()
    errors = {}
    salah = check_pola(pola)
    if salah:
        errors['pola'] = salah
    if lingkup not in Lingkup._value2member_map_:
        errors['lingkup'] = 'Pilih cakupan penomoran.'
    if errors:
        raise invalid(errors, 'Periksa kembali pengaturan nomor surat.')

    def act(session: Session, admin: Petugas) -> None:
        for kunci, nilai in ((POLA, pola), (LINGKUP, lingkup)):
            row = session.get(Pengaturan, kunci) or Pengaturan(kunci=kunci)
            row.nilai = nilai
            session.add(row)
        audit(session, 'nomor_pola', petugas=admin, ip=ip, detail=f'{pola} ({lingkup})')

    admin_action(actor, Kelola.KECAMATAN, 'nomor_pola', 'pengaturan', act)
