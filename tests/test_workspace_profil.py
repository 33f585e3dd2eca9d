"""Profil Petugas: who is logged in, Ganti Password (also forced after a temporary password) and Keluar."""

from __future__ import annotations

import asyncio

from nicegui.testing import User
from sqlmodel import select

from apok_ui import db, services
from models import AuditLog, Peran
from tests.conftest import KEC_A, PASSWORD
from tests.test_workspace import login
from tests.waiting import seen, unseen

NEW_PASSWORD = 'baru2026aman'
FIRST_NIP = '199001012015012001'


async def open_profil(user: User) -> None:
    user.find(marker='tab-profil').click()
    await seen(user, marker='ganti-password')


async def change_password(user: User, old: str, new: str, repeat: str | None = None) -> None:
    user.find(marker='password-lama').type(old)
    user.find(marker='password-baru').type(new)
    user.find(marker='password-ulang').type(new if repeat is None else repeat)
    user.find(marker='simpan-password').click()


def audit_actions() -> list[str]:
    with db.get().read() as session:
        return [row.aksi for row in session.exec(select(AuditLog).order_by(AuditLog.id)).all()]


async def test_profil_petugas_shows_name_nip_jabatan_kecamatan_and_the_password_policy(user: User, app_people):
    admin = app_people.of(Peran.ADMIN)
    await login(user, admin.nip)
    await open_profil(user)
    await seen(user, 'Petugas Admin A')
    await seen(user, admin.nip)
    await seen(user, 'Admin Kecamatan')
    await seen(user, KEC_A)
    await seen(user, 'Password 8 sampai 72 karakter')
    await seen(user, marker='keluar')


async def test_the_new_password_must_be_typed_twice_alike(user: User, app_people):
    await login(user, app_people.of(Peran.KASI).nip)
    await open_profil(user)
    await change_password(user, PASSWORD, NEW_PASSWORD, repeat='lain2026aman')
    await seen(user, 'Ulangan password baru tidak sama.')
    assert 'ganti_password' not in audit_actions()


async def test_a_wrong_old_password_is_refused_beside_the_field(user: User, app_people):
    await login(user, app_people.of(Peran.KASI).nip)
    await open_profil(user)
    await change_password(user, 'salah2026x', NEW_PASSWORD)
    await seen(user, 'Password lama salah.')
    assert 'ganti_password' not in audit_actions()


async def test_a_weak_new_password_is_refused_with_the_policy(user: User, app_people):
    await login(user, app_people.of(Peran.KASI).nip)
    await open_profil(user)
    await change_password(user, PASSWORD, 'pendek')
    await seen(user, 'Password minimal 8 karakter.')


async def test_after_changing_the_password_the_officer_works_on_and_logs_in_with_the_new_one(user: User, app_people):
    sekcam = app_people.of(Peran.SEKCAM)
    await login(user, sekcam.nip)
    await open_profil(user)
    await change_password(user, PASSWORD, NEW_PASSWORD)
    await seen(user, 'Password berhasil diganti.')
    await seen(user, 'Pilih Pengurusan')
    await open_profil(user)
    user.find(marker='keluar').click()
    await seen(user, 'Login Petugas Kecamatan')
    await login(user, sekcam.nip, NEW_PASSWORD)
    assert audit_actions().count('ganti_password') == 1


async def test_keluar_ends_the_session_and_is_written_to_the_audit_log(user: User, app_people):
    await login(user, app_people.of(Peran.CAMAT).nip)
    await open_profil(user)
    user.find(marker='keluar').click()
    await seen(user, 'Login Petugas Kecamatan')
    await user.open('/admin')
    await seen(user, 'Login Petugas Kecamatan')
    assert audit_actions()[-1] == 'logout'


async def test_a_temporary_password_leads_to_ganti_password_before_anything_else(user: User, app_people, password_hash):
    services.create_petugas(
        nip=FIRST_NIP,
        nama='Dewi Lestari',
        peran='admin',
        kecamatan=KEC_A,
        password='',
        password_hash=password_hash,
        wajib_ganti_password=True,
    )
    await user.open('/login')
    user.find('Username').type(FIRST_NIP)
    user.find('Password').type(PASSWORD)
    user.find('Masuk').click()
    await seen(user, marker='wajib-ganti')
    await unseen(user, 'Pilih Pengurusan')
    await user.open('/admin')
    await seen(user, marker='wajib-ganti')
    await change_password(user, PASSWORD, NEW_PASSWORD)
    await seen(user, 'Pilih Pengurusan')


async def test_sesi_aktif_shows_the_officers_other_device_and_ending_it_tears_that_page_down(
    user: User, create_user, app_people
):
    kasi = app_people.of(Peran.KASI)
    other = create_user()
    await login(other, kasi.nip)
    gone = asyncio.Event()
    other.client.on_delete(gone.set)
    await login(user, kasi.nip)
    await open_profil(user)
    await seen(user, marker='sesi-aktif')
    await seen(user, 'sesi ini')
    buttons = [m for e in user.find(marker='sesi-aktif').elements for m in _markers_below(e) if m.startswith('akhiri-')]
    assert len(buttons) == 1  # the other device; this one is 'sesi ini'
    user.find(marker=buttons[0]).click()
    await asyncio.wait_for(gone.wait(), 30)
    response = await other.http_client.get('/admin')
    assert response.headers['location'] == '/login?berakhir=diakhiri'
    await seen(user, 'Sesi diakhiri.')
    assert 'sesi_diakhiri' in audit_actions()


def _markers_below(element) -> set[str]:
    found = set(element._markers)
    for child in element.descendants():
        found |= set(child._markers)
    return found
