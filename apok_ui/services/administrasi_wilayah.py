"""The system administrator's actions on kecamatan and kelurahan: names, letter codes, the kop surat address.

Each action re-checks the administrator (services.common.admin_action asks models.akses) and writes its audit
row in the same transaction.
"""

from __future__ import annotations

import re

from sqlmodel import Session, func, select

from apok_ui.services.common import Actor, admin_action, audit, invalid
from apok_ui.services.errors import Invalid, NotFound
from models import Kecamatan, Kelurahan, Petugas
from models.akses import Kelola
from models.validasi import InvalidValue, check_text

# Three capital letters: the kode opens every Nomor Pendaftaran (models.validasi.NOMOR_PENDAFTARAN_RE).
KODE_KECAMATAN_RE = re.compile(r'^[A-Z]{3}$')


def update_kecamatan(*, actor: Actor, kecamatan_id: int, nama: str, kode: str, alamat: str, ip: str = '') -> None:
    """Change a kecamatan's name, letter code (new numbers only; issued letters keep theirs) or kop address."""
    values = _clean_kecamatan(nama, kode, alamat)

    def act(session: Session, admin: Petugas) -> None:
        kecamatan = session.get(Kecamatan, kecamatan_id)
        if kecamatan is None:
            raise NotFound('Kecamatan tidak ditemukan.')
        _check_kecamatan_free(session, values, kecamatan_id)
        changes = {k: (getattr(kecamatan, k), v) for k, v in values.items() if getattr(kecamatan, k) != v}
        if not changes:
            raise Invalid('Tidak ada data yang diubah.')
        for name, (_, new) in changes.items():
            setattr(kecamatan, name, new)
        detail = '; '.join(f'{k}: {old} → {new}' for k, (old, new) in changes.items())
        audit(
            session,
            'kecamatan_ubah',
            petugas=admin,
            objek=f'kecamatan:{kecamatan_id}',
            ip=ip,
            detail=detail,
            kecamatan_id=kecamatan_id,
        )

    admin_action(actor, Kelola.KECAMATAN, 'kecamatan_ubah', f'kecamatan:{kecamatan_id}', act)


def add_kecamatan(*, actor: Actor, nama: str, kode: str, alamat: str, ip: str = '') -> int:
    """Add a kecamatan (its layanan are open unless switched off); return its id."""
    values = _clean_kecamatan(nama, kode, alamat)

    def act(session: Session, admin: Petugas) -> int:
        _check_kecamatan_free(session, values, None)
        kecamatan = Kecamatan(**values)
        session.add(kecamatan)
        session.flush()
        audit(
            session,
            'kecamatan_tambah',
            petugas=admin,
            objek=f'kecamatan:{kecamatan.id}',
            ip=ip,
            detail=f'{kecamatan.kode} {kecamatan.nama}',
            kecamatan_id=kecamatan.id,
        )
        return kecamatan.id

    return admin_action(actor, Kelola.KECAMATAN, 'kecamatan_tambah', 'kecamatan:baru', act)


def save_kelurahan(*, actor: Actor, kecamatan_id: int, nama: str, kelurahan_id: int | None = None, ip: str = '') -> int:
    """Add a kelurahan to a kecamatan, or rename one; return its id."""
    try:
        nama = check_text(' '.join((nama or '').split()), field='Nama kelurahan', max_len=60)
    except InvalidValue as error:
        raise Invalid(str(error), {'nama': str(error)}) from None

    def act(session: Session, admin: Petugas) -> int:
        if session.get(Kecamatan, kecamatan_id) is None:
            raise NotFound('Kecamatan tidak ditemukan.')
        same = session.exec(
            select(Kelurahan).where(Kelurahan.kecamatan_id == kecamatan_id, func.lower(Kelurahan.nama) == nama.lower())
        ).first()
        if same is not None and same.id != kelurahan_id:
            raise Invalid(f'Kelurahan {nama} sudah ada.', {'nama': 'Nama ini sudah dipakai.'})
        kelurahan = Kelurahan(kecamatan_id=kecamatan_id, nama=nama) if kelurahan_id is None else None
        if kelurahan is None:
            kelurahan = session.get(Kelurahan, kelurahan_id)
            if kelurahan is None or kelurahan.kecamatan_id != kecamatan_id:
                raise NotFound('Kelurahan tidak ditemukan.')
            detail = f'{kelurahan.nama} → {nama}'
            kelurahan.nama = nama
        else:
            detail = nama
        session.add(kelurahan)
        session.flush()
        aksi = 'kelurahan_tambah' if kelurahan_id is None else 'kelurahan_ubah'
        audit(
            session,
            aksi,
            petugas=admin,
            objek=f'kelurahan:{kelurahan.id}',
            ip=ip,
            detail=detail,
            kecamatan_id=kecamatan_id,
        )
        return kelurahan.id

    return admin_action(actor, Kelola.KECAMATAN, 'kelurahan_simpan', f'kecamatan:{kecamatan_id}', act)


def _clean_kecamatan(nama: str, kode: str, alamat: str) -> dict:
    errors: dict[str, str] = {}
    values: dict = {}
    try:
        values['nama'] = check_text(' '.join((nama or '').split()), field='Nama kecamatan', max_len=60)
    except InvalidValue as error:
        errors['nama'] = str(error)
    values['kode'] = (kode or '').strip().upper()
    if not KODE_KECAMATAN_RE.match(values['kode']):
        errors['kode'] = 'Kode kecamatan 3 huruf, contoh: BTK.'
    try:
        values['alamat'] = check_text(alamat, field='Alamat kantor', max_len=200)
    except InvalidValue as error:
        errors['alamat'] = str(error)
    if errors:
        raise invalid(errors, 'Periksa kembali data kecamatan yang ditandai.')
    return values


def _check_kecamatan_free(session: Session, values: dict, own_id: int | None) -> None:
    for name, label in (('nama', 'Nama'), ('kode', 'Kode')):
        column = getattr(Kecamatan, name)
        other = session.exec(select(Kecamatan).where(func.lower(column) == values[name].lower())).first()
        if other is not None and other.id != own_id:
            raise Invalid(f'{label} kecamatan sudah dipakai {other.nama}.', {name: 'Sudah dipakai kecamatan lain.'})
