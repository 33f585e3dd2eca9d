"""Me-revisi: the Admin corrects the data of an application a later stage sent back, with the reason."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from nicegui import ui

from apok_ui import theme
from apok_ui.components import draf
from apok_ui.components.aksi import busy, dialog_buttons, dispose_on_close, show_error
from apok_ui.components.isian_input import isian_input
from apok_ui.components.tanggal_input import tampil
from apok_ui.queries.detail import Detail
from apok_ui.services import Invalid, ServiceError
from models import Aksi
from models.permohonan import FIELD_LABELS, PILIHAN
from models.tables import KETERANGAN_MAX

Save = Callable[[dict[str, Any], str], Awaitable[ServiceError | None]]


def _text(value: object, jenis: str = 'teks') -> str:
    """Return a stored value as its field shows it (a date as dd/mm/yyyy, like the date field)."""
    return tampil(value) if isinstance(value, date) or jenis == 'tanggal' else str(value or '')


def revisi_reason(d: Detail) -> str:
    """Return why a later stage sent the application back, as the Admin reads it."""
    rejected = [step for step in d.riwayat if step.aksi == Aksi.TOLAK.value]
    reason = rejected[-1].keterangan if rejected else ''
    return f'Dikembalikan untuk direvisi: {reason}' if reason else 'Dikembalikan untuk direvisi.'


def revisi_dialog(d: Detail, on_save: Save, *, draft: str = '') -> ui.dialog:
    """Open the revision form, the reason it came back first; `on_save(changes, alasan)` returns the refusal, or
    None when saved. With `draft` (a draf.key) every field typed is kept on the device until it is saved."""
    inputs: dict[str, ui.element] = {}
    # In the page's layout, not in Lihat Data's content: a live refresh must not delete a form being filled in.
    with (
        ui.context.client.layout,
        ui.dialog().props(':maximized="window.innerWidth < 600"') as dialog,
        ui.card().classes('w-full gap-3').style('max-width: 48rem').mark('form-revisi'),
    ):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(f'Revisi Data · {d.nomor_pendaftaran}').classes('text-lg font-semibold')
            ui.button(icon='close', on_click=dialog.close).props('flat round aria-label=Tutup').classes(
                f'{theme.TAP} min-w-[44px]'
            )
        with ui.row().classes('w-full items-center gap-2 rounded-lg bg-orange-50 px-3 py-2').mark('alasan-kembali'):
            ui.icon('edit_note', color='warning').classes('text-2xl')
            ui.label(revisi_reason(d)).classes('flex-1 text-sm break-words min-w-0')
        ui.label('Ubah data yang keliru. Setiap perubahan dicatat (lama → baru) di Status Pengurusan.').classes(
            'text-sm text-gray-600'
        )
        note = draf.restored_note()
        with ui.element('div').classes('grid grid-cols-1 sm:grid-cols-2 gap-3 w-full'):
            for name, label in FIELD_LABELS.items():
                jenis = 'tanggal' if name == 'tanggal_lahir' else 'teks'
                inputs[name] = isian_input(label, _text(d.pemohon[name]), jenis, PILIHAN.get(name, ())).classes(
                    'w-full'
                )
                inputs[name].mark(f'revisi-{name}')
            for item in d.isian_spec:
                key = f'isian.{item["kode"]}'
                value = _text(d.isian.get(item['kode'], ''), item.get('jenis', 'teks'))
                inputs[key] = isian_input(item['label'], value, item.get('jenis', 'teks'), item.get('pilihan') or ())
                inputs[key].classes('w-full').mark(f'revisi-{key}')
        alasan = (
            ui.textarea('Alasan revisi', placeholder='Mengapa data ini diubah (wajib)')
            .props(f'outlined autogrow counter maxlength={KETERANGAN_MAX}')
            .classes('w-full')
            .mark('alasan-revisi')
        )
        pesan = ui.label().classes('text-negative text-sm').props('role=alert')
        simpan = dialog_buttons(dialog, 'Simpan Revisi', 'save', 'simpan-revisi')
    drafts = {f'{draft}:{name}': element for name, element in {**inputs, 'alasan': alasan}.items()} if draft else {}
    for storage_key, element in drafts.items():
        if not isinstance(element, ui.select):  # a choice is one tap again; typing is what a lost connection costs
            draf.keep(element, storage_key, note=note, over=True)  # the fields open with today's data

    async def save() -> None:
        for element in (*inputs.values(), alasan):
            show_error(element, None)
        pesan.set_text('')
        with busy(simpan):
            error = await on_save(_changes(d, inputs), (alasan.value or '').strip())
        if error is None:
            if drafts:
                draf.forget(dialog.client, *drafts)
            if not dialog.is_deleted:
                dialog.close()
            return
        if dialog.is_deleted:
            return  # the application changed meanwhile; Lihat Data already shows the fresh state
        pesan.set_text(str(error))
        if isinstance(error, Invalid):
            for key, message in error.errors.items():
                target = alasan if key == 'keterangan' else inputs.get(key)
                if target is not None:
                    show_error(target, message)

    simpan.on_click(save)
    dispose_on_close(dialog).open()
    return dialog


def _changes(d: Detail, inputs: dict[str, ui.element]) -> dict[str, Any]:
    """Return only what the Admin changed: applicant fields by name, extra fields under 'isian'."""
    changes: dict[str, Any] = {}
    isian: dict[str, str] = {}
    jenis = {item['kode']: item.get('jenis', 'teks') for item in d.isian_spec}
    for key, element in inputs.items():
        new = str(element.value or '').strip()
        if key.startswith('isian.'):
            kode = key.removeprefix('isian.')
            if new != _text(d.isian.get(kode, ''), jenis.get(kode, 'teks')):
                isian[kode] = new
        elif new != _text(d.pemohon[key]):
            changes[key] = new
    if isian:
        changes['isian'] = isian
    return changes
