"""Issuing the letter: the final approval that stores its rendered (and signed) PDF in the same transaction, and the
late storing of a letter finished without one. The file is written before the transaction; a refusal deletes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from apok_ui import db
from apok_ui.events import Perubahan
from apok_ui.services import keputusan
from apok_ui.services.common import Actor, audit
from apok_ui.services.errors import Invalid
from models import Pengurusan, Petugas, Surat
from models import workflow as wf


@dataclass(frozen=True)
class BerkasSurat:
    """A rendered letter already written under APOK_DATA_DIR/surat, to be recorded."""

    nama_simpan: str
    sha256: str
    ukuran: int
    ttd: str
    demo: bool
    sertifikat_subjek: str
    penandatangan_nama: str
    penandatangan_jabatan: str


def complete(
    *,
    actor: Actor,
    pengurusan_id: int,
    version: int,
    keterangan: str,
    at: datetime,
    token: str,
    nomor: str,
    surat: BerkasSurat,
) -> Perubahan:
    """Approve as the last stage and record the letter rendered for it, in one transaction; raise
    keputusan.NomorBerubah when the nomor it carries was taken meanwhile (nothing is kept then)."""
    keterangan = keputusan._keterangan(keterangan, required=wf.RULES[wf.Aksi.SETUJUI].keterangan_wajib)

    def act(session: Session, petugas: Petugas, pengurusan: Pengurusan) -> Perubahan:
        if not wf.completes(wf.Aksi.SETUJUI, pengurusan.posisi):
            raise Invalid('Persetujuan ini tidak lagi menyelesaikan pengurusan; muat ulang datanya.')
        change = keputusan._move(
            session, petugas, pengurusan, wf.Aksi.SETUJUI, seen_version=version, keterangan=keterangan, at=at
        )
        keputusan._complete(session, pengurusan, penandatangan=petugas, at=at, token=token, nomor_diharapkan=nomor)
        _record(session, pengurusan.id, surat, at)
        return change

    return keputusan._officer_action(actor, pengurusan_id, wf.Aksi.SETUJUI, act)


def store_late(*, pengurusan_id: int, surat: BerkasSurat, at: datetime) -> str:
    """Record the letter of an application finished without one; return the stored file that now stands (another
    print may have stored one first: then that one, and the caller deletes its own)."""
    with db.get().write() as session:
        existing = session.execute(select(Surat.nama_simpan).where(Surat.pengurusan_id == pengurusan_id)).scalar()
        if existing is not None:
            return existing
        _record(session, pengurusan_id, surat, at)
    return surat.nama_simpan


def _record(session: Session, pengurusan_id: int, surat: BerkasSurat, at: datetime) -> None:
    session.add(
        Surat(
            pengurusan_id=pengurusan_id,
            nama_simpan=surat.nama_simpan,
            sha256=surat.sha256,
            ukuran=surat.ukuran,
            ttd=surat.ttd,
            demo=surat.demo,
            sertifikat_subjek=surat.sertifikat_subjek[:200],
            penandatangan_nama=surat.penandatangan_nama[:100],
            penandatangan_jabatan=surat.penandatangan_jabatan[:200],
            dibuat_at=at,
        )
    )


def record_download(*, pengurusan_id: int, ip: str = '') -> None:
    """Record in the audit log that the citizen downloaded the letter from Lacak (who is known only by the pair)."""
    with db.get().write() as session:
        pengurusan = session.get(Pengurusan, pengurusan_id)
        audit(
            session,
            'surat_diunduh',
            objek=f'pengurusan:{pengurusan_id}',
            ip=ip,
            detail='Unduh surat dari Lacak',
            kecamatan_id=pengurusan.kecamatan_id if pengurusan else None,
        )
