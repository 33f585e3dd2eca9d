"""Real browsers on real servers: a decision in one officer's browser appears in the others' without a reload,
also when the officers are served by two APOK processes sharing one PostgreSQL."""

from __future__ import annotations

import psycopg

from apok_ui.events_pg import APPLICATION_NAME
from models import Peran
from tests.conftest import (
    KEC_B,
    LISTENERS,
    PG_ADMIN,
    PG_DATABASE,
    PHONE,
    TABLET,
    submit,
    wait_for_listeners,
)
from tests.test_browser_workspace import Screens

NO_RELOAD_MARK = 'window.__apokStillHere = true'
STILL_HERE = '() => window.__apokStillHere === true'
WAIT_MS = 30_000  # a net for a loaded machine, never the expected latency (bench/live.py measures that)


def badge(screens: Screens, tab: str) -> str:
    # the tab's count: a label at the top from 640 px on, a badge in the phone's bottom bar
    return screens.page.get_by_role('tab', name=tab).locator('div.rounded, .q-badge').inner_text()


def stage_count(screens: Screens, stage: str) -> str:
    return screens.page.locator('.q-card', has_text=stage).first.locator('.text-3xl').inner_text()


def test_an_approval_in_the_admins_browser_reaches_the_kasi_the_camat_and_not_another_kecamatan(
    chromium, server, app_people
):
    nomor = submit(seq=1).nomor_pendaftaran
    kasi, camat, other, admin = (Screens(chromium, server, v) for v in (PHONE, TABLET, PHONE, TABLET))
    try:
        kasi.login(app_people.of(Peran.KASI).nip)
        camat.login(app_people.of(Peran.CAMAT).nip)
        camat.page.goto(f'{server.url}/admin/monitoring')
        camat.page.get_by_text('Monitoring Kecamatan Batam Kota').wait_for()
        other.login(app_people.of(Peran.ADMIN, KEC_B).nip)
        for screens in (kasi, camat, other):
            screens.page.evaluate(NO_RELOAD_MARK)
        assert stage_count(camat, 'Kasi Kecamatan') == '0' and badge(other, 'Data Baru') == '0'

        admin.login(app_people.of(Peran.ADMIN).nip)
        admin.open_lihat_data(nomor)
        admin.approve(nomor, 'Berkas lengkap.')

        kasi.row(nomor).wait_for(timeout=WAIT_MS)
        kasi.page.get_by_text(f'Pengurusan baru: {nomor}').wait_for(timeout=WAIT_MS)
        camat.page.wait_for_function(
            "() => [...document.querySelectorAll('.q-card')].some(c => c.innerText.startsWith('Kasi Kecamatan\\n1'))",
            timeout=WAIT_MS,
        )
        for screens in (kasi, camat, other):
            assert screens.page.evaluate(STILL_HERE), 'the page reloaded instead of updating in place'
        camat.shot('camat-monitoring')  # fits the tablet, tap targets of 44 px, saved with the others (SCREENSHOTS)
        assert badge(other, 'Data Baru') == '0' and other.row(nomor).count() == 0
        kasi.open_lihat_data(nomor)
        assert kasi.page.get_by_role('button', name='Disetujui').is_visible()  # the Kasi's own buttons
    finally:
        for screens in (kasi, camat, other, admin):
            screens.close()


def test_an_approval_on_one_process_reaches_a_browser_on_another_even_after_the_listeners_were_cut(
    chromium, two_servers
):
    server_a, server_b, people = two_servers
    first, second = submit(seq=1).nomor_pendaftaran, submit(seq=2).nomor_pendaftaran
    admin, kasi = Screens(chromium, server_a, TABLET), Screens(chromium, server_b, PHONE)
    try:
        kasi.login(people.of(Peran.KASI).nip)
        kasi.page.evaluate(NO_RELOAD_MARK)
        admin.login(people.of(Peran.ADMIN).nip)
        admin.open_lihat_data(first)
        admin.approve(first, 'Berkas lengkap.')
        kasi.row(first).wait_for(timeout=WAIT_MS)

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'SELECT pg_terminate_backend(pid) {LISTENERS}', (APPLICATION_NAME, PG_DATABASE))
        wait_for_listeners(2)  # both processes reconnected by themselves
        admin.page.keyboard.press('Escape')
        admin.page.get_by_role('tab', name='Data Baru').click()
        admin.open_lihat_data(second)
        admin.approve(second, 'Berkas lengkap.')
        kasi.row(second).wait_for(timeout=WAIT_MS)
        assert kasi.page.evaluate(STILL_HERE)
    finally:
        admin.close()
        kasi.close()
