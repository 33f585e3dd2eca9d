"""Officer accounts: create, log in (with the lock rules), change password, log out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from apok_ui import db, events
from apok_ui.security import (
    LOCK_AFTER_FAILURES,
    LOCK_DURATION,
    MAX_PASSWORD_BYTES,
    hash_password,
    password_problem,
    verify_password,
)
from apok_ui.services.common import Actor, audit, load_actor
from apok_ui.services.errors import Forbidden, Invalid
from models import Kecamatan, Peran, Petugas
from models.validasi import InvalidValue, check_nama, check_nip
from models.waktu import as_utc, now

LOGIN_FAILED = 'NIP atau password salah.'


@dataclass(frozen=True)
class Masuk:
    """A successful login: what the session keeps."""

    petugas_id: int
    sesi_versi: int
    wajib_ganti_password: bool


class LoginRefused(Forbidden):
    """A refused login; the message is generic unless the NIP is locked or the password is too long."""


def create_petugas(
    *,
    nip: str,
    nama: str,
    peran: str,
    kecamatan: str | None,
    password: str,
    jabatan: str = '',
    password_hash: str | None = None,
    wajib_ganti_password: bool = False,
) -> Petugas:
    """Add an officer; refuses a bad NIP, an unknown role or kecamatan, a weak password, or a NIP in use."""
    try:
        nip = check_nip(nip)
        nama = check_nama(nama)
    except InvalidValue as error:
        raise Invalid(str(error)) from None
    role = _role(peran)
    if password_hash is None:
        problem = password_problem(password)
        if problem:
            raise Invalid(problem)
        password_hash = hash_password(password)
    with db.get().write() as session:
        kecamatan_id = _kecamatan_id(session, kecamatan, role)
        if session.exec(select(Petugas).where(Petugas.nip == nip)).first():
            raise Invalid(f'NIP {nip} sudah terdaftar.')
        petugas = Petugas(
            nip=nip,
            nama=nama,
            peran=role.value,
            jabatan=jabatan or role.label,
            kecamatan_id=kecamatan_id,
            password_hash=password_hash,
            wajib_ganti_password=wajib_ganti_password,
        )
        session.add(petugas)
        session.flush()
        audit(session, 'petugas_tambah', petugas=petugas, objek=f'petugas:{petugas.id}', detail=f'{role.value}')
    return petugas


def authenticate(*, nip: str, password: str, ip: str = '', at: datetime | None = None) -> Masuk:
    """Check NIP and password (slow on purpose: call off the event loop); five failures lock the NIP."""
    at = at or now()
    nip = (nip or '').strip()
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        verify_password(password, None)
        raise LoginRefused(f'Password maksimal {MAX_PASSWORD_BYTES} byte.')
    with db.get().read() as session:
        petugas = session.exec(select(Petugas).where(Petugas.nip == nip)).first()
    locked = petugas is not None and petugas.terkunci_sampai is not None and as_utc(petugas.terkunci_sampai) > at
    # Always spend one bcrypt check, so an unknown or locked NIP answers as slowly as a wrong password.
    matches = verify_password(password, petugas.password_hash if petugas and not locked else None)
    if locked:
        minutes = max(1, int((as_utc(petugas.terkunci_sampai) - at).total_seconds() // 60) + 1)
        _record_login(nip, None, ip, 'login_terkunci')
        raise LoginRefused(f'Terlalu banyak percobaan gagal. Coba lagi dalam {minutes} menit.')
    if petugas is None or not matches or not petugas.aktif:
        _record_failure(nip, petugas, ip, at)
        raise LoginRefused(LOGIN_FAILED)
    _record_login(nip, petugas.id, ip, 'login_ok')
    return Masuk(petugas.id, petugas.sesi_versi, petugas.wajib_ganti_password)


def change_password(*, actor: Actor, old_password: str, new_password: str, ip: str = '') -> int:
    """Change the officer's own password; every other session of theirs ends. Return the new session version."""
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
        audit(session, 'ganti_password', petugas=petugas, objek=f'petugas:{petugas.id}', ip=ip)
        versi = petugas.sesi_versi
    events.publish_petugas(actor.petugas_id)
    return versi


def record_logout(*, actor: Actor, ip: str = '') -> None:
    """Write the logout to the audit log."""
    with db.get().write() as session:
        petugas = session.get(Petugas, actor.petugas_id)
        if petugas is not None:
            audit(session, 'logout', petugas=petugas, ip=ip)


def count_petugas() -> int:
    """Return how many officers exist (a fresh database has none)."""
    with db.get().read() as session:
        return session.exec(select(func.count()).select_from(Petugas)).one()


def _record_failure(nip: str, petugas: Petugas | None, ip: str, at: datetime) -> None:
    with db.get().write() as session:
        if petugas is not None:
            row = session.get(Petugas, petugas.id)
            row.gagal_login += 1
            if row.gagal_login >= LOCK_AFTER_FAILURES:
                row.terkunci_sampai = at + LOCK_DURATION
                row.gagal_login = 0
        audit(session, 'login_gagal', petugas=petugas, nip=nip[:40], ip=ip)


def _record_login(nip: str, petugas_id: int | None, ip: str, aksi: str) -> None:
    with db.get().write() as session:
        petugas = session.get(Petugas, petugas_id) if petugas_id else None
        if petugas is not None:
            petugas.gagal_login = 0
            petugas.terkunci_sampai = None
        audit(session, aksi, petugas=petugas, nip=nip[:40], ip=ip)


def _role(peran: str) -> Peran:
    try:
        return Peran((peran or '').strip().lower())
    except ValueError:
        names = ', '.join(r.value for r in Peran)
        raise Invalid(f'Peran tidak dikenal: {peran!r} (pilih {names}).') from None


def _kecamatan_id(session: Session, nama: str | None, role: Peran) -> int | None:
    if role is Peran.SUPERADMIN and not nama:
        return None
    found = session.exec(select(Kecamatan).where(func.lower(Kecamatan.nama) == (nama or '').strip().lower())).first()
    if found is None:
        raise Invalid(f'Kecamatan tidak dikenal: {nama!r}.')
    return found.id
