"""The system administrator's actions on layanan: the definition (models.layanan) and per-kecamatan on/off.

Applications keep the stages they started with (Pengurusan.tahapan is copied at submission), so saving a layanan
never changes an application already in progress. Each action re-checks the administrator and writes its audit
row in the same transaction.
"""

from __future__ import annotations

from sqlmodel import Session, func, select

from apok_ui import db
from apok_ui.printing.render import PRINT_DIR
from apok_ui.services.common import Actor, admin_action, audit, invalid
from apok_ui.services.errors import Invalid, NotFound
from apok_ui.services.referensi import slug
from models import Kecamatan, Layanan, Petugas
from models.akses import Kelola
from models.layanan import DataLayanan, InvalidLayanan, clean_layanan
from models.tables import LayananKecamatan

FIELDS = ('kode', 'nama', 'deskripsi', 'persyaratan', 'isian', 'tahapan', 'sla_hari_kerja', 'kode_klasifikasi')
FIELDS += ('template', 'ukuran_kertas', 'aktif', 'unduh_online')


def templates() -> frozenset[str]:
    """Return the print templates a layanan may use (every letter template in assets/print except the base)."""
    return frozenset(path.name for path in PRINT_DIR.glob('*.html') if path.name != 'base.html')


def save_layanan(*, actor: Actor, data: DataLayanan, layanan_id: int | None = None, ip: str = '') -> int:
    """Add a layanan (layanan_id None) or change one; return its id. Applications in progress are not touched."""
    data.persyaratan = with_codes(data.persyaratan)
    data.isian = with_codes(data.isian)
    try:
        clean = clean_layanan(data, templates=templates())
    except InvalidLayanan as error:
        raise invalid(error.errors, str(error)) from None
    values = {name: getattr(clean, name) for name in FIELDS}

    def act(session: Session, admin: Petugas) -> int:
        other = session.exec(select(Layanan).where(func.upper(Layanan.kode) == clean.kode)).first()
        if other is not None and other.id != layanan_id:
            raise Invalid(f'Kode {clean.kode} sudah dipakai {other.nama}.', {'kode': 'Kode ini sudah dipakai.'})
        if layanan_id is None:
            layanan = Layanan(**values)
            changed = ['baru']
        else:
            layanan = session.get(Layanan, layanan_id)
            if layanan is None:
                raise NotFound('Layanan tidak ditemukan.')
            changed = [name for name in FIELDS if getattr(layanan, name) != values[name]]
            if not changed:
                raise Invalid('Tidak ada data yang diubah.')
            for name in changed:
                setattr(layanan, name, values[name])
        session.add(layanan)
        session.flush()
        aksi = 'layanan_tambah' if layanan_id is None else 'layanan_ubah'
        audit(session, aksi, petugas=admin, objek=f'layanan:{layanan.id}', ip=ip, detail=_describe(layanan, changed))
        return layanan.id

    return admin_action(actor, Kelola.LAYANAN, 'layanan_simpan', f'layanan:{layanan_id or "baru"}', act)


def set_layanan_kecamatan(*, actor: Actor, layanan_id: int, kecamatan_id: int, aktif: bool, ip: str = '') -> None:
    """Open or close a layanan in one kecamatan (new submissions only; applications in progress continue)."""

    def act(session: Session, admin: Petugas) -> None:
        layanan, kecamatan = session.get(Layanan, layanan_id), session.get(Kecamatan, kecamatan_id)
        if layanan is None or kecamatan is None:
            raise NotFound('Layanan atau kecamatan tidak ditemukan.')
        row = session.get(LayananKecamatan, (layanan_id, kecamatan_id))
        if row is None:
            row = LayananKecamatan(layanan_id=layanan_id, kecamatan_id=kecamatan_id)
        row.aktif = aktif
        session.add(row)
        audit(
            session,
            'layanan_kecamatan',
            petugas=admin,
            objek=f'layanan:{layanan_id}',
            ip=ip,
            detail=f'{layanan.kode} di {kecamatan.nama}: {"dibuka" if aktif else "ditutup"}',
            kecamatan_id=kecamatan_id,
        )

    admin_action(actor, Kelola.LAYANAN, 'layanan_kecamatan', f'layanan:{layanan_id}', act)


def seed_unduh_online(kode: tuple[str, ...]) -> None:
    """Mark these layanan deliverable online at the first start of `make run` (Unduh surat on Lacak)."""
    with db.get().write() as session:
        for layanan in session.exec(select(Layanan).where(Layanan.kode.in_(kode))):
            layanan.unduh_online = True


def layanan_dibuka(session: Session, layanan: Layanan, kecamatan_id: int) -> bool:
    """Return whether citizens may submit this layanan in this kecamatan now (its own switch and the kecamatan's)."""
    if not layanan.aktif:
        return False
    row = session.get(LayananKecamatan, (layanan.id, kecamatan_id))
    return row is None or row.aktif


def with_codes(items: list[dict]) -> list[dict]:
    """Return requirement or field rows with a stable code each: kept when given, else made from the label."""
    taken = {str(item.get('kode')) for item in items if item.get('kode')}
    result = []
    for item in items:
        item = dict(item)
        if not item.get('kode'):
            base = slug(str(item.get('label', ''))) or 'baris'
            kode, n = base, 2
            while kode in taken:
                kode, n = f'{base[:36]}_{n}', n + 1
            item['kode'] = kode
            taken.add(kode)
        result.append(item)
    return result


def _describe(layanan: Layanan, changed: list[str]) -> str:
    if changed == ['baru']:
        return f'{layanan.kode} {layanan.nama}'
    tahapan = f' (tahapan: {" → ".join(layanan.tahapan)})' if 'tahapan' in changed else ''
    return f'{layanan.kode}: {", ".join(changed)}{tahapan}'
