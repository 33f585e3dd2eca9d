"""Notifications on the screens, in the simulated browser: the citizen's opt-in at Ajukan (shown in Lihat Data),
Lupa Nomor Pendaftaran on Lacak, the officer's channel in Profil Petugas, and the superadmin's Templat Pesan."""

from __future__ import annotations

import pytest
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from sqlmodel import select

from apok_ui import db
from apok_ui.notifikasi import kabar
from apok_ui.services import kabar as services_kabar
from models import Pengurusan, Peran, Petugas
from models.tables import Pesan, TemplatPesan
from tests.conftest import PASSWORD, submit
from tests.test_portal_support import choose, citizen, fill, fresh_limits, nomor_shown, send, type_into, upload_all
from tests.test_workspace import login, open_lihat_data
from tests.waiting import seen, until

pytestmark = pytest.mark.usefixtures('fresh_limits')
_ = fresh_limits


@pytest.fixture(autouse=True)
def no_reminders_counted():
    services_kabar.reset_limits()
    yield
    services_kabar.reset_limits()


def messages() -> list[Pesan]:
    with db.get().read() as session:
        return list(session.exec(select(Pesan).order_by(Pesan.id)).all())


async def test_a_citizen_opts_into_whatsapp_at_ajukan_and_hears_that_it_arrived(user: User) -> None:
    await user.open('/ajukan/SKTM')
    await seen(user, 'Kirim Permohonan')
    await seen(user, 'No HP dan email hanya dipakai untuk mengabarkan perkembangan permohonan ini')
    fill(user, citizen('SKTM', email=''))
    choose(user, 'kabar_kanal', 'WhatsApp (No HP di atas)')
    await upload_all(user, 'SKTM')
    await send(user)
    await seen(user, 'Permohonan terkirim')
    nomor = nomor_shown(user)
    with db.get().read() as session:
        assert session.exec(select(Pengurusan.kabar_kanal)).one() == 'whatsapp'
    await until(lambda: [m.jenis for m in messages()] == ['diterima'], failure=lambda: str(messages()))
    [message] = messages()
    assert (message.kanal, message.tujuan, nomor in message.isi) == ('whatsapp', '+6281234567890', True)


async def test_choosing_email_without_one_is_named_beside_the_choice_and_nothing_is_sent(user: User) -> None:
    await user.open('/ajukan/SKTM')
    await seen(user, 'Kirim Permohonan')
    fill(user, citizen('SKTM', email=''))
    choose(user, 'kabar_kanal', 'Email')
    await upload_all(user, 'SKTM')
    await send(user)
    await seen(user, 'Isi Email di atas, atau pilih WhatsApp atau Tidak perlu.')
    type_into(user, 'email', 'budi@contoh.id')
    await send(user)
    await seen(user, 'Permohonan terkirim')
    await until(
        lambda: [(m.kanal, m.tujuan) for m in messages()] == [('email', 'budi@contoh.id')],
        failure=lambda: f'{[(m.kanal, m.tujuan) for m in messages()]}',
    )


async def test_lihat_data_shows_how_the_citizen_chose_to_be_told(user: User, app_people) -> None:
    first = submit(seq=1, kabar_kanal='email')
    await login(user, app_people.of(Peran.ADMIN).nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    await seen(user, 'Dikabari lewat')
    await seen(user, 'Email')


async def test_lupa_nomor_sends_the_nomor_to_the_stored_contact_and_answers_a_miss_the_same(user: User, app_people):
    first = submit(seq=1)  # no opt-in at Ajukan: asking for one's own nomor is its own purpose
    nik = citizen('SKTM').nik
    await user.open('/lacak')
    user.find(marker='lupa-nomor').click()
    await seen(user, marker='lupa-nomor-form')
    user.find(marker='lupa-nik').type(nik)
    user.find(marker='lupa-kontak').type('0812 3456 7890')
    user.find(marker='lupa-kirim').click()
    await seen(user, services_kabar.LUPA_TERKIRIM)
    [message] = messages()
    assert (message.jenis, message.tujuan, first.nomor_pendaftaran in message.isi) == (
        'lupa_nomor',
        '+6281234567890',
        True,
    )
    # Another number with the same NIK: the same words, and nothing goes to that number.
    await user.open('/lacak')
    user.find(marker='lupa-nomor').click()
    await seen(user, marker='lupa-nomor-form')
    user.find(marker='lupa-nik').type(nik)
    user.find(marker='lupa-kontak').type('0813 0000 1111')
    user.find(marker='lupa-kirim').click()
    await seen(user, services_kabar.LUPA_TERKIRIM)
    assert len(messages()) == 1


async def test_lupa_nomor_names_a_wrong_nik_beside_its_field(user: User) -> None:
    await user.open('/lacak')
    user.find(marker='lupa-nomor').click()
    await seen(user, marker='lupa-nomor-form')
    user.find(marker='lupa-nik').type('123')
    user.find(marker='lupa-kontak').type('budi@contoh.id')
    user.find(marker='lupa-kirim').click()
    await until(lambda: error_of(user, 'lupa-nik') != '')
    assert messages() == []


async def test_an_officer_chooses_whatsapp_and_quiet_hours_in_profil_petugas(user: User, app_people) -> None:
    kasi = app_people.of(Peran.KASI)
    await login(user, kasi.nip)
    user.find(marker='tab-profil').click()
    await seen(user, marker='simpan-kabar')
    choose_option(user, 'kabar-kanal', 'WhatsApp')
    user.find(marker='kabar-no-hp').clear().type('0812-1111-2222')
    user.find(marker='kabar-senyap_mulai').clear().type('22:00')
    user.find(marker='simpan-kabar').click()
    await seen(user, 'Pengaturan kabar disimpan.')
    with db.get().read() as session:
        petugas = session.get(Petugas, kasi.actor.petugas_id)
        assert (petugas.kabar_kanal, petugas.no_hp, petugas.senyap_mulai, petugas.senyap_sampai) == (
            'whatsapp',
            '+6281211112222',
            '22:00',
            '07:00',
        )


async def test_whatsapp_without_a_number_is_named_beside_the_number(user: User, app_people) -> None:
    await login(user, app_people.of(Peran.KASI).nip)
    user.find(marker='tab-profil').click()
    await seen(user, marker='simpan-kabar')
    choose_option(user, 'kabar-kanal', 'WhatsApp')
    user.find(marker='simpan-kabar').click()
    await until(lambda: error_of(user, 'kabar-no-hp') == 'Nomor HP wajib diisi.')


async def test_the_superadmin_edits_a_text_with_a_live_preview_and_a_wrong_placeholder_is_refused(
    user: User, app_people
) -> None:
    await login_superadmin(user, app_people)
    await user.open('/admin/sistem/pesan/templat?jenis=diterima')
    await seen(user, '{tautan_lacak}')
    user.find(marker='templat-isi').clear().type('Nomor {nomor} diterima di {kecamatan}.')
    await seen(user, 'Nomor BTK-2612-00001 diterima di Batam Kota.')
    user.find(marker='templat-isi').clear().type('Halo {nik}')
    await until(
        lambda: error_of(user, 'templat-isi').startswith('Isian {nik} tidak tersedia untuk pesan ini'),
        failure=lambda: error_of(user, 'templat-isi'),
    )
    user.find(marker='simpan-templat').click()
    await seen(
        user,
        'Isian {nik} tidak tersedia untuk pesan ini; yang tersedia: {nomor}, {layanan}, {kecamatan}, {tautan_lacak}',
    )
    with db.get().read() as session:
        assert session.get(TemplatPesan, 'diterima') is None
    user.find(marker='templat-isi').clear().type('Nomor {nomor} diterima.')
    user.find(marker='simpan-templat').click()
    await seen(user, 'Templat disimpan; pesan berikutnya memakai teks ini.')
    kabar.catch_up()
    first = submit(seq=1, kabar_kanal='whatsapp')
    await until(lambda: [m.isi for m in messages()] == [f'Nomor {first.nomor_pendaftaran} diterima.'])


def error_of(user: User, marker: str) -> str:
    """Return the message a field shows under itself ('' for none)."""
    element = next(iter(user.find(marker=marker).elements))
    return element.props.get('error-message', '') if element.props.get('error') else ''


def choose_option(user: User, marker: str, label: str) -> None:
    interaction = user.find(marker=marker)
    element = next(iter(interaction.elements))
    interaction.click()
    UserInteraction(user, {element}, label).click()


async def login_superadmin(user: User, app_people) -> None:
    await user.open('/login')
    user.find('Username').type(app_people.of(Peran.SUPERADMIN).nip)
    user.find('Password').type(PASSWORD)
    user.find('Masuk').click()
    await seen(user, 'Administrasi Sistem')


async def test_a_digests_link_opens_lihat_data_of_that_application_after_the_login(user: User, app_people) -> None:
    first = submit(seq=1)
    await user.open(f'/admin?lihat={first.pengurusan_id}')
    await seen(user, 'Login Petugas Kecamatan')
    user.find('Username').type(app_people.of(Peran.ADMIN).nip)
    user.find('Password').type(PASSWORD)
    user.find('Masuk').click()
    await seen(user, marker='lihat-data')
    await seen(user, first.nomor_pendaftaran)


def test_only_apoks_own_officer_pages_are_followed_after_a_login() -> None:
    from apok_ui.auth import safe_next

    assert safe_next('/admin?lihat=12') == '/admin?lihat=12'
    assert safe_next('/admin/monitoring') == '/admin/monitoring'
    for hostile in ('https://evil.example/admin', '//evil.example', '/admin//evil', '/adminx', '/admin\\@evil', ''):
        assert safe_next(hostile) is None
