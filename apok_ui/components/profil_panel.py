"""Profil Petugas: who is logged in, Ganti Password (with the policy shown) and Keluar."""

from __future__ import annotations

from nicegui import ui

from apok_ui import auth, services, theme
from apok_ui.components.aksi import busy, perform, show_error, tell
from apok_ui.components.data_panels import FIELDS, field
from apok_ui.queries import Officer
from apok_ui.security import PASSWORD_POLICY

SETELAH_GANTI = '/admin?password=diganti'


def profil_panel(officer: Officer, *, ip: str, wajib_ganti: bool = False) -> None:
    """Show the officer's profile, the password form (first, when the password must be changed) and Keluar."""
    if wajib_ganti:
        with ui.row().classes('w-full items-center gap-2 rounded-lg bg-orange-50 px-3 py-2').mark('wajib-ganti'):
            ui.icon('lock_reset', color='warning').classes('text-2xl')
            ui.label('Ganti password Anda terlebih dahulu sebelum memproses pengurusan.').classes(
                'flex-1 text-sm min-w-0'
            )
    with ui.card().classes('w-full gap-3').mark('profil'):
        ui.label('Profil Petugas').classes('text-lg font-semibold')
        with ui.element('div').classes(FIELDS):
            field('Nama', officer.nama)
            field('NIP', officer.nip)
            field('Jabatan', officer.jabatan or officer.peran.label)
            field('Peran', officer.peran.label)
            field('Kecamatan', officer.kecamatan_nama)
    _ganti_password(officer, ip)
    ui.button('Keluar', icon='logout', on_click=lambda: _keluar(officer, ip)).props(
        'outline no-caps color=negative'
    ).classes(f'{theme.TAP} w-full sm:w-auto').mark('keluar')


def _password(label: str, autocomplete: str, marker: str) -> ui.input:
    return (
        ui.input(label, password=True, password_toggle_button=True)
        .props(f'outlined autocomplete={autocomplete}')
        .classes('w-full')
        .mark(marker)
    )


def _ganti_password(officer: Officer, ip: str) -> None:
    with ui.card().classes('w-full gap-3').mark('ganti-password'):
        ui.label('Ganti Password').classes('text-lg font-semibold')
        ui.label(PASSWORD_POLICY).classes('text-sm text-gray-600').mark('kebijakan-password')
        lama = _password('Password lama', 'current-password', 'password-lama')
        baru = _password('Password baru', 'new-password', 'password-baru')
        ulang = _password('Ulangi password baru', 'new-password', 'password-ulang')
        pesan = ui.label().classes('text-negative text-sm').props('role=alert')
        simpan = ui.button('Simpan Password', icon='lock').props('unelevated no-caps').classes(theme.TAP)
        simpan.mark('simpan-password')

    async def save() -> None:
        pesan.set_text('')
        for element in (lama, baru, ulang):
            show_error(element, None)
        if (baru.value or '') != (ulang.value or ''):
            show_error(ulang, 'Ulangan password baru tidak sama.')
            return
        with busy(simpan):
            versi, error = await perform(
                services.change_password,
                actor=auth.actor(officer),
                old_password=lama.value or '',
                new_password=baru.value or '',
                ip=ip,
            )
        if error is not None:
            fields = {'lama': lama, 'baru': baru}
            errors = getattr(error, 'errors', {})
            for key, message in errors.items():
                if key in fields:
                    show_error(fields[key], message)
            if not errors:
                tell(error)
            pesan.set_text(str(error))
            return
        auth.keep_session(versi)  # this session goes on; the officer's other sessions end
        ui.navigate.to(SETELAH_GANTI)

    simpan.on_click(save)


async def _keluar(officer: Officer, ip: str) -> None:
    """Write the logout to the audit log, forget the session and go to the login."""
    await perform(services.record_logout, actor=auth.actor(officer), ip=ip)
    auth.sign_out()
    ui.navigate.to('/login')
