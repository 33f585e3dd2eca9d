"""Pesan (superadmin): the message queue — how each channel stands, how many wait, went and failed, the server's
answer for a failed one, and Kirim ulang / Batalkan."""

from __future__ import annotations

from nicegui import ui
from starlette.responses import RedirectResponse

from apok_ui import auth, theme
from apok_ui.components.admin_frame import admin_frame
from apok_ui.components.aksi import announce, busy, perform, tell
from apok_ui.components.guard import officer_page, still_allowed
from apok_ui.components.read_view import ReadView
from apok_ui.notifikasi import keadaan
from apok_ui.queries import pesan as queries
from apok_ui.queries.admin import Halaman
from apok_ui.queries.pesan import PesanRow
from apok_ui.queries.workspace import Officer
from apok_ui.services import pesan as services
from models.akses import Kelola
from models.kabar import StatusPesan
from models.waktu import format_waktu

SEMUA = 'semua'
WARNA = {
    StatusPesan.MENUNGGU: 'text-warning',
    StatusPesan.TERKIRIM: 'text-positive',
    StatusPesan.GAGAL: 'text-negative',
    StatusPesan.DIBATALKAN: 'text-gray-600',
}


def read_view(status: StatusPesan | None, page: int) -> tuple[dict[StatusPesan, int], Halaman[PesanRow]]:
    """Return the counts and one page of the list (two reads; call it in a worker)."""
    return queries.counts(), queries.pesan_list(status, page=page)


async def page() -> RedirectResponse | None:
    """Show the channels' state, the counts, and the queue with its filter, newest first."""
    officer = await officer_page(Kelola.PESAN)
    if not isinstance(officer, Officer):
        return officer
    state: dict = {'status': None, 'page': 1}
    with admin_frame(officer, Kelola.PESAN):
        with ui.column().classes('w-full gap-1').mark('kanal'):
            for ok, line in keadaan.lines():
                with ui.row().classes('items-start gap-2 no-wrap'):
                    ui.icon('check_circle' if ok else 'error_outline').classes(
                        f'text-xl {"text-positive" if ok else "text-warning"}'
                    )
                    ui.label(line).classes('text-sm break-words min-w-0')
        ui.button(
            'Templat Pesan', icon='edit_note', on_click=lambda: ui.navigate.to('/admin/sistem/pesan/templat')
        ).props('outline no-caps').classes(f'{theme.TAP} self-start').mark('templat-pesan')
        with ui.row().classes('w-full items-center gap-2 no-wrap'):
            ui.select(
                {SEMUA: 'Semua status', **{s.value: s.label for s in StatusPesan}},
                label='Status',
                value=SEMUA,
                on_change=lambda e: choose(e.value),
            ).props('outlined').classes('grow sm:grow-0 sm:w-60').mark('saring-status')
            ui.button(icon='refresh', on_click=lambda: reload()).props('flat round').classes(theme.TAP).tooltip(
                'Muat ulang'
            ).mark('muat-ulang')

        def draw(answer: tuple[dict[StatusPesan, int], Halaman[PesanRow]]) -> None:
            jumlah, halaman = answer
            with ui.row().classes('w-full gap-x-4 gap-y-1 flex-wrap').mark('jumlah-pesan'):
                for status, count in jumlah.items():
                    ui.label(f'{status.label}: {count}').classes(f'text-sm font-medium {WARNA[status]}')
            if not halaman.rows:
                ui.label('Belum ada pesan.').classes('text-gray-600')
            with ui.column().classes('w-full gap-2'):
                for row in halaman.rows:
                    _card(row, act)
            pages = max(1, -(-halaman.total // halaman.page_size))
            if pages > 1:
                ui.pagination(1, pages, direction_links=True, value=halaman.page, on_change=lambda e: go(e.value))

        async def reload() -> None:
            if await still_allowed(Kelola.PESAN, officer):
                await daftar.show()

        async def choose(value: str) -> None:
            state['status'], state['page'] = (None if value == SEMUA else StatusPesan(value)), 1
            await reload()

        async def go(value: int) -> None:
            state['page'] = value
            await reload()

        async def act(button: ui.button, call, pesan_id: int, done: str) -> None:
            client = ui.context.client
            with busy(button):
                _, refused = await perform(call, actor=auth.actor(officer), pesan_id=pesan_id, ip=auth.client_ip())
            if refused:
                tell(refused)
            else:
                announce(client, done)
            await reload()

        daftar = ReadView(lambda: read_view(state['status'], state['page']), draw)
        await daftar.show()
    return None


def _card(row: PesanRow, act) -> None:
    with ui.card().classes('w-full px-3 py-2 gap-1').props('flat bordered').mark(f'pesan-{row.id}'):
        with ui.row().classes('w-full items-center justify-between gap-2'):
            ui.label(f'{row.jenis} · {row.kanal.label}').classes('font-medium break-words min-w-0')
            ui.label(row.status.label).classes(f'text-sm font-semibold {WARNA[row.status]}').mark(f'status-{row.id}')
        when = f'dibuat {format_waktu(row.dibuat_at)}'
        if row.terkirim_at:
            when += f' · terkirim {format_waktu(row.terkirim_at)}'
        elif row.status is StatusPesan.MENUNGGU and row.percobaan:
            when += f' · dicoba lagi {format_waktu(row.berikutnya)}'
        ui.label(f'{row.tujuan} · {when} · {row.percobaan} kali dicoba').classes('text-sm text-gray-600 break-words')
        if row.jawaban and row.status is not StatusPesan.TERKIRIM:
            ui.label(f'Jawaban server: {row.jawaban}').classes('text-sm break-all').mark(f'jawaban-{row.id}')
        buttons = []
        if services.may_resend(row.status):
            buttons.append(('Kirim ulang', 'send', services.resend_pesan, 'Pesan diantrekan untuk dikirim ulang.'))
        if services.may_cancel(row.status):
            buttons.append(('Batalkan', 'cancel', services.cancel_pesan, 'Pesan dibatalkan.'))
        if buttons:
            with ui.row().classes('gap-2'):
                for label, icon, call, done in buttons:
                    button = ui.button(label, icon=icon).props('outline no-caps').classes(theme.TAP)
                    button.on_click(lambda b=button, c=call, d=done: act(b, c, row.id, d))
                    button.mark(f'{icon}-{row.id}')
