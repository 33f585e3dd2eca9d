"""A real APOK process started with the Fonnte preset pointed at a loopback gateway delivers the queue by itself
(main.py installs the sender), and its Pesan page, in Chromium on a 360 px phone, shows the channels, the counts
and a refusal's whole answer without scrolling sideways."""

from __future__ import annotations

from apok_ui import db
from models import Peran
from models.kabar import Kanal
from tests.conftest import PHONE, SCREENSHOTS, login_in_browser, page_width_fits, start_server, stop_server
from tests.kabar_peers import GatewayPeer
from tests.test_notifikasi_kirim import queue

OK = (200, '{"status": true, "detail": "success! message in queue"}')
REASON = 'target-tidak-valid-' * 12  # long and without spaces: it must wrap, not widen the page


def test_a_server_with_the_fonnte_preset_sends_the_queue_and_its_pesan_page_fits_a_phone(
    chromium, sqlite_url, app_people, tmp_path
):
    queue(1, Kanal.WHATSAPP, prefix='ditolak')  # sent first: the gateway refuses it
    (delivered,) = queue(1, Kanal.WHATSAPP, prefix='terkirim')
    queue(1, Kanal.EMAIL, prefix='tanpa-smtp')  # no SMTP configured: it waits
    db.get().dispose()  # the server process owns the file from now on
    answers = lambda n: (400, f'{{"status": false, "reason": "{REASON}"}}') if n == 1 else OK  # noqa: E731
    with GatewayPeer(answer=answers) as gateway:
        server = start_server(
            tmp_path, sqlite_url, APOK_WA_PRESET='fonnte', APOK_WA_URL=gateway.url, APOK_WA_AUTH_VALUE='TOKEN'
        )
        try:
            assert gateway.received.wait_for(1) and gateway.received.keys() == [delivered]  # its first look
            assert gateway.headers[0]['Authorization'] == 'TOKEN'
            context = chromium.new_context(viewport=PHONE, locale='id-ID')
            page = context.new_page()
            try:
                login_in_browser(page, server, app_people.of(Peran.SUPERADMIN).nip)
                page.goto(f'{server.url}/admin/sistem/pesan')
                page.get_by_text(f'Jawaban server: HTTP 400: {{"status": false, "reason": "{REASON}"}}').wait_for()
                for text in ('Menunggu: 1', 'Terkirim: 1', 'Gagal: 1', 'WhatsApp: siap', 'Email: tidak diatur'):
                    page.get_by_text(text).first.wait_for()
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=SCREENSHOTS / 'admin-pesan-360.png', full_page=True)
                assert page_width_fits(page)
            finally:
                context.close()
        finally:
            stop_server(server)
