"""Profil Petugas: who is logged in, Ganti Password (with the policy shown), Sesi aktif and Keluar."""

from __future__ import annotations

from nicegui import background_tasks, ui

from apok_ui import auth, services, theme
from apok_ui.components import draf
from apok_ui.components.aksi import busy, perform, perform_hashing, show_error, tell
from apok_ui.components.data_panels import FIELDS, field
from apok_ui.components.delegasi import DelegasiCard
from apok_ui.components.kabar_petugas import kabar_petugas
from apok_ui.queries import sesi as queries_sesi
from apok_ui.queries.workspace import Officer
from apok_ui.security import PASSWORD_POLICY
from apok_ui.services import sesi as sesi_service
from models import Peran
from models.sesi import Akhir
from models.waktu import format_waktu

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
    if not wajib_ganti:
        if officer.kecamatan_id is not None:  # the officers of a kecamatan's chain get work; the superadmin none
            kabar_petugas(officer, ip=ip)
        if officer.peran is Peran.CAMAT:  # the Camat records who signs a.n. or as Plt./Plh. while away
            background_tasks.create(DelegasiCard(officer, officer.kecamatan_id).draw(), name='apok-delegasi')
        sesi_aktif(officer, ip=ip)
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
            versi, error = await perform_hashing(
                services.change_password,
                actor=auth.actor(officer),
                old_password=lama.value or '',
                new_password=baru.value or '',
                ip=ip,
                keep_sesi_id=auth.page_session(),  # this session goes on; the officer's other sessions end
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
        ui.navigate.to(SETELAH_GANTI)

    simpan.on_click(save)


async def _keluar(officer: Officer, ip: str) -> None:
    """End this browser's session (every tab of it) and go to the login."""
    draf.forget_officer(officer.id)
    sesi_id = auth.page_session()
    if sesi_id is None:
        ui.navigate.to('/login')
        return
    await perform(sesi_service.end_sesi, actor=auth.actor(officer), sesi_id=sesi_id, alasan=Akhir.KELUAR, ip=ip)
    auth.end_here(sesi_id, Akhir.KELUAR)  # whatever the service said: this page's session is over


def sesi_aktif(officer: Officer, *, ip: str) -> None:
    """Show the officer's open sessions (device, address, last activity), each with a way to end it."""
    here = auth.page_session()

    @ui.refreshable
    def listing() -> None:
        rows = queries_sesi.open_sessions(officer.id, auth.batas())  # one indexed read of at most 50 rows
        for row in rows:
            with ui.row().classes('w-full items-center gap-2 no-wrap border-t pt-2').mark(f'sesi-{row.id}'):
                ui.icon('smartphone' if 'Android' in row.perangkat or 'iPhone' in row.perangkat else 'computer')
                with ui.column().classes('flex-1 min-w-0 gap-0'):
                    ui.label(row.perangkat + (' · sesi ini' if row.id == here else '')).classes('font-medium')
                    ui.label(
                        f'{row.ip or "alamat tidak diketahui"} · aktif {format_waktu(row.terakhir_at)} WIB'
                    ).classes('text-xs text-gray-600 break-words')
                if row.id != here:
                    ui.button('Akhiri', on_click=lambda r=row: end(r.id)).props(
                        'outline no-caps color=negative'
                    ).classes(theme.TAP).mark(f'akhiri-{row.id}')

    async def end(sesi_id: int) -> None:
        _, error = await perform(
            sesi_service.end_sesi, actor=auth.actor(officer), sesi_id=sesi_id, alasan=Akhir.DIAKHIRI, ip=ip
        )
        if error is not None:
            tell(error)
        else:
            ui.notify('Sesi diakhiri.', type='positive')
        listing.refresh()

    with ui.card().classes('w-full gap-2').mark('sesi-aktif'):
        ui.label('Sesi aktif').classes('text-lg font-semibold')
        ui.label('Perangkat yang sedang masuk dengan akun Anda. Akhiri sesi yang tidak Anda kenali.').classes(
            'text-sm text-gray-600'
        )
        listing()
