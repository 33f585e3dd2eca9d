"""A real browser on a real server: the device cookie of a successful login keeps an officer's own browser getting in
while an attacker has the address blocked for that NIP (issue 11, observation 5)."""

from datetime import timedelta

import pytest

from apok_ui import security, services
from apok_ui.services import LoginRefused
from models import Peran
from models.waktu import now
from tests.conftest import PASSWORD, login_in_browser, type_into

LOOPBACK = '127.0.0.1'  # the address the test server sees for this machine's browsers


def block_address_for(nip: str) -> None:
    """Fail ten times as `nip` from the browsers' address, a minute apart, the last one a minute ago."""
    start = now() - timedelta(minutes=security.BLOCK_AFTER_FAILURES)
    for n in range(security.BLOCK_AFTER_FAILURES):
        with pytest.raises(LoginRefused):
            services.authenticate(nip=nip, password='salah12345', ip=LOOPBACK, at=start + timedelta(minutes=n))


def test_the_officers_own_browser_gets_in_while_their_address_is_blocked_for_strangers(chromium, server, app_people):
    nip = app_people.of(Peran.KASI).nip
    own = chromium.new_context()
    stranger = chromium.new_context()
    try:
        page = own.new_page()
        login_in_browser(page, server, nip)
        cookie = next(c for c in own.cookies() if c['name'] == security.DEVICE_COOKIE)
        assert cookie['httpOnly'] and security.device_token_or_none(cookie['value'])
        block_address_for(nip)

        other = stranger.new_page()
        other.goto(f'{server.url}/login')
        type_into(other.get_by_label('Username'), nip)
        type_into(other.get_by_label('Password'), PASSWORD)
        other.get_by_role('button', name='Masuk').click()
        other.get_by_text('atau masuk dari perangkat yang biasa Anda pakai').wait_for()

        again = own.new_page()
        again.context.clear_cookies()
        again.context.add_cookies([cookie])  # logged out, but the device cookie stays, as after Keluar
        login_in_browser(again, server, nip)
        renewed = next(c for c in own.cookies() if c['name'] == security.DEVICE_COOKIE)
        assert renewed['value'] != cookie['value']  # renewed at every login
    finally:
        own.close()
        stranger.close()
