"""The officer's workspace (first screen): who is logged in and how much waits in Data Baru."""

from __future__ import annotations

from nicegui import run, ui
from starlette.responses import RedirectResponse

from apok_ui import auth, queries, services, theme
from apok_ui.components.frame import officer_frame
from models import Peran, Tab


def page() -> RedirectResponse | None:
    """Show the logged-in officer's workspace, or send them to the login."""
    officer = auth.current_officer()
    if officer is None:
        return RedirectResponse('/login')
    with officer_frame(officer, 'Beranda Petugas'):
        with ui.card().classes('w-full'):
            ui.label(officer.nama).classes('text-xl font-semibold')
            ui.label(f'NIP {officer.nip}').classes('text-sm text-gray-600')
            ui.label(f'{officer.peran.label} · Kecamatan {officer.kecamatan_nama}').classes('text-sm')
        if officer.peran is not Peran.SUPERADMIN and officer.kecamatan_id is not None:
            counts = queries.tab_counts(officer.kecamatan_id, officer.peran)
            with ui.row().classes('w-full gap-3'):
                for tab in (Tab.DATA_BARU, Tab.IN_PROGRESS, Tab.DATA_SELESAI):
                    with ui.card().classes('flex-1 min-w-[140px] items-center'):
                        ui.label(tab.label).classes('text-sm text-gray-600')
                        ui.label(str(counts[tab])).classes('text-3xl font-bold text-primary').mark(f'count-{tab}')

        async def logout() -> None:
            await run.io_bound(services.record_logout, actor=auth.actor(officer), ip=auth.client_ip())
            auth.sign_out()
            ui.navigate.to('/login')

        ui.button('Keluar', icon='logout', on_click=logout).props('outline').classes(theme.TAP)
    return None
