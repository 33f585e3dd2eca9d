"""/admin: the officer's workspace (apok_ui/components/workspace.py), behind the one page guard."""

from __future__ import annotations

from nicegui import ui
from starlette.responses import RedirectResponse

from apok_ui.components.guard import officer_page
from apok_ui.components.workspace import Workspace, show
from apok_ui.ids import parse_id
from apok_ui.queries.workspace import Officer
from models.akses import OfficerPage


async def page(tab: str = 'baru', layanan: str = '', lihat: str = '', password: str = '') -> RedirectResponse | None:
    """Show the logged-in officer's workspace, or send them to the login (or to Ganti Password first)."""
    officer = await officer_page(OfficerPage.WORKSPACE)
    if not isinstance(officer, Officer):
        return officer
    workspace = await show(officer, tab=tab, layanan=layanan.upper())
    if password == 'diganti':
        ui.notify('Password berhasil diganti.', type='positive')
        ui.context.client.on_connect(lambda: ui.navigate.history.replace('/admin'))  # a reload says it no more
    if lihat:
        await _open_asked(workspace, lihat)
    return None


async def _open_asked(workspace: Workspace, lihat: str) -> None:
    """Open Lihat Data for the application an address asks for (?lihat=ID); any odd id is simply not found."""
    pengurusan_id = parse_id(lihat)
    if pengurusan_id is None:
        ui.notify('Pengurusan tidak ditemukan.', type='negative')
        return
    await workspace.open_lihat(pengurusan_id)
