"""The officer's workspace of the seed manual: tabs Data Baru, In Progress, Data Selesai and Profil Petugas.

The layout lives here, the decisions in WorkspaceState (apok_ui/components/workspace_state.py): pages/petugas.py
(/admin) and pages/profil.py (/admin/profil) both show it.
"""

from __future__ import annotations

from nicegui import run, ui

from apok_ui import auth, theme
from apok_ui.components.frame import officer_frame
from apok_ui.components.lihat_data import LihatData
from apok_ui.components.penyerahan import selesai_actions
from apok_ui.components.pilih_pengurusan import PilihPengurusan
from apok_ui.components.profil_panel import profil_panel
from apok_ui.components.queue import Pager, queue_table
from apok_ui.components.setujui_beberapa import SetujuiBeberapa, may_batch
from apok_ui.components.workspace_state import PROFIL, QUEUE_TABS, View, ViewKey, WorkspaceState
from apok_ui.live import Changes, Live
from apok_ui.queries import workspace as queries
from apok_ui.queries.workspace import Officer
from apok_ui.shared_reads import shared
from models import Tab, akses

BADGE = 'ml-2 rounded px-1.5 text-xs font-medium leading-5 bg-primary text-white'
EMPTY = {
    Tab.DATA_BARU: 'Tidak ada pengurusan yang menunggu Anda.',
    Tab.IN_PROGRESS: 'Tidak ada pengurusan yang sedang diproses petugas lain.',
    Tab.DATA_SELESAI: 'Belum ada pengurusan yang selesai.',
    Tab.DITOLAK: 'Tidak ada pengurusan yang ditolak.',
}
NOT_FOUND = 'Tidak ada pengurusan yang cocok dengan pencarian.'
NAV_ICON = {'baru': 'inbox', 'proses': 'pending_actions', 'selesai': 'task_alt', PROFIL: 'account_circle'}
NAV_TAB = 'min-h-[56px] px-1 flex-1 min-w-0 apok-nav'  # a quarter of a phone each (theme.CSS: the label's size)


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
    """One officer's open workspace on screen: it lays the state out, and reads and shows fresh views on demand."""

    def __init__(self, officer: Officer, *, ip: str, state: WorkspaceState) -> None:
        self.officer = officer
        self.ip = ip
        self.client = ui.context.client
        self.state = state
        self.tab_badges: dict[str, list[ui.element]] = {}  # each tab's count, at the top and in the phone's bar
        self.tab_bars: list[ui.tabs] = []
        self.filter_buttons: dict[bool, ui.button] = {}  # Data Selesai's Selesai (False) and Ditolak (True)
        self.pilih: PilihPengurusan | None = None
        self.pager: Pager | None = None
        self.progress: ui.linear_progress | None = None
        self.lihat_data: LihatData | None = None
        self.massal = SetujuiBeberapa(officer, self.reload) if may_batch(officer) else None
        # Refreshable per page, not per class: a class-level one scans every open page's targets on each refresh.
        self.tab_body = ui.refreshable(self._tab_body)
        self.chips = ui.refreshable(self._chips)
        self.listing = ui.refreshable(self._listing)

    async def read(self) -> View:
        """Return the counts and page of the view chosen now: another open page's answer, or read in a worker."""
        state = self.state
        if not state.reads_queues:
            return state.shown
        if not state.layanan:
            state.layanan = await run.io_bound(queries.layanan_list)
        # The key is taken now, on the loop: the officer may choose another view while this one is read, and the
        # answer is kept under this key for every other page.
        kecamatan_id, key = self.officer.kecamatan_id, state.key()
        return await shared.read(kecamatan_id, key, lambda: read_view(kecamatan_id, key))

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
            await lihat.reload(elsewhere=True)  # says who processed it, keeps a Keterangan already typed

    async def _refresh(self, *, loading: bool = False) -> None:
        """Read the view chosen now and show it; return once the newest view asked for is on screen.

        An answer overtaken by a newer request is dropped (WorkspaceState.requests); its caller waits for the newer
        one, so that after the officer's own action the table is redrawn before the success toast appears, and
        their next tap lands on the new rows.
        """
        requests = self.state.requests
        request = requests.ask()
        if loading:
            self._loading(True)
        try:
            view = await self.read()
            if self.client.is_deleted:
                return
            if requests.is_newest(request):
                self._loading(False)
                await self._show(view)
            else:
                await requests.newest_on_screen()
        finally:
            requests.settle(request)

    async def _show(self, view: View) -> None:
        """Show a view, changing only what differs from the screen.

        Most changes in the kecamatan move only counts: those are set in place, and the chips and rows are drawn
        again only when they look different. Rebuilding twenty rows in each of 200 open pages for every approval
        kept the event loop busy for seconds (docs/BENCHMARKS-live.md), and a row drawn again under a finger loses
        its tap. Each refresh is awaited: NiceGUI runs a refresh that is not awaited later, in a task of its own, so
        two answers shown in a row would both see the old rows and draw them twice, and a toast after the answer
        would come before the rows.
        """
        state = self.state
        redraw_tab = state.take(view)
        self._update_counts()
        if redraw_tab:
            await self.tab_body.refresh()
            if self.pilih is not None:
                self.pilih.reveal()
            return
        if state.queue_tab is None or view.page is None:
            return
        if self.pilih is not None and self.pilih.fits(view.layanan_counts, state.layanan_id):
            self.pilih.update(view.layanan_counts)
        else:
            await self.chips.refresh()
            if self.pilih is not None:
                self.pilih.reveal()  # a chip chosen far right stays in sight, not scrolled back to Semua
        if state.rows_differ():
            await self.listing.refresh()
        if self.pager is not None:
            self.pager.update(view.page)

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
                self.tab_body(wajib_ganti)
        with self.client.content:  # the phone's bar is a layout element of the page itself
            self._bottom_nav(locked=wajib_ganti)

    def _tabs(self, *, locked: bool) -> None:
        """Show the tabs above the work from 640 px on (a phone has them in the bar at the bottom instead)."""
        counts = self.state.shown.counts
        with (
            ui.tabs(value=self.state.tab, on_change=lambda e: self.select_tab(e.value))
            .props('inline-label no-caps mobile-arrows outside-arrows active-color=primary indicator-color=primary')
            .classes('w-full bg-white rounded-lg shadow-sm text-gray-700 max-sm:hidden') as bar
        ):
            if self.state.verifies:
                for key, tab in QUEUE_TABS.items():
                    with ui.tab(key, tab.label).classes(theme.TAP).mark(f'tab-{key}') as element:
                        badge = ui.label(str(counts[tab])).classes(BADGE).mark(f'jumlah-{key}')
                        self.tab_badges.setdefault(key, []).append(badge)
                    element.set_enabled(not locked)
            ui.tab(PROFIL, 'Profil Petugas').classes(theme.TAP).mark(f'tab-{PROFIL}')
        self.tab_bars.append(bar)

    def _bottom_nav(self, *, locked: bool) -> None:
        """Show the four tabs in a bar at the bottom of a phone, each one tap away (no arrows, nothing hidden)."""
        counts = self.state.shown.counts
        with (
            ui.footer().classes('sm:hidden bg-white text-gray-700 p-0 border-t').props('bordered').mark('bottom-nav'),
            ui.tabs(value=self.state.tab, on_change=lambda e: self.select_tab(e.value))
            .props('no-caps narrow-indicator active-color=primary indicator-color=primary align=justify')
            .classes('w-full') as bar,
        ):
            if self.state.verifies:
                for key, tab in QUEUE_TABS.items():
                    with ui.tab(key, tab.label, icon=NAV_ICON[key]).classes(NAV_TAB).mark(f'nav-{key}') as element:
                        badge = ui.badge(str(counts[tab])).props('floating color=primary').mark(f'nav-jumlah-{key}')
                        self.tab_badges.setdefault(key, []).append(badge)
                    element.set_enabled(not locked)
            ui.tab(PROFIL, 'Profil Petugas', icon=NAV_ICON[PROFIL]).classes(NAV_TAB).mark(f'nav-{PROFIL}')
        self.tab_bars.append(bar)

    def _update_counts(self) -> None:
        """Show the tab counts (and Data Selesai's Selesai / Ditolak counts) of the view taken last."""
        counts = self.state.shown.counts
        for key, tab in QUEUE_TABS.items():
            for badge in self.tab_badges.get(key, ()):
                if not badge.is_deleted:
                    badge.set_text(str(counts[tab]))
        for ditolak, button in self.filter_buttons.items():
            if not button.is_deleted:
                button.set_text(_filter_text(ditolak, counts))

    def _tab_body(self, wajib_ganti: bool = False) -> None:
        """Show the chosen tab: a queue with its filters, or the officer's profile."""
        self.pilih, self.pager, self.filter_buttons = None, None, {}
        state = self.state
        if state.queue_tab is None:
            if not state.verifies:
                ui.label('Administrator Sistem tidak memverifikasi pengurusan.').classes('text-gray-700')
            profil_panel(self.officer, ip=self.ip, wajib_ganti=wajib_ganti)
            return
        self.chips()
        self._toolbar()
        self.progress = ui.linear_progress(show_value=False).props('indeterminate').classes('w-full')
        self.progress.set_visibility(False)
        self.listing()
        if state.shown.page is not None:
            self.pager = Pager(state.shown.page, self.go_page)

    def _chips(self) -> None:
        """Show Pilih Pengurusan with the counts of the tab."""
        state = self.state
        self.pilih = PilihPengurusan(state.layanan, state.shown.layanan_counts, state.layanan_id, self.select_layanan)

    def _toolbar(self) -> None:
        with ui.row().classes('w-full items-center gap-2'):
            cari = (
                ui.input(
                    'Search',
                    value=self.state.search,
                    placeholder='Nomor Pendaftaran, NIK, nama, no HP atau email',
                    on_change=lambda e: self.search_for(e.value),
                )
                .props('outlined clearable debounce=400 inputmode=search enterkeyhint=search')
                .classes('flex-1 min-w-[12rem]')
                .mark('cari')
            )
            with cari.add_slot('prepend'):
                ui.icon('search')
            if QUEUE_TABS.get(self.state.tab) is Tab.DATA_SELESAI:
                self._selesai_filter()
            if self._batching_tab():
                self.massal.toggle_button(self.tab_body.refresh)
        if self._batching_tab():
            self.massal.bar()

    def _selesai_filter(self) -> None:
        with ui.row().classes('gap-2 no-wrap'):
            for ditolak in (False, True):
                look = 'unelevated' if self.state.ditolak == ditolak else 'outline'
                button = ui.button(
                    _filter_text(ditolak, self.state.shown.counts), on_click=lambda d=ditolak: self.filter_ditolak(d)
                )
                button.props(f'{look} no-caps color=primary').classes(theme.TAP)
                self.filter_buttons[ditolak] = button.mark('filter-ditolak' if ditolak else 'filter-selesai')

    def _listing(self) -> None:
        """Show the rows of the view taken last."""
        state = self.state
        page = state.shown.page
        if page is None:
            return
        state.note_rows_drawn()
        actions = selesai_actions(self.officer, self.reload) if state.queue_tab is Tab.DATA_SELESAI else None
        if self._batching_tab() and self.massal.on:
            actions = self.massal.tick
        queue_table(
            page,
            on_lihat=lambda row: self.open_lihat(row.id),
            actions=actions,
            show_layanan=True,  # also when one layanan is chosen: each card says what the list holds
            show_waiting=state.queue_tab is Tab.IN_PROGRESS,
            empty_text=NOT_FOUND if state.search else EMPTY[state.queue_tab],
        )

    def _batching_tab(self) -> bool:
        """Return whether this tab offers Setujui beberapa: Data Baru of the Sekcam or the Camat."""
        return self.massal is not None and self.state.queue_tab is Tab.DATA_BARU

    async def open_lihat(self, pengurusan_id: int) -> None:
        """Open Lihat Data for one application (never while the password must be changed)."""
        if self.state.profil_only:
            return
        lihat = LihatData(self.officer, pengurusan_id, ip=self.ip, on_changed=self.reload)
        if await lihat.open():
            self.lihat_data = lihat

    async def select_tab(self, name: str) -> None:
        """Show another tab (its first page); with a temporary password only Profil Petugas opens."""
        for bar in self.tab_bars:  # the tabs at the top and the phone's bar show the same choice
            if bar.value != name:
                bar.set_value(name)
        if self.state.choose_tab(name):
            self._remember()
            await self._redraw_tab()

    async def select_layanan(self, layanan_id: int | None) -> None:
        """Narrow the queue to one layanan (None: Semua)."""
        self.state.choose_layanan(layanan_id)
        self._remember()
        await self.reload()

    async def search_for(self, term: str | None) -> None:
        """Search the tab and layanan for a number, NIK, name, phone or email."""
        self.state.search_for(term)
        await self.reload()

    async def filter_ditolak(self, ditolak: bool) -> None:
        """Switch Data Selesai between finished and rejected applications."""
        self.state.choose_ditolak(ditolak)
        await self._redraw_tab()

    async def go_page(self, page_no: int) -> None:
        """Show another page of the queue."""
        self.state.go_page(page_no)
        await self.reload()

    async def _redraw_tab(self) -> None:
        """Draw the whole tab again: a queue with its first answer, Profil at once (it needs no read)."""
        if self.state.tab_redraw_owed:
            await self._refresh()
        else:
            await self.tab_body.refresh()

    def _remember(self) -> None:
        """Put the tab and layanan (never the search) in the address, so a reload shows the same."""
        ui.navigate.history.replace(self.state.address())


def _filter_text(ditolak: bool, counts: dict[Tab, int]) -> str:
    return f'Ditolak ({counts[Tab.DITOLAK]})' if ditolak else f'Selesai ({counts[Tab.DATA_SELESAI]})'


def _ids(changes: Changes) -> set[int]:
    return {change.pengurusan_id for change in changes or ()}


async def show(officer: Officer, *, tab: str, layanan: str = '', wajib_ganti: bool = False) -> Workspace:
    """Build the workspace of an officer on the current page and return it (with a temporary password: Profil)."""
    state = WorkspaceState(
        peran=officer.peran,
        kecamatan_id=officer.kecamatan_id,
        tab=tab,
        layanan_kode=layanan,
        profil_only=wajib_ganti or officer.wajib_ganti_password,
    )
    workspace = Workspace(officer, ip=auth.client_ip(), state=state)
    state.take(await workspace.read())
    workspace.build(wajib_ganti=wajib_ganti)
    Live(officer, workspace.follow)
    return workspace
