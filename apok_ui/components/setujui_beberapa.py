"""Setujui beberapa: the Sekcam or the Camat ticks applications in Data Baru, reviews a compact list of them (nomor,
layanan, name, what the Admin and the Kasi wrote), confirms once with one Keterangan, and reads which went through.

Each application is still approved on its own (apok_ui/printing/massal.py): a stale one is named, the rest succeed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nicegui import run, ui

from apok_ui import auth, theme
from apok_ui.components.aksi import announce, busy, dispose_on_close, show_error, tell
from apok_ui.components.keputusan import sandi_field
from apok_ui.printing import massal
from apok_ui.printing import queries as queries_cetak
from apok_ui.queries import workspace as queries
from apok_ui.queries.workspace import Officer, QueueRow, Tinjauan
from apok_ui.services import Invalid, ServiceError
from models import Peran, akses
from models.tables import KETERANGAN_MAX

Done = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Pilihan:
    """One ticked application as the row showed it: the version seen is the one approved."""

    id: int
    nomor: str
    nama: str
    version: int


def may_batch(officer: Officer) -> bool:
    """Return whether this officer's Data Baru offers Setujui beberapa (models.akses.SETUJUI_MASSAL)."""
    return akses.massal_refusal(officer.peran) is None


class SetujuiBeberapa:
    """The ticks of one open Data Baru and the review that approves them."""

    def __init__(self, officer: Officer, on_done: Done) -> None:
        self.officer = officer
        self.on_done = on_done
        self.on = False
        self.chosen: dict[int, Pilihan] = {}
        self.bar = ui.refreshable(self._bar)

    def toggle_button(self, on_toggle: Done) -> ui.button:
        """Show the switch between reading the queue and ticking in it."""

        async def toggle() -> None:
            self.on = not self.on
            self.chosen.clear()
            await on_toggle()

        look = 'unelevated' if self.on else 'outline'
        text = 'Selesai memilih' if self.on else 'Setujui beberapa'
        button = ui.button(text, icon='checklist', on_click=toggle).props(f'{look} no-caps color=positive')
        return button.classes(theme.TAP).mark('setujui-beberapa')

    def tick(self, row: QueueRow) -> None:
        """Show a row's tick (in the place of Cetak and Serahkan in Data Selesai)."""

        def changed(event) -> None:
            if event.value:
                self.chosen[row.id] = Pilihan(row.id, row.nomor_pendaftaran, row.nama, row.version)
            else:
                self.chosen.pop(row.id, None)
            self.bar.refresh()

        box = ui.checkbox('Pilih', value=row.id in self.chosen, on_change=changed)
        box.classes(f'{theme.TAP} basis-full md:basis-auto').mark(f'pilih-{row.nomor_pendaftaran}')

    def _bar(self) -> None:
        """Show how many are ticked and the way to review them (nothing while none is)."""
        if not self.on or not self.chosen:
            return
        with ui.row().classes('w-full items-center gap-2 rounded-lg bg-green-50 px-3 py-2').mark('massal-bar'):
            ui.label(f'{len(self.chosen)} pengurusan dipilih').classes('flex-1 min-w-0 text-sm font-medium')
            ui.button('Tinjau & Setujui', icon='fact_check', on_click=self.review).props(
                'unelevated no-caps color=positive'
            ).classes(theme.TAP).mark('tinjau-massal')

    async def review(self) -> None:
        """Show what will be approved, ask once for the Keterangan (and a TTE passphrase if the letters need it)."""
        ids = list(self.chosen)
        items = await run.io_bound(queries.batch_review, self.officer.kecamatan_id, ids)
        needs_sandi = await run.io_bound(queries_cetak.needs_sandi, self.officer.kecamatan_nama)
        needs_sandi = needs_sandi and self.officer.peran is Peran.CAMAT  # the one whose approval completes
        with (
            ui.context.client.layout,
            ui.dialog().props(':maximized="window.innerWidth < 600"') as dialog,
            ui.card().classes('w-full gap-3').style('max-width: 40rem').mark('tinjau-setujui'),
        ):
            ui.label(f'Setujui {len(items)} pengurusan?').classes('text-lg font-semibold')
            ui.label('Setiap pengurusan disetujui sendiri-sendiri dengan Keterangan yang sama.').classes(
                'text-sm text-gray-600'
            )
            with ui.column().classes('w-full gap-0 divide-y rounded border'):
                for item in items:
                    _review_line(item, self.chosen[item.id].version != item.version)
            keterangan = (
                ui.textarea('Keterangan', placeholder='Keterangan untuk semua pengurusan ini (opsional)')
                .props(f'outlined autogrow counter maxlength={KETERANGAN_MAX}')
                .classes('w-full')
                .mark('keterangan-massal')
            )
            sandi = sandi_field() if needs_sandi else None
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button('Batal', on_click=dialog.close).props('flat no-caps').classes(theme.TAP)
                ya = ui.button(f'Ya, Setujui {len(items)}', color='positive').props('unelevated no-caps')
                ya.classes(theme.TAP).mark('ya-massal')

        async def go() -> None:
            with busy(ya):
                refused = await self._approve(keterangan.value or '', sandi.value if sandi is not None else None)
            if refused is None:
                if not dialog.is_deleted:
                    dialog.close()
                return
            target = sandi if sandi is not None and 'sandi' in refused.errors else keterangan
            for field in (keterangan, sandi):
                if field is not None:
                    show_error(field, str(refused) if field is target else None)

        ya.on_click(go)
        dispose_on_close(dialog).open()

    async def _approve(self, keterangan: str, sandi: str | None) -> Invalid | None:
        """Approve the ticked ones; return what refused the batch (a Keterangan, a signature), or None: it ran."""
        client = ui.context.client
        chosen = dict(self.chosen)
        pilihan = [(p.id, p.version) for p in chosen.values()]
        try:  # off the loop inside: each approval runs in a worker, a letter renders in the print pool
            hasil = await massal.approve_many(auth.actor(self.officer), pilihan, keterangan=keterangan, sandi=sandi)
        except massal.TandaTanganDitolak as error:
            if error.disetujui:  # approved before the signature failed: they leave the ticks and the queue
                for pengurusan_id in error.disetujui:
                    self.chosen.pop(pengurusan_id, None)
                await self.on_done()
                announce(client, f'{len(error.disetujui)} pengurusan disetujui.')
            return error
        except Invalid as error:
            return error
        except ServiceError as error:
            tell(error, client)
            return None
        self.chosen.clear()
        await self.on_done()
        _report(client, hasil, chosen)
        return None


def _review_line(item: Tinjauan, moved: bool) -> None:
    with ui.column().classes('w-full gap-0 px-3 py-2').mark(f'tinjau-{item.nomor_pendaftaran}'):
        with ui.row().classes('w-full items-baseline justify-between gap-x-2 gap-y-0'):
            ui.label(item.nomor_pendaftaran).classes('font-mono font-semibold text-primary')
            ui.label(item.layanan_nama).classes('text-xs text-gray-600 break-words')
        ui.label(item.nama).classes('font-medium break-words')
        for peran, catatan in item.catatan:
            ui.label(f'{peran}: {catatan}').classes('text-sm text-gray-700 break-words')
        if moved:
            ui.label('Sudah berubah sejak dipilih; akan ditolak bila sudah diproses.').classes('text-xs text-warning')


def _report(client, hasil: massal.HasilMassal, chosen: dict[int, Pilihan]) -> None:
    """Say how many went through and name each one that did not, with why."""
    if hasil.disetujui:
        announce(client, f'{len(hasil.disetujui)} pengurusan disetujui.')
    if not hasil.gagal:
        return
    with client.layout, ui.dialog() as dialog, ui.card().classes('w-full max-w-md gap-2').mark('hasil-massal'):
        ui.label(f'{len(hasil.gagal)} pengurusan tidak disetujui').classes('text-lg font-semibold')
        for pengurusan_id, why in hasil.gagal.items():
            pilihan = chosen.get(pengurusan_id)
            name = f'{pilihan.nomor} ({pilihan.nama})' if pilihan else f'Pengurusan {pengurusan_id}'
            ui.label(f'{name}: {why}').classes('text-sm break-words').mark('gagal-massal')
        ui.button('Tutup', on_click=dialog.close).props('unelevated no-caps').classes(f'{theme.TAP} self-end')
    dispose_on_close(dialog).open()
