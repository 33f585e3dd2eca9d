"""The workspace's view state on its own (no server, no database): what an officer's open page asks for, which
answer it shows when reads finish out of order, and when it draws the whole tab or only its rows again."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from apok_ui.components.workspace_state import PROFIL, View, WorkspaceState
from apok_ui.queries.workspace import LayananInfo, QueuePage, QueueRow
from models import Peran, Status, Tab, akses

SKTM = LayananInfo(id=1, kode='SKTM', nama='Surat Keterangan Tidak Mampu', sla_hari_kerja=3, aktif=True)
DOMISILI = LayananInfo(id=2, kode='DOM', nama='Surat Keterangan Domisili', sla_hari_kerja=3, aktif=True)


def kasi(**kwargs) -> WorkspaceState:
    state = WorkspaceState(peran=Peran.KASI, kecamatan_id=1, **{'tab': 'baru', **kwargs})
    state.layanan = [SKTM, DOMISILI]
    return state


def row(nomor: str) -> QueueRow:
    at = datetime(2026, 12, 1, 9, 0)
    return QueueRow(1, nomor, 1, 'SKTM', at, at, 'Budi', '2171011708900002', '0812', '', Status.DIAJUKAN, 1, False)


def view(*nomor: str, total: int = 25) -> View:
    page = QueuePage(rows=[row(n) for n in nomor], total=total, page=1, page_size=20)
    return View({tab: total for tab in Tab}, {1: total}, page)


@pytest.mark.parametrize('peran', [p for p in Peran if p is not Peran.SUPERADMIN])
def test_every_officer_of_a_kecamatan_works_queues(peran: Peran):
    assert akses.may_verify(peran, 1)
    assert WorkspaceState(peran=peran, kecamatan_id=1, tab='proses').tab == 'proses'


def test_the_administrator_works_no_queues_and_sees_only_profil():
    assert not akses.may_verify(Peran.SUPERADMIN, None)
    state = WorkspaceState(peran=Peran.SUPERADMIN, kecamatan_id=None, tab='baru')
    assert (state.tab, state.queue_tab, state.reads_queues) == (PROFIL, None, False)
    assert not state.choose_tab('baru')  # a raw socket client may send it anyway


def test_a_temporary_password_keeps_the_workspace_on_profil_whatever_the_browser_asks():
    state = kasi(tab='selesai', profil_only=True)
    assert state.tab == PROFIL and not state.reads_queues
    assert not state.choose_tab('baru') and state.tab == PROFIL


def test_an_unknown_tab_in_the_address_opens_data_baru():
    assert kasi(tab='<script>').tab == 'baru'


def test_the_address_keeps_tab_and_layanan_but_never_the_search():
    state = kasi()
    state.choose_tab('selesai')
    state.choose_layanan(SKTM.id)
    state.search_for('  2171 0117 0890 0002 ')
    assert state.search == '2171 0117 0890 0002'
    assert state.address() == '/admin?tab=selesai&layanan=SKTM'
    state.choose_layanan(None)
    assert state.address() == '/admin?tab=selesai'


def test_every_new_choice_starts_at_the_first_page():
    state = kasi()
    for choose in (
        lambda: state.choose_layanan(DOMISILI.id),
        lambda: state.search_for('Budi'),
        lambda: state.choose_tab('proses'),
        lambda: state.choose_ditolak(False),
    ):
        state.go_page(3)
        choose()
        assert state.page_no == 1
    state.go_page(-2)
    assert state.page_no == 1


def test_a_search_is_cut_to_a_hundred_characters():
    state = kasi()
    state.search_for('x' * 500)
    assert len(state.search) == 100 and state.key().search == state.search


def test_the_view_key_names_everything_the_read_depends_on():
    state = kasi(tab='selesai', layanan_kode='DOM')
    state.choose_ditolak(True)
    state.search_for('Siti')
    state.go_page(2)
    key = state.key()
    assert (key.peran, key.tab, key.layanan_id, key.search, key.page_no) == (Peran.KASI, Tab.DITOLAK, 2, 'Siti', 2)


def test_another_tab_redraws_the_whole_tab_once_with_its_first_answer():
    state = kasi()
    assert not state.take(view('A'))
    assert state.choose_tab('proses')
    assert state.take(view('B'))
    assert not state.take(view('B'))  # a live change afterwards moves counts only


def test_profil_is_drawn_at_once_and_owes_no_redraw_to_a_late_queue_answer():
    state = kasi()
    state.choose_tab('proses')  # its answer is still being read ...
    state.choose_tab(PROFIL)  # ... when the officer moves on
    assert not state.tab_redraw_owed and not state.take(view('A'))


def test_the_ditolak_filter_redraws_the_tab_and_shows_rejected_applications():
    state = kasi(tab='selesai')
    state.choose_ditolak(True)
    assert state.queue_tab is Tab.DITOLAK and state.take(view('A'))
    state.choose_tab('baru')
    assert not state.ditolak


def test_rows_are_drawn_again_only_when_the_shown_rows_change():
    state = kasi()
    state.take(view('A', 'B'))
    assert state.rows_differ()
    state.note_rows_drawn()
    state.take(view('A', 'B', total=26))  # a new arrival on page 2: only the counts and the pager move
    assert not state.rows_differ()
    state.take(view('A', 'C'))
    assert state.rows_differ()


def test_the_same_rows_under_another_choice_are_drawn_again():
    state = kasi()
    state.take(view('A'))
    state.note_rows_drawn()
    state.choose_layanan(SKTM.id)  # the Layanan column disappears, though the rows are the same
    assert state.rows_differ()


def test_a_profil_view_has_no_rows_to_draw():
    state = kasi(tab=PROFIL)
    state.take(View.empty())
    state.note_rows_drawn()
    assert not state.rows_differ() and state.rows_on_screen is None


async def test_only_the_newest_request_is_shown_and_an_overtaken_one_waits_for_it():
    requests = kasi().requests
    slow, fast = requests.ask(), requests.ask()
    assert not requests.is_newest(slow) and requests.is_newest(fast)
    waiting = asyncio.ensure_future(requests.newest_on_screen())
    await asyncio.sleep(0)
    assert not waiting.done()
    requests.settle(fast)
    await asyncio.wait_for(waiting, 5)
    requests.settle(slow)
    requests.settle(fast)  # settling twice is harmless (a finally after an early return)


async def test_a_cancelled_waiter_does_not_cancel_the_newest_request():
    requests = kasi().requests
    requests.ask()
    newest = requests.ask()
    waiting = asyncio.ensure_future(requests.newest_on_screen())
    await asyncio.sleep(0)
    waiting.cancel()  # its page went away
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert not newest.on_screen.cancelled()
    requests.settle(newest)
    assert newest.on_screen.done()


async def test_a_page_that_asked_nothing_yet_waits_for_nothing():
    await asyncio.wait_for(kasi().requests.newest_on_screen(), 5)
