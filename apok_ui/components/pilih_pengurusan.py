"""Pilih Pengurusan: 'Semua' and every layanan with a count badge; one row that scrolls sideways inside itself."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from apok_ui.queries import LayananInfo

CHIP = 'min-h-[44px] shrink-0 rounded-full px-3'
BADGE = 'ml-2 rounded-full px-2 text-xs font-medium leading-5'


def pilih_pengurusan(
    layanan: list[LayananInfo],
    counts: dict[int, int],
    selected: int | None,
    on_select: Callable[[int | None], object],
) -> None:
    """Show the layanan choices; active layanan always, inactive ones only while they still hold applications."""
    shown = [item for item in layanan if item.aktif or counts.get(item.id)]
    with ui.column().classes('w-full gap-1'):
        ui.label('Pilih Pengurusan').classes('text-sm font-semibold text-gray-700')
        with (
            ui.row()
            .classes('w-full gap-2 no-wrap lg:flex-wrap overflow-x-auto pb-1')
            .props('role=tablist aria-label="Pilih Pengurusan"')
        ):
            _chip('Semua', sum(counts.values()), selected is None, lambda: on_select(None), 'layanan-semua')
            for item in shown:
                _chip(
                    item.nama,
                    counts.get(item.id, 0),
                    selected == item.id,
                    lambda i=item.id: on_select(i),
                    f'layanan-{item.kode}',
                )


def _chip(label: str, count: int, active: bool, handler: Callable[[], object], marker: str) -> None:
    """Show one choice as a rounded button with its count."""
    look = 'unelevated color=primary' if active else 'outline color=primary'
    button = ui.button(label, on_click=handler).props(f'{look} no-caps aria-pressed={str(active).lower()}')
    with button.classes(CHIP + ' whitespace-nowrap').mark(marker):
        look = 'bg-white text-primary' if active else 'bg-primary text-white'
        ui.label(str(count)).classes(f'{BADGE} {look}')
