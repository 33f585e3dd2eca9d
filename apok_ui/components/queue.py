"""The officer's table: one page of applications, a table on tablets and desktops, cards on phones (one DOM).

Only the rows of the current page ever reach the browser; the pager asks the server for the next page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui
from nicegui.events import ClickEventArguments

from apok_ui import theme
from apok_ui.components.aksi import busy
from apok_ui.components.status_chip import status_chip
from apok_ui.queries import QueuePage, QueueRow
from models import Peran, Status
from models.waktu import format_waktu, now, working_days_between

# Phones: a card (number and status on top, the rest below); from 768 px on: five table columns, each row of the
# table spanning up to three grid lines. Every label is a grid item of its own (no wrappers): each element costs
# server time and bytes, and a page holds twenty rows.
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
        with ui.element('div').classes(HEADER).props('aria-hidden=true'):
            for title in ('Nomor Pendaftaran · Tanggal', 'Nama · NIK', 'No HP', 'Status · Umur', ''):
                ui.label(title)
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
    """Show one application: on phones its labels flow in DOM order, from 768 px on PLACE puts each in its cell."""
    revisi = row.status is Status.REVISI
    marked = ' shadow-[inset_4px_0_0_#f97316] bg-orange-50' if revisi else ''
    with ui.element('div').classes(ROW + marked).props('role=listitem') as element:
        element.mark(f'row-{row.nomor_pendaftaran}', 'revisi' if revisi else 'baris')
        ui.label(row.nomor_pendaftaran).classes(PLACE['nomor'])
        status_chip(row.status).classes(PLACE['status'])
        meta = f'{format_waktu(row.diajukan_at)} WIB' + (f'\n{row.layanan_nama}' if show_layanan else '')
        ui.label(meta).classes(PLACE['meta'])
        _age(row, at).classes(PLACE['umur'])
        if show_waiting and row.peran_menunggu:
            ui.label(f'di {Peran(row.peran_menunggu).label}').classes(PLACE['menunggu'])
        ui.label(row.nama).classes(PLACE['nama'])
        ui.label(f'NIK {row.nik}').classes(PLACE['nik'])
        ui.label(row.no_hp).classes(PLACE['hp'])
        if actions is None:
            _lihat_button(row, on_lihat).classes(f'{PLACE["aksi"]} {theme.TAP}')
            return
        # Phones: Lihat Data across the card, Cetak and Serahkan side by side below; tablets: one button per line.
        with ui.element('div').classes(f'{PLACE["aksi"]} flex flex-wrap md:flex-col md:items-stretch gap-2'):
            _lihat_button(row, on_lihat).classes(f'{theme.TAP} basis-full md:basis-auto')
            actions(row)


def _lihat_button(row: QueueRow, on_lihat: Callable[[QueueRow], Awaitable[None]]) -> ui.button:
    """Show Lihat Data, spinning while the application is read."""

    async def click(event: ClickEventArguments) -> None:
        with busy(event.sender):
            await on_lihat(row)

    button = ui.button('Lihat Data', on_click=click).props('unelevated no-caps no-wrap')
    return button.mark(f'lihat-{row.nomor_pendaftaran}')


def _age(row: QueueRow, at) -> ui.label:
    """Show how many working days the application is old; red past the layanan's SLA."""
    days = working_days_between(row.diajukan_at, at)
    text = f'{days} hari kerja' + (' · lewat SLA' if row.overdue else '')
    label = ui.label(text).classes('text-negative font-semibold' if row.overdue else 'text-gray-600')
    return label.mark('lewat-sla') if row.overdue else label


def pager(page: QueuePage, on_page: Callable[[int], object]) -> None:
    """Show '1–20 dari 325' and buttons to the first, previous, next and last page (44 px each)."""
    pages = max(1, -(-page.total // page.page_size))
    first = (page.page - 1) * page.page_size + 1 if page.total else 0
    last = min(page.total, page.page * page.page_size)
    with ui.row().classes('w-full items-center justify-between gap-2 no-wrap').mark('pager'):
        ui.label(f'{first}–{last} dari {page.total}').classes('text-sm text-gray-600 whitespace-nowrap')
        with ui.row().classes('items-center gap-1 no-wrap'):
            _page_button('first_page', 'Halaman pertama', page.page > 1, lambda: on_page(1))
            _page_button('chevron_left', 'Halaman sebelumnya', page.page > 1, lambda: on_page(page.page - 1))
            ui.label(f'{page.page} / {pages}').classes('text-sm px-1 whitespace-nowrap').mark('halaman')
            _page_button('chevron_right', 'Halaman berikutnya', page.page < pages, lambda: on_page(page.page + 1))
            _page_button('last_page', 'Halaman terakhir', page.page < pages, lambda: on_page(pages))


def _page_button(icon: str, label: str, enabled: bool, handler: Callable[[], object]) -> None:
    button = (
        ui.button(icon=icon, on_click=handler)
        .props(f'flat round aria-label="{label}"')
        .classes('min-w-[44px] min-h-[44px]')
    )
    button.set_enabled(enabled)
    button.mark(label.lower().replace(' ', '-'))
