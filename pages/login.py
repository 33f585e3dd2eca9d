"""Login of the seed manual: Username (NIP), Password, Masuk."""

from __future__ import annotations

from nicegui import run, ui
from starlette.responses import RedirectResponse

from apok_ui import auth, services, theme
from apok_ui.components.frame import public_frame


def page() -> RedirectResponse | None:
    """Show the login form, or go to the workspace when already logged in."""
    if auth.current_officer() is not None:
        return RedirectResponse('/admin')
    ip = auth.client_ip()
    with public_frame('Masuk Petugas'), ui.card().classes('w-full max-w-sm mx-auto mt-4 sm:mt-12 p-6 gap-3'):
        ui.label('Login Petugas Kecamatan').classes('text-xl font-semibold text-primary')
        nip = (
            ui.input('Username', placeholder='NIP (18 angka)')
            .props('outlined autofocus inputmode=numeric autocomplete=username')
            .classes('w-full')
        )
        password = (
            ui.input('Password', password=True, password_toggle_button=True)
            .props('outlined autocomplete=current-password')
            .classes('w-full')
        )
        error = ui.label().classes('text-negative text-sm').props('role=alert')
        error.set_visibility(False)

        async def submit() -> None:
            error.set_visibility(False)
            if not (nip.value or '').strip() or not password.value:
                error.set_text('Isi Username (NIP) dan Password.')
                error.set_visibility(True)
                return
            button.props('loading')
            try:
                masuk = await run.io_bound(services.authenticate, nip=nip.value, password=password.value, ip=ip)
            except services.LoginRefused as refused:
                error.set_text(str(refused))
                error.set_visibility(True)
                password.set_value('')
                return
            finally:
                button.props(remove='loading')
            auth.sign_in(masuk)
            ui.navigate.to('/admin/profil?ganti=1' if masuk.wajib_ganti_password else '/admin')

        password.on('keydown.enter', submit)
        nip.on('keydown.enter', lambda: password.run_method('focus'))
        button = ui.button('Masuk', on_click=submit).props('no-caps').classes(f'w-full {theme.TAP}')
    return None
