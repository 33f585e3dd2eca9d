"""A real browser on a real server, on a 360 px phone and an 800 px tablet: one application goes the whole chain
Admin → Kasi → Sekcam → Camat, is printed and handed over; the page never scrolls sideways; every screen is saved
under tests/out/screenshots/ (docs/screenshots/ with make screenshots)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from apok_ui import services
from models import Peran
from tests.conftest import (
    PHONE,
    SCREENSHOTS,
    TABLET,
    LiveServer,
    login_in_browser,
    page_width_fits,
    type_into,
)
from tests.conftest import submit as submit_application

VIEWPORTS = [pytest.param(PHONE, id='phone-360'), pytest.param(TABLET, id='tablet-800')]
CHAIN = (Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT)


NEXT_FRAMES = 'new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))'
NO_TRANSITION = "() => !document.querySelector('[class*=enter-active], [class*=leave-active]')"
SMALL_TAP_TARGETS = """() => [...document.querySelectorAll('button, a[href], [role=tab]')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && (r.height < 43.5 || r.width < 43.5);
}).map(e => (e.innerText || e.getAttribute('aria-label') || e.tagName).trim().slice(0, 40))"""


class Screens:
    """One officer's browser tab at one viewport, saving a screenshot of each screen and checking its width."""

    def __init__(self, chromium, server: LiveServer, viewport: dict) -> None:
        self.context = chromium.new_context(viewport=viewport, locale='id-ID', accept_downloads=True)
        self.page = self.context.new_page()
        self.server = server
        self.width = viewport['width']

    def shot(self, name: str) -> None:
        """Save the screen as SCREENSHOTS/{name}-{width}.png after checking it fits the viewport."""
        self.page.evaluate('document.fonts.ready.then(() => true)')
        self.page.evaluate(NEXT_FRAMES)  # let a transition that is about to start, start
        self.page.wait_for_function(NO_TRANSITION)  # a dialog still zooming in measures smaller than it is
        assert page_width_fits(self.page), f'{name} is wider than {self.width} px'
        try:  # measured at rest: a dialog that a transition or a redraw is still resizing measures smaller
            self.page.wait_for_function(f'() => ({SMALL_TAP_TARGETS})().length === 0')
        except PlaywrightTimeout:
            small = self.page.evaluate(SMALL_TAP_TARGETS)
            raise AssertionError(f'{name} has tap targets under 44 px: {small}') from None
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f'{name}-{self.width}.png', animations='disabled')

    def login(self, nip: str) -> None:
        login_in_browser(self.page, self.server, nip)
        self.page.get_by_text('Pilih Pengurusan').wait_for()

    def row(self, nomor: str):
        return self.page.locator('[role=listitem]', has_text=nomor)

    def open_lihat_data(self, nomor: str) -> None:
        self.row(nomor).get_by_role('button', name='Lihat Data').click()
        self.page.get_by_role('tab', name='Data Pemohon').wait_for()

    def tab(self, name: str) -> None:
        self.page.get_by_role('tab', name=name).click()

    def approve(self, nomor: str, keterangan: str, screenshot: str | None = None) -> None:
        type_into(self.page.get_by_label('Keterangan'), keterangan)
        self.page.get_by_role('button', name='Disetujui').click()
        self.page.get_by_role('button', name='Ya, Setujui').wait_for()
        if screenshot:
            self.shot(screenshot)
        self.page.get_by_role('button', name='Ya, Setujui').click()
        self.page.get_by_text(f'Pengurusan {nomor} disetujui.').wait_for()

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize('viewport', VIEWPORTS)
def test_one_application_goes_the_whole_chain_and_every_screen_fits(chromium, server, app_people, viewport):
    nomor = submit_application(seq=1, nama='Budi Santoso').nomor_pendaftaran
    for peran in CHAIN:
        screens = Screens(chromium, server, viewport)
        try:
            if peran is Peran.ADMIN:
                screens.page.goto(f'{server.url}/login')
                screens.shot('login')
            screens.login(app_people.of(peran).nip)
            screens.row(nomor).wait_for()
            screens.shot(f'{peran.value}-data-baru')
            screens.open_lihat_data(nomor)
            screens.shot(f'{peran.value}-lihat-data-pemohon')
            if peran is Peran.ADMIN:
                screens.tab('Data Pengurusan')
                screens.shot('lihat-data-pengurusan')
                screens.tab('Berkas Persyaratan')
                screens.page.locator('object[type="application/pdf"]').first.wait_for()
                screens.shot('lihat-data-berkas')
            screens.tab('Status Pengurusan')
            screens.shot(f'{peran.value}-status-pengurusan')
            screens.approve(nomor, f'Diperiksa oleh {peran.label}.', 'konfirmasi' if peran is Peran.ADMIN else None)
            screens.shot(f'{peran.value}-sesudah-disetujui')
            if peran is Peran.CAMAT:
                screens.page.get_by_text('Selesai', exact=True).wait_for()
        finally:
            screens.close()
    finish_as_admin(chromium, server, app_people, viewport, nomor)


def finish_as_admin(chromium, server, app_people, viewport, nomor: str) -> None:
    """The Admin finds the finished application in Data Selesai, prints it and hands it over."""
    screens = Screens(chromium, server, viewport)
    try:
        screens.login(app_people.of(Peran.ADMIN).nip)
        screens.tab('Data Selesai')
        screens.row(nomor).wait_for()
        screens.shot('admin-data-selesai')
        with screens.page.expect_download() as download:
            screens.row(nomor).get_by_role('button', name='Cetak').click()
        assert Path(download.value.path()).read_bytes().startswith(b'%PDF-')
        # The table is redrawn before the toast shows, so one tap after it lands on the new row.
        screens.page.get_by_text('Dokumen dicetak.').wait_for()
        screens.row(nomor).get_by_role('button', name='Serahkan').click()
        screens.page.get_by_label('Nama penerima').wait_for()
        screens.shot('serahkan')
        type_into(screens.page.get_by_label('Nama penerima'), 'Siti Aminah')
        type_into(screens.page.get_by_label('Hubungan dengan pemohon'), 'Istri')
        screens.page.locator('.q-dialog').get_by_role('button', name='Serahkan').click()
        screens.page.get_by_text('Dokumen telah diserahkan.').wait_for()
        screens.open_lihat_data(nomor)
        screens.tab('Status Pengurusan')
        screens.page.get_by_text('Diterima oleh Siti Aminah (Istri)').wait_for()
        screens.shot('status-diserahkan')
    finally:
        screens.close()


@pytest.mark.parametrize('viewport', VIEWPORTS)
def test_the_admin_revises_a_returned_application_and_uses_profil_on_every_screen(
    chromium, server, app_people, viewport
):
    application = submit_application(seq=2, nama='Siti Rahayu')
    services.approve(actor=app_people.of(Peran.ADMIN).actor, pengurusan_id=application.pengurusan_id, version=1)
    services.reject(
        actor=app_people.of(Peran.KASI).actor,
        pengurusan_id=application.pengurusan_id,
        version=2,
        keterangan='Nama tidak sesuai KTP.',
    )
    nomor = application.nomor_pendaftaran
    at_kasi = submit_application(seq=3, nama='Rina Lubis').pengurusan_id
    services.approve(actor=app_people.of(Peran.ADMIN).actor, pengurusan_id=at_kasi, version=1)
    screens = Screens(chromium, server, viewport)
    try:
        screens.login(app_people.of(Peran.ADMIN).nip)
        screens.row(nomor).get_by_text('Revisi', exact=True).wait_for()
        screens.shot('admin-data-baru-revisi')
        screens.open_lihat_data(nomor)
        screens.page.get_by_role('button', name='Revisi Data').click()
        screens.page.get_by_label('Alasan revisi').wait_for()
        screens.shot('revisi')
        type_into(screens.page.get_by_label('Nama', exact=True), 'Siti Rahayu Lubis')
        type_into(screens.page.get_by_label('Alasan revisi'), 'Disesuaikan dengan KTP.')
        screens.page.get_by_role('button', name='Simpan Revisi').click()
        screens.page.get_by_text('Nama: Siti Rahayu → Siti Rahayu Lubis').wait_for()
        screens.shot('status-revisi')
        screens.page.get_by_role('button', name='Tutup').click()
        screens.tab('In Progress')
        screens.page.get_by_text('di Kasi Kecamatan').wait_for()
        screens.shot('admin-in-progress')
        type_into(screens.page.get_by_label('Search'), 'rahayu')
        screens.row(nomor).wait_for(state='detached')
        screens.tab('Profil Petugas')
        screens.page.get_by_text('Ganti Password').first.wait_for()
        screens.shot('profil')
        screens.page.get_by_role('button', name='Keluar').click()
        screens.page.wait_for_url(f'{server.url}/login?berakhir=keluar')
    finally:
        screens.close()
