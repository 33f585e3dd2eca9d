"""Delegasi Camat (a.n., Plt., Plh.): the recorded periods of a kecamatan and the form to record one. The same card
serves the superadmin's Surat Digital page and the Camat's own Profil Petugas (services.delegasi checks who may)."""

from __future__ import annotations

from nicegui import run, ui

from apok_ui import auth, theme
from apok_ui.components.admin_frame import show_errors
from apok_ui.components.aksi import announce, perform, tell
from apok_ui.components.tanggal_input import tanggal_input
from apok_ui.queries import surat_admin as q
from apok_ui.queries.workspace import Officer
from apok_ui.services import delegasi
from models.tanda_tangan import JenisDelegasi
from models.waktu import format_tanggal, parse_tanggal, today_wib


class DelegasiCard:
    """The card of one kecamatan's delegations, redrawn after each change."""

    def __init__(self, officer: Officer, kecamatan_id: int) -> None:
        self.officer, self.kecamatan_id = officer, kecamatan_id
        self.client = ui.context.client
        self.body = ui.column().classes('w-full gap-2')

    async def draw(self) -> None:
        """Read the periods and the officers who may be named (in a worker), then show the card."""
        rows = await run.io_bound(q.delegasi, self.kecamatan_id)
        signers = await run.io_bound(q.penandatangan, self.kecamatan_id)
        if self.body.is_deleted:
            return
        self.body.clear()
        with self.body, ui.card().classes('w-full gap-2 p-4').props('flat bordered').mark('delegasi'):
            ui.label('Delegasi Camat (a.n., Plt., Plh.)').classes('text-base font-semibold')
            for row in rows:
                with ui.row().classes('w-full items-center justify-between no-wrap'):
                    ui.label(
                        f'{row.jenis}: {row.petugas_nama}, {format_tanggal(row.mulai)} s.d. '
                        f'{format_tanggal(row.sampai)}'
                    ).classes('text-sm')
                    ui.button(icon='delete', on_click=lambda r=row: self.remove(r.id)).props(
                        'flat round aria-label="Hapus delegasi"'
                    ).classes(theme.TAP)
            today = today_wib()
            fields = {
                'jenis': ui.select({j.value: j.label for j in JenisDelegasi}, label='Jenis', value='an'),
                'petugas_id': ui.select(signers, label='Petugas'),
                'mulai': tanggal_input('Mulai', today),
                'sampai': tanggal_input('Sampai', today),
            }
            for name, element in fields.items():
                element.props('outlined').classes('w-full').mark(f'isian-delegasi-{name}')
            ui.button('Catat delegasi', icon='add', on_click=lambda: self.add(fields)).props(
                'unelevated no-caps'
            ).classes(theme.TAP).mark('catat-delegasi')

    async def add(self, fields: dict[str, ui.element]) -> None:
        try:
            mulai, sampai = parse_tanggal(fields['mulai'].value), parse_tanggal(fields['sampai'].value)
        except (TypeError, ValueError):
            fields['sampai'].error = 'Isi tanggal mulai dan selesai (hh/bb/tttt).'
            return
        _, error = await perform(
            delegasi.record,
            actor=auth.actor(self.officer),
            kecamatan_id=self.kecamatan_id,
            jenis=fields['jenis'].value or '',
            petugas_id=fields['petugas_id'].value or 0,
            mulai=mulai,
            sampai=sampai,
            ip=auth.client_ip(),
        )
        if error:
            show_errors(error, fields)
            return
        announce(self.client, 'Delegasi dicatat.')
        await self.draw()

    async def remove(self, delegasi_id: int) -> None:
        _, error = await perform(
            delegasi.remove, actor=auth.actor(self.officer), delegasi_id=delegasi_id, ip=auth.client_ip()
        )
        if error:
            tell(error)
            return
        await self.draw()
