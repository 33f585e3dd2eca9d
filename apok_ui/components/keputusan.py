"""Persetujuan: Keterangan and the buttons Disetujui / Ditolak, each confirmed in a second step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import run, ui

from apok_ui import theme
from apok_ui.components import draf
from apok_ui.components.aksi import busy, dispose_on_close, show_error
from apok_ui.printing import queries as queries_cetak
from apok_ui.queries.detail import Detail
from models import Aksi, Peran, Status
from models import workflow as wf
from models.tables import KETERANGAN_MAX

TOLAK_TANPA_KETERANGAN = 'Isi Keterangan: alasan penolakan wajib diisi.'

# (aksi, keterangan, the version the officer saw, the TTE personal passphrase of a final approval or None)
Decide = Callable[[Aksi, str, int, str | None], Awaitable[None]]


def consequence(aksi: Aksi, d: Detail) -> str:
    """Return what the decision will do, in the officer's words (asked of the workflow table)."""
    after = wf.next_posisi(aksi, d.posisi)
    if after.status is Status.SELESAI:
        return 'Pengurusan selesai: nomor surat diberikan dan dokumen siap dicetak Admin Kecamatan.'
    if after.status is Status.DITOLAK:
        return 'Pengurusan dikembalikan kepada pemohon untuk diperbaiki.'
    if after.status is Status.REVISI:
        return 'Pengurusan dikembalikan kepada Admin Kecamatan untuk direvisi.'
    return f'Pengurusan diteruskan kepada {Peran(after.tahapan[after.tahap]).label}.'


def keputusan(d: Detail, on_decide: Decide, *, draft_key: str = '') -> ui.textarea:
    """Show the Keterangan field and the two decisions; a rejection needs a Keterangan. With `draft_key` what is
    typed is kept on the device (apok_ui/components/draf.py) and put back when the officer opens it again."""
    with ui.card().classes('w-full gap-3 p-3 sm:p-4').props('flat bordered').mark('persetujuan'):
        ui.label('Persetujuan').classes('text-base font-semibold')
        keterangan = (
            ui.textarea('Keterangan', placeholder='Keterangan terkait pengurusan ini (wajib bila Ditolak)')
            .props(f'outlined autogrow counter maxlength={KETERANGAN_MAX}')
            .classes('w-full')
            .mark('keterangan')
        )
        if draft_key:
            draf.keep(keterangan, draft_key, note=draf.restored_note())
        with ui.row().classes('w-full gap-3'):
            setuju = (
                ui.button('Disetujui', icon='check_circle', color='positive')
                .props('unelevated no-caps')
                .classes(f'{theme.TAP} flex-1')
                .mark('disetujui')
            )
            tolak = (
                ui.button('Ditolak', icon='cancel', color='negative')
                .props('unelevated no-caps')
                .classes(f'{theme.TAP} flex-1')
                .mark('ditolak')
            )

    async def decide(aksi: Aksi) -> None:
        text = (keterangan.value or '').strip()
        show_error(keterangan, None)
        if wf.RULES[aksi].keterangan_wajib and not text:
            show_error(keterangan, TOLAK_TANPA_KETERANGAN)
            return
        jawaban = await confirm(aksi, d, text)
        if jawaban is False:
            return
        sandi = jawaban if isinstance(jawaban, str) else None
        with busy(setuju, tolak):
            await on_decide(aksi, text, d.version, sandi)  # the version this officer saw, even if a refresh came since

    setuju.on_click(lambda: decide(Aksi.SETUJUI))
    tolak.on_click(lambda: decide(Aksi.TOLAK))
    return keterangan


async def confirm(aksi: Aksi, d: Detail, keterangan: str) -> bool | str:
    """Ask once more before a decision; return whether the officer confirmed it, or the TTE passphrase they typed
    to confirm a final approval that their personal certificate signs."""
    setuju = aksi is Aksi.SETUJUI
    minta_sandi = setuju and await asks_sandi(d)
    # In the page's layout, not in Lihat Data's content: a live refresh (someone else acted) must not delete an
    # open confirmation; confirming then gets the server's clear refusal instead of a dialog that vanished.
    with ui.context.client.layout, ui.dialog() as dialog, ui.card().classes('w-full max-w-md gap-3').mark('konfirmasi'):
        ui.label('Setujui pengurusan ini?' if setuju else 'Tolak pengurusan ini?').classes('text-lg font-semibold')
        ui.label(d.nomor_pendaftaran).classes('font-mono')
        ui.label(consequence(aksi, d)).classes('text-sm')
        if keterangan:
            ui.label(f'Keterangan: {keterangan}').classes('text-sm text-gray-700 break-words whitespace-pre-line')
        sandi = sandi_field() if minta_sandi else None
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button('Batal', on_click=lambda: dialog.submit(False)).props('flat no-caps').classes(theme.TAP).mark(
                'batal'
            )
            ui.button(
                'Ya, Setujui' if setuju else 'Ya, Tolak',
                color='positive' if setuju else 'negative',
                on_click=lambda: dialog.submit(sandi.value if sandi is not None else True),
            ).props('unelevated no-caps').classes(theme.TAP).mark('ya')
        if sandi is not None:
            sandi.on('keydown.enter', lambda: dialog.submit(sandi.value))
    result = await dispose_on_close(dialog)
    return result if isinstance(result, str) else bool(result)


async def asks_sandi(d: Detail) -> bool:
    """Return whether this approval completes the application in a kecamatan whose letters carry the signer's TTE
    personal (then the dialog asks its passphrase)."""
    if wf.next_posisi(Aksi.SETUJUI, d.posisi).status is not Status.SELESAI:
        return False
    return bool(await run.io_bound(queries_cetak.needs_sandi, d.kecamatan_nama))


def sandi_field() -> ui.input:
    """Show the passphrase field of a TTE personal: typed once for this letter, never stored."""
    ui.label('Surat akan ditandatangani dengan TTE personal Anda.').classes('text-sm font-medium')
    return (
        ui.input('Kata sandi sertifikat TTE', password=True, password_toggle_button=True)
        .props('outlined autocomplete=off')
        .classes('w-full')
        .mark('sandi-tte')
    )
