"""Data Selesai for the Admin: Cetak (the letter as a PDF download), Serahkan (to whom it was handed over) and, for
a while after it, Koreksi Penyerahan (a wrong hand-over undone, both steps kept in Riwayat)."""

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
from models.tables import KETERANGAN_MAX
from models.waktu import now

Done = Callable[[], Awaitable[None]]
Hand = Callable[[str, str], Awaitable[ServiceError | None]]
Correct = Callable[[str], Awaitable[ServiceError | None]]
KOREKSI_JAM = int(wf.KOREKSI_SERAHKAN.total_seconds() // 3600)


def cetak_button(actor: Actor, pengurusan_id: int, on_done: Done, *, nomor: str = '') -> ui.button:
    """Show Cetak: render the letter (off the event loop), send it as a download, record the print."""

    async def print_letter() -> None:
        client = ui.context.client
        with busy(button):
            try:
                pdf, filename = await cetak.letter_pdf(actor, pengurusan_id)
            except ServiceError as error:
                tell(error, client)
                await on_done()
                return
        ui.download.content(pdf, filename, 'application/pdf')
        await on_done()  # the table first, then the toast: a tap after the toast lands on the redrawn rows
        announce(client, 'Dokumen dicetak. Berkas PDF sedang diunduh.')

    button = ui.button('Cetak', icon='print', on_click=print_letter).props('unelevated no-caps no-wrap color=secondary')
    return button.classes(f'{theme.TAP} flex-1 md:flex-none').mark(f'cetak cetak-{nomor}'.strip())


def serahkan_button(nama_pemohon: str, on_hand: Hand, *, nomor: str = '', dicetak: bool = True) -> ui.button:
    """Show Serahkan: it asks for the receiver (and their relation when it is not the applicant); a letter that was
    never printed is named as such and asked about once more."""
    button = ui.button(
        'Serahkan', icon='how_to_reg', on_click=lambda: serahkan_dialog(nomor, nama_pemohon, on_hand, dicetak=dicetak)
    )
    button.props('outline no-caps no-wrap color=secondary').classes(f'{theme.TAP} flex-1 md:flex-none')
    return button.mark(f'serahkan serahkan-{nomor}'.strip())


def serahkan_dialog(nomor: str, nama_pemohon: str, on_hand: Hand, *, dicetak: bool = True) -> ui.dialog:
    """Ask who received the document; the relation is needed when the receiver is not the applicant. A hand-over
    of a letter never printed is a slip more often than not: the form says so and Serahkan asks again."""
    # In the page's layout, not in the table row: a refresh of the table (after a print, or live) must not delete it.
    with (
        ui.context.client.layout,
        ui.dialog() as dialog,
        ui.card().classes('w-full max-w-md gap-3').mark('form-serahkan'),
    ):
        ui.label('Serahkan Dokumen').classes('text-lg font-semibold')
        ui.label(f'{nomor} · pemohon {nama_pemohon}').classes('text-sm text-gray-600 break-words')
        if not dicetak:
            with (
                ui.row()
                .classes('w-full items-center gap-2 no-wrap rounded bg-orange-50 px-3 py-2')
                .mark('belum-dicetak')
            ):
                ui.icon('print_disabled', color='warning').classes('text-2xl')
                ui.label(BELUM_DICETAK).classes('flex-1 min-w-0 text-sm')
        nama = ui.input('Nama penerima', value=nama_pemohon).props('outlined').classes('w-full').mark('penerima')
        hubungan = (
            ui.input('Hubungan dengan pemohon', placeholder='mis. Suami, Anak, Kuasa')
            .props('outlined hint="Wajib bila penerima bukan pemohon"')
            .classes('w-full')
            .mark('hubungan')
        )
        pesan = ui.label().classes('text-negative text-sm').props('role=alert')
        simpan = dialog_buttons(dialog, 'Serahkan', 'how_to_reg', 'simpan-serahkan', color='secondary')

    sure: list[bool] = []

    async def save() -> None:
        pesan.set_text('')
        receiver, relation = (nama.value or '').strip(), (hubungan.value or '').strip()
        if not dicetak and not sure:
            if not await confirm_unprinted(nomor):
                return
            sure.append(True)  # asked once per form: a wrong relation corrected next is no new slip
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


BELUM_DICETAK = 'Surat ini belum pernah dicetak. Serahkan hanya bila surat memang sudah diterima pemohon.'


async def confirm_unprinted(nomor: str) -> bool:
    """Ask once more before a hand-over of a letter that was never printed; return whether the officer is sure."""
    with (
        ui.context.client.layout,
        ui.dialog() as dialog,
        ui.card().classes('w-full max-w-md gap-3').mark('konfirmasi-belum-dicetak'),
    ):
        ui.label('Surat belum dicetak').classes('text-lg font-semibold')
        ui.label(f'{nomor} belum pernah dicetak. Penyerahan yang dicatat hanya dapat dikoreksi Admin dalam '
                 f'{KOREKSI_JAM} jam. Tetap catat penyerahan?').classes('text-sm break-words')  # fmt: skip
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button('Batal', on_click=lambda: dialog.submit(False)).props('flat no-caps').classes(theme.TAP)
            ui.button('Ya, Tetap Serahkan', color='secondary', on_click=lambda: dialog.submit(True)).props(
                'unelevated no-caps'
            ).classes(theme.TAP).mark('ya-serahkan')
    return bool(await dispose_on_close(dialog))


def koreksi_button(nomor: str, penerima: str, on_correct: Correct) -> ui.button:
    """Show Koreksi Penyerahan: undo a wrong hand-over (within models.workflow.KOREKSI_SERAHKAN), with the reason."""
    button = ui.button('Koreksi', icon='undo', on_click=lambda: koreksi_dialog(nomor, penerima, on_correct))
    button.props('outline no-caps no-wrap color=warning').classes(f'{theme.TAP} flex-1 md:flex-none')
    return button.mark(f'koreksi-serahkan koreksi-{nomor}'.strip())


def koreksi_dialog(nomor: str, penerima: str, on_correct: Correct) -> ui.dialog:
    """Ask why the hand-over was wrong; saving makes the letter ready to hand over again."""
    with (
        ui.context.client.layout,
        ui.dialog() as dialog,
        ui.card().classes('w-full max-w-md gap-3').mark('form-koreksi'),
    ):
        ui.label('Koreksi Penyerahan').classes('text-lg font-semibold')
        ui.label(
            f'{nomor} tercatat diserahkan kepada {penerima}. Koreksi membatalkan catatan itu (keduanya tetap '
            'tercatat di Status Pengurusan) dan surat dapat diserahkan lagi.'
        ).classes('text-sm text-gray-600 break-words')
        alasan = (
            ui.textarea('Alasan koreksi', placeholder='mis. Salah tekan, surat belum diambil')
            .props(f'outlined autogrow counter maxlength={KETERANGAN_MAX}')
            .classes('w-full')
            .mark('alasan-koreksi')
        )
        pesan = ui.label().classes('text-negative text-sm').props('role=alert')
        simpan = dialog_buttons(dialog, 'Simpan Koreksi', 'undo', 'simpan-koreksi', color='warning')

    async def save() -> None:
        pesan.set_text('')
        with busy(simpan):
            error = await on_correct((alasan.value or '').strip())
        if error is None:
            if not dialog.is_deleted:
                dialog.close()
        elif not pesan.is_deleted:
            pesan.set_text(str(error))

    simpan.on_click(save)
    dispose_on_close(dialog).open()
    return dialog


def may_correct(officer: Officer, row: QueueRow) -> bool:
    """Return whether the table offers Koreksi for this row: a hand-over of the Admin's, still within the set time."""
    posisi = Posisi(row.status, 0, wf.DEFAULT_TAHAPAN)
    return wf.may_act(officer.peran, Aksi.KOREKSI, posisi) and wf.koreksi_refusal(row.diserahkan_at, now()) is None


def selesai_actions(officer: Officer, on_done: Done) -> Callable[[QueueRow], None]:
    """Return what adds Cetak and Serahkan to a row of Data Selesai, where the workflow table allows them."""

    def actions(row: QueueRow) -> None:
        # A finished application no longer has a stage that matters: the workflow table decides on the status.
        posisi = Posisi(row.status, 0, wf.DEFAULT_TAHAPAN)
        if wf.may_act(officer.peran, Aksi.CETAK, posisi):
            cetak_button(auth.actor(officer), row.id, on_done, nomor=row.nomor_pendaftaran)
        if wf.may_act(officer.peran, Aksi.SERAHKAN, posisi):
            serahkan_button(
                row.nama,
                lambda nama, hubungan: hand_over(row, nama, hubungan),
                nomor=row.nomor_pendaftaran,
                dicetak=row.jumlah_cetak > 0,
            )
        if may_correct(officer, row):
            koreksi_button(row.nomor_pendaftaran, row.nama, lambda alasan: correct(row, alasan))

    async def hand_over(row: QueueRow, penerima: str, hubungan: str) -> ServiceError | None:
        """Record a hand-over from the table, with the version the row showed."""
        return await act(
            row, services.hand_over, 'Dokumen telah diserahkan.', penerima_nama=penerima, penerima_hubungan=hubungan
        )

    async def correct(row: QueueRow, alasan: str) -> ServiceError | None:
        """Undo a wrong hand-over from the table, with the version the row showed."""
        return await act(
            row, services.correct_hand_over, 'Penyerahan dikoreksi; surat dapat diserahkan lagi.', alasan=alasan
        )

    async def act(row: QueueRow, call: Callable[..., object], done: str, **kwargs: str) -> ServiceError | None:
        client = ui.context.client
        _, error = await perform(call, actor=auth.actor(officer), pengurusan_id=row.id, version=row.version, **kwargs)
        if error is not None and not isinstance(error, services.Invalid):
            tell(error, client)  # the table refreshes and takes the dialog with it
        if not isinstance(error, services.Invalid):
            await on_done()
        if error is None:
            announce(client, done)
        return error

    return actions
