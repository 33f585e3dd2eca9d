"""Administrasi Sistem (superadmin only): the menu at /admin/sistem.

The frame every administration page shares is apok_ui/components/admin_frame.py; who may open them is decided by
the page guard (apok_ui/components/guard.py, asking models.akses) and again by the service behind every button.
"""

from __future__ import annotations

from nicegui import ui
from starlette.responses import RedirectResponse

from apok_ui.components.admin_frame import MENU, admin_frame
from apok_ui.components.guard import officer_page
from apok_ui.queries.workspace import Officer
from models.akses import OfficerPage


async def page() -> RedirectResponse | None:
    """Show the administration menu."""
    officer = await officer_page(OfficerPage.SISTEM)
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
