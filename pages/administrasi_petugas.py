"""Petugas (superadmin): find officers by kecamatan, role, status or name/NIP; add, edit, deactivate, reset password,
unblock their login."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from nicegui import run, ui
from starlette.responses import RedirectResponse

from apok_ui import auth, theme
from apok_ui.components.admin_frame import admin_frame, show_errors
from apok_ui.components.aksi import (
    announce,
    busy,
    dialog_buttons,
    dispose_on_close,
    perform,
    perform_hashing,
    tell,
)
from apok_ui.components.guard import officer_page, still_allowed
from apok_ui.components.read_view import ReadView
from apok_ui.queries import admin as queries_admin
from apok_ui.queries.admin import Halaman, PetugasRow
from apok_ui.queries.workspace import Officer
from apok_ui.services import administrasi as admin
from apok_ui.services import sesi as sesi_service
from models import Peran, akses
from models.akses import Kelola

SEMUA = 'semua'
STATUS = {SEMUA: 'Semua status', 'aktif': 'Aktif', 'nonaktif': 'Nonaktif'}
PELAKSANA = {'': 'Definitif'} | {prefix: f'{prefix} ({nama})' for prefix, nama in akses.PELAKSANA.items()}
DIBLOKIR = 'Ada alamat atau perangkat yang diblokir masuk sebagai petugas ini; perangkat tepercayanya tetap bisa.'
# Room for a NIP typed as letters print it, '19800101 200501 1 011' (services.administrasi drops the spaces).
NIP_PROPS = 'outlined inputmode=numeric maxlength=24 hint="18 angka; spasi boleh"'
T = TypeVar('T')
Refresh = Callable[[], Awaitable[None]]


@dataclass
class Saringan:
    """What the officer list is narrowed to, and which page shows."""

    cari: str = ''
    kecamatan: int | str = SEMUA
    peran: str = SEMUA
    status: str = SEMUA
    page: int = 1

    def read(self) -> Halaman[PetugasRow]:
        """Return the page of officers these filters ask for (call it in a worker)."""
        return queries_admin.petugas_list(
            kecamatan_id=None if self.kecamatan == SEMUA else int(self.kecamatan),
            peran=None if self.peran == SEMUA else Peran(self.peran),
            aktif=None if self.status == SEMUA else self.status == 'aktif',
            cari=self.cari,
            page=self.page,
        )


async def page() -> RedirectResponse | None:
    """Show the officer list with its filters and actions."""
    officer = await officer_page(Kelola.PETUGAS)
    if not isinstance(officer, Officer):
        return officer
    kecamatan = await run.io_bound(queries_admin.kecamatan_options)
    saringan = Saringan()
    with admin_frame(officer, Kelola.PETUGAS):
        with ui.row().classes('w-full items-end gap-2'):
            ui.input('Cari nama atau NIP', on_change=lambda e: _search(e.value)).props(
                'outlined clearable debounce=400'
            ).classes('grow min-w-[200px]').mark('cari')
            ui.select(
                {SEMUA: 'Semua kecamatan', **kecamatan}, value=SEMUA, on_change=lambda e: _set('kecamatan', e.value)
            ).props('outlined').classes('min-w-[170px]').mark('saring-kecamatan')
            ui.select(
                {SEMUA: 'Semua peran', **{p.value: p.label for p in Peran}},
                value=SEMUA,
                on_change=lambda e: _set('peran', e.value),
            ).props('outlined').classes('min-w-[170px]').mark('saring-peran')
            ui.select(STATUS, value=SEMUA, on_change=lambda e: _set('status', e.value)).props('outlined').classes(
                'min-w-[130px]'
            ).mark('saring-status')
            ui.button(
                'Tambah Petugas', icon='person_add', on_click=lambda: _form(officer, kecamatan, None, daftar.show)
            ).props('unelevated no-caps').classes(theme.TAP)

        def draw(halaman: Halaman[PetugasRow]) -> None:
            ui.label(f'{halaman.total} petugas').classes('text-sm text-gray-600').mark('jumlah-petugas')
            for row in halaman.rows:
                _row(officer, kecamatan, row, daftar.show)
            pages = max(1, -(-halaman.total // halaman.page_size))
            if pages > 1:
                ui.pagination(1, pages, direction_links=True, value=halaman.page, on_change=lambda e: _page(e.value))

        async def _reload() -> None:
            if await still_allowed(Kelola.PETUGAS, officer):
                await daftar.show()

        async def _search(value: str | None) -> None:
            saringan.cari, saringan.page = value or '', 1
            await _reload()

        async def _set(name: str, value: object) -> None:
            setattr(saringan, name, value)
            saringan.page = 1
            await _reload()

        async def _page(value: int) -> None:
            saringan.page = value
            await _reload()

        daftar = ReadView(saringan.read, draw)
        await daftar.show()
    return None


def _row(officer: Officer, kecamatan: dict[int, str], row: PetugasRow, refresh: Refresh) -> None:
    card = ui.card().classes('w-full p-3').props('flat bordered').mark(f'petugas-{row.nip}')
    with card, ui.row().classes('w-full items-center justify-between gap-2'):
        with ui.column().classes('gap-0 min-w-0'):
            ui.label(row.nama).classes('font-semibold')
            ui.label(f'NIP {row.nip}').classes('text-sm text-gray-600')
            ui.label(f'{row.jabatan or row.peran.label} · {row.kecamatan_nama}').classes('text-sm')
            with ui.row().classes('gap-1'):
                if not row.aktif:
                    ui.badge('Nonaktif', color='grey-7')
                if row.wajib_ganti_password:
                    ui.badge('Wajib ganti password', color='warning')
                if row.terkunci:
                    ui.badge('Login diblokir', color='negative').tooltip(DIBLOKIR).mark(f'diblokir-{row.nip}')
        with ui.row().classes('gap-1'):
            ui.button('Ubah', icon='edit', on_click=lambda: _form(officer, kecamatan, row, refresh)).props(
                'flat no-caps'
            ).classes(theme.TAP)
            if row.id == officer.id:  # the service refuses these on one's own account; Profil changes the password
                return
            ui.button('Reset Password', icon='key', on_click=lambda: _reset(officer, row, refresh)).props(
                'flat no-caps'
            ).classes(theme.TAP)
            ui.button('Akhiri Sesi', icon='logout', on_click=lambda: _end_sessions(officer, row)).props(
                'flat no-caps'
            ).classes(theme.TAP).mark(f'akhiri-sesi-{row.nip}')
            if row.terkunci:
                ui.button('Buka Blokir', icon='lock_open', on_click=lambda: _unlock(officer, row, refresh)).props(
                    'flat no-caps'
                ).classes(theme.TAP).mark(f'buka-blokir-{row.nip}')
            if row.aktif:
                ui.button(
                    'Nonaktifkan',
                    icon='block',
                    color='negative',
                    on_click=lambda: _deactivate(officer, row, refresh),
                ).props('flat no-caps').classes(theme.TAP)
            else:
                ui.button(
                    'Aktifkan',
                    icon='check_circle',
                    color='positive',
                    on_click=lambda: _activate(officer, row, refresh),
                ).props('flat no-caps').classes(theme.TAP)


def _form(officer: Officer, kecamatan: dict[int, str], row: PetugasRow | None, refresh: Refresh) -> None:
    """Open the add/edit dialog; the service checks everything again and names each wrong field."""
    host = ui.context.client.content
    pelaksana = akses.split_pelaksana(row.jabatan)[0] if row else ''
    with dispose_on_close(ui.dialog()) as dialog, ui.card().classes('w-full max-w-lg gap-2'):
        ui.label('Ubah Petugas' if row else 'Tambah Petugas').classes('text-lg font-semibold')
        fields = {
            'nip': ui.input('NIP', value=row.nip if row else '').props(NIP_PROPS),
            'nama': ui.input('Nama', value=row.nama if row else '').props('outlined'),
            'peran': ui.select(
                {p.value: p.label for p in Peran}, label='Peran', value=row.peran.value if row else 'admin'
            ).props('outlined'),
            'kecamatan_id': ui.select(kecamatan, label='Kecamatan', value=row.kecamatan_id if row else None).props(
                'outlined'
            ),
            'jabatan': ui.input(
                'Jabatan', value=row.jabatan if row else '', placeholder='Kosongkan: sesuai peran'
            ).props('outlined'),
            'pelaksana': ui.select(PELAKSANA, label='Status jabatan Camat', value=pelaksana).props('outlined'),
            'pangkat_golongan': ui.input(
                'Pangkat/golongan', value=row.pangkat_golongan if row else '', placeholder='mis. Pembina, IV/a'
            ).props('outlined'),
        }
        for name, element in fields.items():
            element.classes('w-full').mark(f'isian-{name}')
        fields['kecamatan_id'].bind_visibility_from(fields['peran'], 'value', backward=lambda v: v != Peran.SUPERADMIN)
        fields['pelaksana'].bind_visibility_from(fields['peran'], 'value', backward=lambda v: v == Peran.CAMAT)
        if row is None:
            ui.label('Password sementara dibuat otomatis dan ditampilkan sekali setelah disimpan.').classes(
                'text-sm text-gray-600'
            )
        simpan = dialog_buttons(dialog, 'Simpan', 'save', 'simpan-petugas')

        async def save() -> None:
            for element in fields.values():
                element.error = None
            data = admin.DataPetugas(
                **{name: element.value or ('' if name != 'kecamatan_id' else None) for name, element in fields.items()}
            )
            with busy(simpan):
                if row is None:  # hashes the temporary password
                    result, error = await perform_hashing(
                        admin.add_petugas, actor=auth.actor(officer), data=data, ip=auth.client_ip()
                    )
                else:
                    result, error = await perform(
                        admin.update_petugas,
                        actor=auth.actor(officer),
                        petugas_id=row.id,
                        data=data,
                        ip=auth.client_ip(),
                    )
            if error:
                show_errors(error, fields)
                return
            dialog.close()
            await refresh()  # what the officer is told next is already in the list
            if isinstance(result, admin.PetugasBaru):
                _show_password(host, data.nama, result.password_sementara)
            else:
                announce(host.client, 'Data petugas disimpan.')

        simpan.on_click(save)
    dialog.open()


async def _reset(officer: Officer, row: PetugasRow, refresh: Refresh) -> None:
    host = ui.context.client.content
    text = f'Reset password {row.nama} (NIP {row.nip})? Semua sesi petugas ini langsung berakhir.'
    if not await _confirm(text, 'Reset Password'):
        return
    password, error = await perform_hashing(
        admin.reset_password, actor=auth.actor(officer), petugas_id=row.id, ip=auth.client_ip()
    )
    if error:
        tell(error)
        return
    await refresh()
    _show_password(host, row.nama, password)


async def _unlock(officer: Officer, row: PetugasRow, refresh: Refresh) -> None:
    client = ui.context.client
    _, error = await perform(admin.unlock_login, actor=auth.actor(officer), petugas_id=row.id, ip=auth.client_ip())
    if error:
        tell(error)
        return
    await refresh()
    announce(client, f'Blokir login {row.nama} dibuka.')


async def _deactivate(officer: Officer, row: PetugasRow, refresh: Refresh) -> None:
    client = ui.context.client
    text = (
        f'Nonaktifkan {row.nama} (NIP {row.nip})? Petugas tidak dapat masuk lagi '
        'dan halaman yang terbuka langsung ditutup.'
    )
    if not await _confirm(text, 'Nonaktifkan'):
        return
    _, error = await perform(
        admin.deactivate_petugas, actor=auth.actor(officer), petugas_id=row.id, ip=auth.client_ip()
    )
    if error:
        tell(error)
        return
    await refresh()
    announce(client, f'{row.nama} dinonaktifkan.')


async def _end_sessions(officer: Officer, row: PetugasRow) -> None:
    text = f'Akhiri semua sesi {row.nama} (NIP {row.nip})? Halaman yang terbuka di perangkatnya langsung ditutup.'
    if not await _confirm(text, 'Akhiri Sesi'):
        return
    ended, error = await perform(
        sesi_service.end_all_sesi, actor=auth.actor(officer), petugas_id=row.id, ip=auth.client_ip()
    )
    if error:
        tell(error)
        return
    ui.notify(f'{ended} sesi {row.nama} diakhiri.', type='positive')


async def _activate(officer: Officer, row: PetugasRow, refresh: Refresh) -> None:
    client = ui.context.client
    _, error = await perform(admin.activate_petugas, actor=auth.actor(officer), petugas_id=row.id, ip=auth.client_ip())
    if error:
        tell(error)
        return
    await refresh()
    announce(client, f'{row.nama} diaktifkan kembali.')


async def _confirm(text: str, action: str) -> bool:
    with dispose_on_close(ui.dialog()) as dialog, ui.card().classes('max-w-md gap-3'):
        ui.label(text)
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button('Batal', on_click=lambda: dialog.submit(False)).props('flat no-caps').classes(theme.TAP)
            ui.button(action, color='negative', on_click=lambda: dialog.submit(True)).props(
                'unelevated no-caps'
            ).classes(theme.TAP).mark('konfirmasi')
    return bool(await dialog)


def _show_password(host: ui.element, nama: str, password: str) -> None:
    """Show a temporary password once; it is never stored in clear and cannot be shown again."""
    # Opened on the page itself: the form dialog that asked for it, and the row, are already gone.
    with (
        host,
        dispose_on_close(ui.dialog().props('persistent')) as dialog,
        ui.card().classes('max-w-md gap-3'),
    ):
        ui.label('Password sementara').classes('text-lg font-semibold')
        ui.label(f'Berikan password ini kepada {nama}. Password hanya ditampilkan sekali dan wajib diganti saat masuk.')
        ui.label(password).classes('text-2xl font-mono font-bold tracking-wider select-all').mark('password-sementara')
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button('Salin', icon='content_copy', on_click=lambda: ui.clipboard.write(password)).props(
                'flat no-caps'
            ).classes(theme.TAP)
            ui.button('Selesai', on_click=dialog.close).props('unelevated no-caps').classes(theme.TAP)
    dialog.open()
