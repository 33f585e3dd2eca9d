"""Lacak (/lacak): Nomor Pendaftaran + NIK → stages, status and history; perbaikan after a rejection; Batalkan.

A wrong pair reads exactly like an unknown number, and look-ups per address are limited: nobody learns by probing.
"""

from __future__ import annotations

import asyncio

from nicegui import run, ui

from apok_ui import auth, berkas, services, theme
from apok_ui.components.form_berkas import release_uploads
from apok_ui.components.form_pemohon import FormPemohon
from apok_ui.components.frame import public_frame
from apok_ui.components.lupa_nomor import lupa_nomor_button
from apok_ui.components.status_chip import STATUS_COLOR
from apok_ui.printing import unduh
from apok_ui.queries import publik as queries_publik
from apok_ui.queries.publik import Lacakan
from apok_ui.services import batas
from apok_ui.services.permohonan import NOT_FOUND_MESSAGE
from models import Status
from models import workflow as wf
from models.waktu import format_waktu

TAHAP_LOOK = {  # keadaan -> (icon, colour, words)
    'disetujui': ('check_circle', 'positive', 'Disetujui'),
    'menunggu': ('hourglass_top', 'warning', 'Sedang diperiksa'),
    'ditolak': ('cancel', 'negative', 'Dikembalikan'),
    'belum': ('radio_button_unchecked', 'grey-5', 'Menunggu giliran'),
    'batal': ('remove_circle_outline', 'grey-5', 'Dibatalkan'),
}
KEJADIAN_LOOK = {
    'positif': ('check_circle', 'positive'),
    'negatif': ('undo', 'negative'),
    'netral': ('radio_button_checked', 'primary'),
}


def page(nomor: str = '') -> None:
    """Show the tracking form, with the number filled in when the link carried it."""
    with public_frame('Lacak Permohonan'):
        _Lacak(nomor, auth.client_ip())


class _Lacak:
    """The look-up form and what it found; actions re-read the application afterwards."""

    def __init__(self, nomor: str, ip: str) -> None:
        self.ip = ip
        self.kunci: tuple[str, str] | None = None
        self.perbaikan: FormPemohon | None = None
        self.lock = asyncio.Lock()
        with ui.card().classes('w-full gap-3 p-4'):
            ui.label('Lacak Permohonan').classes('text-xl font-semibold text-primary')
            ui.label('Masukkan Nomor Pendaftaran dan NIK pemohon.').classes('text-sm text-gray-600')
            self.nomor = (
                ui.input('Nomor Pendaftaran', value=nomor[:20], placeholder='contoh: BTK-2611-00042')
                .props('outlined autocapitalize=characters autocomplete=off')
                .classes('w-full')
                .mark('lacak-nomor')
            )
            self.nik = (
                ui.input('NIK').props('outlined inputmode=numeric autocomplete=off').classes('w-full').mark('lacak-nik')
            )
            self.nik.on('keydown.enter', self.cari)
            self.error = ui.label().classes('text-negative text-sm').props('role=alert').mark('lacak-pesan')
            self.error.set_visibility(False)
            self.button = (
                ui.button('Lacak', icon='search', on_click=self.cari).classes(f'w-full {theme.TAP}').mark('lacak-cari')
            )
            lupa_nomor_button(ip)
        # scroll-margin keeps what is scrolled to from hiding under the fixed header
        self.area = ui.column().classes('w-full gap-4').style('scroll-margin-top: 72px')

    async def cari(self) -> None:
        """Look the pair up and show what was found, or one message for anything not found."""
        self._say(None)
        nomor, nik = queries_publik.kunci(self.nomor.value, self.nik.value)
        if not nomor or not nik:
            self._say('Isi Nomor Pendaftaran dan NIK.')
            return
        try:
            batas.check_lookup(self.ip)
        except batas.Dibatasi as error:
            self._say(str(error))
            return
        self.button.props('loading')
        try:
            found = await run.io_bound(queries_publik.lacak, nomor, nik)
        finally:
            self.button.props(remove='loading')
        self.kunci = (nomor, nik) if found else None
        if found is None:
            self._clear()
            self._say(NOT_FOUND_MESSAGE)
            return
        self._show(found)
        await _unduh_surat(self.unduh_area, self.kunci, self.ip)
        ui.run_javascript(f'getHtmlElement({self.area.id})?.scrollIntoView({{block: "start"}})')

    async def _reload(self) -> None:
        found = await run.io_bound(queries_publik.lacak, *self.kunci) if self.kunci else None
        if found is None:
            self._clear()
            return
        self._show(found)
        await _unduh_surat(self.unduh_area, self.kunci, self.ip)

    def _clear(self) -> None:
        """Empty what was found, and drop the files of a perbaikan form in it (its routes outlive it)."""
        self._drop_perbaikan()
        self.area.clear()

    def _drop_perbaikan(self) -> None:
        if self.perbaikan is not None:
            release_uploads(self.perbaikan.berkas.values())
            self.perbaikan = None

    def _say(self, message: str | None) -> None:
        self.error.set_text(message or '')
        self.error.set_visibility(bool(message))

    def _show(self, found: Lacakan) -> None:
        self._clear()
        with self.area:
            _ringkasan(found)
            self.unduh_area = ui.column().classes('w-full gap-0')  # filled by _unduh_surat for a deliverable letter
            if found.bisa_perbaiki:
                with ui.card().classes('w-full gap-2 p-4 bg-red-50'):
                    ui.label('Alasan dikembalikan').classes('font-semibold text-negative')
                    ui.label(found.alasan_ditolak or '-').classes('whitespace-pre-line').mark('alasan')
                    ui.button('Perbaiki Data dan Berkas', icon='edit', on_click=self._perbaiki).classes(
                        f'w-full {theme.TAP}'
                    )
            self.perbaikan_area = ui.column().classes('w-full gap-4').style('scroll-margin-top: 72px')
            _tahapan(found)
            _riwayat(found)
            if found.bisa_batalkan:
                ui.button('Batalkan Permohonan', icon='close', on_click=self._confirm_batal).props(
                    'outline color=negative'
                ).classes(f'w-full {theme.TAP}')

    def _confirm_batal(self) -> None:
        with ui.dialog() as dialog, ui.card().classes('gap-3'):
            ui.label('Batalkan permohonan ini?').classes('text-lg font-semibold')
            ui.label('Permohonan yang dibatalkan tidak dapat dilanjutkan. Untuk mengajukan lagi, buat permohonan baru.')
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button('Tidak', on_click=dialog.close).props('flat').classes(theme.TAP)
                ui.button('Ya, batalkan', on_click=lambda: self._batalkan(dialog)).props('color=negative').classes(
                    theme.TAP
                )
        dialog.open()

    async def _batalkan(self, dialog: ui.dialog) -> None:
        async with self.lock:
            dialog.close()
            if self.kunci is None:
                return
            nomor, nik = self.kunci
            try:
                await run.io_bound(services.cancel, nomor_pendaftaran=nomor, nik=nik)
                ui.notify('Permohonan dibatalkan.', type='positive')
            except services.ServiceError as error:
                ui.notify(str(error), type='negative', multi_line=True)
            await self._reload()

    async def _perbaiki(self) -> None:
        data = await run.io_bound(queries_publik.data_perbaikan, *self.kunci) if self.kunci else None
        self._drop_perbaikan()
        self.perbaikan_area.clear()
        if data is None:
            await self._reload()
            return
        with self.perbaikan_area:
            with ui.card().classes('w-full gap-1 p-4'):
                ui.label('Perbaikan Permohonan').classes('text-lg font-semibold text-primary')
                ui.label(f'{data.layanan.nama} · Kecamatan {data.kecamatan_nama}, Kelurahan {data.kelurahan_nama}')
                ui.label('Ubah yang perlu diperbaiki, lalu tekan Kirim Perbaikan.').classes('text-sm text-gray-600')
            form = self.perbaikan = FormPemohon(
                data.layanan, max_bytes=berkas.gudang().max_bytes, awal=data.data, berkas_lama=data.berkas
            )
            message = ui.label().classes('text-negative font-medium').props('role=alert')
            message.set_visibility(False)
            button = ui.button('Kirim Perbaikan', icon='send').classes(f'w-full {theme.TAP}').mark('kirim-perbaikan')
            button.on_click(lambda: self._kirim_perbaikan(form, button, message))
        ui.run_javascript(
            f'getHtmlElement({self.perbaikan_area.id})?.scrollIntoView({{behavior: "smooth", block: "start"}})'
        )

    async def _kirim_perbaikan(self, form: FormPemohon, button: ui.button, message: ui.label) -> None:
        """Send the corrected data once; a second press while it is on its way finds the form gone."""
        async with self.lock:
            if self.kunci is None or form.fields['nik'].is_deleted:
                return
            nomor, nik = self.kunci
            form.clear_errors()
            message.set_visibility(False)
            button.disable()
            button.props('loading')
            try:
                data = form.data()
                await run.io_bound(
                    services.resubmit, nomor_pendaftaran=nomor, nik=nik, data=data, uploads=form.uploads()
                )
            except services.Invalid as error:
                message.set_text(f'{error} Ada {len(error.errors)} isian yang perlu diperbaiki.')
                message.set_visibility(True)
                first = form.show_errors(error.errors)
                if first is not None:
                    ui.run_javascript(f'getHtmlElement({first.id})?.scrollIntoView({{block: "center"}})')
                return
            except services.ServiceError as error:
                message.set_text(str(error))
                message.set_visibility(True)
                return
            finally:
                button.props(remove='loading')
                button.enable()
            self.kunci = queries_publik.kunci(nomor, data.nik)
            self.nik.set_value(self.kunci[1])
            ui.notify('Perbaikan terkirim. Permohonan kembali diperiksa Admin Kecamatan.', type='positive')
            await self._reload()


def _ringkasan(found: Lacakan) -> None:
    with ui.card().classes('w-full gap-2 p-4').mark('ringkasan'):
        with ui.row().classes('w-full items-center justify-between gap-2'):
            ui.label(found.nomor_pendaftaran).classes('text-xl font-bold font-mono text-primary')
            ui.badge(found.status.label, color=STATUS_COLOR[found.status]).classes('text-sm px-3 py-1').mark('status')
        ui.label(found.layanan_nama).classes('font-medium')
        ui.label(f'Kecamatan {found.kecamatan_nama} · Pemohon {found.nama_samaran}').classes('text-sm text-gray-600')
        ui.label(f'Diajukan {format_waktu(found.diajukan_at)} WIB').classes('text-sm text-gray-600')
        ui.label(_penjelasan(found)).classes('text-sm')


def _penjelasan(found: Lacakan) -> str:
    """Return one sentence on what happens next."""
    waiting = next((t.label for t in found.tahapan if t.keadaan == 'menunggu'), 'petugas')
    return {
        Status.DIAJUKAN: f'Sedang diperiksa oleh {waiting}.',
        Status.REVISI: 'Sedang diperiksa ulang oleh Admin Kecamatan.',
        Status.DITOLAK: 'Permohonan dikembalikan. Perbaiki data atau berkas sesuai alasan di bawah, lalu kirim lagi.',
        Status.SELESAI: f'Surat sudah selesai. Silakan ambil di Kantor Camat {found.kecamatan_nama} dengan membawa '
        'KTP asli dan Nomor Pendaftaran.',
        Status.DISERAHKAN: 'Surat sudah diserahkan. Terima kasih.',
        Status.DIBATALKAN: 'Permohonan ini sudah dibatalkan.',
    }[found.status]


def _tahapan(found: Lacakan) -> None:
    with ui.card().classes('w-full gap-2 p-4').mark('tahapan'):
        ui.label('Tahapan Verifikasi').classes('text-base font-semibold')
        for tahap in found.tahapan:
            icon, color, words = TAHAP_LOOK[tahap.keadaan]
            with ui.row().classes('w-full items-center no-wrap gap-3'):
                ui.icon(icon, color=color).classes('text-2xl')
                with ui.column().classes('gap-0 min-w-0'):
                    ui.label(tahap.label).classes('font-medium')
                    ui.label(words).classes('text-sm text-gray-600')
        if found.status in wf.TERBIT:
            with ui.row().classes('w-full items-center no-wrap gap-3'):
                ui.icon('verified', color='positive').classes('text-2xl')
                ui.label('Selesai').classes('font-semibold text-positive')


def _riwayat(found: Lacakan) -> None:
    with ui.card().classes('w-full gap-3 p-4').mark('riwayat'):
        ui.label('Riwayat').classes('text-base font-semibold')
        for kejadian in reversed(found.riwayat):
            icon, color = KEJADIAN_LOOK[kejadian.jenis]
            with ui.row().classes('w-full no-wrap items-start gap-3'):
                ui.icon(icon, color=color).classes('text-xl mt-[2px] shrink-0')
                with ui.column().classes('gap-0 min-w-0'):
                    ui.label(kejadian.judul).classes('font-medium leading-snug')
                    ui.label(f'{format_waktu(kejadian.waktu)} WIB').classes('text-xs text-gray-600')
                    if kejadian.keterangan:
                        ui.label(f'Alasan: {kejadian.keterangan}').classes('text-sm whitespace-pre-line break-words')


async def _unduh_surat(area: ui.column, kunci: tuple[str, str] | None, ip: str) -> None:
    """Offer Unduh surat (PDF) for a finished letter of a layanan deliverable online; others keep "ambil di kantor"."""
    area.clear()
    if kunci is None or not await run.io_bound(unduh.offered, *kunci):
        return
    with area, ui.card().classes('w-full gap-2 p-4 bg-green-50').mark('unduh-surat'):
        ui.label('Surat dapat diunduh').classes('font-semibold text-positive')
        ui.label('Surat ini sah dalam bentuk berkas PDF bertanda tangan elektronik; tidak perlu diambil ke kantor.')
        button = ui.button('Unduh surat (PDF)', icon='download').classes(f'w-full {theme.TAP}').mark('unduh')
        pesan = ui.label().classes('text-negative text-sm').props('role=alert')
        pesan.set_visibility(False)

        async def unduh_sekarang() -> None:
            pesan.set_visibility(False)
            button.props('loading')
            try:
                pdf, nama = await unduh.download(*kunci, ip)
            except services.ServiceError as error:
                pesan.set_text(str(error))
                pesan.set_visibility(True)
                return
            finally:
                button.props(remove='loading')
            ui.download.content(pdf, nama, 'application/pdf')

        button.on_click(unduh_sekarang)
