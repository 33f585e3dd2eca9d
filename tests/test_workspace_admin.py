"""The Admin's own work: Me-revisi an application sent back, and Data Selesai with Cetak and Serahkan."""

from __future__ import annotations

from nicegui.testing import User
from sqlmodel import select

from apok_ui import db, services
from models import Peran, Riwayat
from tests.conftest import submit
from tests.test_workspace import decide, load, login, open_lihat_data
from tests.waiting import DEADLINE, seen, unseen


def send_back_for_revision(people, pengurusan_id: int, reason: str = 'Nama tidak sesuai KTP.') -> None:
    """The Admin approves, then the Kasi rejects: the application returns to the Admin as revisi."""
    services.approve(actor=people.of(Peran.ADMIN).actor, pengurusan_id=pengurusan_id, version=1)
    services.reject(actor=people.of(Peran.KASI).actor, pengurusan_id=pengurusan_id, version=2, keterangan=reason)


def complete(people, pengurusan_id: int) -> None:
    """Let the four officers approve in turn."""
    for peran in (Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT):
        version = load(pengurusan_id).version
        services.approve(actor=people.of(peran).actor, pengurusan_id=pengurusan_id, version=version)


async def test_the_admin_revises_a_returned_application_and_the_riwayat_shows_old_and_new(user: User, app_people):
    first = submit(seq=1, nama='Budi Santoso')
    send_back_for_revision(app_people, first.pengurusan_id)
    await login(user, app_people.of(Peran.ADMIN).nip)
    await seen(user, marker='revisi')
    await open_lihat_data(user, first.nomor_pendaftaran)
    await seen(user, 'Dikembalikan untuk direvisi: Nama tidak sesuai KTP.')
    user.find(marker='revisi-data').click()
    await seen(user, marker='form-revisi')
    user.find(marker='revisi-nama').clear().type('Budi Santosa')
    user.find(marker='alasan-revisi').type('Disesuaikan dengan KTP.')
    user.find(marker='simpan-revisi').click()
    await seen(user, 'Data pengurusan berhasil direvisi.')
    await seen(user, 'Nama: Budi Santoso → Budi Santosa')
    await unseen(user, marker='form-revisi')
    assert load(first.pengurusan_id).nama == 'Budi Santosa'
    await decide(user, 'disetujui')
    await seen(user, f'Pengurusan {first.nomor_pendaftaran} disetujui.')
    assert (load(first.pengurusan_id).status, load(first.pengurusan_id).peran_menunggu) == ('diajukan', 'kasi')


async def test_a_revision_with_a_wrong_value_shows_the_message_beside_the_field(user: User, app_people):
    first = submit(seq=1)
    send_back_for_revision(app_people, first.pengurusan_id)
    await login(user, app_people.of(Peran.ADMIN).nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    user.find(marker='revisi-data').click()
    user.find(marker='revisi-nik').clear().type('12345')
    user.find(marker='alasan-revisi').type('Koreksi NIK.')
    user.find(marker='simpan-revisi').click()
    await seen(user, 'NIK harus terdiri dari 16 angka.')
    await seen(user, marker='form-revisi')
    assert load(first.pengurusan_id).version == 3


async def test_a_revision_needs_a_reason(user: User, app_people):
    first = submit(seq=1)
    send_back_for_revision(app_people, first.pengurusan_id)
    await login(user, app_people.of(Peran.ADMIN).nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    user.find(marker='revisi-data').click()
    user.find(marker='revisi-pekerjaan').clear().type('Guru')
    user.find(marker='simpan-revisi').click()
    await seen(user, 'Alasan revisi wajib diisi.')
    assert load(first.pengurusan_id).pekerjaan == 'Wiraswasta'


async def test_the_camat_approves_last_and_a_green_selesai_appears(user: User, app_people):
    first = submit(seq=1)
    for peran in (Peran.ADMIN, Peran.KASI, Peran.SEKCAM):
        services.approve(
            actor=app_people.of(peran).actor,
            pengurusan_id=first.pengurusan_id,
            version=load(first.pengurusan_id).version,
        )
    await login(user, app_people.of(Peran.CAMAT).nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    await decide(user, 'disetujui', 'Setuju.')
    await seen(user, marker='selesai')
    await seen(user, f'Nomor surat {load(first.pengurusan_id).nomor_surat}')


async def test_data_selesai_offers_the_admin_cetak_and_serahkan(user: User, app_people):
    first = submit(seq=1)
    complete(app_people, first.pengurusan_id)
    await login(user, app_people.of(Peran.ADMIN).nip)
    user.find(marker='tab-selesai').click()
    await seen(user, marker=f'row-{first.nomor_pendaftaran}')
    await seen(user, marker=f'cetak-{first.nomor_pendaftaran}')
    await seen(user, marker=f'serahkan-{first.nomor_pendaftaran}')


async def test_other_officers_see_data_selesai_without_cetak_or_serahkan(user: User, app_people):
    first = submit(seq=1)
    complete(app_people, first.pengurusan_id)
    await login(user, app_people.of(Peran.KASI).nip)
    user.find(marker='tab-selesai').click()
    await seen(user, marker=f'row-{first.nomor_pendaftaran}')
    await unseen(user, marker='cetak')
    await unseen(user, marker='serahkan')


async def test_serahkan_to_someone_else_needs_their_relation_and_is_recorded(user: User, app_people):
    first = submit(seq=1, nama='Budi Santoso')
    complete(app_people, first.pengurusan_id)
    await login(user, app_people.of(Peran.ADMIN).nip)
    user.find(marker='tab-selesai').click()
    await seen(user, marker=f'serahkan-{first.nomor_pendaftaran}')
    user.find(marker=f'serahkan-{first.nomor_pendaftaran}').click()
    await seen(user, marker='form-serahkan')
    user.find(marker='penerima').clear().type('Siti Aminah')
    user.find(marker='simpan-serahkan').click()
    await seen(user, marker='konfirmasi-belum-dicetak')  # never printed: asked once more, once per form
    user.find(marker='ya-serahkan').click()
    await seen(user, 'Isi hubungan penerima dengan pemohon (penerima bukan pemohon).')
    user.find(marker='hubungan').type('Istri')
    user.find(marker='simpan-serahkan').click()
    await seen(user, 'Dokumen telah diserahkan.')
    p = load(first.pengurusan_id)
    assert (p.status, p.penerima_nama, p.penerima_hubungan) == ('diserahkan', 'Siti Aminah', 'Istri')
    with db.get().read() as session:
        last = session.exec(select(Riwayat).where(Riwayat.pengurusan_id == p.id).order_by(Riwayat.id.desc())).first()
    assert last.keterangan == 'Diterima oleh Siti Aminah (Istri)'


async def test_cetak_downloads_the_letter_and_records_the_print(user: User, app_people):
    first = submit(seq=1)
    complete(app_people, first.pengurusan_id)
    await login(user, app_people.of(Peran.ADMIN).nip)
    user.find(marker='tab-selesai').click()
    await seen(user, marker=f'cetak-{first.nomor_pendaftaran}')
    user.find(marker=f'cetak-{first.nomor_pendaftaran}').click()
    response = await user.download.next(timeout=DEADLINE)
    assert response.content.startswith(b'%PDF-')
    assert load(first.pengurusan_id).jumlah_cetak == 1
