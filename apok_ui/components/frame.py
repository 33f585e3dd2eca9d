"""The frame around every officer page: header with APOK, the officer's name, role and kecamatan."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

from apok_ui import theme
from apok_ui.queries.workspace import Officer


@contextmanager
def officer_frame(officer: Officer, title: str = 'APOK') -> Iterator[ui.column]:
    """Lay out the header for an officer and yield the page's main column."""
    theme.apply()
    ui.page_title(f'{title} · APOK')
    with ui.header().classes('items-center justify-between px-3 py-2 gap-2 bg-primary'):
        with ui.row().classes('items-center gap-2 no-wrap min-w-0'):
            ui.icon('account_balance').classes('text-2xl')
            with ui.column().classes('gap-0 min-w-0'):
                ui.label('APOK').classes('text-lg font-bold leading-tight')
                ui.label(f'Kecamatan {officer.kecamatan_nama}').classes('text-xs opacity-90 truncate')
        with ui.column().classes('gap-0 items-end min-w-0'):
            ui.label(officer.nama).classes('text-sm font-medium truncate max-w-[50vw]')
            ui.label(officer.peran.label).classes('text-xs opacity-90')
    with ui.column().classes(theme.PAGE) as main:
        yield main


@contextmanager
def public_frame(title: str) -> Iterator[ui.column]:
    """Lay out the header of a public (citizen) page and yield its main column."""
    theme.apply()
    ui.page_title(f'{title} · APOK')
    with ui.header().classes('items-center px-3 py-2 gap-2 bg-primary'):
        ui.icon('account_balance').classes('text-2xl')
        with ui.column().classes('gap-0'):
            ui.label('APOK').classes('text-lg font-bold leading-tight')
            ui.label('Aplikasi Pelayanan Online Kecamatan · Kota Batam').classes('text-xs opacity-90')
    with ui.column().classes(theme.PAGE) as main:
        yield main
