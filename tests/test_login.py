"""Officer login: bcrypt checks, the 72-byte limit, sessions that end (throttling: tests/test_login_throttle.py)."""

from datetime import timedelta

import pytest
from nicegui.testing import User
from sqlmodel import select

from apok_ui import db, security, services
from apok_ui.services import Invalid, LoginRefused
from models import AuditLog, Peran, Petugas
from models.waktu import now
from tests.conftest import PASSWORD
from tests.waiting import seen, unseen


def login(nip: str, password: str = PASSWORD, **kwargs) -> services.Masuk:
    return services.authenticate(nip=nip, password=password, ip='10.0.0.7', **kwargs)


def test_an_officer_logs_in_with_nip_and_password_and_it_is_audited(people):
    admin = people.of(Peran.ADMIN)
    masuk = login(admin.nip)
    assert masuk.petugas_id == admin.actor.petugas_id and not masuk.wajib_ganti_password
    with db.get().read() as session:
        row = session.exec(select(AuditLog).where(AuditLog.aksi == 'login_ok')).one()
    assert (row.nip, row.ip) == (admin.nip, '10.0.0.7')


def test_a_wrong_password_and_an_unknown_nip_get_the_same_generic_message(people):
    with pytest.raises(LoginRefused) as wrong:
        login(people.of(Peran.ADMIN).nip, 'salah12345')
    with pytest.raises(LoginRefused) as unknown:
        login('199901012020011999')
    assert str(wrong.value) == str(unknown.value) == 'NIP atau password salah.'


def test_an_unknown_nip_spends_a_full_bcrypt_check(people, monkeypatch):
    checked = []
    real = security.bcrypt.checkpw
    monkeypatch.setattr(security.bcrypt, 'checkpw', lambda pw, h: checked.append(h[:7]) or real(pw, h))
    with pytest.raises(LoginRefused):
        login('199901012020011999')
    assert checked == [b'$2b$12$']  # same algorithm and cost as a real officer's hash


def test_ten_failures_block_that_address_for_fifteen_minutes_even_with_the_right_password(people):
    nip, start = people.of(Peran.KASI).nip, now()
    for n in range(security.BLOCK_AFTER_FAILURES):  # a minute apart: past every slowdown
        with pytest.raises(LoginRefused, match='salah'):
            login(nip, 'salah12345', at=start + timedelta(minutes=n))
    last = start + timedelta(minutes=security.BLOCK_AFTER_FAILURES - 1)
    with pytest.raises(LoginRefused, match='Coba lagi dalam 15 menit'):
        login(nip, at=last)
    assert login(nip, at=last + timedelta(minutes=16)).petugas_id == people.of(Peran.KASI).actor.petugas_id


def test_a_password_over_72_bytes_is_refused_with_a_clear_message(people):
    with pytest.raises(LoginRefused, match='maksimal 72 karakter'):
        login(people.of(Peran.ADMIN).nip, 'é' * 37)  # 74 bytes, 37 characters
    assert security.password_problem('a1' + 'é' * 36) == (
        'Password terlalu panjang: maksimal 72 karakter (huruf beraksen seperti é dihitung 2); perpendek password Anda.'
    )
    assert security.password_problem('a1' * 36) is None


def test_a_deactivated_officer_cannot_log_in(people):
    admin = people.of(Peran.ADMIN)
    with db.get().write() as session:
        session.get(Petugas, admin.actor.petugas_id).aktif = False
    with pytest.raises(LoginRefused, match='NIP atau password salah'):
        login(admin.nip)


def test_changing_the_password_needs_the_old_one_and_a_good_new_one(people):
    actor = people.of(Peran.ADMIN).actor
    with pytest.raises(Invalid, match='Password lama salah'):
        services.change_password(actor=actor, old_password='keliru123', new_password='baru12345')
    with pytest.raises(Invalid, match='minimal 8'):
        services.change_password(actor=actor, old_password=PASSWORD, new_password='a1')
    services.change_password(actor=actor, old_password=PASSWORD, new_password='baru12345')
    assert login(people.of(Peran.ADMIN).nip, 'baru12345').sesi_versi == actor.sesi_versi + 1


async def test_the_login_page_lets_an_officer_in_and_shows_their_data_baru(user: User, app_people):
    await user.open('/admin')
    await seen(user, 'Login Petugas Kecamatan')
    user.find('Username').type(app_people.of(Peran.ADMIN).nip)
    user.find('Password').type(PASSWORD)
    user.find('Masuk').click()
    await seen(user, 'Data Baru')  # bcrypt takes a third of a second
    await seen(user, 'Petugas Admin A')


async def test_the_login_page_shows_one_generic_message_for_wrong_credentials(user: User, app_people):
    await user.open('/login')
    user.find('Username').type(app_people.of(Peran.ADMIN).nip)
    user.find('Password').type('salah12345')
    user.find('Masuk').click()
    await seen(user, 'NIP atau password salah.')
    await unseen(user, 'Data Baru')


async def test_a_password_change_elsewhere_ends_this_session(user: User, app_people):
    admin = app_people.of(Peran.ADMIN)
    await user.open('/login')
    user.find('Username').type(admin.nip)
    user.find('Password').type(PASSWORD)
    user.find('Masuk').click()
    await seen(user, 'Data Baru')
    services.change_password(actor=admin.actor, old_password=PASSWORD, new_password='baru12345')
    await user.open('/admin')
    await seen(user, 'Login Petugas Kecamatan')
