"""Monitoring for the Camat (and the Sekretaris Camat): the kecamatan's work, live."""

from __future__ import annotations

from nicegui import ui
from starlette.responses import RedirectResponse

from apok_ui import theme
from apok_ui.components.frame import officer_frame
from apok_ui.components.guard import officer_page
from apok_ui.live import Changes, Live
from apok_ui.queries.monitoring import STAGE_ORDER, Monitoring, monitoring
from apok_ui.queries.workspace import Officer
from apok_ui.shared_reads import shared
from models import Peran
from models.akses import OfficerPage

STAGE_LABEL = {r.value: r.label for r in Peran}


async def page() -> RedirectResponse | None:
    """Show the live monitoring of the officer's kecamatan (Camat and Sekcam only)."""
    officer = await officer_page(OfficerPage.MONITORING)
    if not isinstance(officer, Officer):
        return officer
    board = Board(officer)
    with officer_frame(officer, 'Monitoring'):
        with ui.row().classes('w-full items-center justify-between'):
            ui.label(f'Monitoring Kecamatan {officer.kecamatan_nama}').classes('text-xl font-semibold')
            ui.button('Kembali', icon='arrow_back', on_click=lambda: ui.navigate.to('/admin')).props(
                'flat no-caps'
            ).classes(theme.TAP)
        board.progress = ui.linear_progress(show_value=False).props('indeterminate').classes('w-full')
        await board.load()
        board.content()
    Live(officer, board.refresh, toast_new_work=False)
    return None


class Board:
    """One open monitoring page: the latest picture and how to redraw it."""

    def __init__(self, officer: Officer) -> None:
        self.officer = officer
        self.data: Monitoring | None = None
        self.progress: ui.linear_progress | None = None
        self.content = ui.refreshable(self._content)  # per page: a class-level one scans every page's targets

    async def load(self) -> None:
        """Read the picture off the event loop."""
        kecamatan_id = self.officer.kecamatan_id
        self.data = await shared.read(kecamatan_id, ('monitoring',), lambda: monitoring(kecamatan_id))
        if self.progress is not None:
            self.progress.set_visibility(False)

    async def refresh(self, _changes: Changes) -> None:
        """Redraw after any change in the kecamatan."""
        await self.load()
        await self.content.refresh()

    def _content(self) -> None:
        """Draw the numbers."""
        data = self.data
        if data is None:
            return
        with ui.element('div').classes('w-full grid grid-cols-2 sm:grid-cols-4 gap-3'):
            for role in STAGE_ORDER:
                _tile(
                    STAGE_LABEL[role],
                    data.per_stage[role],
                    f'lewat SLA: {data.overdue_per_stage[role]}',
                    marker=f'tahap-{role}',
                )
        with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-3 gap-3'):
            _tile(
                'Lewat SLA',
                data.overdue,
                'menunggu melebihi batas hari kerja',
                marker='lewat-sla',
                danger=data.overdue > 0,
            )
            _tile('Selesai hari ini', data.selesai_today, 'ditandatangani Camat', marker='selesai-hari-ini')
            _tile('Selesai minggu ini', data.selesai_week, 'sejak Senin', marker='selesai-minggu-ini')
        _per_layanan(data)
        _medians(data)


def _tile(title: str, value: int, caption: str, *, marker: str, danger: bool = False) -> None:
    with ui.card().classes('w-full gap-1 p-3'):
        ui.label(title).classes('text-sm text-gray-600')
        ui.label(str(value)).classes(f'text-3xl font-bold {"text-negative" if danger else "text-primary"}').mark(marker)
        ui.label(caption).classes('text-xs text-gray-500')


def _per_layanan(data: Monitoring) -> None:
    with ui.card().classes('w-full p-0 overflow-hidden'):
        ui.label('Menunggu per layanan').classes('text-base font-semibold px-3 pt-3')
        with ui.element('div').classes('w-full overflow-x-auto'), ui.element('table').classes('w-full text-sm'):
            with ui.element('tr').classes('text-left text-gray-600'):
                for title in ('Layanan', *(STAGE_LABEL[r] for r in STAGE_ORDER)):
                    with ui.element('th').classes('px-3 py-2 font-medium'):
                        ui.label(title)
            for name, counts in data.per_layanan:
                with ui.element('tr').classes('border-t'):
                    with ui.element('td').classes('px-3 py-2'):
                        ui.label(name)
                    for role in STAGE_ORDER:
                        with ui.element('td').classes('px-3 py-2 text-right'):
                            ui.label(str(counts[role]))
            if not data.per_layanan:
                with ui.element('tr'), ui.element('td').classes('px-3 py-2 text-gray-500'):
                    ui.label('Tidak ada pengurusan yang menunggu.')


def _lama(hours: float) -> str:
    """Return a duration as Indonesian writes it, with a decimal comma: '3,0 jam', '2,5 hari'."""
    value, unit = (hours, 'jam') if hours < 48 else (hours / 24, 'hari')
    return f'{value:.1f} {unit}'.replace('.', ',')


def _medians(data: Monitoring) -> None:
    with ui.card().classes('w-full gap-2 p-3'):
        ui.label('Waktu median per tahap (30 hari)').classes('text-base font-semibold')
        with ui.element('div').classes('w-full grid grid-cols-2 sm:grid-cols-4 gap-2'):
            for role in STAGE_ORDER:
                hours = data.median_hours.get(role)
                text = '–' if hours is None else _lama(hours)
                with ui.column().classes('gap-0'):
                    ui.label(STAGE_LABEL[role]).classes('text-xs text-gray-600')
                    ui.label(text).classes('text-lg font-medium').mark(f'median-{role}')
