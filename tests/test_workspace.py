"""The officer's workspace in NiceGUI's simulated browser: login, tabs and counts, Pilih Pengurusan, search, Lihat Data
and the decisions, as each officer of the seed manual uses them."""

from __future__ import annotations

import threading

import pytest
from nicegui.testing import User
from sqlmodel import select

from apok_ui import db
from apok_ui.components import workspace
from apok_ui.services import petugas as petugas_service
from models import AuditLog, Pengurusan, Peran, Riwayat, waktu
from tests.conftest import KEC_B, PASSWORD, submit
from tests.waiting import seen, unseen, until


def load(pengurusan_id: int) -> Pengurusan:
    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id)


def audit_rows(aksi: str) -> list[AuditLog]:
    with db.get().read() as session:
        return list(session.exec(select(AuditLog).where(AuditLog.aksi == aksi)).all())


async def login(user: User, nip: str, password: str = PASSWORD) -> None:
    """Log in through the login page and wait for the workspace."""
    await user.open('/login')
    user.find('Username').type(nip)
    user.find('Password').type(password)
    user.find('Masuk').click()
    await seen(user, 'Pilih Pengurusan')


def row_order(user: User) -> list[str]:
    """Return the Nomor Pendaftaran of the table's rows, top to bottom."""
    rows = sorted(user.find(marker='baris').elements | _revisi_rows(user), key=lambda element: element.id)
    return [next(m for m in row._markers if m.startswith('row-')).removeprefix('row-') for row in rows]


def _revisi_rows(user: User) -> set:
    try:
        return user.find(marker='revisi').elements
    except AssertionError:
        return set()


async def open_lihat_data(user: User, nomor: str) -> None:
    user.find(marker=f'lihat-{nomor}').click()
    await seen(user, marker='lihat-data')


async def decide(user: User, button: str, keterangan: str = '') -> None:
    """Type a Keterangan, press Disetujui or Ditolak, and confirm."""
    if keterangan:
        user.find(marker='keterangan').type(keterangan)
    user.find(marker=button).click()
    await seen(user, marker='konfirmasi')
    user.find(marker='ya').click()


async def test_anyone_logged_out_is_sent_from_the_workspace_to_the_login(user: User, app_people):
    await user.open('/admin')
    await seen(user, 'Login Petugas Kecamatan')


async def test_the_admin_sees_the_four_tabs_with_the_counts_of_her_role(user: User, app_people):
    for seq in range(1, 4):
        submit(seq=seq)
    await login(user, app_people.of(Peran.ADMIN).nip)
    for tab in ('Data Baru', 'In Progress', 'Data Selesai', 'Profil Petugas'):
        await seen(user, tab)
    assert user.find(marker='jumlah-baru').elements.pop().text == '3'
    assert user.find(marker='jumlah-proses').elements.pop().text == '0'


async def test_the_kasi_finds_applications_waiting_for_the_admin_in_progress_not_in_data_baru(user: User, app_people):
    first = submit(seq=1)
    await login(user, app_people.of(Peran.KASI).nip)
    assert user.find(marker='jumlah-baru').elements.pop().text == '0'
    await seen(user, 'Tidak ada pengurusan yang menunggu Anda.')
    user.find(marker='tab-proses').click()
    await seen(user, marker=f'row-{first.nomor_pendaftaran}')
    await seen(user, 'di Admin Kecamatan')


async def test_data_baru_lists_the_oldest_application_first(user: User, app_people):
    numbers = [submit(seq=seq).nomor_pendaftaran for seq in range(1, 4)]
    await login(user, app_people.of(Peran.ADMIN).nip)
    assert row_order(user) == numbers


async def test_pilih_pengurusan_counts_each_layanan_and_narrows_the_table(user: User, app_people):
    sktm = submit(kode='SKTM', seq=1)
    ak1 = submit(kode='AK1', seq=2)
    await login(user, app_people.of(Peran.ADMIN).nip)
    await seen(user, marker='layanan-semua')
    assert user.find(marker='layanan-AK1').elements.pop().default_slot.children[0].text == '1'
    user.find(marker='layanan-AK1').click()
    await unseen(user, marker=f'row-{sktm.nomor_pendaftaran}')
    await seen(user, marker=f'row-{ak1.nomor_pendaftaran}')
    user.find(marker='layanan-semua').click()
    await seen(user, marker=f'row-{sktm.nomor_pendaftaran}')


async def search_finds(user: User, term: str, expected: str, other: str) -> None:
    user.find(marker='cari').clear().type(term)
    await seen(user, marker=f'row-{expected}')
    await unseen(user, marker=f'row-{other}')


async def test_the_search_finds_by_number_nik_part_of_a_name_any_phone_form_and_email(user: User, app_people):
    budi = submit(seq=1, nama='Budi Santoso', no_hp='0812-3456-7890', email='budi@contoh.id')
    siti = submit(seq=2, nama='Siti Rahayu', no_hp='0813 1111 2222', email='siti.r@contoh.id')
    await login(user, app_people.of(Peran.ADMIN).nip)
    budi_nik = load(budi.pengurusan_id).nik
    await search_finds(user, siti.nomor_pendaftaran, siti.nomor_pendaftaran, budi.nomor_pendaftaran)
    await search_finds(user, budi_nik, budi.nomor_pendaftaran, siti.nomor_pendaftaran)
    await search_finds(user, 'rahay', siti.nomor_pendaftaran, budi.nomor_pendaftaran)
    await search_finds(user, 'SANTO', budi.nomor_pendaftaran, siti.nomor_pendaftaran)
    for phone in ('081234567890', '6281234567890', '+62 812-3456-7890'):
        await search_finds(user, phone, budi.nomor_pendaftaran, siti.nomor_pendaftaran)
    await search_finds(user, 'Siti.R@contoh.id', siti.nomor_pendaftaran, budi.nomor_pendaftaran)
    user.find(marker='cari').clear().type('tidak ada orang ini')
    await seen(user, 'Tidak ada pengurusan yang cocok dengan pencarian.')


async def test_a_slow_answer_to_an_earlier_search_never_replaces_the_later_ones_on_screen(
    user: User, app_people, monkeypatch: pytest.MonkeyPatch
):
    budi = submit(seq=1, nama='Budi Santoso')
    siti = submit(seq=2, nama='Siti Rahayu')
    await login(user, app_people.of(Peran.ADMIN).nip)
    release, finished = threading.Event(), []
    read, reload = workspace.read_view, workspace.Workspace.reload

    def slow_for_budi(kecamatan_id, key):
        if key.search == 'Budi':
            release.wait(30)  # a broad search on a big table: it answers after the next one
        return read(kecamatan_id, key)

    async def reload_and_note(self, **kwargs):
        await reload(self, **kwargs)
        finished.append(self.state.search)

    monkeypatch.setattr(workspace, 'read_view', slow_for_budi)
    monkeypatch.setattr(workspace.Workspace, 'reload', reload_and_note)
    user.find(marker='cari').type('Budi')
    user.find(marker='cari').clear().type('Siti')
    await seen(user, marker=f'row-{siti.nomor_pendaftaran}')
    await unseen(user, marker=f'row-{budi.nomor_pendaftaran}')
    release.set()
    await until(lambda: len(finished) == 3)  # Budi, the cleared field, Siti: each search was answered
    await seen(user, marker=f'row-{siti.nomor_pendaftaran}')
    await unseen(user, marker=f'row-{budi.nomor_pendaftaran}')


async def test_the_search_stays_within_the_tab(user: User, app_people):
    waiting = submit(seq=1, nama='Rina Lubis')
    await login(user, app_people.of(Peran.KASI).nip)
    user.find(marker='cari').type('Rina')
    await seen(user, 'Tidak ada pengurusan yang cocok dengan pencarian.')
    user.find(marker='tab-proses').click()
    await seen(user, marker=f'row-{waiting.nomor_pendaftaran}')


async def test_lihat_data_shows_the_four_tabs_and_writes_the_view_to_the_audit_log(user: User, app_people):
    first = submit(seq=1, nama='Budi Santoso')
    await login(user, app_people.of(Peran.ADMIN).nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    for tab in ('Data Pemohon', 'Data Pengurusan', 'Berkas Persyaratan', 'Status Pengurusan'):
        await seen(user, tab)
    await seen(user, 'Budi Santoso')
    await seen(user, 'Surat Keterangan Tidak Mampu')
    await seen(user, 'Buka di tab baru')
    await seen(user, marker='riwayat-diajukan')
    await seen(user, marker='riwayat-menunggu')
    views = audit_rows('lihat_data')
    assert [(v.objek, v.petugas_id) for v in views] == [
        (f'pengurusan:{first.pengurusan_id}', app_people.of(Peran.ADMIN).actor.petugas_id)
    ]


async def test_the_admin_approves_with_a_keterangan_and_it_goes_on_to_the_kasi(user: User, app_people):
    first = submit(seq=1)
    await login(user, app_people.of(Peran.ADMIN).nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    await decide(user, 'disetujui', 'Berkas lengkap dan sesuai.')
    await seen(user, f'Pengurusan {first.nomor_pendaftaran} disetujui.')
    await seen(user, marker='riwayat-disetujui')
    await seen(user, 'Berkas lengkap dan sesuai.')
    await unseen(user, marker='persetujuan')
    assert user.find(marker='jumlah-baru').elements.pop().text == '0'
    assert user.find(marker='jumlah-proses').elements.pop().text == '1'
    p = load(first.pengurusan_id)
    assert (p.status, p.peran_menunggu) == ('diajukan', 'kasi')


async def test_ditolak_needs_a_keterangan_before_the_confirmation(user: User, app_people):
    first = submit(seq=1)
    await login(user, app_people.of(Peran.ADMIN).nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    user.find(marker='ditolak').click()
    await seen(user, 'Isi Keterangan: alasan penolakan wajib diisi.')
    await unseen(user, marker='konfirmasi')
    assert load(first.pengurusan_id).status == 'diajukan'


async def test_a_decision_can_be_cancelled_at_the_confirmation(user: User, app_people):
    first = submit(seq=1)
    await login(user, app_people.of(Peran.ADMIN).nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    user.find(marker='disetujui').click()
    await seen(user, marker='konfirmasi')
    user.find(marker='batal').click()
    await unseen(user, marker='konfirmasi')
    assert load(first.pengurusan_id).version == 1


async def test_the_admin_rejects_with_a_reason_and_finds_it_under_ditolak(user: User, app_people):
    first = submit(seq=1)
    await login(user, app_people.of(Peran.ADMIN).nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    await decide(user, 'ditolak', 'Surat pengantar RT belum ada.')
    await seen(user, f'Pengurusan {first.nomor_pendaftaran} ditolak.')
    assert load(first.pengurusan_id).status == 'ditolak'
    user.find(marker='tutup').click()
    user.find(marker='tab-selesai').click()
    await seen(user, marker='filter-ditolak')
    user.find(marker='filter-ditolak').click()
    await seen(user, marker=f'row-{first.nomor_pendaftaran}')


async def test_a_kasi_rejection_comes_back_marked_as_revisi_in_the_admins_data_baru(user: User, app_people):
    first = submit(seq=1)
    admin, kasi = app_people.of(Peran.ADMIN), app_people.of(Peran.KASI)
    from apok_ui import services

    services.approve(actor=admin.actor, pengurusan_id=first.pengurusan_id, version=1)
    await login(user, kasi.nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    await decide(user, 'ditolak', 'Alamat tidak sesuai KTP.')
    await seen(user, f'Pengurusan {first.nomor_pendaftaran} ditolak.')
    assert load(first.pengurusan_id).status == 'revisi'
    with db.get().read() as session:
        steps = session.exec(select(Riwayat).where(Riwayat.pengurusan_id == first.pengurusan_id)).all()
    assert [s.aksi for s in steps] == ['diajukan', 'disetujui', 'ditolak']


async def test_an_officer_of_another_kecamatan_cannot_open_the_application_by_its_address(user: User, app_people):
    first = submit(seq=1)
    await login(user, app_people.of(Peran.ADMIN, KEC_B).nip)
    await user.open(f'/admin?lihat={first.pengurusan_id}')
    await seen(user, 'Pengurusan ini bukan milik kecamatan Anda.')
    await unseen(user, marker='lihat-data')
    assert not audit_rows('lihat_data')
    assert [row.objek for row in audit_rows('akses_ditolak')] == [f'pengurusan:{first.pengurusan_id}']


async def test_wrong_passwords_get_one_generic_message_then_this_browser_must_wait(
    user: User, app_people, monkeypatch: pytest.MonkeyPatch
):
    nip = app_people.of(Peran.ADMIN).nip
    moment = waktu.now()  # the login's clock stands still: a busy machine must not outwait the first pause (1 s)
    monkeypatch.setattr(petugas_service, 'now', lambda: moment)
    await user.open('/login')
    for attempt in range(3):  # apok_ui.security.FREE_FAILURES: a person mistypes; those cost nothing
        user.find('Username').clear().type(nip)
        user.find('Password').clear().type(f'salah{attempt}2026')
        user.find('Masuk').click()
        await until(lambda n=attempt + 1: len(audit_rows('login_gagal')) == n)
        await seen(user, 'NIP atau password salah.')
    user.find('Password').clear().type(PASSWORD)
    user.find('Masuk').click()  # at once: even the right password waits its turn now
    await until(lambda: len(audit_rows('login_terkunci')) == 1)
    await seen(user, 'Terlalu banyak percobaan gagal. Tunggu')
    await unseen(user, 'Pilih Pengurusan')


async def test_the_table_is_paged_on_the_server_twenty_rows_at_a_time(user: User, app_people):
    numbers = [submit(seq=seq).nomor_pendaftaran for seq in range(1, 24)]
    await login(user, app_people.of(Peran.ADMIN).nip)
    await seen(user, '1–20 dari 23')
    assert row_order(user) == numbers[:20]
    user.find(marker='halaman-berikutnya').click()
    await seen(user, '21–23 dari 23')
    assert row_order(user) == numbers[20:]
    user.find(marker='halaman-pertama').click()
    await seen(user, '1–20 dari 23')
