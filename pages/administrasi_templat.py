"""Templat Pesan (superadmin): the text of each kind of message, with its placeholders listed and a live preview
drawn from example values; a text that uses a placeholder its kind does not have is refused beside the field."""

from __future__ import annotations

from nicegui import run, ui
from starlette.responses import RedirectResponse

from apok_ui import auth, theme
from apok_ui.components.admin_frame import admin_frame
from apok_ui.components.aksi import busy, perform, tell
from apok_ui.components.guard import officer_page, still_allowed
from apok_ui.queries import kabar as queries_kabar
from apok_ui.queries.workspace import Officer
from apok_ui.services import kabar as services_kabar
from models.akses import Kelola
from models.kabar import PLACEHOLDER, Jenis, Templat, TemplatError, check_templat, render, sample_values


async def page(jenis: str = Jenis.DITERIMA.value) -> RedirectResponse | None:
    """Show the editor of one kind of message (chosen from the list)."""
    officer = await officer_page(Kelola.PESAN)
    if not isinstance(officer, Officer):
        return officer
    chosen = Jenis(jenis) if jenis in {j.value for j in Jenis} else Jenis.DITERIMA
    texts = await run.io_bound(queries_kabar.templat_list)
    with admin_frame(officer, Kelola.PESAN):
        ui.link('‹ Antrean pesan', '/admin/sistem/pesan').classes(f'text-sm {theme.TAP} flex items-center')
        ui.label('Templat Pesan').classes('text-xl font-semibold')
        ui.select(
            {j.value: j.label + (' (diubah)' if texts[j][1] else '') for j in Jenis},
            label='Pesan',
            value=chosen.value,
            on_change=lambda e: ui.navigate.to(f'/admin/sistem/pesan/templat?jenis={e.value}'),
        ).props('outlined').classes('w-full sm:w-96').mark('pilih-templat')
        _Editor(officer, chosen, texts[chosen][0])
    return None


class _Editor:
    """Subjek and Isi of one kind, the placeholders it may use, the preview and the two actions."""

    def __init__(self, officer: Officer, jenis: Jenis, templat: Templat) -> None:
        self.officer, self.jenis = officer, jenis
        with ui.card().classes('w-full gap-3'):
            ui.label('Isian yang tersedia (ketik beserta kurung kurawalnya):').classes('text-sm text-gray-600')
            with ui.column().classes('w-full gap-0').mark('isian-tersedia'):
                for name, meaning in PLACEHOLDER[jenis].items():
                    with ui.row().classes('items-baseline gap-2'):
                        ui.label(f'{{{name}}}').classes('font-mono text-sm text-primary')
                        ui.label(meaning).classes('text-sm')
            self.subjek = ui.input('Subjek (email)', value=templat.subjek).props('outlined').classes('w-full')
            # NiceGUI validates on every change: a wrong text is named under Isi as it is typed.
            self.isi = ui.textarea('Isi pesan', value=templat.isi, validation=self.problem)
            self.isi.props('outlined autogrow').classes('w-full').mark('templat-isi')
            self.subjek.mark('templat-subjek').on_value_change(self.preview)
            self.isi.on_value_change(self.preview)
        with ui.card().classes('w-full gap-2 bg-green-50').props('flat bordered'):
            ui.label('Pratinjau (dengan contoh data)').classes('text-sm font-medium')
            self.preview_subjek = ui.label().classes('text-sm font-semibold break-words').mark('pratinjau-subjek')
            self.preview_isi = ui.label().classes('text-sm whitespace-pre-line break-words').mark('pratinjau-isi')
        with ui.row().classes('w-full gap-3'):
            self.simpan = ui.button('Simpan', icon='save', on_click=self.save).props('unelevated no-caps')
            self.simpan.classes(theme.TAP).mark('simpan-templat')
            ui.button('Kembalikan ke bawaan', icon='restart_alt', on_click=self.reset).props('outline no-caps').classes(
                theme.TAP
            ).mark('bawaan-templat')
        self.preview()

    def problem(self, isi: str) -> str | None:
        """Return what is wrong with the text (subject and body), or None."""
        try:
            check_templat(self.jenis, self.subjek.value if hasattr(self, 'subjek') else '', isi)
        except TemplatError as error:
            return str(error)
        return None

    def preview(self) -> None:
        """Draw the text with example values (a wrong text keeps the last good preview; Isi says why)."""
        try:
            checked = check_templat(self.jenis, self.subjek.value, self.isi.value)
        except TemplatError:
            self.isi.validate()  # a wrong Subjek is named under Isi too
            return
        self.isi.validate()
        subjek, isi = render(checked, sample_values(self.jenis))
        self.preview_subjek.set_text(subjek)
        self.preview_isi.set_text(isi)

    async def save(self) -> None:
        if not await still_allowed(Kelola.PESAN, self.officer):
            return
        with busy(self.simpan):
            _, error = await perform(
                services_kabar.save_templat,
                actor=auth.actor(self.officer),
                jenis=self.jenis,
                subjek=self.subjek.value or '',
                isi=self.isi.value or '',
            )
        if error is not None and getattr(error, 'errors', None):
            self.isi.error = str(error)
        elif error is not None:
            tell(error)
        else:
            ui.notify('Templat disimpan; pesan berikutnya memakai teks ini.', type='positive')

    async def reset(self) -> None:
        if not await still_allowed(Kelola.PESAN, self.officer):
            return
        _, error = await perform(services_kabar.reset_templat, actor=auth.actor(self.officer), jenis=self.jenis)
        if error is not None:
            tell(error)
            return
        ui.navigate.to(f'/admin/sistem/pesan/templat?jenis={self.jenis.value}')
