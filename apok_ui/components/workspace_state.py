"""What an officer's open workspace asks for and what it shows, kept apart from how it is laid out.

The layout (apok_ui/components/workspace.py) draws and reads; this state decides. It knows the chosen tab,
layanan, search and page (and so the view whose read the open pages share), numbers the reads asked for so that
an answer overtaken by a newer request is dropped, and tells the layout whether the whole tab, or only the rows,
must be drawn again. It sits with the components because tabs, pages and redraws are screen notions the domain
(models/) has no business knowing; it imports no NiceGUI and does no I/O, so tests/test_workspace_state.py checks
it without a server.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from models import Peran, Tab, akses

if TYPE_CHECKING:
    from apok_ui.queries.workspace import LayananInfo, QueuePage, QueueRow

PROFIL = 'profil'
QUEUE_TABS = {'baru': Tab.DATA_BARU, 'proses': Tab.IN_PROGRESS, 'selesai': Tab.DATA_SELESAI}
SEARCH_MAX = 100


@dataclass(frozen=True)
class View:
    """What the workspace shows, read together in one worker thread: the counts and, on a queue tab, one page."""

    counts: dict[Tab, int]
    layanan_counts: dict[int, int]
    page: QueuePage | None

    @classmethod
    def empty(cls) -> View:
        """Return the view of a workspace that has read nothing yet."""
        return cls({tab: 0 for tab in Tab}, {}, None)


@dataclass(frozen=True)
class ViewKey:
    """Which view a page shows; the open pages showing the same one share its read (apok_ui/shared_reads.py)."""

    peran: Peran
    tab: Tab | None
    layanan_id: int | None
    search: str
    page_no: int


@dataclass(frozen=True, eq=False)
class Request:
    """One read asked for; `on_screen` is done once its answer is shown, or given up for a newer one's."""

    number: int
    on_screen: asyncio.Future


class Requests:
    """The reads one page asked for, numbered: only the newest request's answer is shown.

    Reads run in worker threads and may finish out of order (a broad search is slower than an exact one, a read
    started before a change is older than one started after it), so an older answer never replaces a newer one.
    """

    def __init__(self) -> None:
        self.asked = 0
        self.newest: Request | None = None

    def ask(self) -> Request:
        """Number a new read; from now on it is the newest (call on the event loop)."""
        self.asked += 1
        self.newest = Request(self.asked, asyncio.get_running_loop().create_future())
        return self.newest

    def is_newest(self, request: Request) -> bool:
        """Return whether no read was asked for after this one (then its answer is shown)."""
        return request.number == self.asked

    async def newest_on_screen(self) -> None:
        """Wait until the answer of the newest read asked for so far is shown (or given up)."""
        if self.newest is not None:
            # Shielded: a waiter that is cancelled (its page went away) must not cancel the newest request's wait.
            await asyncio.shield(self.newest.on_screen)

    @staticmethod
    def settle(request: Request) -> None:
        """Note that a request is over: its answer is shown, overtaken, or its page went away."""
        if not request.on_screen.done():
            request.on_screen.set_result(None)


class WorkspaceState:
    """One officer's workspace: the tab, layanan, search and page chosen, the view taken last, and what is owed."""

    def __init__(
        self, *, peran: Peran, kecamatan_id: int | None, tab: str, layanan_kode: str = '', profil_only: bool = False
    ) -> None:
        self.peran = peran
        self.verifies = akses.may_verify(peran, kecamatan_id)
        self.profil_only = profil_only  # a temporary password: only Profil Petugas, whatever the browser sends
        self.tab = (tab if tab in (*QUEUE_TABS, PROFIL) else 'baru') if self.reads_queues else PROFIL
        self.layanan: list[LayananInfo] = []  # Pilih Pengurusan's choices, read with the first view
        self.layanan_kode = layanan_kode
        self.search = ''  # typed on the page only: a search term never travels in the address
        self.page_no = 1
        self.ditolak = False  # Data Selesai shows its Ditolak filter
        self.shown = View.empty()
        self.requests = Requests()
        self.tab_redraw_owed = False  # the tab or filter changed: the next answer shown redraws the whole tab
        self.rows_on_screen: tuple[ViewKey, list[QueueRow]] | None = None

    @property
    def layanan_id(self) -> int | None:
        """Return the chosen layanan's id, or None for Semua."""
        return next((item.id for item in self.layanan if item.kode == self.layanan_kode), None)

    @property
    def queue_tab(self) -> Tab | None:
        """Return the tab whose queue is shown (Data Selesai's Ditolak filter included), or None on Profil."""
        tab = QUEUE_TABS.get(self.tab)
        return Tab.DITOLAK if tab is Tab.DATA_SELESAI and self.ditolak else tab

    @property
    def reads_queues(self) -> bool:
        """Return whether this workspace reads queues at all (not the administrator's, nor a locked one)."""
        return self.verifies and not self.profil_only

    def key(self) -> ViewKey:
        """Return the view chosen now (take it on the loop: the choice may change while a read runs)."""
        return ViewKey(self.peran, self.queue_tab, self.layanan_id, self.search, self.page_no)

    def address(self) -> str:
        """Return the address that shows the same tab and layanan after a reload (a phone waking up).

        Never the search: it is often a NIK or a phone number, and the address goes into the browser's history and
        the logs of every proxy on the way.
        """
        params = {'tab': self.tab, 'layanan': self.layanan_kode}
        return '/admin?' + urlencode({name: value for name, value in params.items() if value})

    def choose_tab(self, name: str) -> bool:
        """Choose another tab at its first page; return False when nothing changes (the same tab, or a locked one)."""
        if name == self.tab or name not in (*QUEUE_TABS, PROFIL):
            return False
        if name != PROFIL and not self.reads_queues:
            return False  # the tabs are disabled in the browser, but a client can still send their value
        self.tab, self.page_no, self.ditolak = name, 1, False
        self.tab_redraw_owed = self.queue_tab is not None  # Profil is drawn at once, it waits for no answer
        return True

    def choose_ditolak(self, ditolak: bool) -> None:
        """Switch Data Selesai between finished and rejected applications, at the first page."""
        self.ditolak, self.page_no = ditolak, 1
        self.tab_redraw_owed = True

    def choose_layanan(self, layanan_id: int | None) -> None:
        """Narrow the queue to one layanan (None: Semua), at the first page."""
        self.layanan_kode = next((item.kode for item in self.layanan if item.id == layanan_id), '')
        self.page_no = 1

    def search_for(self, term: str | None) -> None:
        """Search the tab and layanan for a term (trimmed, at most SEARCH_MAX characters), at the first page."""
        self.search, self.page_no = (term or '').strip()[:SEARCH_MAX], 1

    def go_page(self, page_no: int) -> None:
        """Choose another page of the queue (the first at least)."""
        self.page_no = max(1, page_no)

    def take(self, view: View) -> bool:
        """Keep a newly read view as the one shown; return whether the whole tab must be drawn for it (once)."""
        self.shown = view
        owed, self.tab_redraw_owed = self.tab_redraw_owed, False
        return owed

    def rows_differ(self) -> bool:
        """Return whether the view taken shows other rows than those on screen (else counts and pager suffice)."""
        page = self.shown.page
        return page is not None and self.rows_on_screen != (self.key(), page.rows)

    def note_rows_drawn(self) -> None:
        """Remember which rows are on screen now."""
        page = self.shown.page
        self.rows_on_screen = None if page is None else (self.key(), page.rows)
