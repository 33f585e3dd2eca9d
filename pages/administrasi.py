"""Administrasi Sistem (superadmin only): the menu at /admin/sistem and the frame every administration page shares.

Access is decided on the server when a page is built (services.administrasi.authorize asks models.akses and audits
a refusal) and again by the service behind every button; hiding a button is never the check.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui
from starlette.responses import RedirectResponse

from apok_ui import auth, theme
from apok_ui.components.aksi import perform, tell
from apok_ui.components.frame import officer_frame
from apok_ui.queries.workspace import Officer
from apok_ui.services import Invalid, ServiceError
from apok_ui.services import administrasi as admin
from models.akses import Kelola

MENU = {
    Kelola.PETUGAS: ('/admin/sistem/petugas', 'badge', 'Tambah, ubah, nonaktifkan petugas dan reset password.'),
    Kelola.LAYANAN: ('/admin/sistem/layanan', 'description', 'Persyaratan, isian, tahapan, SLA dan template.'),
    Kelola.KECAMATAN: ('/admin/sistem/kecamatan', 'location_city', 'Nama, kode surat, alamat kop dan kelurahan.'),
    Kelola.AUDIT: ('/admin/sistem/audit', 'policy', 'Login, perubahan data dan akses data pribadi.'),
}


def page() -> RedirectResponse | None:
    """Show the administration menu."""
    officer = open_as_admin(Kelola.PETUGAS)
    if not isinstance(officer, Officer):
        return officer
    with admin_frame(officer, None), ui.grid().classes('w-full grid-cols-1 sm:grid-cols-2 gap-3'):
        for kelola, (href, icon, text) in MENU.items():
            with (
                ui.link(target=href).classes('no-underline text-inherit').mark(f'menu-{kelola}'),
                ui.card().classes('w-full h-full hover:shadow-md').props('flat bordered'),
                ui.row().classes('items-center gap-3 no-wrap'),
            ):
                ui.icon(icon).classes('text-3xl text-primary')
                with ui.column().classes('gap-0'):
                    ui.label(kelola.label).classes('text-lg font-semibold')
                    ui.label(text).classes('text-sm text-gray-600')
    return None


def open_as_admin(kelola: Kelola) -> Officer | RedirectResponse | None:
    """Return the administrator building this page; otherwise send them to the login or show the refusal (None)."""
    officer = auth.current_officer()
    if officer is None:
        return auth.to_login()
    try:
        admin.authorize(actor=auth.actor(officer), kelola=kelola, ip=auth.client_ip())
    except ServiceError as refused:
        _refusal(officer, str(refused))
        return None
    return officer


@contextmanager
def admin_frame(officer: Officer, kelola: Kelola | None) -> Iterator[ui.column]:
    """Lay out an administration page: header and menu (apok_ui/session_guard.py ends it with its session)."""
    title = kelola.label if kelola else 'Administrasi Sistem'
    with officer_frame(officer, title) as main:
        with ui.row().classes('w-full items-center gap-1'):
            ui.button(icon='home', on_click=lambda: ui.navigate.to('/admin')).props('flat round').classes(theme.TAP)
            ui.link('Administrasi Sistem', '/admin/sistem').classes('text-sm')
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


async def guarded(kelola: Kelola, officer: Officer) -> bool:
    """Re-check the administrator before a read on an open page (their session may have ended since)."""
    _, refused = await perform(admin.authorize, actor=auth.actor(officer), kelola=kelola)
    if refused:
        ui.notify(str(refused), type='negative', multi_line=True)
        return False
    return True


def show_errors(error: ServiceError, fields: dict[str, ui.element]) -> None:
    """Show a refusal, and each field's own message beside that field."""
    if isinstance(error, Invalid):
        for name, message in error.errors.items():
            if name in fields:
                fields[name].error = message
    tell(error)


def _refusal(officer: Officer, message: str) -> None:
    with officer_frame(officer, 'Akses ditolak'), ui.card().classes('w-full items-start gap-3').mark('akses-ditolak'):
        with ui.row().classes('items-center gap-2 no-wrap'):
            ui.icon('block').classes('text-3xl text-negative')
            ui.label(message).classes('text-lg')
        ui.button('Kembali ke Beranda', icon='home', on_click=lambda: ui.navigate.to('/admin')).classes(theme.TAP)
