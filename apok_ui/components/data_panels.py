"""The first three tabs of Lihat Data: Data Pemohon, Data Pengurusan and Berkas Persyaratan."""

from __future__ import annotations

from datetime import date

from nicegui import ui

from apok_ui.berkas import display_name
from apok_ui.components.status_chip import status_chip
from apok_ui.queries.detail import BerkasItem, Detail
from models import workflow as wf
from models.kabar import kabar_label
from models.permohonan import format_isian
from models.waktu import format_tanggal, format_waktu, now, working_days_between

FIELDS = 'grid grid-cols-1 sm:grid-cols-[11rem_minmax(0,1fr)] gap-x-4 gap-y-0 sm:gap-y-2 w-full'


def field(label: str, value: object) -> None:
    """Show one label and its value (the value always as text, never as markup)."""
    ui.label(label).classes('text-xs sm:text-sm text-gray-600 pt-2 sm:pt-0')
    ui.label(str(value) if value not in (None, '') else '—').classes('break-words font-medium')


def data_pemohon(d: Detail) -> None:
    """Show the applicant's data as they submitted it (or as the Admin revised it)."""
    p = d.pemohon
    born = p['tanggal_lahir']
    with ui.element('div').classes(FIELDS).mark('data-pemohon'):
        field('NIK', p['nik'])
        field('Nama', p['nama'])
        field(
            'Tempat, tanggal lahir', f'{p["tempat_lahir"]}, {format_tanggal(born) if isinstance(born, date) else born}'
        )
        field('Jenis kelamin', p['jenis_kelamin'])
        field('Agama', p['agama'])
        field('Pekerjaan', p['pekerjaan'])
        field('Status perkawinan', p['status_perkawinan'])
        field('Alamat', f'{p["alamat"]}, RT {p["rt"]} / RW {p["rw"]}')
        field('Kelurahan', d.kelurahan_nama)
        field('Kecamatan', d.kecamatan_nama)
        field('No HP', p['no_hp'])
        field('Email', p['email'])
        field('Dikabari lewat', kabar_label(d.kabar_kanal))


def data_pengurusan(d: Detail) -> None:
    """Show the application itself: layanan, number, dates, where it stands, the extra fields, the letter."""
    with ui.element('div').classes(FIELDS).mark('data-pengurusan'):
        field('Jenis pengurusan', d.layanan_nama)
        field('Nomor Pendaftaran', d.nomor_pendaftaran)
        field('Tanggal pengajuan', f'{format_waktu(d.diajukan_at)} WIB')
        ui.label('Status').classes('text-xs sm:text-sm text-gray-600 pt-2 sm:pt-0')
        with ui.row().classes('items-center gap-2'):
            waiting = d.posisi.waiting_role
            status_chip(d.status, waiting.value if waiting else None)
        field('Umur pengurusan', umur(d))
        for item in d.isian_spec:
            field(item['label'], format_isian(item, d.isian.get(item['kode'])))
        if d.nomor_surat:
            field('Nomor surat', d.nomor_surat)
            field('Selesai pada', f'{format_waktu(d.selesai_at)} WIB' if d.selesai_at else '')
        if d.jumlah_cetak:
            field('Dicetak', f'{d.jumlah_cetak} kali, terakhir {format_waktu(d.dicetak_at)} WIB')
        if d.diserahkan_at:
            hubungan = f' ({d.penerima_hubungan})' if d.penerima_hubungan else ''
            field('Diserahkan', f'{d.penerima_nama}{hubungan}, {format_waktu(d.diserahkan_at)} WIB')


def umur(d: Detail) -> str:
    """Return how old the application is in working days against its SLA, and whether it is past it."""
    at = now()
    days = working_days_between(d.diajukan_at, at)
    text = f'{days} hari kerja (SLA {d.sla_hari_kerja} hari kerja)'
    return text + (' · lewat SLA' if wf.lewat_sla(d.status, d.diajukan_at, d.sla_hari_kerja, at) else '')


def berkas_persyaratan(d: Detail) -> None:
    """Show every uploaded file inline: pictures as images, PDFs in a frame, each through the authorised route."""
    if not d.berkas:
        ui.label('Tidak ada berkas.').classes('text-gray-600')
        return
    with ui.column().classes('w-full gap-4').mark('berkas-persyaratan'):
        for item in d.berkas:
            _berkas(item)


def _berkas(item: BerkasItem) -> None:
    url = f'/admin/berkas/{item.id}'
    with ui.card().classes('w-full p-3 gap-2').props('flat bordered'):
        with ui.row().classes('w-full items-start justify-between gap-2'):
            with ui.column().classes('gap-0 min-w-0'):
                ui.label(item.label).classes('font-semibold break-words')
                ui.label(f'{display_name(item.nama_asli)} · {_size(item.ukuran)}').classes(
                    'text-xs text-gray-600 break-all'
                )
            ui.link('Buka di tab baru', url, new_tab=True).classes('text-sm min-h-[44px] flex items-center')
        if item.is_image:
            preview = ui.image(url).props('fit=contain').classes('w-full max-h-[70vh] bg-gray-100')
            preview.props['alt'] = item.label
        else:
            # <object> shows the browser's own PDF viewer; where there is none (most phones) its fallback shows.
            with ui.element('object').classes('w-full h-[60vh] bg-gray-100') as preview:
                preview.props.update(data=url, type='application/pdf', title=item.label)
                with ui.column().classes('w-full h-full items-center justify-center gap-2 p-4 text-center'):
                    ui.icon('picture_as_pdf', color='negative').classes('text-5xl')
                    ui.label('Pratinjau PDF tidak didukung peramban ini.').classes('text-sm text-gray-700')
                    ui.link('Buka PDF', url, new_tab=True).classes('text-base font-semibold min-h-[44px]')


def _size(size: int) -> str:
    return f'{size / 1024:.0f} KB' if size < 1024 * 1024 else f'{size / 1024 / 1024:.1f} MB'
