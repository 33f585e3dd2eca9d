"""The layanan editor (superadmin): identity, requirements, extra fields, stages, SLA, letter; then where it is open.

The page keeps a plain working copy; nothing is stored until Simpan, and the service checks it all again.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import run, ui
from starlette.responses import RedirectResponse

from apok_ui import auth, theme
from apok_ui.components.admin_frame import admin_frame
from apok_ui.components.aksi import busy, perform, tell
from apok_ui.components.guard import officer_page
from apok_ui.components.layanan_kecamatan import kecamatan_switches
from apok_ui.ids import parse_id
from apok_ui.queries import admin as queries_admin
from apok_ui.queries.workspace import Officer
from apok_ui.services import Invalid
from apok_ui.services import administrasi as admin
from apok_ui.services.administrasi_layanan import templates
from models import Peran
from models.akses import Kelola
from models.jenis_berkas import SEMUA_JENIS
from models.layanan import JENIS_BERKAS, JENIS_ISIAN, UKURAN_KERTAS, DataLayanan
from models.workflow import VERIFIER_ROLES

TOP_FIELDS = ('kode', 'nama', 'deskripsi', 'kode_klasifikasi', 'sla_hari_kerja', 'template', 'ukuran_kertas')


async def page(layanan_id: str) -> RedirectResponse | None:
    """Show the editor of one layanan, or of a new one (/admin/sistem/layanan/baru)."""
    officer = await officer_page(Kelola.LAYANAN)
    if not isinstance(officer, Officer):
        return officer
    existing = parse_id(layanan_id)
    data, names = await run.io_bound(_read, existing)
    with admin_frame(officer, Kelola.LAYANAN):
        if existing and data is None or not existing and layanan_id != 'baru':
            ui.context.client.status_code = 404
            ui.label('Layanan tidak ditemukan.').classes('text-lg')
            return None
        data = data or DataLayanan(kode='', nama='', kode_klasifikasi='', template='umum.html')
        Editor(officer, existing, data, names).build()
        if existing:
            await kecamatan_switches(officer, existing)
    return None


def _read(layanan_id: int | None) -> tuple[DataLayanan | None, list[str]]:
    """Return the layanan (None: a new one, or none with that id) and the print templates it may use."""
    return (queries_admin.layanan_data(layanan_id) if layanan_id else None), sorted(templates())


class Editor:
    """The working copy of a layanan and the form that edits it."""

    def __init__(self, officer: Officer, layanan_id: int | None, data: DataLayanan, templates: list[str]) -> None:
        self.officer = officer
        self.templates = templates
        self.layanan_id = layanan_id
        self.data = data
        for item in data.isian:
            item['pilihan_teks'] = ', '.join(item.get('pilihan', []))
        self.fields: dict[str, ui.element] = {}
        self.errors: ui.column | None = None

    def build(self) -> None:
        """Lay out the form sections and the Simpan button."""
        title = f'Ubah Layanan {self.data.kode}' if self.layanan_id else 'Tambah Layanan'
        ui.label(title).classes('text-xl font-semibold')
        self._umum()
        self._section('Persyaratan (berkas yang diunggah)', self._persyaratan, self._add_persyaratan)
        self._section('Isian tambahan', self._isian, self._add_isian)
        self._section('Tahapan verifikasi', self._tahapan, None)
        self.errors = ui.column().classes('w-full gap-1').mark('kesalahan')
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button('Kembali', on_click=lambda: ui.navigate.to('/admin/sistem/layanan')).props(
                'flat no-caps'
            ).classes(theme.TAP)
            self.simpan = ui.button('Simpan', icon='save', on_click=self.save).props('unelevated no-caps')
            self.simpan.classes(theme.TAP).mark('simpan-layanan')

    def _umum(self) -> None:
        d = self.data
        with ui.card().classes('w-full gap-2').props('flat bordered'):
            with ui.row().classes('w-full gap-2'):
                self._field('kode', ui.input('Kode', value=d.kode).props('outlined maxlength=10'), 'w-32')
                self._field('nama', ui.input('Nama layanan', value=d.nama).props('outlined'), 'grow min-w-[240px]')
            self._field('deskripsi', ui.textarea('Deskripsi', value=d.deskripsi).props('outlined autogrow'), 'w-full')
            with ui.row().classes('w-full gap-2'):
                self._field('kode_klasifikasi', ui.input('Kode klasifikasi', value=d.kode_klasifikasi), 'w-40')
                self._field('sla_hari_kerja', ui.number('SLA (hari kerja)', value=d.sla_hari_kerja, min=1), 'w-40')
                self._field('template', ui.select(self.templates, label='Template cetak', value=d.template), 'w-48')
                self._field(
                    'ukuran_kertas', ui.select(list(UKURAN_KERTAS), label='Kertas', value=d.ukuran_kertas), 'w-28'
                )
            ui.switch('Aktif (dapat diajukan warga)', value=d.aktif).bind_value(d, 'aktif').mark('isian-aktif')
            ui.switch(
                'Surat dapat diunduh warga dari Lacak (PDF bertanda tangan elektronik)', value=d.unduh_online
            ).bind_value(d, 'unduh_online').mark('isian-unduh-online')

    def _field(self, name: str, element: ui.element, classes: str) -> None:
        element.props('outlined').classes(classes).mark(f'isian-{name}')
        self.fields[name] = element

    def _section(self, title: str, body: Callable[[], None], add: Callable[[], None] | None) -> None:
        with ui.card().classes('w-full gap-2').props('flat bordered'):
            ui.label(title).classes('text-base font-semibold')
            refreshable = ui.refreshable(body)
            setattr(self, f'_refresh_{body.__name__}', refreshable.refresh)
            refreshable()
            if add:
                ui.button('Tambah', icon='add', on_click=lambda: (add(), refreshable.refresh())).props(
                    'flat no-caps'
                ).classes(theme.TAP).mark(f'tambah-{body.__name__.strip("_")}')

    def _persyaratan(self) -> None:
        items = self.data.persyaratan
        for index, item in enumerate(items):
            with ui.row().classes('w-full items-center gap-2 border-b pb-2').mark(f'persyaratan-{index}'):
                ui.input('Nama persyaratan').bind_value(item, 'label').props('outlined').classes('grow min-w-[200px]')
                ui.select(JENIS_BERKAS, multiple=True, label='Jenis berkas').bind_value(item, 'jenis').props(
                    'outlined use-chips'
                ).classes('min-w-[180px]')
                ui.checkbox('Wajib').bind_value(item, 'wajib')
                self._order_buttons(items, index, self._refresh__persyaratan)

    def _add_persyaratan(self) -> None:
        self.data.persyaratan.append({'label': '', 'wajib': True, 'jenis': list(SEMUA_JENIS)})

    def _isian(self) -> None:
        items = self.data.isian
        if not items:
            ui.label('Belum ada isian tambahan.').classes('text-sm text-gray-600')
        for index, item in enumerate(items):
            with ui.row().classes('w-full items-center gap-2 border-b pb-2').mark(f'isian-{index}'):
                ui.input('Nama isian').bind_value(item, 'label').props('outlined').classes('grow min-w-[200px]')
                jenis = ui.select(JENIS_ISIAN, label='Jenis').bind_value(item, 'jenis').props('outlined')
                jenis.classes('min-w-[150px]')
                ui.input('Pilihan (pisahkan dengan koma)').bind_value(item, 'pilihan_teks').bind_visibility_from(
                    item, 'jenis', backward=lambda j: j == 'pilihan'
                ).props('outlined').classes('grow min-w-[200px]')
                ui.checkbox('Wajib').bind_value(item, 'wajib')
                self._order_buttons(items, index, self._refresh__isian)

    def _add_isian(self) -> None:
        self.data.isian.append({'label': '', 'jenis': 'teks', 'wajib': True, 'pilihan': [], 'pilihan_teks': ''})

    def _tahapan(self) -> None:
        stages = self.data.tahapan
        ui.label(
            'Selalu diawali Admin Kecamatan. Pengurusan yang sedang berjalan tetap memakai tahapan lamanya.'
        ).classes('text-sm text-gray-600')
        for index, role in enumerate(stages):
            with ui.row().classes('w-full items-center gap-2').mark(f'tahap-{index}'):
                ui.label(f'{index + 1}. {Peran(role).label}').classes('grow')
                if index > 0:
                    self._order_buttons(stages, index, self._refresh__tahapan, first=1)
        missing = [r for r in VERIFIER_ROLES if r.value not in stages]
        if missing:
            with ui.row().classes('items-center gap-2'):
                for role in missing:
                    ui.button(f'Tambah {role.label}', icon='add', on_click=lambda r=role: self._add_stage(r)).props(
                        'flat no-caps'
                    ).classes(theme.TAP)

    def _add_stage(self, role: Peran) -> None:
        self.data.tahapan.append(role.value)
        self._refresh__tahapan()

    def _order_buttons(self, items: list, index: int, refresh: Callable[[], None], first: int = 0) -> None:
        def move(step: int) -> None:
            items[index], items[index + step] = items[index + step], items[index]
            refresh()

        def remove() -> None:
            items.pop(index)
            refresh()

        with ui.row().classes('gap-0 no-wrap'):
            up = ui.button(icon='arrow_upward', on_click=lambda: move(-1)).props('flat round').classes(theme.TAP)
            up.set_enabled(index > first)
            down = ui.button(icon='arrow_downward', on_click=lambda: move(1)).props('flat round').classes(theme.TAP)
            down.set_enabled(index < len(items) - 1)
            ui.button(icon='delete', color='negative', on_click=remove).props('flat round').classes(theme.TAP).mark(
                'hapus'
            )

    def _collect(self) -> DataLayanan:
        values = {name: self.fields[name].value for name in TOP_FIELDS}
        values['sla_hari_kerja'] = '' if values['sla_hari_kerja'] is None else int(values['sla_hari_kerja'])
        isian = [
            {k: v for k, v in item.items() if k != 'pilihan_teks'}
            | {'pilihan': [p.strip() for p in (item.get('pilihan_teks') or '').split(',') if p.strip()]}
            for item in self.data.isian
        ]
        return DataLayanan(
            **values,
            persyaratan=[dict(item) for item in self.data.persyaratan],
            isian=isian,
            tahapan=list(self.data.tahapan),
            aktif=self.data.aktif,
            unduh_online=self.data.unduh_online,
        )

    async def save(self) -> None:
        """Store the layanan through the service; show each refusal beside its field."""
        for element in self.fields.values():
            element.error = None
        self.errors.clear()
        with busy(self.simpan):
            result, error = await perform(
                admin.save_layanan,
                actor=auth.actor(self.officer),
                data=self._collect(),
                layanan_id=self.layanan_id,
                ip=auth.client_ip(),
            )
        if error:
            self._show(error)
            return
        if self.layanan_id is None:
            ui.navigate.to(f'/admin/sistem/layanan/{result}')
            return
        ui.notify('Layanan disimpan. Pengurusan yang sedang berjalan tidak berubah.', type='positive')

    def _show(self, error) -> None:
        tell(error)
        if not isinstance(error, Invalid):
            return
        with self.errors:
            for name, message in error.errors.items():
                if name in self.fields:
                    self.fields[name].error = message
                    continue
                section, _, index = name.partition('.')
                where = f'{section.capitalize()} baris {int(index) + 1}' if index else section.capitalize()
                ui.label(f'{where}: {message}').classes('text-negative text-sm')
