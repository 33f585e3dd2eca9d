"""The frame around every officer page: header with APOK, the officer's name, role and kecamatan (one row, however
long the name), and for the administrator the way between Administrasi Sistem and their own Profil."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

from apok_ui import theme
from apok_ui.queries.workspace import Officer
from models import Peran


@contextmanager
def officer_frame(officer: Officer, title: str = 'APOK') -> Iterator[ui.column]:
    """Lay out the header for an officer and yield the page's main column."""
    theme.apply()
    ui.page_title(f'{title} · APOK')
    with ui.header().classes('items-center justify-between no-wrap px-3 py-1 gap-2 bg-primary'):
        with ui.row().classes('items-center gap-2 no-wrap shrink-0'):
            ui.icon('account_balance').classes('text-2xl')
            with ui.column().classes('gap-0'):
                ui.label('APOK').classes('text-lg font-bold leading-tight')
                ui.label(_where(officer)).classes('text-xs opacity-90 whitespace-nowrap').mark('header-wilayah')
        # The name gives way (cut with …, whole in its tooltip), never the role beneath it or the row.
        with ui.column().classes('gap-0 items-end min-w-0 flex-1 text-right').mark('header-petugas'):
            ui.label(officer.nama).classes('text-sm font-medium truncate max-w-full').tooltip(officer.nama)
            ui.label(officer.peran.label).classes('text-xs opacity-90 truncate max-w-full')
        if officer.peran is Peran.SUPERADMIN:
            _header_link('admin_panel_settings', 'Administrasi Sistem', '/admin/sistem', 'ke-sistem')
            _header_link('account_circle', 'Profil Petugas', '/admin/profil', 'ke-profil')
    with ui.column().classes(theme.PAGE) as main:
        yield main


def _where(officer: Officer) -> str:
    """Return the header's second line: the officer's kecamatan, or the city for the administrator."""
    if officer.peran is Peran.SUPERADMIN or officer.kecamatan_id is None:
        return 'Administrasi Sistem · Kota Batam'
    return f'Kecamatan {officer.kecamatan_nama}'


def _header_link(icon: str, label: str, href: str, marker: str) -> None:
    ui.button(icon=icon, on_click=lambda: ui.navigate.to(href)).props(
        f'flat round color=white aria-label="{label}"'
    ).classes('min-w-[44px] min-h-[44px] shrink-0').tooltip(label).mark(marker)


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
