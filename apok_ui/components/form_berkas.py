"""One upload per requirement: checked when it arrives, kept in memory until Kirim, shown by name with 'Ganti'.

ui.upload's own limits are enforced in the browser only; here the size is checked before the bytes are read and
the type is judged by the bytes (apok_ui.berkas). The uploaded name is only ever shown, never used as a path.
What a form keeps is dropped when its page goes away or has been sent. The upload has no route of its own
(components/unggah.py: NiceGUI's per-element route stayed in FastAPI's caches with its page); its handler is still
held weakly, so nothing an upload element refers to can keep the form alive.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from nicegui import events, ui

from apok_ui import berkas, theme
from apok_ui.berkas import BerkasError, Unggahan, display_name, jenis_text, too_big, ukuran_text
from apok_ui.components.unggah import Upload
from apok_ui.queries.publik import Persyaratan
from models.jenis_berkas import CONTENT_TYPE, SEMUA_JENIS

EKSTENSI = {'pdf': '.pdf', 'jpg': '.jpg,.jpeg', 'png': '.png'}  # what the phone's file picker offers, per type
ACCEPT = {jenis: f'{EKSTENSI[jenis]},{CONTENT_TYPE[jenis]}' for jenis in SEMUA_JENIS}
# QUploader's header as a phone needs it: one big button to pick, then a progress bar while the file travels.
HEADER = """
<div class="q-uploader__header-content column items-stretch q-pa-sm full-width">
  <q-btn v-if="props.canAddFiles" unelevated no-caps color="primary" icon="upload_file"
         label="Pilih berkas atau foto" style="min-height: 44px">
    <q-uploader-add-trigger />
  </q-btn>
  <div v-else-if="props.isUploading" class="column q-gutter-xs">
    <div>Mengunggah… {{ Math.round(parseFloat(props.uploadProgressLabel) || 0) }}%</div>
    <q-linear-progress :value="(parseFloat(props.uploadProgressLabel) || 0) / 100" color="primary"
                       track-color="blue-2" size="8px" rounded />
  </div>
  <div v-else>Memeriksa berkas…</div>
</div>
"""
CSS = '.apok-upload .q-uploader__list { min-height: 0; padding: 0; } .apok-upload { max-height: none; }'


# What the picker tells of each file it refused (Quasar's rejected entries): why, and how big it was.
REJECTED = '(entries) => emit(entries.map(e => ({alasan: e.failedPropValidation, ukuran: e.file.size})))'


class BerkasInput:
    """The upload of one requirement; `unggahan` holds the accepted file (or None)."""

    def __init__(
        self, item: Persyaratan, *, max_bytes: int, lama: str | None = None, on_change: Callable[[], None] | None = None
    ) -> None:
        self.item = item
        self._on_change = on_change or (lambda: None)
        self.max_bytes = max_bytes
        self.unggahan: Unggahan | None = None
        self._checking = False
        rule = f'{jenis_text(item.jenis)}, maksimal {max_bytes // (1024 * 1024)} MB'
        with ui.column().classes('w-full gap-1').props(f'data-berkas={item.kode}') as self.box:
            with ui.row().classes('items-baseline gap-x-1 gap-y-0'):
                ui.label(item.label).classes('font-medium')
                if not item.wajib:
                    ui.label('(opsional)').classes('text-sm text-gray-600')
            ui.label(rule).classes('text-xs text-gray-600')
            with ui.row().classes('w-full items-center no-wrap gap-2 rounded bg-green-50 px-2') as self.chosen:
                ui.icon('check_circle', color='positive').classes('text-xl')
                self.name_label = ui.label().classes('flex-1 min-w-0 text-sm break-words')  # whole: it says which file
                self.ganti = (
                    ui.button('Ganti', icon='swap_horiz', on_click=self._ganti)
                    .props('flat no-caps')
                    .classes(theme.TAP)
                    .mark(f'ganti-{item.kode}')
                )
            self.uploader = (
                Upload(
                    auto_upload=True,
                    max_file_size=max_bytes,
                    on_upload=_weakly(self._received),
                    on_rejected=lambda: None,  # REJECTED says which rule the file broke
                )
                .props(
                    f'accept="{",".join(ACCEPT[j] for j in item.jenis)}" flat bordered color=blue-1 text-color=primary'
                )
                .classes('w-full apok-upload')
                .mark(f'upload-{item.kode}')
            )
            self.uploader.on('rejected', self._rejected, js_handler=REJECTED)
            self.uploader.add_slot('header', HEADER)
            self.uploader.add_slot('list', '')
            self.error = ui.label().classes('text-negative text-sm').props('role=alert').mark(f'error-{item.kode}')
        self.chosen.set_visibility(False)
        self.error.set_visibility(False)
        if lama:
            self._show_chosen(f'Berkas saat ini: {display_name(lama)}')
        self.uploader.client.on_delete(_weakly(self.release))

    def release(self) -> None:
        """Drop the file held for Kirim (the page went away, or the form was sent)."""
        self.unggahan = None

    def set_error(self, message: str | None) -> None:
        """Show a message under the upload, or hide it."""
        self.error.set_text(message or '')
        self.error.set_visibility(bool(message))

    async def _received(self, e: events.UploadEventArguments) -> None:
        if self._checking:  # one file at a time per requirement, however many requests a client sends
            return
        self._checking = True
        self.set_error(None)
        try:
            # The size is known before reading: a huge file is refused without loading it into memory.
            berkas.check_size(e.file.size(), max_bytes=self.max_bytes)
            nama = berkas.check_name(e.file.name)
            isi = await berkas.accept(await e.file.read(), max_bytes=self.max_bytes, allowed=self.item.jenis)
        except BerkasError as error:
            self._refused(str(error))
            return
        finally:
            self._checking = False
        if self.uploader.is_deleted:  # the page went away while the file was checked: keep nothing
            return
        self.unggahan = Unggahan(self.item.kode, nama, isi)
        self.uploader.reset()
        self._show_chosen(f'{nama} ({ukuran_text(len(isi))})')
        self._on_change()

    def _refused(self, message: str) -> None:
        if not self.uploader.is_deleted:
            self.uploader.reset()
            self.set_error(message)

    def _rejected(self, event: events.GenericEventArguments) -> None:
        """Say which rule the picked file broke: '7,1 MB; maksimal 5 MB', or the types this requirement takes."""
        entries = event.args if isinstance(event.args, list) else []
        entry = entries[0] if entries and isinstance(entries[0], dict) else {}
        ukuran = entry.get('ukuran')
        if entry.get('alasan') == 'max-file-size' and isinstance(ukuran, int):
            self.set_error(too_big(ukuran, self.max_bytes))
        else:
            self.set_error(f'Berkas tidak diterima: jenis berkas harus {jenis_text(self.item.jenis)}.')

    def _show_chosen(self, text: str) -> None:
        self.name_label.set_text(text)
        self.chosen.set_visibility(True)
        self.ganti.set_visibility(True)
        self.uploader.set_visibility(False)

    def _ganti(self) -> None:
        """Offer the picker again; the file chosen before stays until a new one is accepted."""
        self.ganti.set_visibility(False)
        self.uploader.set_visibility(True)
        self.uploader.run_method('pickFiles')


def release_uploads(inputs: Iterable[BerkasInput]) -> None:
    """Drop the files a form holds (after Kirim, or before the form is drawn again)."""
    for upload in inputs:
        upload.release()


def _weakly(method: Callable[..., Any]) -> Callable[..., Any]:
    """Return a handler that calls a bound method without keeping its object alive (see the module docstring)."""
    target = weakref.WeakMethod(method)

    def handler(*args: Any) -> Any:
        bound = target()
        return None if bound is None else bound(*args)

    handler.__qualname__ = method.__qualname__  # tasks are named after their handler: 'BerkasInput._received'
    handler.__signature__ = inspect.signature(method)  # so NiceGUI passes the event arguments the method takes
    return handler
