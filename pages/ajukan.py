"""Ajukan (/ajukan/{kode}): the citizen fills in the form, uploads the berkas and gets a Nomor Pendaftaran."""

from __future__ import annotations

import asyncio

from nicegui import run, ui

from apok_ui import auth, berkas, services, theme
from apok_ui.components.form_berkas import release_uploads
from apok_ui.components.form_pemohon import FormPemohon
from apok_ui.components.frame import public_frame
from apok_ui.queries import publik as queries_publik
from apok_ui.queries.publik import KecamatanPublik, LayananPublik
from apok_ui.services.permohonan import BELUM_SETUJU
from models.layanan import KODE_LAYANAN_RE

PERNYATAAN = (
    'Dengan mengirim permohonan ini saya menyatakan bahwa data dan berkas yang saya berikan benar dan sesuai aslinya. '
    'Memberikan data atau dokumen elektronik palsu agar seolah-olah otentik dapat dipidana berdasarkan Pasal 35 jo. '
    'Pasal 51 ayat (1) Undang-Undang Nomor 11 Tahun 2008 tentang Informasi dan Transaksi Elektronik (UU ITE) beserta '
    'perubahannya, dengan pidana penjara paling lama 12 tahun dan/atau denda paling banyak Rp12.000.000.000,00.'
)
SETUJU = 'Saya menyatakan data dan berkas yang saya kirim benar, dan memahami sanksinya.'


async def page(kode: str) -> None:
    """Show the application form of one layanan."""
    # Only a well-formed code reaches the database (PostgreSQL refuses text with a NUL byte: that would be a 500).
    layanan, wilayah = await run.io_bound(_read, kode) if KODE_LAYANAN_RE.fullmatch(kode) else (None, [])
    with public_frame(layanan.nama if layanan else 'Layanan tidak ditemukan'):
        if layanan is None:
            _not_found()
            return
        ui.link('‹ Semua layanan', '/').classes(f'text-sm {theme.LINK}')
        ui.label(layanan.nama).classes('text-xl font-semibold leading-tight')
        ui.label(f'Perkiraan selesai: {layanan.sla_hari_kerja} hari kerja setelah berkas lengkap.').classes(
            'text-sm text-gray-600'
        )
        _Ajukan(layanan, wilayah, auth.client_ip(), auth.browser_id())


def _read(kode: str) -> tuple[LayananPublik | None, list[KecamatanPublik]]:
    """Return the open layanan of this code (None: none) and the kecamatan and kelurahan to choose from."""
    layanan = queries_publik.layanan(kode)
    return layanan, queries_publik.wilayah() if layanan is not None else []


def _not_found() -> None:
    with ui.card().classes('w-full items-start gap-3 p-4'):
        ui.label('Layanan tidak ditemukan atau sedang tidak dibuka.').classes('text-lg')
        ui.button('Lihat daftar layanan', on_click=lambda: ui.navigate.to('/')).classes(theme.TAP)


class _Ajukan:
    """One filled-in form: submitted at most once, however often Kirim is pressed."""

    def __init__(self, layanan: LayananPublik, wilayah: list[KecamatanPublik], ip: str, perangkat: str | None) -> None:
        self.layanan = layanan
        self.ip = ip
        self.perangkat = perangkat
        self.lock = asyncio.Lock()
        self.hasil: services.Pendaftaran | None = None
        with ui.column().classes('w-full gap-4') as self.area:
            self.form = FormPemohon(
                layanan,
                max_bytes=berkas.gudang().max_bytes,
                wilayah=wilayah,
                on_change=self._recount,
            )
            self._pernyataan()
            self.message = ui.label().classes('text-negative font-medium').props('role=alert').mark('pesan')
            self.message.set_visibility(False)
            self.kirim = (
                ui.button('Kirim Permohonan', icon='send', on_click=self.submit)
                .classes(f'w-full {theme.TAP} text-base')
                .mark('kirim')
            )

    def _pernyataan(self) -> None:
        with ui.card().classes('w-full gap-2 p-4 bg-amber-50'):
            ui.label('Pernyataan').classes('text-base font-semibold')
            ui.label(PERNYATAAN).classes('text-sm')
            self.setuju = ui.checkbox(SETUJU).classes('font-medium').mark('setuju')
            self.setuju_error = ui.label(BELUM_SETUJU).classes('text-negative text-sm').props('role=alert')
            self.setuju_error.mark('error-pernyataan')
            self.setuju_error.set_visibility(False)
            self.setuju.on_value_change(lambda e: self.setuju_error.set_visibility(False) if e.value else None)

    async def submit(self) -> None:
        """Send the form once; a second press while it is on its way waits and finds it done."""
        async with self.lock:
            if self.hasil is not None:
                return
            self._say(None)
            self.form.clear_errors()
            self.setuju_error.set_visibility(False)
            self.kirim.disable()
            self.kirim.props('loading')
            try:
                self.hasil = await run.io_bound(
                    services.submit,
                    layanan_kode=self.layanan.kode,
                    kecamatan_id=self.form.kecamatan_id,
                    kelurahan_id=self.form.kelurahan_id,
                    data=self.form.data(),
                    uploads=self.form.uploads(),
                    ip=self.ip,
                    perangkat=self.perangkat,
                    pernyataan=bool(self.setuju.value),
                )
            except services.Invalid as error:
                # Every wrong field at once, the declaration included: nobody should need a second Kirim to learn
                # of the rest.
                self._say(f'{error} Ada {len(error.errors)} isian yang perlu diperbaiki.')
                self.setuju_error.set_visibility('pernyataan' in error.errors)
                _scroll_to(
                    self.form.show_errors(error.errors) or (self.setuju if 'pernyataan' in error.errors else None)
                )
            except services.ServiceError as error:
                self._say(str(error))
            finally:
                self.kirim.props(remove='loading')
                self.kirim.enable()
            if self.hasil is not None:
                self._done(self.hasil)

    def _recount(self) -> None:
        """Keep the summary above Kirim true while the person fixes the marked fields."""
        if self.message.visible:
            count = self.form.error_count()
            self._say(f'Masih ada {count} isian yang perlu diperbaiki.' if count else None)

    def _say(self, message: str | None) -> None:
        self.message.set_text(message or '')
        self.message.set_visibility(bool(message))

    def _done(self, hasil: services.Pendaftaran) -> None:
        release_uploads(self.form.berkas.values())  # stored now; the page may stay open for a long while
        self.area.clear()
        with self.area:
            hasil_card(hasil.nomor_pendaftaran, self.layanan)
        # A reload (a phone that slept) then opens Lacak with the number filled in, instead of an empty form.
        ui.navigate.history.replace(lacak_link(hasil.nomor_pendaftaran))


def lacak_link(nomor: str) -> str:
    """Return the tracking link of an application."""
    return f'/lacak?nomor={nomor}'


def hasil_card(nomor: str, layanan: LayananPublik) -> None:
    """Show the Nomor Pendaftaran, big, with a copy button and the tracking link."""
    with ui.card().classes('w-full items-center gap-3 p-5 text-center').mark('hasil'):
        ui.icon('task_alt', color='positive').classes('text-5xl')
        ui.label('Permohonan terkirim').classes('text-xl font-semibold')
        ui.label('Nomor Pendaftaran Anda:').classes('text-sm text-gray-600')
        ui.label(nomor).classes('text-3xl font-bold font-mono tracking-wide select-all text-primary').mark('nomor')

        def copy() -> None:
            ui.clipboard.write(nomor)
            ui.notify('Nomor Pendaftaran disalin.', type='positive')

        ui.button('Salin nomor', icon='content_copy', on_click=copy).props('outline no-caps').classes(theme.TAP)
        ui.label(
            'Simpan nomor ini (tangkap layar atau catat). Untuk melacak permohonan, Anda memerlukan Nomor Pendaftaran '
            f'dan NIK. Perkiraan selesai {layanan.sla_hari_kerja} hari kerja; surat diambil di kantor camat dengan '
            'membawa KTP asli.'
        ).classes('text-sm text-gray-700')
        ui.button(
            'Lacak permohonan', icon='travel_explore', on_click=lambda: ui.navigate.to(lacak_link(nomor))
        ).classes(f'w-full {theme.TAP}')
        ui.link('Kembali ke Beranda', '/').classes(f'text-sm {theme.LINK}')


def _scroll_to(element: ui.element | None) -> None:
    if element is not None:
        ui.run_javascript(f'getHtmlElement({element.id})?.scrollIntoView({{block: "center"}})')
