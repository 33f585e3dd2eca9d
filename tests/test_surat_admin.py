"""The superadmin's Surat Digital page: the nomor pattern, the letterhead with its live preview, the segel and
TTE personal certificates; wrong input gets an Indonesian message beside its field."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from apok_ui import db
from apok_ui.services import Invalid, kop_surat
from apok_ui.ttd import demo as demo_ca
from models import Kecamatan, Peran, Sertifikat
from tests.conftest import People
from tests.test_administrasi_pages import login_as
from tests.test_portal_support import field_by_marker
from tests.waiting import seen, until


async def open_page(user: User, people: People) -> None:
    await login_as(user, people, Peran.SUPERADMIN, None)
    await user.open('/admin/sistem/surat')
    await seen(user, marker='kop-surat')


async def hand(user: User, marker: str, name: str, isi: bytes, content_type: str) -> None:
    uploader = field_by_marker(user, marker)
    await uploader.handle_uploads([ui.upload.SmallFileUpload(name, content_type, isi)])


@pytest.mark.parametrize(
    ('pola', 'message'),
    [
        ('{klasifikasi}/{kode_kecamatan}/{tahun}', 'Pola harus memuat {nomor}'),
        ('{klasifikasi}/{nomor}/{rahasia}', 'Penanda tidak dikenal: {rahasia}'),
        ('<b>{nomor}</b>', 'Di luar penanda, pola hanya boleh memuat'),
    ],
)
async def test_a_pattern_the_counter_cannot_number_is_refused_beside_its_field(
    user: User, app_people: People, pola: str, message: str
) -> None:
    await open_page(user, app_people)
    user.find(marker='isian-pola').clear().type(pola)
    user.find(marker='simpan-pola').click()
    await until(lambda: (field_by_marker(user, 'isian-pola').error or '').startswith(message))


async def test_a_valid_pattern_numbers_the_next_letter(user: User, app_people: People) -> None:
    await open_page(user, app_people)
    user.find(marker='isian-pola').clear().type('{nomor}/{kode_kecamatan}-{klasifikasi}/{tahun}')
    user.find(marker='simpan-pola').click()
    await seen(user, 'Pola nomor surat disimpan')
    from apok_ui.queries import surat_admin

    assert surat_admin.penomoran().pola == '{nomor}/{kode_kecamatan}-{klasifikasi}/{tahun}'


async def test_a_p12_with_a_wrong_passphrase_or_a_non_certificate_is_refused_beside_its_field(
    user: User, app_people: People
) -> None:
    await open_page(user, app_people)
    p12 = demo_ca.issue_p12(demo_ca.new_ca(), 'Segel Kecamatan Batam Kota', 'benar-sekali')
    await hand(user, 'segel-berkas', 'segel.p12', p12, 'application/x-pkcs12')
    user.find(marker='segel-sandi').type('salah')
    user.find(marker='segel-pasang').click()
    await until(lambda: field_by_marker(user, 'segel-sandi').error == 'Kata sandi sertifikat salah.')
    await hand(user, 'segel-berkas', 'bukan.p12', b'%PDF-1.7 ini bukan sertifikat', 'application/x-pkcs12')
    user.find(marker='segel-sandi').type('benar-sekali')
    user.find(marker='segel-pasang').click()
    await until(lambda: field_by_marker(user, 'segel-galat-berkas').text.startswith('Berkas ini bukan sertifikat'))
    with db.get().read() as session:
        assert not session.exec(select(Sertifikat).where(Sertifikat.jenis == 'segel')).all()
    await hand(user, 'segel-berkas', 'segel.p12', p12, 'application/x-pkcs12')
    user.find(marker='segel-sandi').type('benar-sekali')
    user.find(marker='segel-pasang').click()
    await seen(user, 'Sertifikat Segel Kecamatan Batam Kota terpasang.')
    with db.get().read() as session:
        row = session.exec(select(Sertifikat).where(Sertifikat.jenis == 'segel')).one()
    assert row.sandi_enc and 'benar-sekali' not in row.sandi_enc  # never in clear


async def test_the_letterhead_is_previewed_as_typed_and_wrong_fields_are_named(user: User, app_people: People) -> None:
    await open_page(user, app_people)
    user.find(marker='isian-telepon').clear().type('(0778) 460123')
    await until(lambda: '(0778) 460123' in field_by_marker(user, 'pratinjau').props.get('srcdoc', ''))
    user.find(marker='isian-kode_pos').clear().type('29A61')
    user.find(marker='isian-email').clear().type('bukan-email')
    user.find(marker='simpan-kop').click()
    await until(lambda: field_by_marker(user, 'isian-kode_pos').error == 'Kode pos 5 angka, contoh: 29461.')
    assert field_by_marker(user, 'isian-email').error.startswith('Alamat email tidak valid')
    await hand(user, 'isian-logo', 'logo.png', b'GIF89a bukan png', 'image/png')
    user.find(marker='isian-kode_pos').clear().type('29461')
    user.find(marker='isian-email').clear().type('kecamatan@batam.go.id')
    user.find(marker='simpan-kop').click()
    await until(lambda: field_by_marker(user, 'galat-logo').text == 'Logo harus gambar PNG atau JPG.')
    await hand(user, 'isian-logo', 'logo.png', kop_surat_png(), 'image/png')
    user.find(marker='simpan-kop').click()
    await seen(user, 'Kop surat disimpan')
    with db.get().read() as session:
        kec = session.exec(select(Kecamatan).where(Kecamatan.nama == 'Batam Kota')).one()
    assert (kec.kode_pos, kec.telepon, kec.email, kec.logo is not None) == (
        '29461',
        '(0778) 460123',
        'kecamatan@batam.go.id',
        True,
    )


def kop_surat_png() -> bytes:
    from apok_ui.demo import _png

    return _png(40, 40, (200, 30, 30))


def test_the_letterhead_rules_refuse_bad_values_and_keep_good_ones() -> None:
    values = kop_surat.clean_kop(kop_surat.DataKop(alamat='Jl. Raja Isa', kode_pos='29461', laman='batamkota.go.id'))
    assert values['laman'] == 'batamkota.go.id' and 'logo' not in values
    with pytest.raises(Invalid) as refused:
        kop_surat.clean_kop(kop_surat.DataKop(alamat='', telepon='telepon saya', laman='<script>'))
    assert set(refused.value.errors) == {'alamat', 'telepon', 'laman'}


def test_an_operator_installs_a_segel_and_a_root_from_the_command_line(tmp_path) -> None:
    from tests.test_cli import run

    secret = {'APOK_STORAGE_SECRET': 'x' * 40}
    ca = demo_ca.new_ca()
    (tmp_path / 'akar.pem').write_text(ca.pem)
    (tmp_path / 'segel.p12').write_bytes(demo_ca.issue_p12(ca, 'Segel Kecamatan Batam Kota', 'sandi-segel'))
    assert run(tmp_path, 'ttd', 'akar', str(tmp_path / 'akar.pem'), **secret).returncode == 0
    wrong = run(
        tmp_path,
        'ttd',
        'segel',
        '--kecamatan',
        'Batam Kota',
        '--berkas',
        str(tmp_path / 'segel.p12'),
        stdin='salah\n',
        **secret,
    )
    assert (wrong.returncode, wrong.stderr.strip()) == (2, 'apok: Kata sandi sertifikat salah.')
    done = run(
        tmp_path,
        'ttd',
        'segel',
        '--kecamatan',
        'Batam Kota',
        '--berkas',
        str(tmp_path / 'segel.p12'),
        '--aktifkan',
        stdin='sandi-segel\n',
        **secret,
    )
    assert done.returncode == 0 and 'installed for Kecamatan Batam Kota and in use' in done.stdout
    assert 'sandi-segel' not in done.stdout + done.stderr
