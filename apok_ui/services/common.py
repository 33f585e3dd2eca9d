"""The steps every service shares: who is acting, the one guarded transition, counters and audit rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from apok_ui import db, events

# Who is acting lives in apok_ui/actor.py (reads check the officer too); every service imports it from here.
from apok_ui.actor import SESSION_ENDED as SESSION_ENDED
from apok_ui.actor import Actor, load_actor, refuse
from apok_ui.actor import load_for_officer as load_for_officer
from apok_ui.events import Perubahan
from apok_ui.services.errors import STALE_MESSAGE, Forbidden, Invalid, NotFound, Stale
from models import AuditLog, Pengurusan, Penomoran, Peran, Petugas, Riwayat, akses
from models import workflow as wf
from models.akses import Kelola
from models.waktu import now

T = TypeVar('T')


def load_admin(session: Session, actor: Actor, kelola: Kelola) -> Petugas:
    """Return the acting administrator (models.akses: session, temporary password, role), or refuse."""
    petugas = load_actor(session, actor)
    refuse(
        akses.account_refusal(wajib_ganti_password=petugas.wajib_ganti_password)
        or akses.kelola_refusal(Peran(petugas.peran), kelola)
    )
    return petugas


def admin_action(actor: Actor, kelola: Kelola, aksi: str, objek: str, act: Callable[[Session, Petugas], T]) -> T:
    """Run one administration action in one write transaction after load_admin; refusals leave only an audit row."""
    try:
        with db.get().write() as session:
            return act(session, load_admin(session, actor, kelola))
    except (Forbidden, NotFound) as error:
        audit_refusal(actor, aksi, objek, str(error))
        raise


def invalid(errors: dict[str, str], summary: str) -> Invalid:
    """Return the refusal of a form: its one wrong field's message, or a summary when several are wrong."""
    return Invalid(next(iter(errors.values())) if len(errors) == 1 else summary, errors)


def transition(
    session: Session,
    pengurusan: Pengurusan,
    aksi: wf.Aksi,
    *,
    seen_version: int | None,
    peran: Peran | None,
    petugas_id: int | None,
    keterangan: str = '',
    perubahan: list[dict] | None = None,
    extra: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Perubahan:
    """Apply one workflow action, the submission that creates the application included.

    It checks the action (models.akses, models.workflow), changes the row only if nobody changed it since (a new
    application is inserted), and adds in the same transaction the action's Riwayat row and its change record, from
    which every open page hears of it after the commit (apok_ui/events.py). No service moves a state otherwise.
    """
    at = at or now()
    before = pengurusan.posisi if pengurusan.id is not None else None  # None: the submission creates it
    if seen_version is not None and pengurusan.version != seen_version:
        raise Stale(STALE_MESSAGE)
    officer = session.get(Petugas, petugas_id) if petugas_id is not None else None
    refuse(akses.refusal(peran, officer.kecamatan_id if officer else None, aksi, pengurusan.kecamatan_id, before))
    after = wf.next_posisi(aksi, before) if before else wf.start(pengurusan.tahapan)
    values: dict[str, Any] = {
        'status': after.status.value,
        'tahap': after.tahap,
        'peran_menunggu': after.waiting_role.value if after.waiting_role else None,
        'version': pengurusan.version + 1 if before else 1,
        'diubah_at': at,
        **(extra or {}),
    }
    if before is None or (after.status, after.tahap) != (before.status, before.tahap):
        values['menunggu_sejak'] = at
    if before is None:
        _insert(session, pengurusan, values)
    else:
        _update_unless_changed(session, pengurusan, values)
    session.add(
        Riwayat(
            pengurusan_id=pengurusan.id,
            aksi=aksi.value,
            tahap=before.tahap if before and before.status in wf.IN_CHAIN else None,
            peran=peran.value if peran else None,
            petugas_id=petugas_id,
            pelaku='petugas' if petugas_id else 'pemohon',
            keterangan=keterangan,
            perubahan=perubahan or [],
            status_sesudah=after.status.value,
            waktu=at,
        )
    )
    session.flush()
    change = Perubahan(
        pengurusan_id=pengurusan.id,
        nomor_pendaftaran=pengurusan.nomor_pendaftaran,
        kecamatan_id=pengurusan.kecamatan_id,
        layanan_id=pengurusan.layanan_id,
        aksi=aksi.value,
        status=after.status.value,
        peran_menunggu=values['peran_menunggu'],
        peran_sebelum=before.waiting_role.value if before and before.waiting_role else None,
        version=values['version'],
    )
    events.record(session, change)
    return change


def _insert(session: Session, pengurusan: Pengurusan, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(pengurusan, name, value)
    session.add(pengurusan)
    session.flush()


def _update_unless_changed(session: Session, pengurusan: Pengurusan, values: dict[str, Any]) -> None:
    # The version condition makes concurrent actions on one application safe: exactly one of them matches.
    result = session.execute(
        update(Pengurusan)
        .where(Pengurusan.id == pengurusan.id, Pengurusan.version == pengurusan.version)
        .values(**values)
    )
    if result.rowcount != 1:
        raise Stale(STALE_MESSAGE)


def next_number(session: Session, kunci: str) -> int:
    """Return the next value of a named counter; a rolled-back transaction gives its number back (no gaps)."""
    insert = sqlite_insert if db.get().is_sqlite else pg_insert
    session.execute(insert(Penomoran).values(kunci=kunci, nilai=0).on_conflict_do_nothing())
    # UPDATE … RETURNING locks the counter row until commit, so concurrent completions queue up here.
    result = session.execute(
        update(Penomoran).where(Penomoran.kunci == kunci).values(nilai=Penomoran.nilai + 1).returning(Penomoran.nilai)
    )
    return int(result.scalar_one())


def audit(
    session: Session,
    aksi: str,
    *,
    petugas: Petugas | None = None,
    nip: str | None = None,
    objek: str = '',
    ip: str = '',
    detail: str = '',
    kecamatan_id: int | None = None,
) -> None:
    """Add one audit row (logins, views of personal data, refused access, administration).

    The row's kecamatan is the officer's, or `kecamatan_id` when the administrator acts on a kecamatan's data.
    """
    session.add(
        AuditLog(
            aksi=aksi,
            petugas_id=petugas.id if petugas else None,
            nip=nip or (petugas.nip if petugas else None),
            kecamatan_id=kecamatan_id if kecamatan_id is not None else (petugas.kecamatan_id if petugas else None),
            objek=objek[:80],
            ip=ip[:45],
            detail=detail[:500],
        )
    )


def audit_refusal(actor: Actor, aksi: str, objek: str, reason: str) -> None:
    """Record, in its own transaction, that an officer was refused (the refused action itself leaves nothing)."""
    with db.get().write() as session:
        petugas = session.get(Petugas, actor.petugas_id)
        audit(session, 'akses_ditolak', petugas=petugas, objek=objek, detail=f'{aksi}: {reason}')
