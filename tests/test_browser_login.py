"""A real browser on a real server: an officer logs in on a phone and sees the first screen."""

from models import Peran
from tests.conftest import PHONE, SCREENSHOTS, login_in_browser, page_width_fits, type_into


def test_an_admin_logs_in_on_a_phone_and_the_page_fits_the_screen(chromium, server, app_people):
    context = chromium.new_context(viewport=PHONE, locale='id-ID')
    page = context.new_page()
    try:
        page.goto(f'{server.url}/login')
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / 'login-360.png')
        login_in_browser(page, server, app_people.of(Peran.ADMIN).nip)
        page.get_by_role('tab', name='Data Baru').wait_for()  # the bottom bar's on a phone, the top one on a tablet
        assert page_width_fits(page)
    finally:
        context.close()


def test_a_wrong_password_shows_one_generic_message_in_the_browser(chromium, server, app_people):
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f'{server.url}/login')
        type_into(page.get_by_label('Username'), app_people.of(Peran.KASI).nip)
        type_into(page.get_by_label('Password'), 'salah12345')
        page.get_by_role('button', name='Masuk').click()
        page.get_by_text('NIP atau password salah.').wait_for()
    finally:
        context.close()
