"""Who is acting: the officer behind an action as their page knew them, and the checks that every write (services)
and every read of personal data (printing) makes of them before it goes on."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from apok_ui.errors import Forbidden, NotFound
from models import Pengurusan, Peran, Petugas, akses

SESSION_ENDED = 'Sesi Anda telah berakhir. Silakan masuk kembali.'


@dataclass(frozen=True)
class Actor:
    """The officer behind an action, as their page knew them: id and the session version they logged in with."""

    petugas_id: int
    sesi_versi: int


def load_actor(session: Session, actor: Actor) -> Petugas:
    """Return the acting officer, refusing a deactivated officer or a session ended by a password change."""
    petugas = session.get(Petugas, actor.petugas_id)
    if petugas is None or not petugas.aktif or petugas.sesi_versi != actor.sesi_versi:
        raise Forbidden(SESSION_ENDED)
    return petugas


def refuse(reason: str | None) -> None:
    """Raise Forbidden with the policy's reason, if it gave one."""
    if reason:
        raise Forbidden(reason)


def load_for_officer(session: Session, petugas: Petugas, pengurusan_id: int) -> Pengurusan:
    """Return an application the officer may see (models.akses: own kecamatan, account in order), or refuse."""
    pengurusan = session.get(Pengurusan, pengurusan_id)
    if pengurusan is None:
        raise NotFound('Pengurusan tidak ditemukan.')
    reason = akses.account_refusal(wajib_ganti_password=petugas.wajib_ganti_password) or akses.view_refusal(
        Peran(petugas.peran), petugas.kecamatan_id, pengurusan.kecamatan_id
    )
    if reason:
        raise Forbidden(reason)
    return pengurusan
