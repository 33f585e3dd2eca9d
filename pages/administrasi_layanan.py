"""Layanan (superadmin): the list, and per layanan where it is open; the editor is administrasi_layanan_form."""

from __future__ import annotations

from nicegui import ui
from starlette.responses import RedirectResponse

from apok_ui import auth, theme
from apok_ui.components.aksi import perform, tell
from apok_ui.queries import admin as queries_admin
from apok_ui.queries.workspace import Officer
from apok_ui.services import administrasi as admin
from models import Peran
from models.akses import Kelola
from pages.administrasi import admin_frame, open_as_admin


def page() -> RedirectResponse | None:
    """Show every layanan with its stages, SLA and status; each opens the editor."""
    officer = open_as_admin(Kelola.LAYANAN)
    if not isinstance(officer, Officer):
        return officer
    with admin_frame(officer, Kelola.LAYANAN):
        with ui.row().classes('w-full items-center justify-between'):
            ui.label('Jenis pengurusan yang dapat diajukan warga.').classes('text-sm text-gray-600')
            ui.button(
                'Tambah Layanan', icon='add', on_click=lambda: ui.navigate.to('/admin/sistem/layanan/baru')
            ).props('unelevated no-caps').classes(theme.TAP)
        for row in queries_admin.layanan_list():
            _row(row)
    return None


def _row(row: queries_admin.LayananRow) -> None:
    href = f'/admin/sistem/layanan/{row.id}'
    card = ui.card().classes('w-full p-3').props('flat bordered').mark(f'layanan-{row.kode}')
    with card, ui.row().classes('w-full items-center justify-between gap-2'):
        with ui.column().classes('gap-0 min-w-0'):
            with ui.row().classes('items-center gap-2'):
                ui.label(row.nama).classes('font-semibold')
                ui.badge(row.kode, color='primary').props('outline')
                if not row.aktif:
                    ui.badge('Nonaktif', color='grey-7')
                if row.kecamatan_tutup:
                    ui.badge(f'Ditutup di {row.kecamatan_tutup} kecamatan', color='warning')
            stages = ' → '.join(Peran(r).label for r in row.tahapan)
            ui.label(f'Tahapan: {stages} · SLA {row.sla_hari_kerja} hari kerja').classes('text-sm text-gray-600')
        ui.button('Ubah', icon='edit', on_click=lambda: ui.navigate.to(href)).props('flat no-caps').classes(theme.TAP)


def kecamatan_switches(officer: Officer, layanan_id: int) -> None:
    """Show one switch per kecamatan; each change is saved at once (new submissions only)."""
    names = queries_admin.kecamatan_options()

    @ui.refreshable
    def switches() -> None:
        state = queries_admin.layanan_kecamatan(layanan_id)
        with ui.grid().classes('w-full grid-cols-1 sm:grid-cols-2 md:grid-cols-3 gap-1'):
            for kecamatan_id, nama in names.items():
                ui.switch(
                    nama, value=state.get(kecamatan_id, True), on_change=lambda e, k=kecamatan_id: change(k, e.value)
                ).classes(theme.TAP).mark(f'buka-{nama}')

    async def change(kecamatan_id: int, aktif: bool) -> None:
        _, error = await perform(
            admin.set_layanan_kecamatan,
            actor=auth.actor(officer),
            layanan_id=layanan_id,
            kecamatan_id=kecamatan_id,
            aktif=aktif,
            ip=auth.client_ip(),
        )
        if error:
            tell(error)
            await switches.refresh()
            return
        ui.notify(f'{"Dibuka" if aktif else "Ditutup"} di {names[kecamatan_id]}.', type='positive')

    with ui.card().classes('w-full gap-2').props('flat bordered'):
        ui.label('Dibuka di kecamatan').classes('text-base font-semibold')
        ui.label('Menutup layanan hanya menolak pengajuan baru; pengurusan yang berjalan tetap diproses.').classes(
            'text-sm text-gray-600'
        )
        switches()
