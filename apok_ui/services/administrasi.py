"""The system administrator's actions (SPEC §8): officers here; kecamatan and layanan in their own modules.

Each action re-checks the administrator against models.akses (a deactivated or logged-out administrator's open
page can no longer act), writes its audit row in the same transaction, and leaves nothing but an audit row when
refused. Hashing passwords is slow: call add_petugas and reset_password with `await hashing.run_hashing(...)`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlmodel import Session, func, select

from apok_ui import db, events
from apok_ui.security import hash_password, password_problem
from apok_ui.services import login_throttle
from apok_ui.services.administrasi_layanan import save_layanan, set_layanan_kecamatan
from apok_ui.services.administrasi_wilayah import add_kecamatan, save_kelurahan, update_kecamatan
from apok_ui.services.common import Actor, admin_action, audit, invalid, refuse
from apok_ui.services.errors import Invalid, NotFound
from models import Kecamatan, Peran, Petugas, akses
from models.akses import AksiAkun, Kelola
from models.validasi import InvalidValue, check_nama, check_nip, check_text

__all__ = [  # the whole administration in one import; kecamatan and layanan live in their own modules
    'DataPetugas',
    'PetugasBaru',
    'activate_petugas',
    'add_kecamatan',
    'add_petugas',
    'authorize',
    'create_petugas',
    'deactivate_petugas',
    'reset_password',
    'save_kelurahan',
    'save_layanan',
    'set_layanan_kecamatan',
    'temporary_password',
    'unlock_login',
    'update_kecamatan',
    'update_petugas',
]
PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz'
PASSWORD_DIGITS = '23456789'


@dataclass(frozen=True)
class DataPetugas:
    """An officer as the administrator enters them; `pelaksana` is '', 'Plt.' or 'Plh.' (an acting official)."""

    nip: str
    nama: str
    peran: str
    kecamatan_id: int | None
    jabatan: str = ''
    pelaksana: str = ''
    pangkat_golongan: str = ''  # printed under the signer's name, e.g. 'Pembina Tk. I, IV/b'


@dataclass(frozen=True)
class PetugasBaru:
    """A new officer and their temporary password (shown once, changed at the first login)."""

    petugas_id: int
    password_sementara: str


def authorize(*, actor: Actor, kelola: Kelola, catat: str | None = None, objek: str = '', ip: str = '') -> None:
    """Refuse unless the actor may manage this area now (refusals are audited); `catat` records the access itself."""

    def act(session: Session, admin: Petugas) -> None:
        if catat:
            audit(session, catat, petugas=admin, objek=objek, ip=ip)

    admin_action(actor, kelola, catat or f'buka_{kelola.value}', objek or kelola.value, act)


def add_petugas(*, actor: Actor, data: DataPetugas, ip: str = '') -> PetugasBaru:
    """Add an officer with a temporary password that must be changed at the first login."""
    values = _clean_petugas(data)
    password = temporary_password()
    password_hash = hash_password(password)

    def act(session: Session, admin: Petugas) -> PetugasBaru:
        petugas = _insert_petugas(session, values, password_hash, wajib_ganti_password=True, oleh=admin, ip=ip)
        return PetugasBaru(petugas.id, password)

    return admin_action(actor, Kelola.PETUGAS, 'petugas_tambah', 'petugas:baru', act)


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
    """Add an officer from the command line, the demo or a test, by the rules of add_petugas (NIP, name, role,
    kecamatan by name, one active definitive Camat); a jabatan starting Plt./Plh. is an acting official's. The
    password is given, or its hash (to skip the slow hashing)."""
    role = _role(peran)
    pelaksana, jabatan = akses.split_pelaksana(jabatan)
    values = _clean_petugas(DataPetugas(nip, nama, role.value, _kecamatan_id(kecamatan, role), jabatan, pelaksana))
    if password_hash is None:
        problem = password_problem(password)
        if problem:
            raise Invalid(problem)
        password_hash = hash_password(password)
    with db.get().write() as session:
        return _insert_petugas(session, values, password_hash, wajib_ganti_password=wajib_ganti_password)


def update_petugas(*, actor: Actor, petugas_id: int, data: DataPetugas, ip: str = '') -> None:
    """Change an officer's NIP, name, jabatan, role or kecamatan; a changed login or role ends their sessions."""
    values = _clean_petugas(data)

    def act(session: Session, admin: Petugas) -> None:
        target = _target(session, petugas_id)
        changes = {k: (getattr(target, k), v) for k, v in values.items() if getattr(target, k) != v}
        refuse(akses.account_change_refusal(admin.id, target.id, AksiAkun.UBAH, peran_berubah='peran' in changes))
        if not changes:
            raise Invalid('Tidak ada data yang diubah.')
        _check_nip_free(session, values['nip'], target.id)
        _check_camat(session, target.id, values, aktif=target.aktif)
        for name, (_, new) in changes.items():
            setattr(target, name, new)
        ends_sessions = bool(changes.keys() & {'nip', 'peran', 'kecamatan_id'})
        if ends_sessions:
            target.sesi_versi += 1
        detail = '; '.join(f'{k}: {old} → {new}' for k, (old, new) in changes.items())
        audit(
            session,
            'petugas_ubah',
            petugas=admin,
            objek=f'petugas:{target.id}',
            ip=ip,
            detail=detail,
            kecamatan_id=target.kecamatan_id,
        )
        if ends_sessions:
            events.record_sessions_ended(session, target.id)

    admin_action(actor, Kelola.PETUGAS, 'petugas_ubah', f'petugas:{petugas_id}', act)


def deactivate_petugas(*, actor: Actor, petugas_id: int, ip: str = '') -> None:
    """Deactivate an officer: they cannot log in, and every open session and page of theirs ends at once."""

    def act(session: Session, admin: Petugas) -> None:
        target = _target(session, petugas_id)
        refuse(akses.account_change_refusal(admin.id, target.id, AksiAkun.NONAKTIFKAN, peran_berubah=False))
        if not target.aktif:
            raise Invalid('Petugas ini sudah nonaktif.')
        target.aktif = False
        target.sesi_versi += 1
        _audit_target(session, 'petugas_nonaktif', admin, target, ip)
        events.record_sessions_ended(session, target.id)

    admin_action(actor, Kelola.PETUGAS, 'petugas_nonaktif', f'petugas:{petugas_id}', act)


def activate_petugas(*, actor: Actor, petugas_id: int, ip: str = '') -> None:
    """Let a deactivated officer log in again (still only one definitive Camat per kecamatan)."""

    def act(session: Session, admin: Petugas) -> None:
        target = _target(session, petugas_id)
        refuse(akses.account_change_refusal(admin.id, target.id, AksiAkun.AKTIFKAN, peran_berubah=False))
        if target.aktif:
            raise Invalid('Petugas ini sudah aktif.')
        _check_camat(session, target.id, _values_of(target), aktif=True)
        target.aktif = True
        _audit_target(session, 'petugas_aktif', admin, target, ip)

    admin_action(actor, Kelola.PETUGAS, 'petugas_aktif', f'petugas:{petugas_id}', act)


def reset_password(*, actor: Actor, petugas_id: int, ip: str = '') -> str:
    """Give an officer a temporary password (returned once, never stored in clear) and end their sessions."""
    password = temporary_password()
    password_hash = hash_password(password)

    def act(session: Session, admin: Petugas) -> None:
        target = _target(session, petugas_id)
        refuse(akses.account_change_refusal(admin.id, target.id, AksiAkun.RESET_PASSWORD, peran_berubah=False))
        target.password_hash = password_hash
        target.wajib_ganti_password = True
        target.sesi_versi += 1
        login_throttle.clear(session, nip=target.nip)  # the new password may be tried at once, from anywhere
        _audit_target(session, 'reset_password', admin, target, ip)
        events.record_sessions_ended(session, target.id)

    admin_action(actor, Kelola.PETUGAS, 'reset_password', f'petugas:{petugas_id}', act)
    return password


def unlock_login(*, actor: Actor, petugas_id: int, ip: str = '') -> None:
    """Forget the failed logins counted against an officer's NIP: every address and device may try it again."""

    def act(session: Session, admin: Petugas) -> None:
        target = _target(session, petugas_id)
        login_throttle.clear(session, nip=target.nip)
        _audit_target(session, 'buka_kunci', admin, target, ip)

    admin_action(actor, Kelola.PETUGAS, 'buka_kunci', f'petugas:{petugas_id}', act)


def temporary_password() -> str:
    """Return a fresh temporary password that is easy to read out (no 0/O, 1/l) and meets the password policy."""
    letters = ''.join(secrets.choice(PASSWORD_ALPHABET) for _ in range(6))
    digits = ''.join(secrets.choice(PASSWORD_DIGITS) for _ in range(4))
    return f'{letters[:3]}{digits[:2]}-{letters[3:]}{digits[2:]}'


def _target(session: Session, petugas_id: int) -> Petugas:
    target = session.get(Petugas, petugas_id)
    if target is None:
        raise NotFound('Petugas tidak ditemukan.')
    return target


def _audit_target(session: Session, aksi: str, admin: Petugas, target: Petugas, ip: str) -> None:
    audit(
        session,
        aksi,
        petugas=admin,
        objek=f'petugas:{target.id}',
        ip=ip,
        detail=f'{target.nip} {target.nama}',
        kecamatan_id=target.kecamatan_id,
    )


def _clean_petugas(data: DataPetugas) -> dict:
    """Return the officer's columns checked, or raise Invalid naming each wrong field."""
    errors: dict[str, str] = {}
    values: dict = {}
    for name, check in (('nip', check_nip), ('nama', check_nama)):
        try:
            values[name] = check(getattr(data, name))
        except InvalidValue as error:
            errors[name] = str(error)
    try:
        peran = Peran((data.peran or '').strip().lower())
    except ValueError:
        errors['peran'] = 'Pilih peran dari daftar.'
        peran = None
    if peran is not None and peran is not Peran.SUPERADMIN and data.kecamatan_id is None:
        errors['kecamatan_id'] = 'Pilih kecamatan petugas.'
    if data.pelaksana and (data.pelaksana not in akses.PELAKSANA or peran is not Peran.CAMAT):
        errors['pelaksana'] = 'Plt./Plh. hanya untuk Camat.'
    try:
        jabatan = check_text(data.jabatan, field='Jabatan', max_len=90, required=False)
    except InvalidValue as error:
        errors['jabatan'] = str(error)
        jabatan = ''
    try:
        values['pangkat_golongan'] = check_text(
            data.pangkat_golongan, field='Pangkat/golongan', max_len=60, required=False
        )
    except InvalidValue as error:
        errors['pangkat_golongan'] = str(error)
    if errors:
        raise invalid(errors, 'Periksa kembali data petugas yang ditandai.')
    base = akses.PELAKSANA_RE.sub('', jabatan).strip() or peran.label
    values['peran'] = peran.value
    values['kecamatan_id'] = None if peran is Peran.SUPERADMIN else data.kecamatan_id
    values['jabatan'] = f'{data.pelaksana} {base}' if data.pelaksana else base
    return values


def _insert_petugas(
    session: Session,
    values: dict,
    password_hash: str,
    *,
    wajib_ganti_password: bool,
    oleh: Petugas | None = None,
    ip: str = '',
) -> Petugas:
    """Add the officer of checked values, after the checks that need the database; audited as done by `oleh` (the
    administrator), or by the new officer when added outside the app."""
    _check_nip_free(session, values['nip'], None)
    _check_camat(session, None, values, aktif=True)
    petugas = Petugas(**values, password_hash=password_hash, wajib_ganti_password=wajib_ganti_password)
    session.add(petugas)
    session.flush()
    audit(
        session,
        'petugas_tambah',
        petugas=oleh or petugas,
        objek=f'petugas:{petugas.id}',
        ip=ip,
        detail=f'{petugas.nip} {petugas.nama} ({petugas.peran})',
        kecamatan_id=petugas.kecamatan_id,
    )
    return petugas


def _role(peran: str) -> Peran:
    try:
        return Peran((peran or '').strip().lower())
    except ValueError:
        names = ', '.join(r.value for r in Peran)
        raise Invalid(f'Peran tidak dikenal: {peran!r} (pilih {names}).') from None


def _kecamatan_id(nama: str | None, role: Peran) -> int | None:
    """Return the id of a kecamatan named as the command line names it (any case); none for a superadmin."""
    if role is Peran.SUPERADMIN and not nama:
        return None
    with db.get().read() as session:
        found = session.exec(select(Kecamatan.id).where(func.lower(Kecamatan.nama) == (nama or '').strip().lower()))
        kecamatan_id = found.first()
    if kecamatan_id is None:
        raise Invalid(f'Kecamatan tidak dikenal: {nama!r}.')
    return kecamatan_id


def _values_of(petugas: Petugas) -> dict:
    return {'peran': petugas.peran, 'kecamatan_id': petugas.kecamatan_id, 'jabatan': petugas.jabatan}


def _check_nip_free(session: Session, nip: str, own_id: int | None) -> None:
    other = session.exec(select(Petugas).where(Petugas.nip == nip)).first()
    if other is not None and other.id != own_id:
        raise Invalid(f'NIP {nip} sudah terdaftar.', {'nip': 'NIP ini sudah dipakai petugas lain.'})


def _check_camat(session: Session, own_id: int | None, values: dict, *, aktif: bool) -> None:
    """Apply the one-Camat rule of models.akses, and check the kecamatan exists."""
    if values['kecamatan_id'] is not None and session.get(Kecamatan, values['kecamatan_id']) is None:
        raise Invalid('Kecamatan tidak dikenal.', {'kecamatan_id': 'Pilih kecamatan dari daftar.'})
    others = session.exec(
        select(Petugas.jabatan).where(
            Petugas.kecamatan_id == values['kecamatan_id'],
            Petugas.peran == Peran.CAMAT.value,
            Petugas.aktif,
            Petugas.id != (own_id or 0),
        )
    ).all()
    reason = akses.camat_refusal(
        peran=Peran(values['peran']), aktif=aktif, jabatan=values['jabatan'], other_active_camat_jabatan=list(others)
    )
    if reason:
        raise Invalid(reason, {'peran': reason})
