"""Beranda (/): what the kecamatan offers online, with requirements and how long it takes; Ajukan and Lacak."""

from __future__ import annotations

from nicegui import run, ui

from apok_ui import theme
from apok_ui.berkas import jenis_text
from apok_ui.components.frame import public_frame
from apok_ui.queries import publik as queries_publik
from apok_ui.queries.publik import LayananPublik

LANGKAH = (
    'Pilih layanan dan siapkan berkasnya (foto yang jelas atau PDF).',
    'Isi data sesuai KTP, unggah berkas, lalu kirim.',
    'Simpan Nomor Pendaftaran untuk melacak permohonan.',
    'Setelah selesai, ambil surat di kantor camat dengan membawa KTP asli.',
)


async def page() -> None:
    """Show the open layanan and the ways in."""
    layanan = await run.io_bound(queries_publik.layanan_aktif)
    with public_frame('Beranda'):
        with ui.card().classes('w-full gap-3 p-4 bg-blue-50'):
            ui.label('Layanan Online Kecamatan').classes('text-xl font-semibold text-primary leading-tight')
            ui.label('Ajukan surat keterangan dan kartu dari kantor camat di Kota Batam tanpa antre.').classes(
                'text-sm'
            )
            with ui.column().classes('gap-1'):
                for number, langkah in enumerate(LANGKAH, start=1):
                    with ui.row().classes('no-wrap items-start gap-2'):
                        ui.label(f'{number}.').classes('text-sm font-semibold w-4 shrink-0')
                        ui.label(langkah).classes('text-sm')
            ui.button('Lacak Permohonan', icon='travel_explore', on_click=lambda: ui.navigate.to('/lacak')).props(
                'outline'
            ).classes(f'w-full sm:w-auto bg-white {theme.TAP}').mark('lacak')
        ui.label('Pilih Layanan').classes('text-lg font-semibold mt-2')
        if not layanan:
            ui.label('Saat ini belum ada layanan yang dibuka.').classes('text-gray-600')
        with ui.element('div').classes('w-full grid grid-cols-1 md:grid-cols-2 gap-4'):
            for item in layanan:
                _kartu(item)


def _kartu(item: LayananPublik) -> None:
    with ui.card().classes('w-full gap-2 p-4').mark(f'layanan-{item.kode}'):
        ui.label(item.nama).classes('text-base font-semibold leading-tight')
        if item.deskripsi:
            ui.label(item.deskripsi).classes('text-sm text-gray-700')
        with ui.row().classes('items-center gap-1 text-sm text-gray-700'):
            ui.icon('schedule', size='18px', color='primary')
            ui.label(f'Selesai ± {item.sla_hari_kerja} hari kerja')
        ui.label('Persyaratan:').classes('text-sm font-medium')
        with ui.column().classes('gap-1 pl-1'):
            for syarat in item.persyaratan:
                with ui.row().classes('no-wrap items-start gap-2'):
                    ui.icon('description', size='18px', color='grey-7').classes('mt-[1px] shrink-0')
                    with ui.column().classes('gap-0 min-w-0'):
                        ui.label(syarat.label + ('' if syarat.wajib else ' (opsional)')).classes('text-sm')
                        ui.label(jenis_text(syarat.jenis)).classes('text-xs text-gray-500')
        ui.space()
        target = f'/ajukan/{item.kode}'
        ui.button('Ajukan', icon='edit_document', on_click=lambda: ui.navigate.to(target)).classes(
            f'w-full {theme.TAP}'
        ).mark(f'ajukan-{item.kode}')
