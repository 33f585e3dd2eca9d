"""The frame every Administrasi Sistem page shares: header, the way back, and the menu of its areas.

Who may open these pages is decided by the page guard (apok_ui/components/guard.py, asking models.akses) when a
page is built, and again by the service behind every button; hiding a button is never the check.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

from apok_ui import theme
from apok_ui.components.aksi import tell
from apok_ui.components.frame import officer_frame
from apok_ui.queries.workspace import Officer
from apok_ui.services import Invalid, ServiceError
from models.akses import Kelola

MENU = {
    Kelola.PETUGAS: ('/admin/sistem/petugas', 'badge', 'Tambah, ubah, nonaktifkan petugas dan reset password.'),
    Kelola.LAYANAN: ('/admin/sistem/layanan', 'description', 'Persyaratan, isian, tahapan, SLA dan template.'),
    Kelola.KECAMATAN: ('/admin/sistem/kecamatan', 'location_city', 'Nama, kode surat, alamat kop dan kelurahan.'),
    Kelola.AUDIT: ('/admin/sistem/audit', 'policy', 'Login, perubahan data dan akses data pribadi.'),
    Kelola.PESAN: ('/admin/sistem/pesan', 'outgoing_mail', 'Antrean WhatsApp dan email: terkirim, gagal, kirim ulang.'),
}


@contextmanager
def admin_frame(officer: Officer, kelola: Kelola | None) -> Iterator[ui.column]:
    """Lay out an administration page: header and menu (apok_ui/session_guard.py ends it with its session)."""
    title = kelola.label if kelola else 'Administrasi Sistem'
    with officer_frame(officer, title) as main:
        with ui.row().classes('w-full items-center gap-1'):
            ui.button(icon='home', on_click=lambda: ui.navigate.to('/admin')).props(
                'flat round aria-label="Beranda"'
            ).classes(theme.TAP)
            ui.link('Administrasi Sistem', '/admin/sistem').classes(f'text-sm {theme.LINK}')
            if kelola:
                ui.label('›').classes('text-gray-500')
                ui.label(kelola.label).classes('text-sm font-medium')
        if kelola is None:
            ui.label('Administrasi Sistem').classes('text-2xl font-semibold')
        else:
            with ui.row().classes('w-full gap-2'):
                for other, (href, icon, _) in MENU.items():
                    ui.button(other.label, icon=icon, on_click=lambda h=href: ui.navigate.to(h)).props(
                        f'no-caps {"unelevated" if other is kelola else "outline"}'
                    ).classes(theme.TAP)
        yield main


def show_errors(error: ServiceError, fields: dict[str, ui.element]) -> None:
    """Show a refusal, and each field's own message beside that field."""
    if isinstance(error, Invalid):
        for name, message in error.errors.items():
            if name in fields:
                fields[name].error = message
    tell(error)
