"""Officer sessions on the server: opened at login, claimed by the browser once, ended for a reason.

The browser never chooses its session: a login makes a row with a one-time code, the browser's next HTTP request
trades the code for a fresh random token (set as an HttpOnly cookie), and only the token's SHA-256 is stored.
A cookie obtained before the login therefore never becomes a logged-in one (session fixation).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from apok_ui import db, events
from apok_ui.services.common import Actor, audit, load_actor
from apok_ui.services.errors import Forbidden, NotFound
from models import Peran, Petugas, Sesi
from models.sesi import CODE_SECONDS, Akhir, Keadaan, akhir_of
from models.waktu import as_utc, now

CLAIM_REFUSED = 'Kode masuk tidak berlaku lagi. Silakan masuk kembali.'


@dataclass(frozen=True)
class SesiRow:
    """A session as the guard of open pages needs it."""

    id: int
    petugas_id: int
    keadaan: Keadaan


@dataclass(frozen=True)
class Klaim:
    """A claimed login: the cookie token and where the browser goes next."""

    sesi_id: int
    token: str
    perangkat: str  # the device token the login issued ('' when none)
    wajib_ganti_password: bool


def digest(secret: str) -> str:
    """Return the stored form of a token, code or browser id (SHA-256, hex)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def open_sesi(
    *,
    petugas_id: int,
    sesi_versi: int,
    peramban: str,
    ip: str = '',
    perangkat: str = '',
    perangkat_token: str = '',
    at: datetime | None = None,
) -> str:
    """Start the session of a successful login and return its one-time code (valid CODE_SECONDS, this browser only)."""
    kode = secrets.token_urlsafe(32)
    at = at or now()
    with db.get().write() as session:
        session.add(
            Sesi(
                petugas_id=petugas_id,
                kode_hash=digest(kode),
                peramban_hash=digest(peramban),
                sesi_versi=sesi_versi,
                dibuat_at=at,
                terakhir_at=at,
                ip=ip[:45],
                perangkat=perangkat[:80],
                perangkat_token=perangkat_token or None,
            )
        )
    return kode


def claim_sesi(*, kode: str, peramban: str, at: datetime | None = None) -> Klaim:
    """Trade a login's one-time code for the session token; refuse a used, late or foreign code (NotFound)."""
    at = at or now()
    token = secrets.token_urlsafe(32)
    with db.get().write() as session:
        row = session.exec(select(Sesi).where(Sesi.kode_hash == digest(kode or ''))).first()
        fresh = row is not None and at - as_utc(row.dibuat_at) <= timedelta(seconds=CODE_SECONDS)
        if row is None or not fresh or row.berakhir_at is not None or row.peramban_hash != digest(peramban):
            raise NotFound(CLAIM_REFUSED)
        petugas = session.get(Petugas, row.petugas_id)
        perangkat_token = row.perangkat_token or ''
        row.kode_hash, row.token_hash, row.perangkat_token, row.terakhir_at = None, digest(token), None, at
        audit(session, 'sesi_mulai', petugas=petugas, objek=f'sesi:{row.id}', ip=row.ip, detail=row.perangkat)
        return Klaim(row.id, token, perangkat_token, petugas.wajib_ganti_password)


def find_sesi(token: str) -> SesiRow | None:
    """Return the claimed session of a cookie token (alive or not), or None for an unknown token."""
    if not token:
        return None
    with db.get().read() as session:
        found = session.exec(
            select(Sesi, Petugas).join(Petugas).where(Sesi.token_hash == digest(token))  # type: ignore[arg-type]
        ).first()
    return row_of(*found) if found else None


def sesi_rows(sesi_ids: list[int]) -> dict[int, SesiRow]:
    """Return the sessions with these ids as the database has them now."""
    if not sesi_ids:
        return {}
    with db.get().read() as session:
        found = session.exec(select(Sesi, Petugas).join(Petugas).where(col(Sesi.id).in_(sesi_ids))).all()
    return {sesi.id: row_of(sesi, petugas) for sesi, petugas in found}


def row_of(sesi: Sesi, petugas: Petugas) -> SesiRow:
    """Return a session and its officer as the rules of models.sesi need them."""
    keadaan = Keadaan(
        berakhir=akhir_of(sesi.alasan_akhir) or (Akhir.KELUAR if sesi.berakhir_at else None),
        sesi_versi=sesi.sesi_versi,
        petugas_versi=petugas.sesi_versi,
        petugas_aktif=petugas.aktif,
        dibuat=as_utc(sesi.dibuat_at).timestamp(),
        terakhir=as_utc(sesi.terakhir_at).timestamp(),
    )
    return SesiRow(sesi.id, sesi.petugas_id, keadaan)


def end_sesi(*, actor: Actor, sesi_id: int, alasan: Akhir = Akhir.KELUAR, ip: str = '') -> None:
    """End one session of the acting officer (Keluar, or from Sesi aktif); the superadmin may end anyone's."""
    with db.get().write() as session:
        petugas = load_actor(session, actor)
        row = session.get(Sesi, sesi_id)
        if row is None:
            raise NotFound('Sesi tidak ditemukan.')
        if row.petugas_id != petugas.id and Peran(petugas.peran) is not Peran.SUPERADMIN:
            raise Forbidden('Anda hanya dapat mengakhiri sesi Anda sendiri.')
        ended = _end(session, [row.id], alasan, now())
        if ended:
            aksi = 'logout' if alasan is Akhir.KELUAR else 'sesi_diakhiri'
            audit(session, aksi, petugas=petugas, objek=f'sesi:{row.id}', ip=ip, detail=f'petugas:{row.petugas_id}')
            events.record_sessions_ended(session, row.petugas_id)


def end_all_sesi(*, actor: Actor, petugas_id: int, ip: str = '') -> int:
    """End every open session of an officer (the superadmin's action); return how many ended."""
    with db.get().write() as session:
        admin = load_actor(session, actor)
        if Peran(admin.peran) is not Peran.SUPERADMIN:
            raise Forbidden('Hanya Administrator Sistem yang dapat mengakhiri sesi petugas lain.')
        target = session.get(Petugas, petugas_id)
        if target is None:
            raise NotFound('Petugas tidak ditemukan.')
        ids = session.exec(select(Sesi.id).where(Sesi.petugas_id == petugas_id, col(Sesi.berakhir_at).is_(None))).all()
        ended = _end(session, list(ids), Akhir.ADMIN, now())
        audit(
            session,
            'sesi_diakhiri',
            petugas=admin,
            objek=f'petugas:{petugas_id}',
            ip=ip,
            detail=f'{ended} sesi',
            kecamatan_id=target.kecamatan_id,
        )
        events.record_sessions_ended(session, petugas_id)
    return ended


def expire_sesi(*, sesi_id: int, alasan: Akhir, at: datetime | None = None) -> bool:
    """Record that a session ended by itself (idle, too old, password changed, deactivated); return whether it
    was still open. Idempotent: the processes that notice the same end write it once."""
    with db.get().write() as session:
        row = session.get(Sesi, sesi_id)
        if row is None or not _end(session, [sesi_id], alasan, at or now()):
            return False
        petugas = session.get(Petugas, row.petugas_id)
        audit(session, 'sesi_berakhir', petugas=petugas, objek=f'sesi:{sesi_id}', detail=alasan.value)
    return True


def keep_sesi(session: Session, *, petugas_id: int, sesi_id: int, sesi_versi: int) -> None:
    """Carry one open session of an officer over to their new session version (inside the change's transaction)."""
    session.execute(
        update(Sesi)
        .where(col(Sesi.id) == sesi_id, col(Sesi.petugas_id) == petugas_id, col(Sesi.berakhir_at).is_(None))
        .values(sesi_versi=sesi_versi)
    )


def touch_sesi(*, sesi_id: int, at: datetime) -> None:
    """Store a session's latest activity (the guard writes it at most once a minute per session)."""
    with db.get().write() as session:
        session.execute(update(Sesi).where(col(Sesi.id) == sesi_id, col(Sesi.terakhir_at) < at).values(terakhir_at=at))


def _end(session: Session, sesi_ids: list[int], alasan: Akhir, at: datetime) -> int:
    """End the still-open sessions among these; return how many ended now."""
    if not sesi_ids:
        return 0
    result = session.execute(
        update(Sesi)
        .where(col(Sesi.id).in_(sesi_ids), col(Sesi.berakhir_at).is_(None))
        .values(berakhir_at=at, alasan_akhir=alasan.value, kode_hash=None)
    )
    return result.rowcount
