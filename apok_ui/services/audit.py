"""Views of personal data (UU 27/2022): every Lihat Data and every berkas shown to an officer leaves an audit row."""

from __future__ import annotations

from dataclasses import dataclass

from apok_ui import berkas, db
from apok_ui.services.common import Actor, audit, audit_refusal, load_actor, load_for_officer
from apok_ui.services.errors import Forbidden, NotFound
from models import Berkas


@dataclass(frozen=True)
class BerkasFile:
    """A stored file an officer may see: where it lies, what it is, and the name the citizen gave it."""

    path: str
    content_type: str
    nama_asli: str


def record_view(actor: Actor, pengurusan_id: int, ip: str = '') -> None:
    """Record that the officer opened Lihat Data; refuse (and record the refusal) outside their kecamatan."""
    try:
        with db.get().write() as session:
            petugas = load_actor(session, actor)
            load_for_officer(session, petugas, pengurusan_id)
            audit(session, 'lihat_data', petugas=petugas, objek=f'pengurusan:{pengurusan_id}', ip=ip)
    except (Forbidden, NotFound) as error:
        audit_refusal(actor, 'lihat_data', f'pengurusan:{pengurusan_id}', str(error))
        raise


def open_berkas(actor: Actor, berkas_id: int, ip: str = '') -> BerkasFile:
    """Return a berkas for an officer of its kecamatan and record the view; refuse everyone else."""
    try:
        with db.get().write() as session:
            petugas = load_actor(session, actor)
            row = session.get(Berkas, berkas_id)
            if row is None:
                raise NotFound('Berkas tidak ditemukan.')
            load_for_officer(session, petugas, row.pengurusan_id)
            audit(
                session,
                'lihat_berkas',
                petugas=petugas,
                objek=f'berkas:{berkas_id}',
                ip=ip,
                detail=f'pengurusan:{row.pengurusan_id}',
            )
            found = BerkasFile(str(berkas.gudang().path(row.nama_simpan)), row.content_type, row.nama_asli)
    except (Forbidden, NotFound) as error:
        audit_refusal(actor, 'lihat_berkas', f'berkas:{berkas_id}', str(error))
        raise
    return found
