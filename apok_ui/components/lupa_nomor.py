"""Lacak's "Lupa Nomor Pendaftaran?": NIK + the HP or email used → the nomor goes to that contact, never onto the
screen; the answer reads the same whether anything matched or not."""

from __future__ import annotations

from nicegui import ui

from apok_ui import theme
from apok_ui.components.aksi import busy, dispose_on_close, perform, show_error
from apok_ui.services import kabar as services_kabar


def lupa_nomor_button(ip: str) -> None:
    """Show the link that opens the reminder form."""
    ui.button('Lupa Nomor Pendaftaran?', on_click=lambda: _dialog(ip)).props('flat no-caps dense').classes(
        f'{theme.TAP} self-start'
    ).mark('lupa-nomor')


def _dialog(ip: str) -> None:
    with ui.dialog() as dialog, ui.card().classes('w-full max-w-md gap-3').mark('lupa-nomor-form'):
        ui.label('Lupa Nomor Pendaftaran').classes('text-lg font-semibold')
        ui.label(
            'Masukkan NIK pemohon dan No HP atau email yang dipakai saat mengajukan. Nomor Pendaftaran dikirim ke '
            'kontak itu lewat WhatsApp atau email, tidak ditampilkan di sini.'
        ).classes('text-sm text-gray-600')
        nik = ui.input('NIK').props('outlined inputmode=numeric autocomplete=off').classes('w-full').mark('lupa-nik')
        kontak = (
            ui.input('No HP atau email', placeholder='contoh: 0812 3456 7890')
            .props('outlined autocomplete=off')
            .classes('w-full')
            .mark('lupa-kontak')
        )
        answer = ui.label().classes('text-sm').props('role=status').mark('lupa-jawaban')
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button('Tutup', on_click=dialog.close).props('flat no-caps').classes(theme.TAP)
            kirim = ui.button('Kirim Nomor', icon='send').props('unelevated no-caps').classes(theme.TAP)
            kirim.mark('lupa-kirim')

    async def send() -> None:
        show_error(nik, None)
        show_error(kontak, None)
        answer.set_text('')
        with busy(kirim):
            text, error = await perform(services_kabar.remind_nomor, nik=nik.value, kontak=kontak.value, ip=ip)
        if error is None:
            answer.classes(replace='text-sm text-positive').set_text(text)
            return
        errors = getattr(error, 'errors', {})
        for name, element in (('nik', nik), ('kontak', kontak)):
            if name in errors:
                show_error(element, errors[name])
        if not errors:
            answer.classes(replace='text-sm text-negative').set_text(str(error))

    kirim.on_click(send)
    dispose_on_close(dialog).open()
