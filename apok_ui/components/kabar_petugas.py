"""Profil Petugas: how the officer hears of new work while away (WhatsApp or email) and their quiet hours."""

from __future__ import annotations

from nicegui import background_tasks, run, ui

from apok_ui import auth, theme
from apok_ui.components.aksi import busy, perform, show_error, tell
from apok_ui.queries import kabar as queries_kabar
from apok_ui.queries.workspace import Officer
from apok_ui.services import kabar as services_kabar
from models import Peran
from models.kabar import KabarPetugas, Kanal

TIDAK = 'tidak'
PILIHAN = {TIDAK: 'Tidak usah', Kanal.WHATSAPP.value: 'WhatsApp', Kanal.EMAIL.value: 'Email'}


def kabar_petugas(officer: Officer, *, ip: str) -> None:
    """Show the card; its current values are read in a worker and filled in when they arrive."""
    with ui.card().classes('w-full gap-3').mark('kabar-petugas') as card:
        ui.label('Kabar Pengurusan Baru').classes('text-lg font-semibold')
        ui.label('Memuat…').classes('text-sm text-gray-600')

    async def fill() -> None:
        pilihan = await run.io_bound(queries_kabar.kabar_petugas, officer.id)
        if card.is_deleted:
            return
        card.clear()
        with card:
            _form(officer, ip, pilihan)

    background_tasks.create(fill(), name='apok-kabar-petugas')


def _form(officer: Officer, ip: str, pilihan: KabarPetugas) -> None:
    ui.label('Kabar Pengurusan Baru').classes('text-lg font-semibold')
    explain = (
        'Saat tidak ada halaman APOK yang Anda buka, pengurusan yang masuk ke Data Baru dikabarkan dalam satu pesan '
        'ringkas. Tidak ada pesan pada jam tenang (WIB).'
    )
    if officer.peran in (Peran.CAMAT, Peran.SEKCAM):
        explain += ' Pada hari kerja pukul 07.00 WIB Anda juga menerima ringkasan pagi kecamatan.'
    ui.label(explain).classes('text-sm text-gray-600')
    fields = {
        'kanal': ui.select(PILIHAN, label='Kabari saya lewat', value=pilihan.kanal or TIDAK).mark('kabar-kanal'),
        'no_hp': ui.input('No HP (WhatsApp)', value=pilihan.no_hp).props('type=tel').mark('kabar-no-hp'),
        'email': ui.input('Email', value=pilihan.email).props('type=email').mark('kabar-email'),
    }
    with ui.row().classes('w-full no-wrap gap-3'):
        for name, label in (('senyap_mulai', 'Jam tenang mulai'), ('senyap_sampai', 'sampai')):
            fields[name] = ui.input(label, value=getattr(pilihan, name)).props('type=time').mark(f'kabar-{name}')
            fields[name].classes('flex-1 min-w-0')
    for element in fields.values():
        element.props('outlined').classes('w-full')
    simpan = ui.button('Simpan Kabar', icon='notifications').props('unelevated no-caps').classes(theme.TAP)

    async def save() -> None:
        for element in fields.values():
            show_error(element, None)
        values = {name: element.value or '' for name, element in fields.items()}
        with busy(simpan):
            _, error = await perform(
                services_kabar.set_kabar_petugas, actor=auth.actor(officer), pilihan=KabarPetugas(**values), ip=ip
            )
        if error is None:
            ui.notify('Pengaturan kabar disimpan.', type='positive')
            return
        errors = getattr(error, 'errors', {})
        for name, message in errors.items():
            if name in fields:
                show_error(fields[name], message)
        if not errors:
            tell(error)

    simpan.on_click(save)
    simpan.mark('simpan-kabar')
