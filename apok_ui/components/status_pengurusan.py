"""Status Pengurusan: every step so far (tahap, petugas, status, keterangan, waktu), the stages still to come, and a
green Selesai once the Camat approved. A table on tablets and desktops, cards on phones."""

from __future__ import annotations

from nicegui import ui

from apok_ui.components.status_chip import LANGKAH, langkah_chip
from apok_ui.queries.detail import Detail, Langkah
from models import Aksi, Peran
from models import workflow as wf
from models.waktu import format_waktu

ROW = (
    'grid grid-cols-[minmax(0,1fr)_auto] md:grid-cols-[minmax(0,0.9fr)_minmax(0,1.5fr)_6.5rem_minmax(0,1.3fr)_8rem]'
    ' gap-x-3 gap-y-1 w-full px-3 py-2 border-b border-gray-200 items-start'
)
HEADER = (
    ROW.replace('grid grid-cols', 'grid max-md:hidden grid-cols') + ' text-xs font-semibold text-gray-600 bg-gray-50'
)
SPAN = 'col-span-2 md:col-span-1 min-w-0'


def status_pengurusan(d: Detail) -> None:
    """Show the application's Status Pengurusan table."""
    if d.status in wf.TERBIT:
        _selesai(d)
    with ui.element('div').classes('w-full rounded-lg border border-gray-200 overflow-hidden').props('role=table'):
        with ui.element('div').classes(HEADER).props('role=row'):
            for title in ('Tahap', 'Petugas', 'Status', 'Keterangan', 'Waktu (WIB)'):
                ui.label(title).props('role=columnheader')
        for langkah in d.riwayat:
            _langkah(langkah)
        for tahap in _waiting_stages(d):
            _menunggu(tahap, d.tahapan[tahap])


def _selesai(d: Detail) -> None:
    with ui.row().classes('w-full items-center gap-2 rounded-lg bg-green-100 text-green-900 px-3 py-2').mark('selesai'):
        ui.icon('check_circle', color='positive').classes('text-2xl')
        with ui.column().classes('gap-0 min-w-0'):
            ui.label('Selesai').classes('font-bold text-positive')
            if d.nomor_surat:
                ui.label(f'Nomor surat {d.nomor_surat}').classes('text-sm break-words')


def _waiting_stages(d: Detail) -> list[int]:
    """Return the stages the application still has to pass, the current one first."""
    if d.status not in wf.IN_CHAIN:
        return []
    return list(range(d.tahap, len(d.tahapan)))


def _tahap(tahap: int | None, peran: str | None, aksi: Aksi | None = None) -> str:
    """Return the step's name: its stage in the chain, else what happened (Pengajuan, Cetak, …), else who acted."""
    if peran is not None and tahap is not None:
        return f'Tahap {tahap + 1} · {Peran(peran).label}'
    return (LANGKAH[aksi].nama if aksi else '') or (Peran(peran).label if peran else 'Pemohon')


def _langkah(langkah: Langkah) -> None:
    with ui.element('div').classes(ROW).props('role=row').mark(f'riwayat riwayat-{langkah.aksi}'):
        ui.label(_tahap(langkah.tahap, langkah.peran, Aksi(langkah.aksi))).classes(
            'font-medium min-w-0 md:order-1'
        ).props('role=cell')
        with ui.element('div').classes('md:order-3').props('role=cell'):
            langkah_chip(Aksi(langkah.aksi))
        with ui.element('div').classes(SPAN + ' md:order-2').props('role=cell'):
            if langkah.petugas_nama:
                ui.label(langkah.petugas_nama).classes('text-sm')
                ui.label(f'NIP {langkah.petugas_nip}').classes('text-xs text-gray-600 break-words')
            else:
                ui.label('Pemohon' if langkah.peran is None else '—').classes('text-sm')
        with ui.element('div').classes(SPAN + ' text-sm md:order-4').props('role=cell'):
            if langkah.keterangan:
                ui.label(langkah.keterangan).classes('break-words whitespace-pre-line')
            for change in langkah.perubahan:
                ui.label(f'{change["label"]}: {change["old"] or "—"} → {change["new"] or "—"}').classes(
                    'text-xs break-words'
                ).mark('perubahan')
        ui.label(f'{format_waktu(langkah.waktu)} WIB').classes(SPAN + ' text-xs text-gray-600 md:order-5').props(
            'role=cell'
        )


def _menunggu(tahap: int, peran: str) -> None:
    with ui.element('div').classes(ROW + ' bg-gray-50').props('role=row').mark('riwayat riwayat-menunggu'):
        ui.label(_tahap(tahap, peran)).classes('font-medium min-w-0 md:order-1').props('role=cell')
        with ui.element('div').classes('md:order-3').props('role=cell'):
            langkah_chip(None)
        ui.label('—').classes(SPAN + ' text-sm text-gray-500 md:order-2').props('role=cell')
