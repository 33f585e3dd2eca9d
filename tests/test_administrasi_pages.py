"""The administration screens through NiceGUI's simulated browser: only the superadmin gets in, every action works
through the services, and a page whose officer was deactivated can no longer act."""

import asyncio

import pytest
from nicegui.testing import User
from sqlmodel import select

from apok_ui import db, services
from apok_ui.queries import admin as queries_admin
from apok_ui.services import Actor, Forbidden
from apok_ui.services import administrasi as admin
from models import AuditLog, Layanan, Pengurusan, Peran, Petugas
from models.akses import HANYA_SUPERADMIN
from tests.conftest import KEC_A, KEC_B, PASSWORD, kecamatan_id, submit
from tests.waiting import DEADLINE, seen, unseen

ADMIN_ROUTES = [
    '/admin/sistem',
    '/admin/sistem/petugas',
    '/admin/sistem/layanan',
    '/admin/sistem/layanan/1',
    '/admin/sistem/layanan/baru',
    '/admin/sistem/kecamatan',
    '/admin/sistem/audit',
]


def nama_of(peran: Peran, kecamatan: str | None = KEC_A) -> str:
    return f'Petugas {peran.value.title()} {"B" if kecamatan == KEC_B else "A"}'


async def login_as(user: User, people, peran: Peran, kecamatan: str | None = KEC_A) -> None:
    await user.open('/login')
    user.find('Username').type(people.of(peran, kecamatan).nip)
    user.find('Password').type(PASSWORD)
    user.find('Masuk').click()
    await seen(user, nama_of(peran, kecamatan))  # bcrypt takes a third of a second


def refusals() -> list[AuditLog]:
    with db.get().read() as session:
        return session.exec(select(AuditLog).where(AuditLog.aksi == 'akses_ditolak')).all()


def officer(nip: str) -> Petugas:
    with db.get().read() as session:
        return session.exec(select(Petugas).where(Petugas.nip == nip)).one()


def choose(user: User, marker: str, value) -> None:
    """Pick a value in a select (or any value element) as a person would."""
    element = user.find(marker=marker).elements.pop()
    with user.client:
        element.set_value(value)


@pytest.mark.parametrize('peran', [Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT])
async def test_officers_are_refused_every_administration_page_and_each_refusal_is_audited(
    user: User, app_people, peran
):
    await login_as(user, app_people, peran)
    for route in ADMIN_ROUTES:
        await user.open(route)
        await seen(user, HANYA_SUPERADMIN)
        await unseen(user, 'Tambah Petugas')
    rows = refusals()
    assert len(rows) == len(ADMIN_ROUTES) and {r.petugas_id for r in rows} == {app_people.of(peran).actor.petugas_id}


async def test_the_superadmin_reaches_every_administration_page(user: User, app_people):
    await login_as(user, app_people, Peran.SUPERADMIN)
    for route, content in zip(
        ADMIN_ROUTES,
        ['Log Audit', 'Tambah Petugas', 'Tambah Layanan', 'Tahapan verifikasi', 'Tambah Layanan', 'Ubah', 'catatan'],
        strict=True,
    ):
        await user.open(route)
        await seen(user, content)
    assert refusals() == []


async def test_nobody_logged_in_is_sent_to_the_login(user: User, app_people):
    await user.open('/admin/sistem/petugas')
    await seen(user, 'Login Petugas Kecamatan')


async def test_the_superadmin_adds_an_officer_and_sees_the_temporary_password_once(user: User, app_people):
    await login_as(user, app_people, Peran.SUPERADMIN)
    await user.open('/admin/sistem/petugas')
    user.find('Tambah Petugas').click()
    user.find(marker='isian-nip').type('12345')
    user.find(marker='isian-nama').type('Rina Marlina')
    choose(user, 'isian-peran', 'kasi')
    choose(user, 'isian-kecamatan_id', kecamatan_id(KEC_B))
    user.find(marker='simpan-petugas').click()
    await seen(user, 'NIP harus terdiri dari 18 angka.')
    user.find(marker='isian-nip').clear().type('199001012015032001')
    user.find(marker='simpan-petugas').click()
    await seen(user, marker='password-sementara')
    shown = user.find(marker='password-sementara').elements.pop().text
    added = officer('199001012015032001')
    assert (added.nama, added.peran, added.kecamatan_id, added.wajib_ganti_password) == (
        'Rina Marlina',
        'kasi',
        kecamatan_id(KEC_B),
        True,
    )
    assert shown not in added.password_hash
    user.find('Selesai').click()
    await unseen(user, shown)
    await seen(user, content='Rina Marlina')


async def test_the_superadmin_filters_the_officer_list(user: User, app_people):
    await login_as(user, app_people, Peran.SUPERADMIN)
    await user.open('/admin/sistem/petugas')
    await seen(user, content='9 petugas')
    choose(user, 'saring-kecamatan', kecamatan_id(KEC_B))
    await seen(user, content='4 petugas')
    await unseen(user, nama_of(Peran.KASI, KEC_A))
    choose(user, 'saring-peran', 'camat')
    await seen(user, content='1 petugas')
    await seen(user, nama_of(Peran.CAMAT, KEC_B))


async def test_the_superadmin_deactivates_and_resets_through_the_page(user: User, app_people):
    kasi = app_people.of(Peran.KASI)
    await login_as(user, app_people, Peran.SUPERADMIN)
    await user.open('/admin/sistem/petugas')
    with user.scope(marker=f'petugas-{kasi.nip}'):
        user.find('Nonaktifkan').click()
    await seen(user, marker='konfirmasi')
    user.find(marker='konfirmasi').click()
    await seen(user, f'{nama_of(Peran.KASI)} dinonaktifkan.')
    assert not officer(kasi.nip).aktif
    with user.scope(marker=f'petugas-{kasi.nip}'):
        user.find('Reset Password').click()
    await seen(user, marker='konfirmasi')
    user.find(marker='konfirmasi').click()
    await seen(user, marker='password-sementara')
    assert officer(kasi.nip).wajib_ganti_password


async def test_the_superadmin_shortens_a_layanans_stages_in_the_editor(user: User, app_people):
    with db.get().read() as session:
        sktm = session.exec(select(Layanan).where(Layanan.kode == 'SKTM')).one()
    in_progress = submit().pengurusan_id
    await login_as(user, app_people, Peran.SUPERADMIN)
    await user.open(f'/admin/sistem/layanan/{sktm.id}')
    await seen(user, 'Ubah Layanan SKTM')
    for _ in range(2):  # remove Kasi, then Sekretaris Camat: Admin → Camat
        with user.scope(marker='tahap-1'):
            user.find(marker='hapus').click()
    user.find(marker='simpan-layanan').click()
    await seen(user, 'Layanan disimpan.')
    with db.get().read() as session:
        assert session.get(Layanan, sktm.id).tahapan == ['admin', 'camat']
        assert session.get(Pengurusan, in_progress).tahapan == ['admin', 'kasi', 'sekcam', 'camat']


async def test_the_layanan_editor_shows_what_is_wrong_beside_each_field(user: User, app_people):
    await login_as(user, app_people, Peran.SUPERADMIN)
    await user.open('/admin/sistem/layanan/baru')
    user.find(marker='isian-kode').type('SKBM')
    user.find(marker='simpan-layanan').click()
    await seen(user, 'Tambahkan minimal satu persyaratan.')
    assert user.find(marker='isian-kode_klasifikasi').elements.pop().error.startswith('Kode klasifikasi')


async def test_the_superadmin_closes_a_layanan_in_one_kecamatan(user: User, app_people):
    await login_as(user, app_people, Peran.SUPERADMIN)
    await user.open('/admin/sistem/layanan/1')
    choose(user, f'buka-{KEC_B}', False)
    await seen(user, f'Ditutup di {KEC_B}.')
    assert queries_admin.layanan_kecamatan(1)[kecamatan_id(KEC_B)] is False


async def test_the_superadmin_edits_a_kecamatans_kop_address(user: User, app_people):
    await login_as(user, app_people, Peran.SUPERADMIN)
    await user.open('/admin/sistem/kecamatan')
    with user.scope(marker='kecamatan-SKP'):
        user.find('Ubah').click()
    user.find(marker='isian-alamat').clear().type('Jl. Gajah Mada No. 1, Sekupang')
    user.find(marker='simpan-kecamatan').click()
    await seen(user, 'Data kecamatan disimpan.')
    assert next(r for r in queries_admin.kecamatan_list() if r.kode == 'SKP').alamat == (
        'Jl. Gajah Mada No. 1, Sekupang'
    )


async def test_the_audit_log_filters_and_exports_csv_and_the_export_is_audited(user: User, app_people):
    await login_as(user, app_people, Peran.SUPERADMIN)
    await user.open('/admin/sistem/audit')
    await seen(user, 'Login berhasil')
    choose(user, 'saring-aksi', 'petugas_tambah')
    await seen(user, content='9 catatan')
    await unseen(user, 'Login berhasil')
    user.find(marker='ekspor').click()
    response = await user.download.next(timeout=DEADLINE)
    lines = response.content.decode('utf-8-sig').strip().splitlines()
    assert len(lines) == 10 and all('Petugas ditambah' in line for line in lines[1:])
    with db.get().read() as session:
        assert session.exec(select(AuditLog).where(AuditLog.aksi == 'audit_ekspor')).one().objek.startswith('audit:')


async def test_an_open_administration_page_closes_when_its_superadmin_is_deactivated(user: User, app_people):
    me = app_people.of(Peran.SUPERADMIN).actor
    other = admin.add_petugas(
        actor=me,
        data=admin.DataPetugas(nip='199001012015039001', nama='Admin Kota Dua', peran='superadmin', kecamatan_id=None),
    )
    versi = services.change_password(
        actor=Actor(other.petugas_id, 1), old_password=other.password_sementara, new_password='kotadua2026'
    )
    await login_as(user, app_people, Peran.SUPERADMIN)
    await user.open('/admin/sistem/petugas')
    gone = asyncio.Event()
    user.client.on_delete(gone.set)
    admin.deactivate_petugas(actor=Actor(other.petugas_id, versi), petugas_id=me.petugas_id)
    await asyncio.wait_for(gone.wait(), 30)  # torn down on the server (a browser is sent to the login too)
    location = (await user.http_client.get('/admin/sistem')).headers['location']
    assert location == '/login?berakhir=nonaktif&ke=%2Fadmin%2Fsistem'  # after a new login, back to this page
    kasi = app_people.of(Peran.KASI)
    with pytest.raises(Forbidden, match='Sesi Anda telah berakhir'):  # what a page that missed the event would get
        admin.deactivate_petugas(actor=me, petugas_id=kasi.actor.petugas_id)
    assert officer(kasi.nip).aktif


async def test_a_deactivated_officers_open_page_can_no_longer_approve(user: User, app_people):
    registered = submit()
    admin_a = app_people.of(Peran.ADMIN)
    await login_as(user, app_people, Peran.ADMIN)
    await seen(user, registered.nomor_pendaftaran)
    user.find(marker=f'lihat-{registered.nomor_pendaftaran}').click()
    await seen(user, marker='disetujui')
    user.find(marker='disetujui').click()
    await seen(user, marker='ya')
    admin.deactivate_petugas(actor=app_people.of(Peran.SUPERADMIN).actor, petugas_id=admin_a.actor.petugas_id)
    try:
        confirm = user.find(marker='ya')
    except AssertionError:
        confirm = None  # the page closed itself on the deactivation event: nothing left to click
    if confirm is not None:  # the page is still open and its websocket still delivers the click
        confirm.click()
        await seen(user, 'Sesi Anda telah berakhir')
        assert [(r.petugas_id, r.objek) for r in refusals()] == [
            (admin_a.actor.petugas_id, f'pengurusan:{registered.pengurusan_id}')
        ]
    with db.get().read() as session:
        p = session.get(Pengurusan, registered.pengurusan_id)
    assert (p.status, p.tahap, p.version) == ('diajukan', 0, 1)
    await user.open('/admin')
    await seen(user, 'Login Petugas Kecamatan')


async def test_the_superadmin_ends_every_session_of_an_officer_and_their_open_page_closes(
    user: User, create_user, app_people
):
    kasi_page = create_user()
    await login_as(kasi_page, app_people, Peran.KASI)
    gone = asyncio.Event()
    kasi_page.client.on_delete(gone.set)
    await login_as(user, app_people, Peran.SUPERADMIN)
    await user.open('/admin/sistem/petugas')
    kasi = app_people.of(Peran.KASI)
    user.find(marker=f'akhiri-sesi-{kasi.nip}').click()
    await seen(user, marker='konfirmasi')
    user.find(marker='konfirmasi').click()
    await seen(user, f'1 sesi {nama_of(Peran.KASI)} diakhiri.')
    await asyncio.wait_for(gone.wait(), 30)
    assert (await kasi_page.http_client.get('/admin')).headers['location'] == '/login?berakhir=admin'
    with db.get().read() as session:
        ended = session.exec(select(AuditLog).where(AuditLog.aksi == 'sesi_diakhiri')).all()
    assert [row.objek for row in ended] == [f'petugas:{kasi.actor.petugas_id}']
