"""Live queues in the simulated browser: another officer's decision reaches my open page without a reload."""

from __future__ import annotations

from collections.abc import Callable

from nicegui.testing import User

from apok_ui import services
from models import Peran
from tests.conftest import KEC_B, submit
from tests.test_workspace import decide, login, open_lihat_data, until


def badge(user: User, tab: str) -> str:
    return next(iter(user.find(marker=f'jumlah-{tab}').elements)).text


def rows(user: User) -> set[str]:
    try:
        elements = user.find(marker='baris').elements
    except AssertionError:
        return set()
    return {next(m for m in e._markers if m.startswith('row-')).removeprefix('row-') for e in elements}


async def test_the_kasis_open_data_baru_shows_an_application_the_admin_just_approved(
    user: User, create_user: Callable[[], User], app_people
):
    first = submit(seq=1)
    kasi, admin = user, create_user()
    await login(kasi, app_people.of(Peran.KASI).nip)
    assert badge(kasi, 'baru') == '0' and rows(kasi) == set()
    await login(admin, app_people.of(Peran.ADMIN).nip)
    await open_lihat_data(admin, first.nomor_pendaftaran)
    await decide(admin, 'disetujui')
    await until(lambda: badge(kasi, 'baru') == '1')
    await until(lambda: rows(kasi) == {first.nomor_pendaftaran})
    await kasi.should_see(f'Pengurusan baru: {first.nomor_pendaftaran}')  # the toast
    await open_lihat_data(kasi, first.nomor_pendaftaran)
    await kasi.should_see(marker='disetujui')  # the Kasi's own buttons


async def test_the_admins_counts_follow_a_new_submission_and_a_decision_elsewhere(user: User, app_people):
    await login(user, app_people.of(Peran.ADMIN).nip)
    assert badge(user, 'baru') == '0'
    first = submit(seq=1)
    await until(lambda: badge(user, 'baru') == '1' and rows(user) == {first.nomor_pendaftaran})
    await user.should_see(f'Pengurusan baru: {first.nomor_pendaftaran}')
    services.approve(actor=app_people.of(Peran.ADMIN).actor, pengurusan_id=first.pengurusan_id, version=1)
    await until(lambda: badge(user, 'baru') == '0' and badge(user, 'proses') == '1')


async def test_an_officer_of_another_kecamatan_sees_nothing_change(user: User, app_people):
    await login(user, app_people.of(Peran.ADMIN, KEC_B).nip)
    submit(seq=1)
    submit(KEC_B, seq=2)
    await until(lambda: badge(user, 'baru') == '1')  # Sekupang's own submission arrives…
    assert len(rows(user)) == 1  # …and Batam Kota's never does
    await user.should_not_see('Pengurusan baru: BTK')


async def test_an_open_lihat_data_shows_another_officers_decision_and_no_longer_offers_the_buttons(
    user: User, create_user: Callable[[], User], app_people
):
    first = submit(seq=1)
    await login(user, app_people.of(Peran.ADMIN).nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    await user.should_see(marker='persetujuan')
    services.approve(actor=app_people.of(Peran.ADMIN).actor, pengurusan_id=first.pengurusan_id, version=1)
    await user.should_see(marker='riwayat-disetujui', retries=50)
    await user.should_not_see(marker='persetujuan')


async def test_a_password_changed_elsewhere_sends_the_open_page_to_the_login(user: User, app_people):
    admin = app_people.of(Peran.ADMIN)
    await login(user, admin.nip)
    services.change_password(actor=admin.actor, old_password='rahasia2026', new_password='baru12345')  # elsewhere
    await user.should_see('Login Petugas Kecamatan', retries=50)
