"""Delegations of the Camat's signature: a.n. Camat (the Sekretaris Camat signs as final signer), Plt. or Plh. Camat,
each for a recorded period. Recorded by the kecamatan's Camat or the superadmin; each is in the audit log."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from apok_ui import db
from apok_ui.services.common import Actor, audit, load_actor, refuse
from apok_ui.services.errors import Invalid, NotFound
from models import Delegasi, Peran, Petugas
from models.tanda_tangan import JenisDelegasi, check_periode

HANYA_CAMAT = 'Hanya Camat kecamatan ini atau Administrator Sistem yang dapat mencatat delegasi.'


def record(
    *, actor: Actor, kecamatan_id: int, jenis: str, petugas_id: int, mulai: date, sampai: date, ip: str = ''
) -> int:
    """Record a delegation period; a.n. Camat is for the kecamatan's Sekretaris Camat, Plt./Plh. for any officer of
    it. Return its id."""
    if jenis not in JenisDelegasi._value2member_map_:
        raise Invalid('Pilih jenis delegasi.', {'jenis': 'Pilih jenis delegasi.'})
    salah = check_periode(mulai, sampai)
    if salah:
        raise Invalid(salah, {'sampai': salah})
    with db.get().write() as session:
        pencatat = _pencatat(session, actor, kecamatan_id)
        target = session.get(Petugas, petugas_id)
        if target is None or target.kecamatan_id != kecamatan_id or not target.aktif:
            raise Invalid('Pilih petugas aktif dari kecamatan ini.', {'petugas_id': 'Pilih petugas kecamatan ini.'})
        if jenis == JenisDelegasi.AN and target.peran != Peran.SEKCAM:
            raise Invalid('a.n. Camat hanya untuk Sekretaris Camat.', {'petugas_id': 'Pilih Sekretaris Camat.'})
        row = Delegasi(
            kecamatan_id=kecamatan_id,
            jenis=jenis,
            petugas_id=petugas_id,
            mulai=mulai,
            sampai=sampai,
            dicatat_oleh=pencatat.id,
        )
        session.add(row)
        session.flush()
        audit(
            session,
            'delegasi_catat',
            petugas=pencatat,
            objek=f'delegasi:{row.id}',
            ip=ip,
            kecamatan_id=kecamatan_id,
            detail=f'{JenisDelegasi(jenis).label}: {target.nama}, {mulai:%d-%m-%Y} s.d. {sampai:%d-%m-%Y}',
        )
        return row.id


def remove(*, actor: Actor, delegasi_id: int, ip: str = '') -> None:
    """Delete a delegation period (letters already issued keep what they print)."""
    with db.get().write() as session:
        row = session.get(Delegasi, delegasi_id)
        if row is None:
            raise NotFound('Delegasi tidak ditemukan.')
        pencatat = _pencatat(session, actor, row.kecamatan_id)
        session.delete(row)
        audit(
            session,
            'delegasi_hapus',
            petugas=pencatat,
            objek=f'delegasi:{delegasi_id}',
            ip=ip,
            kecamatan_id=row.kecamatan_id,
        )


def _pencatat(session: Session, actor: Actor, kecamatan_id: int) -> Petugas:
    petugas = load_actor(session, actor)
    peran = Peran(petugas.peran)
    refuse(
        None
        if peran is Peran.SUPERADMIN or (peran is Peran.CAMAT and petugas.kecamatan_id == kecamatan_id)
        else HANYA_CAMAT
    )
    return petugas
