"""Reference data every fresh database gets: Batam's kecamatan and kelurahan, and the default layanan."""

from __future__ import annotations

import json
import re

from sqlmodel import Session, func, select

from apok_ui import db
from apok_ui.assets import REFERENSI_DIR
from apok_ui.printing.templates import template_for
from models import Kecamatan, Kelurahan, Layanan
from models.jenis_berkas import GAMBAR, SEMUA_JENIS
from models.workflow import DEFAULT_TAHAPAN

PHOTO_REQUIREMENT = re.compile(r'pas foto', re.IGNORECASE)


def seed_reference() -> bool:
    """Fill an empty database with the reference data; return whether anything was added."""
    with db.get().write() as session:
        if session.exec(select(func.count()).select_from(Kecamatan)).one():
            return False
        wilayah = json.loads((REFERENSI_DIR / 'batam-wilayah.json').read_text())
        for item in wilayah['kecamatan']:
            _add_kecamatan(session, item, wilayah['kota'])
        for item in json.loads((REFERENSI_DIR / 'layanan.json').read_text())['layanan']:
            session.add(layanan_from_reference(item))
    return True


def _add_kecamatan(session: Session, item: dict, kota: str) -> None:
    kecamatan = Kecamatan(nama=item['nama'], kode=item['kode'], alamat=f'Kantor Camat {item["nama"]}, Kota {kota}')
    session.add(kecamatan)
    session.flush()
    for nama in item['kelurahan']:
        session.add(Kelurahan(kecamatan_id=kecamatan.id, nama=nama))


def layanan_from_reference(item: dict) -> Layanan:
    """Return a Layanan from an entry of layanan.json, giving each requirement and field a stable code."""
    persyaratan = [
        {
            'kode': slug(label),
            'label': label,
            'wajib': True,
            'jenis': list(GAMBAR if PHOTO_REQUIREMENT.search(label) else SEMUA_JENIS),
        }
        for label in item['persyaratan']
    ]
    isian = [
        {
            'kode': slug(f['label']),
            'label': f['label'],
            'jenis': f.get('jenis', 'teks'),
            'wajib': f.get('wajib', True),
            'pilihan': f.get('pilihan', []),
        }
        for f in item['isian']
    ]
    return Layanan(
        kode=item['kode'],
        nama=item['nama'],
        deskripsi=item.get('deskripsi', ''),
        persyaratan=persyaratan,
        isian=isian,
        tahapan=list(DEFAULT_TAHAPAN),
        sla_hari_kerja=item['sla_hari_kerja'],
        kode_klasifikasi=item['kode_klasifikasi'],
        template=template_for(item['kode']),
    )


def slug(label: str) -> str:
    """Return a short code for a label: 'Pas foto 3x4' -> 'pas_foto_3x4'."""
    return re.sub(r'[^a-z0-9]+', '_', label.lower()).strip('_')[:40]
