"""Login of the seed manual: Username (NIP), Password, Masuk."""

from __future__ import annotations

from nicegui import ui
from starlette.responses import RedirectResponse

from apok_ui import auth, services, theme
from apok_ui.components.frame import public_frame
from apok_ui.components.guard import ADDRESS
from apok_ui.hashing import ServerBusy, run_hashing
from apok_ui.security import DEVICE_COOKIE
from apok_ui.services.sesi import CLAIM_REFUSED
from models.akses import OfficerPage
from models.sesi import akhir_of


async def page(berakhir: str = '', ke: str = '') -> RedirectResponse | None:
    """Show the login form (saying why the last session ended), or go to the workspace when already logged in;
    `ke` is the officer page asked for before the login (a digest's link to Lihat Data), opened after it."""
    if await auth.read_request_officer(ui.context.client.request) is not None:
        return RedirectResponse(auth.safe_next(ke) or ADDRESS[OfficerPage.WORKSPACE])
    ip = auth.client_ip()
    perangkat = ui.context.client.request.cookies.get(DEVICE_COOKIE, '')[:100]  # a trusted device keeps its limit
    ended = akhir_of(berakhir)
    with public_frame('Masuk Petugas'), ui.card().classes('w-full max-w-sm mx-auto mt-4 sm:mt-12 p-6 gap-3'):
        ui.label('Login Petugas Kecamatan').classes('text-xl font-semibold text-primary')
        if ended is not None or berakhir == 'kode':
            text = ended.message if ended is not None else CLAIM_REFUSED
            ui.label(text).classes('text-sm rounded bg-orange-50 px-3 py-2').props('role=status').mark('sesi-berakhir')
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
                masuk = await run_hashing(
                    services.authenticate, nip=nip.value, password=password.value, ip=ip, perangkat=perangkat
                )
            except (services.LoginRefused, ServerBusy) as refused:
                error.set_text(str(refused))
                error.set_visibility(True)
                password.set_value('')
                return
            finally:
                button.props(remove='loading')
            await auth.begin_session(masuk, ke)

        password.on('keydown.enter', submit)
        nip.on('keydown.enter', lambda: password.run_method('focus'))
        button = ui.button('Masuk', on_click=submit).props('no-caps').classes(f'w-full {theme.TAP}')
    return None
