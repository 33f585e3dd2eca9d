"""The administration screens in a real browser on a tablet (800 px) and a phone (360 px): nothing scrolls sideways."""

import pytest

from models import Peran
from tests.conftest import PHONE, SCREENSHOTS, TABLET, login_in_browser, page_width_fits

PAGES = {
    'sistem': ('/admin/sistem', 'Log Audit'),
    'petugas': ('/admin/sistem/petugas', 'Petugas Kasi B'),
    'layanan': ('/admin/sistem/layanan', 'Tambah Layanan'),
    'layanan-ubah': ('/admin/sistem/layanan/1', 'Tahapan verifikasi'),
    'kecamatan': ('/admin/sistem/kecamatan', 'Kecamatan Sekupang'),
    'audit': ('/admin/sistem/audit', 'Login berhasil'),
}


@pytest.mark.parametrize(('device', 'viewport'), [('tablet', TABLET), ('phone', PHONE)])
def test_every_administration_page_fits_the_screen(chromium, live_server, app_people, device, viewport):
    context = chromium.new_context(viewport=viewport, locale='id-ID')
    page = context.new_page()
    try:
        login_in_browser(page, live_server, app_people.of(Peran.SUPERADMIN).nip)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        too_wide = []
        for name, (route, text) in PAGES.items():
            page.goto(f'{live_server.url}{route}')
            page.get_by_text(text).first.wait_for()
            if device == 'tablet':
                page.screenshot(path=SCREENSHOTS / f'admin-{name}-800.png', full_page=True)
            if not page_width_fits(page):
                too_wide.append(route)
        assert too_wide == []
    finally:
        context.close()
