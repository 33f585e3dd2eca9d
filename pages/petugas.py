"""The officer's workspace of the seed manual: tabs Data Baru, In Progress, Data Selesai and Profil Petugas."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlencode

from nicegui import run, ui
from starlette.responses import RedirectResponse

from apok_ui import auth, theme
from apok_ui.components.frame import officer_frame
from apok_ui.components.lihat_data import LihatData
from apok_ui.components.penyerahan import selesai_actions
from apok_ui.components.pilih_pengurusan import PilihPengurusan
from apok_ui.components.profil_panel import profil_panel
from apok_ui.components.queue import Pager, queue_table
from apok_ui.ids import parse_id
from apok_ui.live import Changes, Live
from apok_ui.queries import workspace as queries
from apok_ui.queries.workspace import LayananInfo, Officer, QueuePage
from apok_ui.shared_reads import shared
from models import Peran, Tab, akses

PROFIL = 'profil'
BADGE = 'ml-2 rounded px-1.5 text-xs font-medium leading-5 bg-primary text-white'
TABS = {'baru': Tab.DATA_BARU, 'proses': Tab.IN_PROGRESS, 'selesai': Tab.DATA_SELESAI}
EMPTY = {
    Tab.DATA_BARU: 'Tidak ada pengurusan yang menunggu Anda.',
    Tab.IN_PROGRESS: 'Tidak ada pengurusan yang sedang diproses petugas lain.',
    Tab.DATA_SELESAI: 'Belum ada pengurusan yang selesai.',
    Tab.DITOLAK: 'Tidak ada pengurusan yang ditolak.',
}


@dataclass(frozen=True)
class View:
    """What the workspace shows, read together in one worker thread."""

    counts: dict[Tab, int]
    layanan_counts: dict[int, int]
    page: QueuePage | None


@dataclass(frozen=True)
class ViewKey:
    """Which view a page shows; the open pages showing the same one share its read (apok_ui/shared_reads.py)."""

    peran: Peran
    tab: Tab | None
    layanan_id: int | None
    search: str
    page_no: int


def read_view(kecamatan_id: int, key: ViewKey) -> View:
    """Return the counts and the page of a view from the database (in a worker thread)."""
    counts = queries.tab_counts(kecamatan_id, key.peran)
    if key.tab is None:
        return View(counts, {}, None)
    per_layanan = queries.layanan_counts(kecamatan_id, key.peran, key.tab)
    page = queries.queue(
        kecamatan_id, key.peran, key.tab, layanan_id=key.layanan_id, search=key.search, page=key.page_no
    )
    return View(counts, per_layanan, page)


class Workspace:
    """One officer's open workspace: the chosen tab, layanan, search and page; it reads fresh rows on demand."""

    def __init__(self, officer: Officer, *, ip: str, tab: str, layanan_kode: str = '') -> None:
        self.officer = officer
        self.ip = ip
        self.client = ui.context.client
        self.verifies = officer.peran is not Peran.SUPERADMIN and officer.kecamatan_id is not None
        self.tab = (tab if tab in (*TABS, PROFIL) else 'baru') if self.verifies else PROFIL
        self.layanan: list[LayananInfo] = []
        self.layanan_kode = layanan_kode
        self.search = ''  # typed on the page only: a search term never travels in the address
        self.page_no = 1
        self.ditolak = False
        self.locked = False  # a temporary password: only Profil Petugas, whatever the browser sends
        self.view = View({t: 0 for t in Tab}, {}, None)
        self.badges: dict[str, ui.label] = {}
        self.filters: dict[bool, ui.button] = {}
        self.pilih: PilihPengurusan | None = None
        self.pager: Pager | None = None
        self.progress: ui.linear_progress | None = None
        self.lihat_data: LihatData | None = None
        self.asked = 0  # reads asked for (by the officer or a live change); only the latest one's answer is shown
        self.newest: asyncio.Future | None = None  # done once the latest read asked for is on screen
        self.body_owed = False  # the tab or filter changed: the next answer shown redraws the whole tab
        self.listed: tuple | None = None  # what the rows on screen show: (view key, rows)
        # Refreshable per page, not per class: a class-level one scans every open page's targets on each refresh.
        self.body = ui.refreshable(self._body)
        self.chips = ui.refreshable(self._chips)
        self.listing = ui.refreshable(self._listing)

    @property
    def layanan_id(self) -> int | None:
        """Return the chosen layanan's id, or None for Semua."""
        return next((item.id for item in self.layanan if item.kode == self.layanan_kode), None)

    @property
    def queue_tab(self) -> Tab | None:
        """Return the tab whose queue is shown (Data Selesai's Ditolak filter included), or None on Profil."""
        tab = TABS.get(self.tab)
        return Tab.DITOLAK if tab is Tab.DATA_SELESAI and self.ditolak else tab

    async def read(self) -> View:
        """Return the counts and page of the view chosen now: another open page's answer, or read in a worker."""
        if not self.verifies or self.locked:
            return self.view
        if not self.layanan:
            self.layanan = await run.io_bound(queries.layanan_list)
        # The key is taken now, on the loop: the officer may choose another view while this one is read, and the
        # answer is kept under this key for every other page.
        kecamatan_id, key = self.officer.kecamatan_id, self._view_key()
        return await shared.read(kecamatan_id, key, lambda: read_view(kecamatan_id, key))

    def _view_key(self) -> ViewKey:
        return ViewKey(self.officer.peran, self.queue_tab, self.layanan_id, self.search, self.page_no)

    async def reload(self, *, dialog: bool = False) -> None:
        """Read and show fresh counts and rows after the officer's own action or choice (and Lihat Data, if asked)."""
        await self._refresh(loading=True)
        if dialog and self.lihat_data is not None and not self.client.is_deleted:
            await self.lihat_data.reload()

    async def follow(self, changes: Changes) -> None:
        """Show other officers' changes (None: anything may have changed) without a reload of the page."""
        await self._refresh()
        lihat = self.lihat_data
        if lihat is not None and lihat.is_open and (changes is None or lihat.pengurusan_id in _ids(changes)):
            await lihat.reload()

    async def _show(self, view: View) -> None:
        """Show a view, changing only what differs from the screen.

        Most changes in the kecamatan move only counts: those are set in place, and the chips and rows are drawn
        again only when they look different. Rebuilding twenty rows in each of 200 open pages for every approval
        kept the event loop busy for seconds (docs/BENCHMARKS-live.md), and a row drawn again under a finger loses
        its tap. Each refresh is awaited: NiceGUI runs a refresh that is not awaited later, in a task of its own, so
        two answers shown in a row would both see the old rows and draw them twice, and a toast after the answer
        would come before the rows.
        """
        self._take(view)
        if self.body_owed:
            self.body_owed = False
            await self.body.refresh()
            return
        if self.queue_tab is None or view.page is None:
            return
        if self.pilih is not None and self.pilih.fits(view.layanan_counts, self.layanan_id):
            self.pilih.update(view.layanan_counts)
        else:
            await self.chips.refresh()
        if self.listed != (self._view_key(), view.page.rows):
            await self.listing.refresh()
        self._update_pager()

    async def _refresh(self, *, loading: bool = False) -> None:
        """Read the view chosen now and show it; return once the newest view asked for is on screen.

        Reads run in worker threads and may finish out of order (a broad search is slower than an exact one, a read
        started before a change is older than one started after it): an older answer never replaces a newer one.
        A caller whose read was overtaken waits for the newer one, so that after the officer's own action the table
        is redrawn before the success toast appears, and their next tap lands on the new rows.
        """
        self.asked += 1
        ticket = self.asked
        shown = self.newest = asyncio.get_running_loop().create_future()
        if loading:
            self._loading(True)
        try:
            view = await self.read()
            if self.client.is_deleted:
                return
            if ticket == self.asked:
                self._loading(False)
                await self._show(view)
            else:
                await asyncio.shield(self.newest)
        finally:
            if not shown.done():
                shown.set_result(None)

    def _take(self, view: View) -> None:
        """Keep a newly read view and show its counts."""
        self.view = view
        self._update_counts()

    def _loading(self, on: bool) -> None:
        if self.progress is not None and not self.progress.is_deleted:
            self.progress.set_visibility(on)

    def build(self, *, wajib_ganti: bool = False) -> None:
        """Lay out the workspace for the officer."""
        with officer_frame(self.officer, 'Beranda Petugas'):
            if akses.may_watch(self.officer.peran, self.officer.kecamatan_id) and not wajib_ganti:
                ui.button(
                    'Monitoring', icon='monitor_heart', on_click=lambda: ui.navigate.to('/admin/monitoring')
                ).props('outline no-caps').classes(f'{theme.TAP} self-end').mark('monitoring')
            self._tabs(locked=wajib_ganti)
            with ui.column().classes('w-full gap-3'):
                self.body(wajib_ganti)

    def _tabs(self, *, locked: bool) -> None:
        with (
            ui.tabs(value=self.tab, on_change=lambda e: self.select_tab(e.value))
            .props('inline-label no-caps mobile-arrows outside-arrows active-color=primary indicator-color=primary')
            .classes('w-full bg-white rounded-lg shadow-sm text-gray-700')
        ):
            if self.verifies:
                for key, tab in TABS.items():
                    with ui.tab(key, tab.label).classes(theme.TAP).mark(f'tab-{key}') as element:
                        self.badges[key] = ui.label(str(self.view.counts[tab])).classes(BADGE).mark(f'jumlah-{key}')
                    element.set_enabled(not locked)
            ui.tab(PROFIL, 'Profil Petugas').classes(theme.TAP).mark(f'tab-{PROFIL}')

    def _update_counts(self) -> None:
        """Show the tab counts (and Data Selesai's Selesai / Ditolak counts) of the current view."""
        counts = self.view.counts
        for key, tab in TABS.items():
            if key in self.badges and not self.badges[key].is_deleted:
                self.badges[key].set_text(str(counts[tab]))
        for ditolak, button in self.filters.items():
            if not button.is_deleted:
                button.set_text(_filter_text(ditolak, counts))

    def _update_pager(self) -> None:
        if self.pager is not None and self.view.page is not None:
            self.pager.update(self.view.page)

    async def select_tab(self, name: str) -> None:
        """Show another tab (its first page); with a temporary password only Profil Petugas opens."""
        if name == self.tab:
            return
        if self.locked and name != PROFIL:
            return  # the tabs are disabled in the browser, but a client can still send their value over the socket
        self.tab, self.page_no, self.ditolak = name, 1, False
        self._remember()
        await self._redraw_tab()

    def _body(self, wajib_ganti: bool = False) -> None:
        """Show the chosen tab: a queue with its filters, or the officer's profile."""
        self.pilih, self.pager, self.filters = None, None, {}
        if self.queue_tab is None:
            if not self.verifies:
                ui.label('Administrator Sistem tidak memverifikasi pengurusan.').classes('text-gray-700')
            profil_panel(self.officer, ip=self.ip, wajib_ganti=wajib_ganti)
            return
        self.chips()
        self._toolbar()
        self.progress = ui.linear_progress(show_value=False).props('indeterminate').classes('w-full')
        self.progress.set_visibility(False)
        self.listing()
        if self.view.page is not None:
            self.pager = Pager(self.view.page, self.go_page)

    def _chips(self) -> None:
        """Show Pilih Pengurusan with the counts of the tab."""
        self.pilih = PilihPengurusan(self.layanan, self.view.layanan_counts, self.layanan_id, self.select_layanan)

    def _toolbar(self) -> None:
        with ui.row().classes('w-full items-center gap-2'):
            cari = (
                ui.input(
                    'Search',
                    value=self.search,
                    placeholder='Nomor Pendaftaran, NIK, nama, no HP atau email',
                    on_change=lambda e: self.search_for(e.value),
                )
                .props('outlined clearable debounce=400 inputmode=search enterkeyhint=search')
                .classes('flex-1 min-w-[12rem]')
                .mark('cari')
            )
            with cari.add_slot('prepend'):
                ui.icon('search')
            if TABS.get(self.tab) is Tab.DATA_SELESAI:
                self._selesai_filter()

    def _selesai_filter(self) -> None:
        with ui.row().classes('gap-2 no-wrap'):
            for ditolak in (False, True):
                look = 'unelevated' if self.ditolak == ditolak else 'outline'
                button = ui.button(
                    _filter_text(ditolak, self.view.counts), on_click=lambda d=ditolak: self.filter_ditolak(d)
                )
                button.props(f'{look} no-caps color=primary').classes(theme.TAP)
                self.filters[ditolak] = button.mark('filter-ditolak' if ditolak else 'filter-selesai')

    def _listing(self) -> None:
        """Show the rows of the current page."""
        page = self.view.page
        if page is None:
            return
        self.listed = (self._view_key(), page.rows)
        empty = 'Tidak ada pengurusan yang cocok dengan pencarian.' if self.search else EMPTY[self.queue_tab]
        queue_table(
            page,
            on_lihat=lambda row: self.open_lihat(row.id),
            actions=selesai_actions(self.officer, self.reload) if self.queue_tab is Tab.DATA_SELESAI else None,
            show_layanan=self.layanan_id is None,
            show_waiting=self.queue_tab is Tab.IN_PROGRESS,
            empty_text=empty,
        )

    async def open_lihat(self, pengurusan_id: int) -> None:
        """Open Lihat Data for one application (never while the password must be changed)."""
        if self.locked:
            return
        lihat = LihatData(self.officer, pengurusan_id, ip=self.ip, on_changed=self.reload)
        if await lihat.open():
            self.lihat_data = lihat

    async def select_layanan(self, layanan_id: int | None) -> None:
        """Narrow the queue to one layanan (None: Semua)."""
        self.layanan_kode = next((item.kode for item in self.layanan if item.id == layanan_id), '')
        self.page_no = 1
        self._remember()
        await self.reload()

    async def search_for(self, term: str | None) -> None:
        """Search the tab and layanan for a number, NIK, name, phone or email."""
        self.search, self.page_no = (term or '').strip()[:100], 1
        self._remember()
        await self.reload()

    async def filter_ditolak(self, ditolak: bool) -> None:
        """Switch Data Selesai between finished and rejected applications."""
        self.ditolak, self.page_no = ditolak, 1
        await self._redraw_tab()

    async def _redraw_tab(self) -> None:
        """Draw the whole tab again with its first answer (Profil needs none)."""
        self.body_owed = True
        if self.queue_tab is None:
            self.body_owed = False
            await self.body.refresh()
        else:
            await self._refresh()

    async def go_page(self, page_no: int) -> None:
        """Show another page of the queue."""
        self.page_no = max(1, page_no)
        await self.reload()

    def _remember(self) -> None:
        """Put the tab and layanan in the address, so a reload (a phone waking up) shows the same.

        Never the search: it is often a NIK or a phone number, and the address goes into the browser's history and
        the logs of every proxy on the way.
        """
        params = {'tab': self.tab, 'layanan': self.layanan_kode}
        ui.navigate.history.replace('/admin?' + urlencode({k: v for k, v in params.items() if v}))


async def _open_asked(workspace: Workspace, lihat: str) -> None:
    """Open Lihat Data for the application an address asks for (?lihat=ID); any odd id is simply not found."""
    pengurusan_id = parse_id(lihat)
    if pengurusan_id is None:
        ui.notify('Pengurusan tidak ditemukan.', type='negative')
        return
    await workspace.open_lihat(pengurusan_id)


def _filter_text(ditolak: bool, counts: dict[Tab, int]) -> str:
    return f'Ditolak ({counts[Tab.DITOLAK]})' if ditolak else f'Selesai ({counts[Tab.DATA_SELESAI]})'


def _ids(changes: Changes) -> set[int]:
    return {change.pengurusan_id for change in changes or ()}


async def show(officer: Officer, *, tab: str, layanan: str = '', wajib_ganti: bool = False) -> Workspace:
    """Build the workspace of an officer on the current page and return it."""
    workspace = Workspace(officer, ip=auth.client_ip(), tab=tab, layanan_kode=layanan)
    workspace.locked = wajib_ganti or officer.wajib_ganti_password
    if workspace.locked:
        workspace.tab = PROFIL
    workspace.view = await workspace.read()
    workspace.build(wajib_ganti=wajib_ganti)
    Live(officer, workspace.follow)
    return workspace


async def page(tab: str = 'baru', layanan: str = '', lihat: str = '', password: str = '') -> RedirectResponse | None:
    """Show the logged-in officer's workspace, or send them to the login (or to Ganti Password first)."""
    officer = auth.current_officer()
    if officer is None:
        return auth.to_login()
    if officer.wajib_ganti_password:
        return RedirectResponse('/admin/profil?ganti=1')
    if officer.peran is Peran.SUPERADMIN:
        return RedirectResponse('/admin/sistem')
    workspace = await show(officer, tab=tab, layanan=layanan.upper())
    if password == 'diganti':
        ui.notify('Password berhasil diganti.', type='positive')
        ui.context.client.on_connect(lambda: ui.navigate.history.replace('/admin'))  # a reload says it no more
    if lihat:
        await _open_asked(workspace, lihat)
    return None
