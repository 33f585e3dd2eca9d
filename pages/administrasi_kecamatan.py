"""Kecamatan & kelurahan (superadmin): names, the code in letter numbers, the kop surat address, kelurahan."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui
from starlette.responses import RedirectResponse

from apok_ui import auth, theme
from apok_ui.components.admin_frame import admin_frame, show_errors
from apok_ui.components.aksi import announce, busy, dialog_buttons, dispose_on_close, perform
from apok_ui.components.guard import officer_page
from apok_ui.components.read_view import ReadView
from apok_ui.queries import admin as queries_admin
from apok_ui.queries.admin import KecamatanRow
from apok_ui.queries.workspace import Officer
from apok_ui.services import administrasi as admin
from models.akses import Kelola

KODE_NOTE = 'Kode dipakai pada Nomor Pendaftaran dan nomor surat baru; nomor yang sudah terbit tidak berubah.'
Refresh = Callable[[], Awaitable[None]]


async def page() -> RedirectResponse | None:
    """Show every kecamatan with its code, address and kelurahan, each editable."""
    officer = await officer_page(Kelola.KECAMATAN)
    if not isinstance(officer, Officer):
        return officer
    with admin_frame(officer, Kelola.KECAMATAN):

        def draw(rows: list[KecamatanRow]) -> None:
            for row in rows:
                _row(officer, row, daftar.show)

        with ui.row().classes('gap-2'):
            ui.button('Tambah Kecamatan', icon='add', on_click=lambda: _form(officer, None, daftar.show)).props(
                'unelevated no-caps'
            ).classes(theme.TAP)
            ui.button(
                'Kop, TTE & nomor surat', icon='draw', on_click=lambda: ui.navigate.to('/admin/sistem/surat')
            ).props('outline no-caps').classes(theme.TAP).mark('ke-surat-digital')
        daftar = ReadView(queries_admin.kecamatan_list, draw)
        await daftar.show()
    return None


def _row(officer: Officer, row: KecamatanRow, refresh: Refresh) -> None:
    with ui.card().classes('w-full p-3 gap-2').props('flat bordered').mark(f'kecamatan-{row.kode}'):
        with ui.row().classes('w-full items-center justify-between gap-2'):
            with ui.column().classes('gap-0 min-w-0'):
                with ui.row().classes('items-center gap-2'):
                    ui.label(f'Kecamatan {row.nama}').classes('font-semibold')
                    ui.badge(row.kode, color='primary').props('outline')
                ui.label(row.alamat or 'Alamat kop surat belum diisi').classes('text-sm text-gray-600')
                ui.label(f'{len(row.kelurahan)} kelurahan · {row.petugas_aktif} petugas aktif').classes('text-sm')
            ui.button('Ubah', icon='edit', on_click=lambda: _form(officer, row, refresh)).props('flat no-caps').classes(
                theme.TAP
            )
        with ui.expansion('Kelurahan').classes('w-full'):
            for kelurahan_id, nama in row.kelurahan:
                with ui.row().classes('w-full items-center justify-between'):
                    ui.label(nama)
                    ui.button(
                        icon='edit', on_click=lambda k=kelurahan_id, n=nama: _kelurahan(officer, row, k, n, refresh)
                    ).props('flat round').classes(theme.TAP)
            ui.button(
                'Tambah Kelurahan', icon='add', on_click=lambda: _kelurahan(officer, row, None, '', refresh)
            ).props('flat no-caps').classes(theme.TAP)


def _form(officer: Officer, row: KecamatanRow | None, refresh: Refresh) -> None:
    client = ui.context.client  # the dialog and its button are gone when the toast comes
    with dispose_on_close(ui.dialog()) as dialog, ui.card().classes('w-full max-w-lg gap-2'):
        ui.label(f'Ubah Kecamatan {row.nama}' if row else 'Tambah Kecamatan').classes('text-lg font-semibold')
        fields = {
            'nama': ui.input('Nama kecamatan', value=row.nama if row else ''),
            'kode': ui.input('Kode (3 huruf)', value=row.kode if row else '').props('maxlength=3'),
            'alamat': ui.textarea('Alamat kantor (kop surat)', value=row.alamat if row else '').props('autogrow'),
        }
        for name, element in fields.items():
            element.props('outlined').classes('w-full').mark(f'isian-{name}')
        ui.label(KODE_NOTE).classes('text-sm text-gray-600')
        simpan = dialog_buttons(dialog, 'Simpan', 'save', 'simpan-kecamatan')

        async def save() -> None:
            for element in fields.values():
                element.error = None
            values = {name: element.value or '' for name, element in fields.items()}
            call, extra = (admin.update_kecamatan, {'kecamatan_id': row.id}) if row else (admin.add_kecamatan, {})
            with busy(simpan):
                _, error = await perform(call, actor=auth.actor(officer), ip=auth.client_ip(), **values, **extra)
            if error:
                show_errors(error, fields)
                return
            dialog.close()
            await refresh()  # what the officer is told next is already in the list
            announce(client, 'Data kecamatan disimpan.')

        simpan.on_click(save)
    dialog.open()


def _kelurahan(officer: Officer, row: KecamatanRow, kelurahan_id: int | None, nama: str, refresh: Refresh) -> None:
    client = ui.context.client  # the dialog and its button are gone when the toast comes
    with dispose_on_close(ui.dialog()) as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(f'Kelurahan di Kecamatan {row.nama}').classes('text-lg font-semibold')
        field = ui.input('Nama kelurahan', value=nama).props('outlined').classes('w-full').mark('isian-kelurahan')
        simpan = dialog_buttons(dialog, 'Simpan', 'save', 'simpan-kelurahan')

        async def save() -> None:
            with busy(simpan):
                _, error = await perform(
                    admin.save_kelurahan,
                    actor=auth.actor(officer),
                    kecamatan_id=row.id,
                    kelurahan_id=kelurahan_id,
                    nama=field.value or '',
                    ip=auth.client_ip(),
                )
            if error:
                show_errors(error, {'nama': field})
                return
            dialog.close()
            await refresh()
            announce(client, 'Kelurahan disimpan.')

        simpan.on_click(save)
    dialog.open()
