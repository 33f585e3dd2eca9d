"""The officers' actions on an application: approve, reject, revise, record a print, hand over."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from apok_ui import db
from apok_ui.events import Perubahan
from apok_ui.services import nomor_surat
from apok_ui.services.common import Actor, audit_refusal, load_actor, load_for_officer, transition
from apok_ui.services.errors import Forbidden, Invalid, NotFound
from models import Kecamatan, Layanan, Pengurusan, Peran, Petugas
from models import workflow as wf
from models.permohonan import plan_revision
from models.tables import KETERANGAN_MAX
from models.validasi import InvalidValue, check_nama, check_text
from models.waktu import now


def approve(
    *, actor: Actor, pengurusan_id: int, version: int, keterangan: str = '', at: datetime | None = None
) -> Perubahan:
    """Approve the application at the officer's stage; the last stage completes it and assigns the nomor surat."""
    keterangan = _keterangan(keterangan, required=wf.RULES[wf.Aksi.SETUJUI].keterangan_wajib)

    def act(session: Session, petugas: Petugas, pengurusan: Pengurusan) -> Perubahan:
        completing = wf.completes(wf.Aksi.SETUJUI, pengurusan.posisi)
        change = _move(
            session, petugas, pengurusan, wf.Aksi.SETUJUI, seen_version=version, keterangan=keterangan, at=at
        )
        if completing:
            _complete(session, pengurusan, penandatangan=petugas, at=at or now())
        return change

    return _officer_action(actor, pengurusan_id, wf.Aksi.SETUJUI, act)


def reject(*, actor: Actor, pengurusan_id: int, version: int, keterangan: str, at: datetime | None = None) -> Perubahan:
    """Reject: at the Admin's stage back to the citizen, at a later stage back to the Admin for revision."""
    keterangan = _keterangan(keterangan, required=wf.RULES[wf.Aksi.TOLAK].keterangan_wajib)

    def act(session: Session, petugas: Petugas, pengurusan: Pengurusan) -> Perubahan:
        return _move(session, petugas, pengurusan, wf.Aksi.TOLAK, seen_version=version, keterangan=keterangan, at=at)

    return _officer_action(actor, pengurusan_id, wf.Aksi.TOLAK, act)


def revise(
    *,
    actor: Actor,
    pengurusan_id: int,
    version: int,
    changes: dict[str, Any],
    keterangan: str,
    at: datetime | None = None,
) -> Perubahan:
    """Correct an application sent back to the Admin; each changed field is recorded old → new."""
    keterangan = _keterangan(keterangan, required=wf.RULES[wf.Aksi.REVISI].keterangan_wajib, field='Alasan revisi')

    def act(session: Session, petugas: Petugas, pengurusan: Pengurusan) -> Perubahan:
        layanan = session.get(Layanan, pengurusan.layanan_id)
        values, diff, errors = plan_revision(pengurusan, layanan.isian if layanan else [], changes)
        if errors:
            raise Invalid('Periksa kembali data yang direvisi.', errors)
        if not diff:
            raise Invalid('Tidak ada data yang diubah.')
        return _move(
            session,
            petugas,
            pengurusan,
            wf.Aksi.REVISI,
            seen_version=version,
            keterangan=keterangan,
            perubahan=diff,
            extra=values,
            at=at,
        )

    return _officer_action(actor, pengurusan_id, wf.Aksi.REVISI, act)


def record_print(*, actor: Actor, pengurusan_id: int, at: datetime | None = None) -> Perubahan:
    """Record that the Admin printed the finished document (allowed any number of times, each logged)."""

    def act(session: Session, petugas: Petugas, pengurusan: Pengurusan) -> Perubahan:
        moment = at or now()
        return _move(
            session,
            petugas,
            pengurusan,
            wf.Aksi.CETAK,
            seen_version=None,
            at=moment,
            extra={'dicetak_at': moment, 'jumlah_cetak': pengurusan.jumlah_cetak + 1},
        )

    return _officer_action(actor, pengurusan_id, wf.Aksi.CETAK, act)


def hand_over(
    *,
    actor: Actor,
    pengurusan_id: int,
    version: int,
    penerima_nama: str,
    penerima_hubungan: str = '',
    at: datetime | None = None,
) -> Perubahan:
    """Record that the document was handed over, to whom and (when not the applicant) their relation."""
    try:
        penerima = check_nama(penerima_nama, field='Nama penerima')
        hubungan = check_text(penerima_hubungan, field='Hubungan dengan pemohon', max_len=60, required=False)
    except InvalidValue as error:
        raise Invalid(str(error)) from None

    def act(session: Session, petugas: Petugas, pengurusan: Pengurusan) -> Perubahan:
        if penerima.lower() != pengurusan.nama.lower() and not hubungan:
            raise Invalid('Isi hubungan penerima dengan pemohon (penerima bukan pemohon).')
        moment = at or now()
        keterangan = f'Diterima oleh {penerima}' + (f' ({hubungan})' if hubungan else '')
        return _move(
            session,
            petugas,
            pengurusan,
            wf.Aksi.SERAHKAN,
            seen_version=version,
            keterangan=keterangan,
            at=moment,
            extra={'diserahkan_at': moment, 'penerima_nama': penerima, 'penerima_hubungan': hubungan or None},
        )

    return _officer_action(actor, pengurusan_id, wf.Aksi.SERAHKAN, act)


def _move(session: Session, petugas: Petugas, pengurusan: Pengurusan, aksi: wf.Aksi, **details: Any) -> Perubahan:
    """Apply the officer's action to the application (their role and id go into the check and the Riwayat)."""
    return transition(session, pengurusan, aksi, peran=Peran(petugas.peran), petugas_id=petugas.id, **details)


def _officer_action(
    actor: Actor, pengurusan_id: int, aksi: wf.Aksi, act: Callable[[Session, Petugas, Pengurusan], Perubahan]
) -> Perubahan:
    """Run one officer action in one write transaction (its change record included); refusals leave only an audit
    row."""
    try:
        with db.get().write() as session:
            petugas = load_actor(session, actor)
            pengurusan = load_for_officer(session, petugas, pengurusan_id)
            change = act(session, petugas, pengurusan)
    except (Forbidden, NotFound) as error:
        audit_refusal(actor, aksi.value, f'pengurusan:{pengurusan_id}', str(error))
        raise
    return change


def _complete(
    session: Session,
    pengurusan: Pengurusan,
    *,
    penandatangan: Petugas,
    at: datetime,
    token: str | None = None,
    nomor_diharapkan: str | None = None,
) -> str:
    """Give a completed application its nomor surat, verification token and signer, the officer who approved last
    (the Camat in the default chain, whoever ends a shorter one), inside the approving transaction; return the nomor.

    A letter rendered beforehand carries `nomor_diharapkan`: if another completion took that number meanwhile, raise
    NomorBerubah, which rolls everything back (the caller renders again with the new number)."""
    kecamatan = session.get(Kecamatan, pengurusan.kecamatan_id)
    layanan = session.get(Layanan, pengurusan.layanan_id)
    nomor = nomor_surat.next_nomor(session, kecamatan, layanan, at)
    if nomor_diharapkan is not None and nomor != nomor_diharapkan:
        raise NomorBerubah(nomor)
    # The row's state was already moved by the guarded UPDATE; this only fills in the letter's identity.
    session.execute(
        update(Pengurusan)
        .where(Pengurusan.id == pengurusan.id)
        .values(
            nomor_surat=nomor,
            token_verifikasi=token or secrets.token_urlsafe(24),
            selesai_at=at,
            penandatangan_id=penandatangan.id,
        )
    )
    return nomor


class NomorBerubah(Exception):  # noqa: N818  # not a refusal: a signal to render again, never shown to anyone
    """Another completion took the number a pre-rendered letter carries."""


def _keterangan(text: str, *, required: bool, field: str = 'Keterangan') -> str:
    try:
        return check_text(text, field=field, max_len=KETERANGAN_MAX, required=required)
    except InvalidValue as error:
        raise Invalid(str(error), {'keterangan': str(error)}) from None
