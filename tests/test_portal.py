"""The citizen portal in the simulated browser: Beranda, the whole Ajukan form of every layanan, every message,
nothing lost on an error, one application per form, the live event for the Admin, and the abuse limits."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from apok_ui import db, events
from apok_ui.demo import SAMPLE_PDF
from apok_ui.services import batas
from models import Layanan
from tests.conftest import isian_for, kecamatan_id, uploads_for
from tests.test_portal_support import (
    CHOICE_FIELDS,
    TEXT_FIELDS,
    choose,
    citizen,
    field,
    field_by_marker,
    fill,
    fresh_limits,  # noqa: F401 (fixture)
    layanan_row,
    nomor_shown,
    send,
    stored,
    stored_berkas,
    stored_files,
    submit_directly,
    type_into,
    upload,
    upload_all,
)
from tests.waiting import seen, unseen, until

pytestmark = pytest.mark.usefixtures('fresh_limits')
KODES = ('AK1', 'SKTM', 'SKD', 'SKAW', 'RNK', 'SKP', 'IUMK', 'RIK')


async def open_form(user: User, kode: str = 'SKTM') -> None:
    await user.open(f'/ajukan/{kode}')
    await seen(user, 'Kirim Permohonan')


async def test_beranda_lists_every_open_layanan_with_its_requirements_and_sla(user: User) -> None:
    await user.open('/')
    for kode in KODES:
        layanan = layanan_row(kode)
        await seen(user, layanan.nama)
        await seen(user, f'Selesai ± {layanan.sla_hari_kerja} hari kerja')
        for item in layanan.persyaratan:
            await seen(user, item['label'])
        await seen(user, marker=f'ajukan-{kode}')
    await seen(user, 'Lacak Permohonan')


async def test_ajukan_on_beranda_opens_that_layanans_form_and_lacak_opens_tracking(user: User) -> None:
    await user.open('/')
    user.find(marker='ajukan-SKD').click()
    await seen(user, 'Surat Keterangan Domisili')
    await seen(user, 'Alamat domisili')
    await user.open('/')
    user.find(marker='lacak').click()
    await seen(user, marker='lacak-nomor')


async def test_a_closed_or_unknown_layanan_is_not_offered(user: User) -> None:
    with db.get().write() as session:
        session.get(Layanan, layanan_row('RIK').id).aktif = False
    await user.open('/')
    await unseen(user, 'Rekomendasi Izin Keramaian')
    await user.open('/ajukan/RIK')
    await seen(user, 'Layanan tidak ditemukan atau sedang tidak dibuka.')
    await user.open('/ajukan/%3Cb%3ETIDAKADA')
    await seen(user, 'Layanan tidak ditemukan atau sedang tidak dibuka.')
    await unseen(user, 'Kirim Permohonan')


@pytest.mark.parametrize('kode', KODES)
async def test_a_citizen_fills_the_whole_form_of_each_layanan_and_gets_a_nomor(user: User, kode: str) -> None:
    await open_form(user, kode)
    data = citizen(kode, email='')
    fill(user, data)
    await upload_all(user, kode)
    await send(user)
    await seen(user, 'Permohonan terkirim')
    nomor = nomor_shown(user)
    assert nomor.startswith('BTK-')
    await seen(user, 'Lacak permohonan')
    [p] = stored()
    assert (p.nomor_pendaftaran, p.kelurahan_id > 0, p.no_hp, p.rt, p.email) == (
        nomor,
        True,
        '+6281234567890',
        '001',
        '',
    )
    assert p.isian == {k: v.replace('.', '') for k, v in isian_for(kode).items()}
    assert {b.persyaratan_kode for b in stored_berkas()} == {u.persyaratan_kode for u in uploads_for(kode)}


async def test_the_result_copies_the_nomor_and_links_to_its_tracking(user: User) -> None:
    await open_form(user)
    fill(user, citizen('SKTM'))
    await upload_all(user, 'SKTM')
    await send(user)
    nomor = nomor_shown(user)
    user.find('Salin nomor').click()
    await seen(user, 'Nomor Pendaftaran disalin.')
    user.find('Lacak permohonan').click()
    await seen(user, marker='lacak-nomor')
    assert field_by_marker(user, 'lacak-nomor').value == nomor


async def test_the_new_application_is_announced_to_the_admins_of_its_kecamatan(user: User) -> None:
    announced: list[events.Perubahan] = []
    events.pengurusan_changed.subscribe(announced.append)
    try:
        await open_form(user)
        fill(user, citizen('SKTM'))
        await upload_all(user, 'SKTM')
        await send(user)
        await until(lambda: announced, failure='the new application was never announced')
    finally:
        events.pengurusan_changed.unsubscribe(announced.append)
    [change] = announced
    assert (change.aksi, change.peran_menunggu, change.kecamatan_id) == (
        'diajukan',
        'admin',
        kecamatan_id('Batam Kota'),
    )
    assert change.nomor_pendaftaran == nomor_shown(user)


async def test_a_double_click_on_kirim_makes_one_application(user: User) -> None:
    await open_form(user)
    fill(user, citizen('SKTM'))
    await upload_all(user, 'SKTM')
    user.find(marker='setuju').click()
    user.find(marker='kirim').click().click()
    await send(user)
    assert len(stored()) == 1
    await seen(user, stored()[0].nomor_pendaftaran)


WRONG = [
    ('nik', '', 'NIK wajib diisi.'),
    ('nik', '12345', 'NIK harus terdiri dari 16 angka.'),
    ('nik', '0071011708900002', 'Kode wilayah pada NIK tidak dikenal.'),
    ('nik', '2071011708900002', 'Kode wilayah pada NIK tidak dikenal.'),
    ('nik', '2171013208900002', 'Tanggal lahir pada NIK tidak valid.'),
    ('nik', '2171011708900000', 'Nomor urut pada NIK tidak valid.'),
    ('nik', '2171015708900002', 'Kode jenis kelamin pada NIK tidak cocok dengan jenis kelamin yang diisi.'),
    ('nik', '2171011808900002', 'Tanggal lahir pada NIK tidak cocok dengan tanggal lahir yang diisi.'),
    ('nama', '', 'Nama wajib diisi (minimal 2 huruf).'),
    ('nama', 'Budi 123', 'Nama hanya boleh berisi huruf, spasi, titik, koma, apostrof dan tanda hubung.'),
    ('nama', 'A' * 101, 'Nama terlalu panjang (maksimal 100 karakter).'),
    ('tempat_lahir', '', 'Tempat lahir wajib diisi (minimal 2 huruf).'),
    ('tempat_lahir', 'B' * 61, 'Tempat lahir terlalu panjang (maksimal 60 karakter).'),
    ('tanggal_lahir', '', 'Tanggal lahir wajib diisi.'),
    ('tanggal_lahir', 'kemarin', 'Tanggal lahir harus berupa tanggal (contoh: 31/12/2000).'),
    ('tanggal_lahir', '2999-01-01', 'Tanggal lahir tidak valid.'),
    ('pekerjaan', '', 'Pekerjaan wajib diisi.'),
    ('pekerjaan', 'x' * 61, 'Pekerjaan terlalu panjang (maksimal 60 karakter).'),
    ('alamat', '', 'Alamat wajib diisi.'),
    ('alamat', 'Jl. Nagoya\x00', 'Alamat berisi karakter yang tidak diizinkan.'),
    ('rt', '', 'RT wajib diisi.'),
    ('rt', 'abc', 'RT harus 1–3 angka, contoh: 004.'),
    ('rw', '1234', 'RW harus 1–3 angka, contoh: 004.'),
    ('no_hp', '', 'Nomor HP wajib diisi.'),
    ('no_hp', 'nomor saya', 'Nomor HP hanya boleh berisi angka, spasi, tanda hubung atau awalan +62.'),
    ('no_hp', '021 555 1234', 'Nomor HP tidak valid; contoh: 0812 3456 7890.'),
    ('email', 'budi@', 'Alamat email tidak valid; contoh: nama@contoh.id.'),
    ('isian.keperluan', '', 'Keperluan wajib diisi.'),
    ('isian.penghasilan_per_bulan_rp', 'dua juta', 'Penghasilan per bulan (Rp) harus berupa angka.'),
]


@pytest.mark.parametrize(('key', 'value', 'message'), WRONG, ids=[f'{k}-{m[:30]}' for k, _, m in WRONG])
async def test_a_wrong_value_gets_its_indonesian_message_beside_the_field(
    user: User, key: str, value: str, message: str
) -> None:
    await open_form(user)
    fill(user, citizen('SKTM'))
    type_into(user, key, value)
    await upload_all(user, 'SKTM')
    await send(user)
    await seen(user, message)
    assert field(user, key).error == message
    await seen(user, 'Periksa kembali isian yang ditandai.')
    assert stored() == [] and stored_files() == set()


@pytest.mark.parametrize(
    ('key', 'message'), [(name, f'Pilih {name.replace("_", " ")} dari daftar.') for name in CHOICE_FIELDS]
)
async def test_a_choice_left_open_is_named(user: User, key: str, message: str) -> None:
    await open_form(user)
    fill(user, citizen('SKTM'))
    user.find(marker=f'field-{key}').clear()
    await upload_all(user, 'SKTM')
    await send(user)
    assert field(user, key).error == message
    assert stored() == []


async def test_extra_fields_of_other_kinds_are_checked_too(user: User) -> None:
    await open_form(user, 'AK1')
    fill(user, citizen('AK1'))
    user.find(marker='field-isian.pendidikan_terakhir').clear()
    type_into(user, 'isian.tahun_lulus', 'dua ribu')
    await upload_all(user, 'AK1')
    await send(user)
    assert field(user, 'isian.pendidikan_terakhir').error == 'Pendidikan terakhir wajib diisi.'
    assert field(user, 'isian.tahun_lulus').error == 'Tahun lulus harus berupa angka.'
    await open_form(user, 'SKAW')
    fill(user, citizen('SKAW'))
    type_into(user, 'isian.tanggal_meninggal', 'minggu lalu')
    await upload_all(user, 'SKAW')
    await send(user)
    assert (
        field(user, 'isian.tanggal_meninggal').error == 'Tanggal meninggal harus berupa tanggal (contoh: 31/12/2000).'
    )
    assert stored() == []


async def test_the_first_kirim_of_an_empty_form_names_every_error_at_once_the_statement_included(user: User) -> None:
    await open_form(user)
    user.find(marker='kirim').click()
    await seen(user, 'Centang pernyataan ini untuk mengirim permohonan.')
    assert field(user, 'kecamatan').error == 'Pilih kecamatan dari daftar.'
    assert field(user, 'nik').error == 'NIK wajib diisi.'
    await seen(user, 'Surat pengantar RT/RW wajib diunggah.')
    await seen(user, 'Kartu Keluarga wajib diunggah.')
    summary = next(iter(user.find(marker='pesan').elements)).text
    assert int(summary.split('Ada ')[1].split()[0]) >= 20  # every field, berkas and the statement in one answer
    await send(user)
    assert field(user, 'kecamatan').error == 'Pilih kecamatan dari daftar.'
    choose(user, 'kecamatan', 'Sekupang')
    await send(user)
    assert field(user, 'kelurahan').error == 'Pilih kelurahan di kecamatan yang dipilih.'
    assert stored() == []


async def test_everything_typed_and_uploaded_stays_after_an_error_and_the_fix_goes_through(user: User) -> None:
    await open_form(user)
    data = citizen('SKTM')
    fill(user, data)
    type_into(user, 'nik', '2171')
    await upload_all(user, 'SKTM')
    await send(user)
    await seen(user, 'NIK harus terdiri dari 16 angka.')
    for name in TEXT_FIELDS:
        if name != 'nik':
            assert field(user, name).value == str(getattr(data, name)), name
    for name in CHOICE_FIELDS:
        assert field(user, name).value == getattr(data, name)
    assert field(user, 'kecamatan').value == kecamatan_id('Batam Kota') and field(user, 'kelurahan').value
    assert field(user, 'isian.keperluan').value == data.isian['keperluan']
    for item in uploads_for('SKTM'):
        await seen(user, marker=f'ganti-{item.persyaratan_kode}')
    assert field_by_marker(user, 'setuju').value is True
    type_into(user, 'nik', data.nik)
    await send(user)
    await seen(user, 'Permohonan terkirim')
    assert sorted(b.nama_asli for b in stored_berkas()) == sorted(u.nama_asli for u in uploads_for('SKTM'))


async def test_a_replaced_upload_is_the_one_that_is_sent(user: User) -> None:
    await open_form(user)
    fill(user, citizen('SKTM'))
    await upload_all(user, 'SKTM')
    user.find(marker='ganti-ktp').click()
    await upload(user, 'ktp', 'ktp-baru.pdf', SAMPLE_PDF, 'application/pdf')
    await seen(user, 'ktp-baru.pdf')
    await send(user)
    await seen(user, 'Permohonan terkirim')
    assert 'ktp-baru.pdf' in {b.nama_asli for b in stored_berkas()}


async def test_a_sixth_submission_from_one_browser_within_a_minute_is_refused_with_a_message(user: User) -> None:
    await open_form(user)
    browser = user.client.request.session['id']
    for seq in range(2, 2 + batas.SUBMISSIONS_PER_DEVICE_PER_MINUTE):
        submit_directly(seq=seq, ip='127.0.0.1', perangkat=browser)
    fill(user, citizen('SKTM'))
    await upload_all(user, 'SKTM')
    await send(user)
    await seen(user, 'Terlalu banyak permohonan dari perangkat ini. Tunggu 1 menit, lalu kirim lagi.')
    assert len(stored()) == batas.SUBMISSIONS_PER_DEVICE_PER_MINUTE
    assert field(user, 'nama').value == 'Budi Santoso'


async def test_a_nik_that_already_applied_five_times_today_is_refused_with_a_message(user: User) -> None:
    await open_form(user)
    for n in range(batas.SUBMISSIONS_PER_NIK_PER_DAY):
        submit_directly(ip=f'10.0.0.{n}')
    fill(user, citizen('SKTM'))
    await upload_all(user, 'SKTM')
    files_before = stored_files()
    await send(user)
    await seen(user, 'NIK ini sudah mengajukan 5 permohonan dalam 24 jam terakhir.')
    assert len(stored()) == batas.SUBMISSIONS_PER_NIK_PER_DAY and stored_files() == files_before


def test_an_address_may_submit_again_once_its_minute_has_passed() -> None:
    window = batas.Jendela(limit=2, seconds=60)
    assert window.take('1.2.3.4', at=0) and window.take('1.2.3.4', at=1)
    assert not window.take('1.2.3.4', at=59) and window.take('5.6.7.8', at=59)
    assert window.take('1.2.3.4', at=60.5)


def test_a_refused_or_failed_submission_gives_its_place_in_the_window_back() -> None:
    window = batas.Jendela(limit=1, seconds=60)
    assert window.take('1.2.3.4', at=0)
    window.give_back('1.2.3.4')
    assert window.take('1.2.3.4', at=1)
