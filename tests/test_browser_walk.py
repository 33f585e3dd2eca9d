"""Every page at 360 px, as a phone shows it (issue 16): no sideways scrolling, no text outside the screen (except in a
row that scrolls sideways by design), every tap target at least 44 px, and none of the English a user could meet."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from apok_ui import db, services
from models import Peran
from tests.conftest import PHONE, LiveServer, login_in_browser, start_server, stop_server
from tests.conftest import submit as submit_application

# Texts NiceGUI, Quasar or the browser would show in English; none may reach an APOK page. (The seed manual's own
# words 'Search' and 'In Progress' are APOK's, not on this list.)
ENGLISH = (
    'Connection lost',
    'Trying to reconnect',
    'Not Found',
    'Page not found',
    'Internal Server Error',
    'No data available',
    'Rows per page',
    'Loading',
    'Upload',
    'Submit',
    'Cancel',
    'Delete',
    'Close',
    'Sign in',
    'Log out',
    'Logout',
    'Invalid',
    'Required',
    'mm/dd/yyyy',
    'Choose file',
    'No file chosen',
    'January',
    'Monday',
    'Today',
)
ENGLISH_RE = re.compile(r'\b(' + '|'.join(re.escape(word) for word in ENGLISH) + r')\b')

# What a phone shows that does not fit: an element of text (or a tap target) that reaches beyond the screen's
# sides, unless a row that scrolls sideways holds it; a tap target under 44 px.
PROBLEMS = """() => {
  const width = window.innerWidth, found = [];
  const scrolls = e => {
    for (let p = e.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if ((o === 'auto' || o === 'scroll') && p.scrollWidth > p.clientWidth + 1) return true;
    }
    return false;
  };
  const shown = e => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.opacity !== '0';
  };
  const name = e => (e.innerText || e.getAttribute('aria-label') || e.tagName).trim().replace(/\\s+/g, ' ')
    .slice(0, 40);
  const page = document.documentElement.scrollWidth;
  if (page > width) found.push(`page ${page} px wide`);
  for (const e of document.body.querySelectorAll('*')) {
    if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    if (!shown(e) || e.closest('.q-tooltip, .q-notification, [aria-hidden=true]')) continue;
    const r = e.getBoundingClientRect();
    if ((r.right > width + 1 || r.left < -1) && !scrolls(e)) {
      found.push(`text outside: ${name(e)} (${Math.round(r.left)}–${Math.round(r.right)})`);
    }
  }
  const targets = 'button, a[href], [role=button], [role=tab], [role=checkbox], [role=radio], [role=switch], '
    + '.q-field__control';
  for (const e of document.body.querySelectorAll(targets)) {
    if (!shown(e) || e.closest('.q-notification, [aria-hidden=true]')) continue;
    const r = e.getBoundingClientRect();
    if (r.height < 43.5 || r.width < 43.5) {
      found.push(`tap target ${Math.round(r.width)}×${Math.round(r.height)}: ${name(e)}`);
    }
  }
  return found;
}"""
NEXT_FRAMES = 'new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))'
# At rest: every finite animation or transition (a tab panel sliding in, a dialog zooming) has ended.
AT_REST = '() => document.getAnimations().every(a => a.effect.getTiming().iterations === Infinity)'
NO_TRANSITION = "() => !document.querySelector('[class*=enter-active], [class*=leave-active]')"


@pytest.fixture
def server(sqlite_url: str, app_people, tmp_path: Path) -> Iterator[LiveServer]:
    """Serve a database with applications in every state the pages show."""
    admin, kasi = app_people.of(Peran.ADMIN).actor, app_people.of(Peran.KASI).actor
    returned = submit_application(seq=1, nama='Siti Rahayu')
    services.approve(actor=admin, pengurusan_id=returned.pengurusan_id, version=1)
    services.reject(actor=kasi, pengurusan_id=returned.pengurusan_id, version=2, keterangan='Nama tidak sesuai KTP.')
    finished = submit_application(seq=2, nama='Budi Santoso', kode='SKD').pengurusan_id
    for persona, version in ((admin, 1), (kasi, 2), (app_people.of(Peran.SEKCAM).actor, 3)):
        services.approve(actor=persona, pengurusan_id=finished, version=version)
    services.approve(actor=app_people.of(Peran.CAMAT).actor, pengurusan_id=finished, version=4)
    for seq in range(3, 6):
        submit_application(seq=seq, nama=f'Pemohon {"ABC"[seq - 3]}', kode='SKD' if seq % 2 else 'SKTM')
    db.get().dispose()
    running = start_server(tmp_path, sqlite_url, APOK_DATA_DIR=str(tmp_path))
    yield running
    stop_server(running)


class Walk:
    """One phone walking the pages, collecting every problem found on each (the test reports them all at once)."""

    def __init__(self, chromium, server: LiveServer) -> None:
        self.context = chromium.new_context(viewport=PHONE, locale='en-US')  # an English phone: nothing may follow it
        self.page = self.context.new_page()
        self.server = server
        self.problems: list[str] = []

    def visit(self, route: str, wait_for: str) -> None:
        self.page.goto(f'{self.server.url}{route}')
        self.check(route, wait_for)

    def check(self, where: str, wait_for: str) -> None:
        """Wait for a text of the screen, let transitions end, then note what does not fit or is English."""
        self.page.get_by_text(wait_for).first.wait_for()
        self.page.evaluate(NEXT_FRAMES)  # let a transition that is about to start (a tab panel sliding in), start
        self.page.wait_for_function(NO_TRANSITION)
        self.page.wait_for_function(AT_REST)
        self.page.evaluate('document.fonts.ready.then(() => true)')
        self.problems += [f'{where}: {problem}' for problem in self.page.evaluate(PROBLEMS)]
        english = ENGLISH_RE.findall(self.page.locator('body').inner_text())
        self.problems += [f'{where}: English "{word}"' for word in english]

    def close(self) -> None:
        self.context.close()


def test_every_page_fits_a_360_px_phone_with_44_px_targets_and_no_english(chromium, server, app_people):
    walk = Walk(chromium, server)
    try:
        walk.visit('/', 'Layanan')
        walk.visit('/ajukan/SKTM', 'Kirim Permohonan')
        walk.page.get_by_role('button', name='Kirim Permohonan').click()
        walk.check('/ajukan/SKTM (every error shown)', 'Centang pernyataan ini')
        walk.visit('/lacak', 'Lacak')
        walk.visit('/verifikasi/tidak-ada', 'tidak')
        walk.visit('/halaman-yang-tidak-ada', 'Halaman tidak ditemukan')
        walk.visit('/login', 'Login Petugas Kecamatan')
        login_in_browser(walk.page, server, app_people.of(Peran.ADMIN).nip)
        walk.check('/admin Data Baru', 'Pilih Pengurusan')
        walk.page.get_by_label('Search').fill('tidak ada yang cocok')  # the field's clear button appears
        walk.check('/admin Data Baru (a search typed)', 'Tidak ada pengurusan yang cocok')
        walk.page.get_by_label('Search').fill('')
        for tab, text in (('In Progress', 'Pilih Pengurusan'), ('Data Selesai', 'Cetak'), ('Profil', 'Ganti Password')):
            walk.page.get_by_role('tab', name=tab).click()
            walk.check(f'/admin {tab}', text)
        walk.page.get_by_role('tab', name='Data Baru').click()
        walk.page.locator('[role=listitem]', has_text='Siti Rahayu').get_by_role('button', name='Lihat Data').click()
        for tab in ('Data Pemohon', 'Data Pengurusan', 'Berkas Persyaratan', 'Status Pengurusan'):
            walk.page.get_by_role('tab', name=tab).click()
            walk.check(f'Lihat Data {tab}', tab)
        walk.page.goto(f'{server.url}/login')
        walk.page.context.clear_cookies()
        login_in_browser(walk.page, server, app_people.of(Peran.CAMAT).nip)
        walk.visit('/admin/monitoring', 'Monitoring')
        walk.page.context.clear_cookies()
        login_in_browser(walk.page, server, app_people.of(Peran.SUPERADMIN).nip)
        for route, text in (
            ('/admin/sistem', 'Log Audit'),
            ('/admin/sistem/petugas', 'Petugas Kasi B'),
            ('/admin/sistem/layanan', 'Tambah Layanan'),
            ('/admin/sistem/layanan/1', 'Tahapan verifikasi'),
            ('/admin/sistem/kecamatan', 'Kecamatan Sekupang'),
            ('/admin/sistem/audit', 'Login berhasil'),
            ('/admin/profil', 'Ganti Password'),
        ):
            walk.visit(route, text)
    finally:
        walk.close()
    assert not walk.problems, '\n'.join(walk.problems)


def test_an_odd_file_address_answers_in_indonesian_not_json(server):
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(f'{server.url}/admin/berkas/abc', timeout=10)
    body = answer.value.read().decode()
    assert not body.lstrip().startswith('{') and ENGLISH_RE.search(body) is None
