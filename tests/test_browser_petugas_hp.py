"""Officers on phones, as they really work (issue 16), in a real browser at the size where each problem was seen:
every tab one tap away, no irreversible slip, the reason of a revision where it is needed, Setujui beberapa, a
decision made elsewhere that keeps what was typed, and drafts that survive a lost connection and a reload."""

from __future__ import annotations

import pytest
from sqlmodel import select

from apok_ui import db, services
from models import Peran, Riwayat
from models.validasi import format_nip
from tests.conftest import (
    PHONE,
    SCREENSHOTS,
    TABLET,
    LiveServer,
    login_in_browser,
    type_into,
)
from tests.conftest import submit as submit_application

NEXT_FRAMES = 'new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))'
# At rest: every finite animation or transition (a tab panel sliding in, a dialog zooming) has ended.
AT_REST = '() => document.getAnimations().every(a => a.effect.getTiming().iterations === Infinity)'
IN_VIEW = """e => { const r = e.getBoundingClientRect();
  return r.left >= 0 && r.right <= window.innerWidth && r.top >= 0 && r.bottom <= window.innerHeight; }"""


def version(pengurusan_id: int) -> int:
    from models import Pengurusan

    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id).version


def approve(people, pengurusan_id: int, *roles: Peran, keterangan: str = '') -> None:
    for peran in roles:
        services.approve(
            actor=people.of(peran).actor, pengurusan_id=pengurusan_id, version=version(pengurusan_id),
            keterangan=keterangan or f'Diperiksa {peran.label}.',
        )  # fmt: skip


class Phone:
    """One officer's browser at one size."""

    def __init__(self, chromium, server: LiveServer, viewport: dict = PHONE) -> None:
        self.context = chromium.new_context(viewport=viewport, locale='id-ID', accept_downloads=True)
        self.page = self.context.new_page()
        self.server = server
        self.width = viewport['width']

    def login(self, nip: str) -> None:
        login_in_browser(self.page, self.server, nip)
        self.page.get_by_text('Pilih Pengurusan').first.wait_for()

    def row(self, nomor: str):
        return self.page.locator('[role=listitem]', has_text=nomor)

    def open_lihat_data(self, nomor: str) -> None:
        self.row(nomor).get_by_role('button', name='Lihat Data').click()
        self.page.get_by_role('tab', name='Data Pemohon').wait_for()

    def in_view(self, locator) -> bool:
        self.page.evaluate(NEXT_FRAMES)
        self.page.wait_for_function(AT_REST)  # a row still scrolling smoothly, a dialog still zooming, measure wrong
        return locator.evaluate(IN_VIEW)

    def shot(self, name: str) -> None:
        self.page.evaluate(NEXT_FRAMES)
        self.page.wait_for_function(AT_REST)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f'{name}-{self.width}.png', animations='disabled')

    def close(self) -> None:
        self.context.close()


def test_on_a_phone_every_tab_is_one_tap_away_and_a_nip_with_spaces_logs_in(chromium, server, app_people):
    nomor = submit_application(seq=1, nama='Budi Santoso').nomor_pendaftaran
    phone = Phone(chromium, server)
    try:
        login_in_browser(phone.page, server, format_nip(app_people.of(Peran.ADMIN).nip))  # '19850101 201001 1 001'
        for tab in ('Data Baru', 'In Progress', 'Data Selesai', 'Profil Petugas'):
            assert phone.in_view(phone.page.get_by_role('tab', name=tab)), f'{tab} is not on the screen'
        phone.page.get_by_role('tab', name='Profil Petugas').click()
        phone.page.get_by_role('button', name='Keluar').wait_for()
        phone.page.get_by_role('tab', name='Data Baru').click()
        phone.open_lihat_data(nomor)
        for tab in ('Data Pemohon', 'Data Pengurusan', 'Berkas Persyaratan', 'Status Pengurusan'):
            assert phone.in_view(phone.page.get_by_role('tab', name=tab)), f'Lihat Data: {tab} is not on the screen'
        phone.page.get_by_role('tab', name='Status Pengurusan').click()
        phone.page.get_by_text('Menunggu').first.wait_for()
        phone.page.get_by_role('button', name='Tutup').click()
        phone.shot('navigasi-bawah')
    finally:
        phone.close()
    tablet = Phone(chromium, server, TABLET)
    try:
        tablet.login(app_people.of(Peran.ADMIN).nip)
        assert not tablet.page.locator('.q-footer').is_visible()  # from 640 px on the tabs stay at the top
        assert tablet.in_view(tablet.page.get_by_role('tab', name='Profil Petugas'))
    finally:
        tablet.close()


def test_a_chip_far_right_stays_in_sight_and_the_cards_say_their_layanan(chromium, server, app_people):
    submit_application(seq=1, nama='Budi Santoso', kode='SKTM')
    nomor = submit_application(seq=2, nama='Rina Lubis', kode='SKD').nomor_pendaftaran
    phone = Phone(chromium, server)
    try:
        phone.login(app_people.of(Peran.ADMIN).nip)
        chips = phone.page.locator('[role=tablist][aria-label="Pilih Pengurusan"] button')
        last = chips.last
        last.scroll_into_view_if_needed()
        last.click()
        phone.page.wait_for_function('() => !location.search || location.search.includes("layanan")')
        active = phone.page.locator('[role=tablist][aria-label="Pilih Pengurusan"] button[aria-pressed=true]')
        active.wait_for()
        rect = active.evaluate('e => JSON.stringify(e.getBoundingClientRect())')
        assert phone.in_view(active), f'the chosen chip scrolled out of sight: {rect}'
        phone.page.locator('[role=tablist] button', has_text='Surat Keterangan Domisili').click()
        phone.row(nomor).get_by_text('Surat Keterangan Domisili').wait_for()  # the filtered card names its layanan
    finally:
        phone.close()


def test_the_reason_of_a_revision_is_on_the_card_atop_lihat_data_and_in_the_form(chromium, server, app_people):
    pid = submit_application(seq=1, nama='Siti Rahayu')
    approve(app_people, pid.pengurusan_id, Peran.ADMIN)
    services.reject(
        actor=app_people.of(Peran.KASI).actor, pengurusan_id=pid.pengurusan_id, version=2, keterangan='Nama beda KTP.'
    )
    phone = Phone(chromium, server)
    try:
        phone.login(app_people.of(Peran.ADMIN).nip)
        phone.row(pid.nomor_pendaftaran).get_by_text('Alasan revisi: Nama beda KTP.').wait_for()
        phone.open_lihat_data(pid.nomor_pendaftaran)
        info = phone.page.locator('.q-dialog').get_by_text('Dikembalikan untuk direvisi: Nama beda KTP.')
        assert phone.in_view(info), 'the reason is not at the top of Lihat Data'
        phone.page.get_by_role('button', name='Revisi Data').click()
        phone.page.locator('.q-dialog').last.get_by_text('Dikembalikan untuk direvisi: Nama beda KTP.').wait_for()
    finally:
        phone.close()


def finished(people, seq: int = 1, nama: str = 'Budi Santoso'):
    application = submit_application(seq=seq, nama=nama)
    approve(people, application.pengurusan_id, Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT)
    return application


def test_serahkan_of_an_unprinted_letter_asks_again_and_the_admin_corrects_a_wrong_hand_over(
    chromium, server, app_people
):
    application = finished(app_people)
    nomor = application.nomor_pendaftaran
    phone = Phone(chromium, server)
    try:
        phone.login(app_people.of(Peran.ADMIN).nip)
        phone.page.get_by_role('tab', name='Data Selesai').click()
        phone.row(nomor).get_by_role('button', name='Serahkan').click()
        phone.page.get_by_text('Surat ini belum pernah dicetak.').wait_for()
        phone.page.locator('.q-dialog').get_by_role('button', name='Serahkan').click()
        phone.page.get_by_text('Surat belum dicetak', exact=True).wait_for()
        phone.shot('serahkan-belum-dicetak')
        phone.page.get_by_role('button', name='Batal').last.click()  # the slip: nothing is recorded
        phone.page.get_by_text('Surat belum dicetak', exact=True).wait_for(state='detached')
        phone.page.locator('.q-dialog').get_by_role('button', name='Serahkan').click()
        phone.page.get_by_role('button', name='Ya, Tetap Serahkan').click()
        phone.page.get_by_text('Dokumen telah diserahkan.').wait_for()
        phone.row(nomor).get_by_role('button', name='Koreksi').click()
        type_into(phone.page.get_by_label('Alasan koreksi'), 'Salah tekan, surat belum diambil.')
        phone.shot('koreksi-penyerahan')
        phone.page.get_by_role('button', name='Simpan Koreksi').click()
        phone.page.get_by_text('Penyerahan dikoreksi; surat dapat diserahkan lagi.').wait_for()
        phone.row(nomor).get_by_text('Selesai', exact=True).wait_for()
    finally:
        phone.close()
    with db.get().read() as session:
        steps = session.exec(select(Riwayat.aksi).where(Riwayat.pengurusan_id == application.pengurusan_id)).all()
    assert steps[-2:] == ['diserahkan', 'dikoreksi']


@pytest.mark.parametrize('viewport', [pytest.param(PHONE, id='phone-360'), pytest.param(TABLET, id='tablet-800')])
def test_the_sekcam_approves_several_at_once_and_a_stale_one_is_named(chromium, server, app_people, viewport):
    apps = [submit_application(seq=seq, nama=nama) for seq, nama in enumerate(('Budi Santoso', 'Rina Lubis', 'Ani'), 1)]
    for application in apps:
        approve(app_people, application.pengurusan_id, Peran.ADMIN, keterangan='Berkas lengkap.')
        approve(app_people, application.pengurusan_id, Peran.KASI, keterangan='Sesuai persyaratan.')
    screen = Phone(chromium, server, viewport)
    try:
        screen.login(app_people.of(Peran.SEKCAM).nip)
        screen.page.get_by_role('button', name='Setujui beberapa').click()
        for application in apps:
            screen.row(application.nomor_pendaftaran).get_by_role('checkbox', name='Pilih').click()
        screen.page.get_by_text('3 pengurusan dipilih').wait_for()
        stale = apps[1]
        services.reject(  # someone acts on one of them meanwhile
            actor=app_people.of(Peran.SEKCAM).actor,
            pengurusan_id=stale.pengurusan_id,
            version=version(stale.pengurusan_id),
            keterangan='Perlu dicek ulang.',
        )
        screen.page.get_by_role('button', name='Tinjau & Setujui').click()
        review = screen.page.locator('.q-dialog')
        review.get_by_text('Admin Kecamatan: Berkas lengkap.').first.wait_for()
        review.get_by_text('Kasi Kecamatan: Sesuai persyaratan.').first.wait_for()
        type_into(review.get_by_label('Keterangan'), 'Diteruskan kepada Camat.')
        screen.shot('setujui-beberapa')
        review.get_by_role('button', name='Ya, Setujui 3').click()
        screen.page.get_by_text('2 pengurusan disetujui.').wait_for()
        screen.page.get_by_text(f'{stale.nomor_pendaftaran} (Rina Lubis):').wait_for()
        screen.shot('setujui-beberapa-hasil')
    finally:
        screen.close()
    with db.get().read() as session:
        for application in (apps[0], apps[2]):
            last = session.exec(
                select(Riwayat).where(Riwayat.pengurusan_id == application.pengurusan_id).order_by(Riwayat.id.desc())
            ).first()
            assert (last.aksi, last.peran, last.keterangan) == ('disetujui', 'sekcam', 'Diteruskan kepada Camat.')


def test_a_decision_made_elsewhere_is_named_and_the_typed_keterangan_stays(chromium, server, app_people):
    application = submit_application(seq=1, nama='Budi Santoso')
    approve(app_people, application.pengurusan_id, Peran.ADMIN)
    tablet = Phone(chromium, server, TABLET)
    try:
        tablet.login(app_people.of(Peran.KASI).nip)
        tablet.open_lihat_data(application.nomor_pendaftaran)
        type_into(tablet.page.get_by_label('Keterangan'), 'Berkas sudah saya periksa satu per satu.')
        tablet.page.wait_for_function(  # typed, as the server holds it
            '() => localStorage.length > 0'
        )
        approve(app_people, application.pengurusan_id, Peran.KASI)  # the same Kasi, in another tab
        tablet.page.get_by_text('Pengurusan ini baru saja diproses oleh Kasi Kecamatan.').wait_for()
        kept = tablet.page.get_by_label('Keterangan yang sudah Anda ketik')
        assert kept.input_value() == 'Berkas sudah saya periksa satu per satu.'
        tablet.shot('diproses-di-tempat-lain')
        tablet.page.get_by_role('button', name='Tutup pemberitahuan').click()
        kept.wait_for(state='detached')
    finally:
        tablet.close()


def test_a_keterangan_typed_while_the_connection_drops_survives_a_reload(chromium, server, app_people):
    application = submit_application(seq=1, nama='Budi Santoso')
    phone = Phone(chromium, server)
    try:
        phone.login(app_people.of(Peran.ADMIN).nip)
        phone.open_lihat_data(application.nomor_pendaftaran)
        phone.page.evaluate('window.socket.disconnect()')  # the island's network goes away
        phone.page.get_by_text('Koneksi terputus.').wait_for()
        type_into(phone.page.get_by_label('Keterangan'), 'Diketik saat sinyal hilang.')
        phone.page.reload()
        phone.page.get_by_text('Pilih Pengurusan').first.wait_for()
        phone.open_lihat_data(application.nomor_pendaftaran)
        phone.page.get_by_text('Draf dari perangkat ini dipulihkan.').wait_for()
        assert phone.page.get_by_label('Keterangan').input_value() == 'Diketik saat sinyal hilang.'
        phone.page.get_by_text('Draf dari perangkat ini dipulihkan.').scroll_into_view_if_needed()
        phone.shot('draf-dipulihkan')
        phone.page.get_by_role('button', name='Disetujui').click()
        phone.page.get_by_role('button', name='Ya, Setujui').click()
        phone.page.get_by_text(f'Pengurusan {application.nomor_pendaftaran} disetujui.').wait_for()
        assert phone.page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('apok-draf'))") == []
    finally:
        phone.close()


def test_the_superadmin_reaches_profil_and_back_and_the_header_stays_one_row(chromium, server, app_people):
    phone = Phone(chromium, server)
    try:
        login_in_browser(phone.page, server, app_people.of(Peran.SUPERADMIN).nip)
        phone.page.get_by_text('Administrasi Sistem · Kota Batam').wait_for()
        header = phone.page.locator('.q-header')
        assert header.bounding_box()['height'] < 64
        phone.page.get_by_role('button', name='Profil Petugas').click()
        phone.page.get_by_role('button', name='Keluar').wait_for()
        phone.page.get_by_text('Ganti Password').first.wait_for()
        phone.page.get_by_role('button', name='Administrasi Sistem').click()
        phone.page.wait_for_url(f'{server.url}/admin/sistem')
    finally:
        phone.close()


def test_the_portal_on_a_phone_takes_dates_as_dd_mm_yyyy_and_names_a_too_big_file(chromium, server, tmp_path):
    context = chromium.new_context(viewport=PHONE, locale='en-US')  # an English phone
    page = context.new_page()
    try:
        page.goto(f'{server.url}/ajukan/SKTM')
        field = page.get_by_label('Tanggal lahir', exact=True)
        type_into(field, '17081990')
        assert field.input_value() == '17/08/1990'
        big = tmp_path / 'ktp-besar.pdf'
        big.write_bytes(b'%PDF-1.4\n' + b'0' * (7 * 1024 * 1024))
        page.locator('[data-berkas=ktp] input[type=file]').set_input_files(big)
        page.get_by_text('Berkas 7,0 MB; maksimal 5 MB.').wait_for()
    finally:
        context.close()


def test_an_old_red_toast_goes_away_when_a_dialog_opens(chromium, server, app_people):
    application = submit_application(seq=1, nama='Budi Santoso')
    phone = Phone(chromium, server)
    try:
        phone.login(app_people.of(Peran.ADMIN).nip)
        phone.page.evaluate("Quasar.Notify.create({type: 'negative', message: 'Gagal menyimpan.', timeout: 0})")
        toast = phone.page.locator('.q-notification', has_text='Gagal menyimpan.')
        toast.wait_for()
        phone.open_lihat_data(application.nomor_pendaftaran)
        toast.wait_for(state='detached')
        # a toast that comes while the dialog is open stays: only a dialog that opens takes the last one away
        phone.page.evaluate("Quasar.Notify.create({type: 'positive', message: 'Tersimpan.', timeout: 0})")
        phone.page.locator('.q-notification', has_text='Tersimpan.').wait_for()
        phone.page.evaluate(NEXT_FRAMES)
        assert phone.page.locator('.q-notification', has_text='Tersimpan.').is_visible()
    finally:
        phone.close()
