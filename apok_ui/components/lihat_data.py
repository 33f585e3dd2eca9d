"""Lihat Data: one application in a dialog (full screen on phones) with its four tabs and what the officer may do.

The dialog holds the application's id and the version the officer saw, never an ORM object; `reload()` reads it
again (after an action here, or when another officer changed it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from nicegui import run, ui

from apok_ui import auth, services, theme
from apok_ui.components import data_panels, draf
from apok_ui.components.aksi import announce, dispose_on_close, perform, tell
from apok_ui.components.keputusan import keputusan
from apok_ui.components.penyerahan import cetak_button, serahkan_button
from apok_ui.components.revisi import revisi_dialog, revisi_reason
from apok_ui.components.status_chip import LANGKAH
from apok_ui.components.status_pengurusan import status_pengurusan
from apok_ui.printing import terbit
from apok_ui.queries import detail as queries_detail
from apok_ui.queries.detail import Detail
from apok_ui.queries.workspace import Officer
from apok_ui.services import ServiceError
from apok_ui.services.audit import record_view
from models import Aksi, Peran
from models import workflow as wf

TABS = (
    ('pemohon', 'Data Pemohon', 'person'),
    ('pengurusan', 'Data Pengurusan', 'description'),
    ('berkas', 'Berkas Persyaratan', 'attach_file'),
    ('status', 'Status Pengurusan', 'timeline'),
)
Changed = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Diproses:
    """Someone else's decision on the open application: who (their role), and what this officer had typed."""

    oleh: str
    typed: str


def _who(d: Detail) -> str:
    """Return who made the latest step: an officer's role, or the citizen."""
    last = d.riwayat[-1] if d.riwayat else None
    return Peran(last.peran).label if last is not None and last.peran else 'pemohon'


class LihatData:
    """One open Lihat Data dialog of one officer."""

    def __init__(self, officer: Officer, pengurusan_id: int, *, ip: str, on_changed: Changed) -> None:
        self.officer = officer
        self.pengurusan_id = pengurusan_id
        self.ip = ip
        self.on_changed = on_changed
        self.detail: Detail | None = None
        self.tab = 'pemohon'
        self.dialog: ui.dialog | None = None
        self.client = ui.context.client
        self.keterangan: ui.textarea | None = None  # the Keterangan being typed, while a decision is offered
        self.notice: Diproses | None = None  # someone else's decision, shown until the officer closes it
        self.acting = False  # this dialog's own action is on its way: the change it hears of is its own

    @property
    def is_open(self) -> bool:
        """Return whether the dialog is still on the page."""
        return self.dialog is not None and not self.dialog.is_deleted

    async def open(self) -> bool:
        """Record the view (refused outside the officer's kecamatan), read the application and show it."""
        actor = auth.actor(self.officer)
        _, error = await perform(record_view, actor=actor, pengurusan_id=self.pengurusan_id, ip=self.ip)
        if error is not None:
            tell(error, self.client)
            return False
        if not await self._read():
            ui.notify('Pengurusan tidak ditemukan.', type='negative')
            return False
        self._build()
        return True

    async def reload(self, *, elsewhere: bool = False) -> None:
        """Read the application again and show its fresh state (closing the dialog if it is gone).

        After a change made `elsewhere` (another officer, the citizen) the dialog says who processed it, and a
        Keterangan the officer had typed stays on screen, copyable, until they close the notice.
        """
        if not self.is_open:
            return
        seen, typed = self.detail.version, self._typed()
        if not await self._read():
            self.dialog.close()
            return
        if elsewhere and self.detail.version != seen and not self.acting:
            self.notice = Diproses(_who(self.detail), typed or (self.notice.typed if self.notice else ''))
        await self.content.refresh()

    def _typed(self) -> str:
        element = self.keterangan
        return (element.value or '').strip() if element is not None and not element.is_deleted else ''

    async def _read(self) -> bool:
        self.detail = await run.io_bound(queries_detail.detail, self.officer.kecamatan_id, self.pengurusan_id)
        return self.detail is not None

    def _build(self) -> None:
        # Built in the page's layout, so refreshing the table that held the Lihat Data button keeps the dialog.
        with (
            ui.context.client.layout,
            ui.dialog().props(':maximized="window.innerWidth < 600"') as self.dialog,
            ui.card().classes('w-full p-0 gap-0').style('max-width: 60rem').mark('lihat-data'),
        ):
            with ui.row().classes('w-full items-center justify-between no-wrap px-3 py-1 bg-primary text-white'):
                with ui.column().classes('gap-0 min-w-0'):
                    ui.label('Lihat Data').classes('text-xs opacity-90')
                    ui.label(self.detail.nomor_pendaftaran).classes('font-mono font-semibold truncate')
                ui.button(icon='close', on_click=self.dialog.close).props(
                    'flat round color=white aria-label=Tutup'
                ).classes(f'{theme.TAP} min-w-[44px]').mark('tutup')
            with ui.column().classes('w-full p-3 sm:p-4 gap-3'):
                self.content()
        dispose_on_close(self.dialog).open()

    @ui.refreshable_method
    def content(self) -> None:
        """Show the four tabs and, below them, what the officer may do now."""
        d = self.detail
        self.keterangan = None
        ui.label(f'{d.layanan_nama} · {d.pemohon["nama"]}').classes('text-base font-semibold break-words')
        if self.notice is not None:
            self._notice(self.notice)
        if d.status is wf.Status.REVISI:
            self._revisi_info(d)  # at the top: the reason is what the Admin opens it for
        # Two rows of two on a phone, one row from 640 px on: every tab one tap away, none behind an arrow.
        with (
            ui.tabs(value=self.tab, on_change=lambda e: setattr(self, 'tab', e.value))
            .props('dense inline-label no-caps align=left')
            .classes('w-full text-primary border-b apok-tabs-wrap') as tabs
        ):
            for name, label, icon in TABS:
                ui.tab(name, label, icon).classes(theme.TAP).mark(f'tab-{name}')
        with ui.tab_panels(tabs, value=self.tab).classes('w-full'):
            with ui.tab_panel('pemohon').classes('px-0'):
                data_panels.data_pemohon(d)
            with ui.tab_panel('pengurusan').classes('px-0'):
                data_panels.data_pengurusan(d)
            with ui.tab_panel('berkas').classes('px-0'):
                data_panels.berkas_persyaratan(d)
            with ui.tab_panel('status').classes('px-0'):
                status_pengurusan(d)
        self._actions(d)

    def _actions(self, d: Detail) -> None:
        """Show the actions the workflow table allows this officer now (the services check again)."""
        allowed = wf.actions_for(self.officer.peran, d.posisi)
        if Aksi.REVISI in allowed:
            ui.button('Revisi Data', icon='edit', on_click=self._open_revisi).props(
                'unelevated no-caps color=warning'
            ).classes(theme.TAP).mark('revisi-data')
        if Aksi.SETUJUI in allowed:
            self.keterangan = keputusan(d, self._decide, draft_key=self._draft_key())
        if Aksi.CETAK in allowed or Aksi.SERAHKAN in allowed:
            with ui.row().classes('w-full gap-3'):
                if Aksi.CETAK in allowed:
                    cetak_button(auth.actor(self.officer), d.id, self._after_change, nomor=d.nomor_pendaftaran)
                if Aksi.SERAHKAN in allowed:
                    serahkan_button(
                        d.pemohon['nama'], self._hand_over, nomor=d.nomor_pendaftaran, dicetak=d.jumlah_cetak > 0
                    )

    def _revisi_info(self, d: Detail) -> None:
        with ui.row().classes('w-full items-center gap-2 rounded-lg bg-orange-50 px-3 py-2').mark('info-revisi'):
            ui.icon('edit_note', color='warning').classes('text-2xl')
            ui.label(revisi_reason(d)).classes('flex-1 text-sm break-words min-w-0')

    def _notice(self, notice: Diproses) -> None:
        """Say that someone else processed the application; keep what this officer had typed, to copy."""
        with ui.column().classes('w-full gap-2 rounded-lg bg-amber-50 px-3 py-2').mark('diproses-lain'):
            with ui.row().classes('w-full items-center gap-2 no-wrap'):
                ui.icon('info', color='warning').classes('text-2xl')
                ui.label(f'Pengurusan ini baru saja diproses oleh {notice.oleh}.').classes(
                    'flex-1 min-w-0 text-sm font-medium break-words'
                )
                ui.button(icon='close', on_click=self._close_notice).props(
                    'flat round aria-label="Tutup pemberitahuan"'
                ).classes('min-w-[44px] min-h-[44px]').mark('tutup-pemberitahuan')
            if notice.typed:
                ui.textarea('Keterangan yang sudah Anda ketik', value=notice.typed).props(
                    'outlined readonly autogrow'
                ).classes('w-full').mark('keterangan-tersimpan')
                ui.button(
                    'Salin Keterangan', icon='content_copy', on_click=lambda: ui.clipboard.write(notice.typed)
                ).props('flat no-caps').classes(theme.TAP).mark('salin-keterangan')

    async def _close_notice(self) -> None:
        self.notice = None
        draf.forget(self.client, self._draft_key())
        await self.content.refresh()

    def _draft_key(self) -> str:
        return draf.key(self.officer.id, self.pengurusan_id, 'keterangan')

    async def _decide(self, aksi: Aksi, keterangan: str, version: int, sandi: str | None = None) -> None:
        """Approve or reject with the version the officer saw; a stale or refused decision shows the fresh state."""
        self.acting = True  # until the fresh state is read: the live news of this decision is not someone else's
        try:
            await self._decided(aksi, await self._send(aksi, keterangan, version, sandi))
        finally:
            self.acting = False

    async def _send(self, aksi: Aksi, keterangan: str, version: int, sandi: str | None) -> ServiceError | None:
        if aksi is Aksi.SETUJUI:
            return await self._approve(version, keterangan, sandi)
        return await self._run(services.reject, version=version, keterangan=keterangan)

    async def _decided(self, aksi: Aksi, error: ServiceError | None) -> None:
        """Show the outcome of a decision: wrong input stays as typed, anything else shows the fresh state."""
        if isinstance(error, services.Invalid):
            tell(error, self.client)  # the Keterangan stays as typed
            return
        if isinstance(error, services.Terganggu):
            return  # told already; nothing changed and nothing can be read now: the Keterangan stays as typed
        if error is None:
            self.tab = 'status'
            draf.forget(self.client, self._draft_key())  # sent: the device keeps it no longer
        nomor = self.detail.nomor_pendaftaran
        await self._after_change()
        if error is None:
            announce(self.client, f'Pengurusan {nomor} {LANGKAH[aksi].chip.lower()}.')

    async def _approve(self, version: int, keterangan: str, sandi: str | None) -> ServiceError | None:
        """Approve; a final approval also issues the signed letter (apok_ui/printing/terbit.py), and a signature that
        cannot be made (a wrong passphrase) refuses it with the reason and changes nothing."""
        try:
            await terbit.approve(
                auth.actor(self.officer),
                pengurusan_id=self.pengurusan_id,
                version=version,
                keterangan=keterangan,
                sandi=sandi,
            )
        except ServiceError as error:
            if not isinstance(error, services.Invalid):
                tell(error, self.client)  # as _run: the caller shows wrong input
            return error
        return None

    def _open_revisi(self) -> None:
        revisi_dialog(self.detail, self._revise, draft=draf.key(self.officer.id, self.pengurusan_id, 'revisi'))

    async def _revise(self, changes: dict[str, Any], alasan: str) -> ServiceError | None:
        error = await self._run(services.revise, version=self.detail.version, changes=changes, keterangan=alasan)
        if error is None:
            self.tab = 'status'
        if error is None or not isinstance(error, services.Invalid):
            await self._after_change()
        if error is None:
            announce(self.client, 'Data pengurusan berhasil direvisi.')
        return error

    async def _hand_over(self, penerima: str, hubungan: str) -> ServiceError | None:
        error = await self._run(
            services.hand_over, version=self.detail.version, penerima_nama=penerima, penerima_hubungan=hubungan
        )
        if error is None or not isinstance(error, services.Invalid):
            await self._after_change()
        if error is None:
            announce(self.client, 'Dokumen telah diserahkan.')
        return error

    async def _run(self, call: Callable[..., Any], **kwargs: Any) -> ServiceError | None:
        """Run an officer service on this application; show a refusal (the caller shows wrong input)."""
        _, error = await perform(call, actor=auth.actor(self.officer), pengurusan_id=self.pengurusan_id, **kwargs)
        if error is not None and not isinstance(error, services.Invalid):
            tell(error, self.client)
        return error

    async def _after_change(self) -> None:
        """Show the application's new state and the page's fresh table (before any success toast: see _refresh)."""
        await self.reload()
        await self.on_changed()
