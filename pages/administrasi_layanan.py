"""Layanan (superadmin): the list of layanan; the editor (and where each is open) is administrasi_layanan_form."""

from __future__ import annotations

from nicegui import run, ui
from starlette.responses import RedirectResponse

from apok_ui import theme
from apok_ui.components.admin_frame import admin_frame
from apok_ui.components.guard import officer_page
from apok_ui.queries import admin as queries_admin
from apok_ui.queries.workspace import Officer
from models import Peran
from models.akses import Kelola


async def page() -> RedirectResponse | None:
    """Show every layanan with its stages, SLA and status; each opens the editor."""
    officer = await officer_page(Kelola.LAYANAN)
    if not isinstance(officer, Officer):
        return officer
    rows = await run.io_bound(queries_admin.layanan_list)
    with admin_frame(officer, Kelola.LAYANAN):
        with ui.row().classes('w-full items-center justify-between'):
            ui.label('Jenis pengurusan yang dapat diajukan warga.').classes('text-sm text-gray-600')
            ui.button(
                'Tambah Layanan', icon='add', on_click=lambda: ui.navigate.to('/admin/sistem/layanan/baru')
            ).props('unelevated no-caps').classes(theme.TAP)
        for row in rows:
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
