"""The administration screens in a real browser on a tablet (800 px) and a phone (360 px): nothing scrolls sideways."""

import pytest
from sqlmodel import select

from apok_ui import db
from models import Peran, Petugas
from tests.conftest import PHONE, SCREENSHOTS, TABLET, login_in_browser, page_width_fits, type_into

PAGES = {
    'sistem': ('/admin/sistem', 'Log Audit'),
    'petugas': ('/admin/sistem/petugas', 'Petugas Kasi B'),
    'layanan': ('/admin/sistem/layanan', 'Tambah Layanan'),
    'layanan-ubah': ('/admin/sistem/layanan/1', 'Tahapan verifikasi'),
    'kecamatan': ('/admin/sistem/kecamatan', 'Kecamatan Sekupang'),
    'audit': ('/admin/sistem/audit', 'Login berhasil'),
}


@pytest.mark.parametrize(('device', 'viewport'), [('tablet', TABLET), ('phone', PHONE)])
def test_every_administration_page_fits_the_screen(chromium, server, app_people, device, viewport):
    context = chromium.new_context(viewport=viewport, locale='id-ID')
    page = context.new_page()
    try:
        login_in_browser(page, server, app_people.of(Peran.SUPERADMIN).nip)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        too_wide = []
        for name, (route, text) in PAGES.items():
            page.goto(f'{server.url}{route}')
            page.get_by_text(text).first.wait_for()
            if device == 'tablet':
                page.screenshot(path=SCREENSHOTS / f'admin-{name}-800.png', full_page=True)
            if not page_width_fits(page):
                too_wide.append(route)
        assert too_wide == []
    finally:
        context.close()


def test_tambah_petugas_takes_a_nip_typed_with_its_printed_spaces_on_a_phone(chromium, server, app_people):
    context = chromium.new_context(viewport=PHONE, locale='id-ID')
    page = context.new_page()
    try:
        login_in_browser(page, server, app_people.of(Peran.SUPERADMIN).nip)
        page.goto(f'{server.url}/admin/sistem/petugas')
        page.get_by_role('button', name='Tambah Petugas').click()
        dialog = page.locator('.q-dialog')
        nip = dialog.get_by_label('NIP')
        type_into(nip, '19800101 200501 1 011')  # as printed under every signature
        assert nip.input_value() == '19800101 200501 1 011'  # not cut by the field's length limit
        type_into(dialog.get_by_label('Nama'), 'Rina Lubis')
        dialog.get_by_label('Kecamatan').click()
        page.get_by_role('option', name='Batam Kota').click()
        dialog.get_by_role('button', name='Simpan').click()
        page.get_by_text('Password sementara', exact=True).wait_for()  # the saved officer's one-time password
    finally:
        context.close()
    with db.get().read() as session:
        stored = session.exec(select(Petugas).where(Petugas.nama == 'Rina Lubis')).one()
    assert stored.nip == '198001012005011011'
