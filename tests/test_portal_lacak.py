"""Lacak in the simulated browser: stages and history without officers' names, no probing, Perbaikan, Batalkan."""

from __future__ import annotations

import pytest
from nicegui.testing import User
from sqlmodel import select

from apok_ui import db, services
from apok_ui.demo import SAMPLE_PDF
from apok_ui.services import batas
from apok_ui.services.permohonan import NOT_FOUND_MESSAGE
from models import Berkas, Pengurusan, Peran, Riwayat
from tests.conftest import NIPS, People, submit
from tests.test_portal_support import (
    field,
    field_by_marker,
    fresh_limits,  # noqa: F401 (fixture)
    settle,
    type_into,
    upload,
)
from tests.waiting import seen, unseen

pytestmark = pytest.mark.usefixtures('fresh_limits')
OFFICER_NAMES = ('Petugas Admin A', 'Petugas Kasi A', 'Petugas Sekcam A', 'Petugas Camat A')


def load(pengurusan_id: int) -> Pengurusan:
    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id)


def act(people: People, peran: Peran, pengurusan_id: int, aksi=services.approve, **kwargs) -> None:
    aksi(actor=people.of(peran).actor, pengurusan_id=pengurusan_id, version=load(pengurusan_id).version, **kwargs)


async def lacak(user: User, nomor: str, nik: str) -> None:
    await user.open(f'/lacak?nomor={nomor}')
    user.find(marker='lacak-nik').clear().type(nik)
    user.find(marker='lacak-cari').click()
    await settle(user)


async def test_lacak_shows_the_stages_and_history_but_never_an_officers_name_or_nip(
    user: User, app_people: People
) -> None:
    result = submit()
    act(app_people, Peran.ADMIN, result.pengurusan_id, keterangan='Diperiksa oleh Petugas Admin A')
    await lacak(user, result.nomor_pendaftaran, load(result.pengurusan_id).nik)
    await seen(user, 'Diproses')
    await seen(user, 'Sedang diperiksa oleh Kasi Kecamatan.')
    await seen(user, 'Disetujui Admin Kecamatan')
    await seen(user, 'Permohonan diajukan')
    await seen(user, 'Surat Keterangan Tidak Mampu')
    await seen(user, 'B*** S******')
    for secret in (*OFFICER_NAMES, *NIPS.values()):
        await unseen(user, secret)


async def test_the_tracking_link_fills_in_the_number_and_lower_case_or_spaces_do_not_matter(
    user: User, app_people: People
) -> None:
    result = submit()
    nik = load(result.pengurusan_id).nik
    await user.open(f'/lacak?nomor={result.nomor_pendaftaran}')
    assert field_by_marker(user, 'lacak-nomor').value == result.nomor_pendaftaran
    await lacak(user, result.nomor_pendaftaran.lower(), f'{nik[:6]} {nik[6:12]} {nik[12:]}')
    await seen(user, marker='ringkasan')


async def test_a_wrong_nik_gets_the_same_answer_as_an_unknown_number(user: User, app_people: People) -> None:
    result = submit()
    await lacak(user, result.nomor_pendaftaran, '2171010101900009')
    await seen(user, NOT_FOUND_MESSAGE)
    await unseen(user, marker='ringkasan')
    wrong_pair = field_by_marker(user, 'lacak-pesan').text
    await lacak(user, 'BTK-2611-99999', load(result.pengurusan_id).nik)
    assert field_by_marker(user, 'lacak-pesan').text == wrong_pair == NOT_FOUND_MESSAGE
    await lacak(user, result.nomor_pendaftaran, '')
    await seen(user, 'Isi Nomor Pendaftaran dan NIK.')


async def test_look_ups_from_one_address_are_limited_so_nobody_guesses_niks(user: User, app_people: People) -> None:
    result = submit()
    for n in range(batas.LOOKUPS_PER_IP_PER_MINUTE):
        await lacak(user, result.nomor_pendaftaran, f'21710101019000{n:02d}')
    await lacak(user, result.nomor_pendaftaran, load(result.pengurusan_id).nik)
    await seen(user, 'Terlalu banyak pencarian dari perangkat atau jaringan ini. Tunggu 1 menit, lalu coba lagi.')
    await unseen(user, marker='ringkasan')


async def test_after_the_four_officers_approve_lacak_shows_selesai(user: User, app_people: People) -> None:
    result = submit()
    for peran in (Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT):
        act(app_people, peran, result.pengurusan_id)
    await lacak(user, result.nomor_pendaftaran, load(result.pengurusan_id).nik)
    assert field_by_marker(user, 'status').text == 'Selesai'
    await seen(user, 'Surat sudah selesai. Silakan ambil di Kantor Camat Batam Kota')
    await seen(user, 'Disetujui Camat')
    await unseen(user, 'Batalkan Permohonan')


async def test_a_rejection_shows_its_reason_and_the_perbaikan_goes_back_to_the_admin_with_the_same_nomor(
    user: User, app_people: People
) -> None:
    result = submit()
    act(app_people, Peran.ADMIN, result.pengurusan_id, services.reject, keterangan='Foto KTP buram, unggah ulang.')
    nik = load(result.pengurusan_id).nik
    await lacak(user, result.nomor_pendaftaran, nik)
    await seen(user, 'Ditolak')
    await seen(user, 'Foto KTP buram, unggah ulang.')
    user.find('Perbaiki Data dan Berkas').click()
    await seen(user, 'Kirim Perbaikan')
    assert field(user, 'nama').value == 'Budi Santoso' and field(user, 'tanggal_lahir').value == '17/08/1990'
    await seen(user, 'Berkas saat ini: ktp.pdf')
    type_into(user, 'alamat', 'Jl. Raja Ali Haji No. 9')
    user.find(marker='ganti-ktp').click()
    await upload(user, 'ktp', 'ktp-jelas.pdf', SAMPLE_PDF, 'application/pdf')
    await seen(user, 'ktp-jelas.pdf')
    user.find(marker='kirim-perbaikan').click()
    await settle(user)
    await seen(user, 'Perbaikan terkirim. Permohonan kembali diperiksa Admin Kecamatan.')
    await seen(user, 'Perbaikan dikirim pemohon')
    p = load(result.pengurusan_id)
    assert (p.status, p.tahap, p.alamat, p.nomor_pendaftaran) == (
        'diajukan',
        0,
        'Jl. Raja Ali Haji No. 9',
        result.nomor_pendaftaran,
    )
    with db.get().read() as session:
        ktp = session.exec(select(Berkas).where(Berkas.pengurusan_id == p.id, Berkas.persyaratan_kode == 'ktp')).all()
        last = session.exec(select(Riwayat).where(Riwayat.pengurusan_id == p.id).order_by(Riwayat.id.desc())).first()
    assert [(b.nama_asli, b.aktif) for b in ktp] == [('ktp.pdf', False), ('ktp-jelas.pdf', True)]
    assert last.aksi == 'diperbaiki'


async def test_a_wrong_value_in_the_perbaikan_is_named_beside_its_field_and_nothing_changes(
    user: User, app_people: People
) -> None:
    result = submit()
    act(app_people, Peran.ADMIN, result.pengurusan_id, services.reject, keterangan='No HP tidak aktif.')
    await lacak(user, result.nomor_pendaftaran, load(result.pengurusan_id).nik)
    user.find('Perbaiki Data dan Berkas').click()
    await seen(user, 'Kirim Perbaikan')
    type_into(user, 'no_hp', '12345')
    user.find(marker='kirim-perbaikan').click()
    await settle(user)
    assert field(user, 'no_hp').error == 'Nomor HP tidak valid; contoh: 0812 3456 7890.'
    assert load(result.pengurusan_id).status == 'ditolak'
    type_into(user, 'no_hp', '0813 9999 8888')
    user.find(marker='kirim-perbaikan').click()
    await settle(user)
    assert (load(result.pengurusan_id).status, load(result.pengurusan_id).no_hp) == ('diajukan', '+6281399998888')


async def test_an_untouched_application_can_be_cancelled_once(user: User, app_people: People) -> None:
    result = submit()
    await lacak(user, result.nomor_pendaftaran, load(result.pengurusan_id).nik)
    user.find('Batalkan Permohonan').click()
    await seen(user, 'Batalkan permohonan ini?')
    user.find('Ya, batalkan').click()
    await settle(user)
    await seen(user, 'Permohonan dibatalkan.')
    await seen(user, 'Dibatalkan oleh pemohon')
    await unseen(user, 'Batalkan Permohonan')
    assert load(result.pengurusan_id).status == 'dibatalkan'


async def test_once_an_officer_acted_it_can_no_longer_be_cancelled(user: User, app_people: People) -> None:
    result = submit()
    act(app_people, Peran.ADMIN, result.pengurusan_id)
    await lacak(user, result.nomor_pendaftaran, load(result.pengurusan_id).nik)
    await seen(user, marker='ringkasan')
    await unseen(user, 'Batalkan Permohonan')
    await unseen(user, 'Perbaiki Data dan Berkas')
