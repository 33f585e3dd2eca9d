"""Data Selesai for the Admin: Cetak (the letter as a PDF download) and Serahkan (to whom it was handed over)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from apok_ui import auth, services, theme
from apok_ui.components.aksi import announce, busy, dialog_buttons, dispose_on_close, perform, tell
from apok_ui.printing import cetak
from apok_ui.queries.workspace import Officer, QueueRow
from apok_ui.services import Actor, ServiceError
from models import Aksi, Posisi
from models import workflow as wf

Done = Callable[[], Awaitable[None]]
Hand = Callable[[str, str], Awaitable[ServiceError | None]]


def cetak_button(actor: Actor, pengurusan_id: int, on_done: Done, *, nomor: str = '') -> ui.button:
    """Show Cetak: render the letter (off the event loop), send it as a download, record the print."""

    async def print_letter() -> None:
        client = ui.context.client
        with busy(button):
            try:
                pdf, filename = await cetak.letter_pdf(actor, pengurusan_id)
            except ServiceError as error:
                tell(error)
                await on_done()
                return
        ui.download.content(pdf, filename, 'application/pdf')
        await on_done()  # the table first, then the toast: a tap after the toast lands on the redrawn rows
        announce(client, 'Dokumen dicetak. Berkas PDF sedang diunduh.')

    button = ui.button('Cetak', icon='print', on_click=print_letter).props('unelevated no-caps no-wrap color=secondary')
    return button.classes(f'{theme.TAP} flex-1 md:flex-none').mark(f'cetak cetak-{nomor}'.strip())


def serahkan_button(nama_pemohon: str, on_hand: Hand, *, nomor: str = '') -> ui.button:
    """Show Serahkan: it asks for the receiver (and their relation when it is not the applicant)."""
    button = ui.button('Serahkan', icon='how_to_reg', on_click=lambda: serahkan_dialog(nomor, nama_pemohon, on_hand))
    button.props('outline no-caps no-wrap color=secondary').classes(f'{theme.TAP} flex-1 md:flex-none')
    return button.mark(f'serahkan serahkan-{nomor}'.strip())


def serahkan_dialog(nomor: str, nama_pemohon: str, on_hand: Hand) -> ui.dialog:
    """Ask who received the document; the relation is needed when the receiver is not the applicant."""
    # In the page's layout, not in the table row: a refresh of the table (after a print, or live) must not delete it.
    with (
        ui.context.client.layout,
        ui.dialog() as dialog,
        ui.card().classes('w-full max-w-md gap-3').mark('form-serahkan'),
    ):
        ui.label('Serahkan Dokumen').classes('text-lg font-semibold')
        ui.label(f'{nomor} · pemohon {nama_pemohon}').classes('text-sm text-gray-600 break-words')
        nama = ui.input('Nama penerima', value=nama_pemohon).props('outlined').classes('w-full').mark('penerima')
        hubungan = (
            ui.input('Hubungan dengan pemohon', placeholder='mis. Suami, Anak, Kuasa')
            .props('outlined hint="Wajib bila penerima bukan pemohon"')
            .classes('w-full')
            .mark('hubungan')
        )
        pesan = ui.label().classes('text-negative text-sm').props('role=alert')
        simpan = dialog_buttons(dialog, 'Serahkan', 'how_to_reg', 'simpan-serahkan', color='secondary')

    async def save() -> None:
        pesan.set_text('')
        receiver, relation = (nama.value or '').strip(), (hubungan.value or '').strip()
        with busy(simpan):
            error = await on_hand(receiver, relation)
        if error is None:
            if not dialog.is_deleted:
                dialog.close()
        elif not pesan.is_deleted:
            pesan.set_text(str(error))

    simpan.on_click(save)
    dispose_on_close(dialog).open()
    return dialog


def selesai_actions(officer: Officer, on_done: Done) -> Callable[[QueueRow], None]:
    """Return what adds Cetak and Serahkan to a row of Data Selesai, where the workflow table allows them."""

    def actions(row: QueueRow) -> None:
        # A finished application no longer has a stage that matters: the workflow table decides on the status.
        posisi = Posisi(row.status, 0, wf.DEFAULT_TAHAPAN)
        if wf.may_act(officer.peran, Aksi.CETAK, posisi):
            cetak_button(auth.actor(officer), row.id, on_done, nomor=row.nomor_pendaftaran)
        if wf.may_act(officer.peran, Aksi.SERAHKAN, posisi):
            serahkan_button(
                row.nama, lambda nama, hubungan: hand_over(row, nama, hubungan), nomor=row.nomor_pendaftaran
            )

    async def hand_over(row: QueueRow, penerima: str, hubungan: str) -> ServiceError | None:
        """Record a hand-over from the table, with the version the row showed."""
        client = ui.context.client
        _, error = await perform(
            services.hand_over,
            actor=auth.actor(officer),
            pengurusan_id=row.id,
            version=row.version,
            penerima_nama=penerima,
            penerima_hubungan=hubungan,
        )
        if error is not None and not isinstance(error, services.Invalid):
            tell(error)  # the table refreshes and takes the dialog with it
        if not isinstance(error, services.Invalid):
            await on_done()
        if error is None:
            announce(client, 'Dokumen telah diserahkan.')
        return error

    return actions
