"""The officer's table: one page of applications, a table on tablets and desktops, cards on phones (one DOM).

Only the rows of the current page ever reach the browser; the pager asks the server for the next page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape

from nicegui import ui
from nicegui.events import ClickEventArguments

from apok_ui import theme
from apok_ui.components.aksi import busy
from apok_ui.components.status_chip import status_chip_html
from apok_ui.queries.workspace import QueuePage, QueueRow
from models import Peran, Status
from models.waktu import format_waktu, now, working_days_between

# Phones: a card (number and status on top, the rest below); from 768 px on: five table columns, each row of the
# table spanning up to three grid lines. A row's texts are one escaped HTML element whose cells are grid items of
# the row ('contents'), beside its buttons: each NiceGUI element costs about 5 KB of server memory and 0.1 ms to
# build, every open page holds twenty rows, and a live update may rebuild them in 200 pages at once.
COLUMNS = ' md:grid-cols-[minmax(0,1.2fr)_minmax(0,1.4fr)_minmax(0,1.1fr)_minmax(0,1fr)_9.5rem]'
ROW = (
    'grid grid-cols-[minmax(0,1fr)_auto] md:grid-rows-[auto_auto_1fr]'
    + COLUMNS
    + ' gap-x-3 gap-y-0.5 items-start w-full px-3 py-3'
)
HEADER = 'grid max-md:hidden' + COLUMNS + ' gap-x-3 w-full px-3 py-3 text-xs font-semibold text-gray-600 bg-gray-50'
WIDE = 'col-span-2 md:col-span-1 min-w-0'
PLACE = {
    'nomor': 'md:col-start-1 md:row-start-1 font-mono font-semibold text-primary whitespace-nowrap',
    'status': 'justify-self-end md:justify-self-start md:col-start-4 md:row-start-1',
    'meta': 'min-w-0 md:col-start-1 md:row-start-2 md:row-span-2 text-xs text-gray-600 whitespace-pre-line',
    'umur': 'text-right md:text-left md:col-start-4 md:row-start-2 text-xs',
    'menunggu': f'{WIDE} text-right md:text-left md:col-start-4 md:row-start-3 text-xs text-gray-700',
    'nama': f'{WIDE} md:col-start-2 md:row-start-1 pt-1 md:pt-0 font-medium break-words',
    'nik': f'{WIDE} md:col-start-2 md:row-start-2 text-xs text-gray-600 break-all',
    'hp': f'{WIDE} md:col-start-3 md:row-start-1 text-sm break-all',
    'aksi': f'{WIDE} md:col-start-5 md:row-start-1 md:row-span-3 md:self-center mt-2 md:mt-0',
    'alasan': f'{WIDE} md:col-start-2 md:col-span-3 md:row-start-3 text-sm text-orange-800 break-words',
}


def queue_table(
    page: QueuePage,
    *,
    on_lihat: Callable[[QueueRow], Awaitable[None]],
    actions: Callable[[QueueRow], None] | None = None,
    show_layanan: bool = True,
    show_waiting: bool = False,
    empty_text: str = 'Tidak ada data.',
) -> None:
    """Show one page of a queue; `actions` adds a row's extra buttons (Cetak, Serahkan) after Lihat Data."""
    with ui.element('div').classes('w-full bg-white rounded-lg shadow-sm overflow-hidden'):
        titles = ('Nomor Pendaftaran · Tanggal', 'Nama · NIK', 'No HP', 'Status · Umur', '')
        ui.html(''.join(_cell(title, '') for title in titles)).classes(HEADER).props('aria-hidden=true')
        if not page.rows:
            with ui.column().classes('w-full items-center py-10 px-3 text-gray-500 text-center'):
                ui.icon('inbox').classes('text-4xl')
                ui.label(empty_text).mark('queue-empty')
            return
        at = now()
        with ui.element('div').classes('w-full divide-y divide-gray-200').props('role=list'):
            for row in page.rows:
                _row(row, at, on_lihat, actions, show_layanan, show_waiting)


def _row(row: QueueRow, at, on_lihat, actions, show_layanan: bool, show_waiting: bool) -> None:
    """Show one application: on phones its cells flow in order, from 768 px on PLACE puts each in its column."""
    revisi = row.status is Status.REVISI
    marked = ' shadow-[inset_4px_0_0_#f97316] bg-orange-50' if revisi else ''
    with ui.element('div').classes(ROW + marked).props('role=listitem') as element:
        element.mark(f'row-{row.nomor_pendaftaran}', 'revisi' if revisi else 'baris')
        ui.html(_cells(row, at, show_layanan, show_waiting)).classes('contents')
        if actions is None:
            _lihat_button(row, on_lihat).classes(f'{PLACE["aksi"]} {theme.TAP}')
            return
        # Phones: Lihat Data across the card, Cetak and Serahkan side by side below; tablets: one button per line.
        with ui.element('div').classes(f'{PLACE["aksi"]} flex flex-wrap md:flex-col md:items-stretch gap-2'):
            _lihat_button(row, on_lihat).classes(f'{theme.TAP} basis-full md:basis-auto')
            actions(row)


def _cells(row: QueueRow, at, show_layanan: bool, show_waiting: bool) -> str:
    """Return a row's texts as HTML cells; every text is escaped (names and numbers come from citizens)."""
    meta = f'{format_waktu(row.diajukan_at)} WIB' + (f'\n{row.layanan_nama}' if show_layanan else '')
    days = working_days_between(row.diajukan_at, at)
    age = f'{days} hari kerja' + (' · lewat SLA' if row.overdue else '')
    age_look = 'text-negative font-semibold' if row.overdue else 'text-gray-600'
    waiting = show_waiting and row.peran_menunggu
    return ''.join(
        (
            _cell(row.nomor_pendaftaran, PLACE['nomor']),
            status_chip_html(row.status, PLACE['status']),
            _cell(meta, PLACE['meta']),
            _cell(age, f'{PLACE["umur"]} {age_look}'),
            _cell(f'di {Peran(row.peran_menunggu).label}', PLACE['menunggu']) if waiting else '',
            _cell(row.nama, PLACE['nama']),
            _cell(f'NIK {row.nik}', PLACE['nik']),
            _cell(row.no_hp, PLACE['hp']),
            _cell(f'Alasan revisi: {row.alasan_revisi}', PLACE['alasan']) if row.alasan_revisi else '',
        )
    )


def _cell(text: str, classes: str) -> str:
    return f'<div class="{classes}">{escape(text, quote=False)}</div>'


def _lihat_button(row: QueueRow, on_lihat: Callable[[QueueRow], Awaitable[None]]) -> ui.button:
    """Show Lihat Data, spinning while the application is read."""

    async def click(event: ClickEventArguments) -> None:
        with busy(event.sender):
            await on_lihat(row)

    button = ui.button('Lihat Data', on_click=click).props('unelevated no-caps no-wrap')
    return button.mark(f'lihat-{row.nomor_pendaftaran}')


class Pager:
    """'1–20 dari 325' and buttons to the first, previous, next and last page (44 px each), updated in place."""

    def __init__(self, page: QueuePage, on_page: Callable[[int], object]) -> None:
        self.page = page
        with ui.row().classes('w-full items-center justify-between gap-2 no-wrap').mark('pager') as self.element:
            self.shown = ui.label().classes('text-sm text-gray-600 whitespace-nowrap')
            with ui.row().classes('items-center gap-1 no-wrap'):
                self.first = _page_button('first_page', 'Halaman pertama', lambda: on_page(1))
                self.previous = _page_button('chevron_left', 'Halaman sebelumnya', lambda: on_page(self.page.page - 1))
                self.position = ui.label().classes('text-sm px-1 whitespace-nowrap').mark('halaman')
                self.next = _page_button('chevron_right', 'Halaman berikutnya', lambda: on_page(self.page.page + 1))
                self.last = _page_button('last_page', 'Halaman terakhir', lambda: on_page(self.pages))
        self.update(page)

    @property
    def pages(self) -> int:
        """Return how many pages the queue has (at least one)."""
        return max(1, -(-self.page.total // self.page.page_size))

    def update(self, page: QueuePage) -> None:
        """Show another page's position; hidden while everything fits on one page."""
        self.page = page
        first = (page.page - 1) * page.page_size + 1 if page.total else 0
        self.shown.set_text(f'{first}–{min(page.total, page.page * page.page_size)} dari {page.total}')
        self.position.set_text(f'{page.page} / {self.pages}')
        for button, enabled in (
            (self.first, page.page > 1),
            (self.previous, page.page > 1),
            (self.next, page.page < self.pages),
            (self.last, page.page < self.pages),
        ):
            button.set_enabled(enabled)
        self.element.set_visibility(page.total > page.page_size)


def _page_button(icon: str, label: str, handler: Callable[[], object]) -> ui.button:
    button = (
        ui.button(icon=icon, on_click=handler)
        .props(f'flat round aria-label="{label}"')
        .classes('min-w-[44px] min-h-[44px]')
    )
    return button.mark(label.lower().replace(' ', '-'))
