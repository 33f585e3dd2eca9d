"""Officer accounts: log in (throttled per source, apok_ui.services.login_throttle), change password.

Officers are added by services.administrasi (add_petugas in the app, create_petugas elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import func, select

from apok_ui import db, events
from apok_ui.security import MAX_PASSWORD_BYTES, hash_password, password_problem, verify_password
from apok_ui.services import login_throttle
from apok_ui.services.common import Actor, audit, load_actor
from apok_ui.services.errors import Forbidden, Invalid
from apok_ui.services.sesi import keep_sesi
from models import Petugas
from models.validasi import InvalidValue, check_nip, normalize_nip
from models.waktu import now

LOGIN_FAILED = 'NIP atau password salah.'
MAX_NIP_TYPED = 100  # a NIP is 18 digits; longer input is an unknown NIP all the same, and is counted as one


@dataclass(frozen=True)
class Masuk:
    """A successful login: what the session keeps."""

    petugas_id: int
    sesi_versi: int
    wajib_ganti_password: bool
    perangkat: str = ''  # the device token to store in the browser (security.DEVICE_COOKIE), renewed at every login


class LoginRefused(Forbidden):
    """A refused login: the generic message, a throttled source's wait, or a password over 72 bytes.

    None of them depends on whether the NIP exists.
    """


def authenticate(*, nip: str, password: str, ip: str = '', perangkat: str = '', at: datetime | None = None) -> Masuk:
    """Check NIP and password (slow on purpose: run with apok_ui.hashing.run_hashing), throttled per source.

    `perangkat` is the device cookie the browser sent (security.DEVICE_COOKIE; empty or garbage is fine): a device
    that logged in as this officer before keeps its own limit while untrusted sources are blocked.
    """
    at = at or now()
    nip = normalize_nip(nip or '')[:MAX_NIP_TYPED]  # '19800101 200501 1 011', as letters print it, is that NIP
    if len(password.encode()) > MAX_PASSWORD_BYTES:  # no guess is made, so nothing is counted
        raise LoginRefused(f'Password maksimal {MAX_PASSWORD_BYTES} karakter (huruf beraksen seperti é dihitung 2).')
    petugas, sumber = _admit(nip, ip, perangkat, at)
    # Exactly one bcrypt check either way, so an unknown NIP answers as slowly as a wrong password.
    matches = verify_password(password, petugas.password_hash if petugas else None)
    if petugas is None or not matches or not petugas.aktif:
        with db.get().write() as session:
            login_throttle.prune(session, at)
            # The person is told only LOGIN_FAILED; the audit says why, for the administrator who is asked about it.
            why = _failure_reason(petugas, matches)
            audit(session, 'login_gagal', petugas=petugas, nip=nip[:40], ip=ip, detail=why)  # attempt stays counted
        raise LoginRefused(LOGIN_FAILED)
    with db.get().write() as session:
        login_throttle.forget_source(session, sumber)
        token = login_throttle.trust_device(session, petugas_id=petugas.id, perangkat=perangkat, at=at)
        device = 'perangkat tepercaya' if sumber.perangkat_kunci else 'perangkat baru'
        audit(session, 'login_ok', petugas=petugas, nip=nip[:40], ip=ip, detail=device)
    return Masuk(petugas.id, petugas.sesi_versi, petugas.wajib_ganti_password, token)


def _failure_reason(petugas: Petugas | None, matches: bool) -> str:
    """Return why a login failed, as the audit log says it (never shown to the person logging in)."""
    if petugas is None:
        return 'NIP tidak terdaftar'
    if not matches:
        return 'password salah'
    return 'akun nonaktif'


def _admit(nip: str, ip: str, perangkat: str, at: datetime) -> tuple[Petugas | None, login_throttle.Sumber]:
    """Return the officer of the NIP (or None) and the attempt's source, counted as failed until the password
    matches; raise LoginRefused, before any bcrypt work, when the source must wait (a blocked source costs little)."""
    with db.get().write() as session:
        petugas = session.exec(select(Petugas).where(Petugas.nip == nip)).first()
        petugas_id = petugas.id if petugas else None
        sumber = login_throttle.source_of(session, nip=nip, ip=ip, perangkat=perangkat, petugas_id=petugas_id, at=at)
        refused = login_throttle.refusal(session, sumber, at)
        if refused:
            audit(session, 'login_terkunci', petugas=petugas, nip=nip[:40], ip=ip, detail=refused)
        else:
            login_throttle.record_attempt(session, sumber, at)
    if refused:
        raise LoginRefused(refused)
    return petugas, sumber


def unlock_login(*, nip: str, ip: str | None = None, oleh: str = 'baris perintah') -> int:
    """Forget every failed login counted against an officer's NIP (and, if given, an address); return how many.

    For a locked superadmin too: every address and device may try that NIP again at once.
    """
    try:
        nip = check_nip(nip)
    except InvalidValue as error:
        raise Invalid(str(error)) from None
    with db.get().write() as session:
        petugas = session.exec(select(Petugas).where(Petugas.nip == nip)).first()
        if petugas is None:
            raise Invalid(f'Tidak ada petugas dengan NIP {nip}.')
        cleared = login_throttle.clear(session, nip=nip, ip=ip)
        where = f' dan alamat {ip}' if ip else ''
        audit(
            session,
            'buka_kunci',
            nip=nip,
            objek=f'petugas:{petugas.id}',
            detail=f'oleh {oleh}: {cleared} percobaan gagal untuk NIP ini{where} dihapus',
            kecamatan_id=petugas.kecamatan_id,
        )
    return cleared


def change_password(
    *, actor: Actor, old_password: str, new_password: str, ip: str = '', keep_sesi_id: int | None = None
) -> int:
    """Change the officer's own password; every other session of theirs ends (the one of `keep_sesi_id`, the
    officer's own, goes on). Return the new session version."""
    problem = password_problem(new_password)
    if problem:
        raise Invalid(problem, {'baru': problem})
    if new_password == old_password:
        raise Invalid('Password baru harus berbeda dari password lama.', {'baru': 'Harus berbeda dari yang lama.'})
    with db.get().read() as session:
        current_hash = load_actor(session, actor).password_hash
    if not verify_password(old_password, current_hash):
        raise Invalid('Password lama salah.', {'lama': 'Password lama salah.'})
    new_hash = hash_password(new_password)
    with db.get().write() as session:
        petugas = load_actor(session, actor)
        petugas.password_hash = new_hash
        petugas.sesi_versi += 1
        petugas.wajib_ganti_password = False
        if keep_sesi_id is not None:
            keep_sesi(session, petugas_id=petugas.id, sesi_id=keep_sesi_id, sesi_versi=petugas.sesi_versi)
        audit(session, 'ganti_password', petugas=petugas, objek=f'petugas:{petugas.id}', ip=ip)
        events.record_sessions_ended(session, petugas.id)
        versi = petugas.sesi_versi
    return versi


def count_petugas() -> int:
    """Return how many officers exist (a fresh database has none)."""
    with db.get().read() as session:
        return session.exec(select(func.count()).select_from(Petugas)).one()
