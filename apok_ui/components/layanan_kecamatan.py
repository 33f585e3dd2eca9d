"""Where a layanan is open: one switch per kecamatan, each change saved at once (it applies to new submissions)."""

from __future__ import annotations

from dataclasses import dataclass

from nicegui import ui

from apok_ui import auth, theme
from apok_ui.components.aksi import perform, tell
from apok_ui.components.read_view import ReadView
from apok_ui.queries import admin as queries_admin
from apok_ui.queries.workspace import Officer
from apok_ui.services import administrasi as admin


@dataclass(frozen=True)
class Pembukaan:
    """The kecamatan by name, and whether the layanan is open in each (a kecamatan not listed is open)."""

    nama: dict[int, str]
    buka: dict[int, bool]


def read_pembukaan(layanan_id: int) -> Pembukaan:
    """Return the kecamatan and where the layanan is open (two reads; call it in a worker)."""
    return Pembukaan(queries_admin.kecamatan_options(), queries_admin.layanan_kecamatan(layanan_id))


async def kecamatan_switches(officer: Officer, layanan_id: int) -> None:
    """Show one switch per kecamatan, read in a worker; each change is saved at once (new submissions only)."""
    names: dict[int, str] = {}

    def draw(pembukaan: Pembukaan) -> None:
        names.update(pembukaan.nama)
        with ui.grid().classes('w-full grid-cols-1 sm:grid-cols-2 md:grid-cols-3 gap-1'):
            for kecamatan_id, nama in pembukaan.nama.items():
                ui.switch(
                    nama,
                    value=pembukaan.buka.get(kecamatan_id, True),
                    on_change=lambda e, k=kecamatan_id: change(k, e.value),
                ).classes(theme.TAP).mark(f'buka-{nama}')

    async def change(kecamatan_id: int, aktif: bool) -> None:
        _, error = await perform(
            admin.set_layanan_kecamatan,
            actor=auth.actor(officer),
            layanan_id=layanan_id,
            kecamatan_id=kecamatan_id,
            aktif=aktif,
            ip=auth.client_ip(),
        )
        if error:
            tell(error)
            await switches.show()
            return
        ui.notify(f'{"Dibuka" if aktif else "Ditutup"} di {names[kecamatan_id]}.', type='positive')

    with ui.card().classes('w-full gap-2').props('flat bordered'):
        ui.label('Dibuka di kecamatan').classes('text-base font-semibold')
        ui.label('Menutup layanan hanya menolak pengajuan baru; pengurusan yang berjalan tetap diproses.').classes(
            'text-sm text-gray-600'
        )
        switches = ReadView(lambda: read_pembukaan(layanan_id), draw)
    await switches.show()
