"""The citizen's form: place, applicant data, the layanan's extra fields and one upload per requirement.

Every field is keyed as the services key their errors ('nik', 'isian.<kode>', 'berkas.<kode>', 'kecamatan', …), so a
message lands beside its field. Nothing is rebuilt on an error: what was typed and uploaded stays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from apok_ui.berkas import Unggahan
from apok_ui.components.form_berkas import CSS as UPLOAD_CSS
from apok_ui.components.form_berkas import BerkasInput
from apok_ui.components.isian_input import isian_input
from apok_ui.components.tanggal_input import tanggal_input
from apok_ui.queries.publik import Isian, KecamatanPublik, LayananPublik
from models.kabar import Kanal
from models.permohonan import PILIHAN, TANPA_KABAR, DataPemohon

SECTION = 'w-full gap-3 p-4'
HEADING = 'text-base font-semibold text-primary'
# Why the contact is asked for, said where it is asked (UU 27/2022 on personal data: one stated purpose).
KABAR_TUJUAN = (
    'No HP dan email hanya dipakai untuk mengabarkan perkembangan permohonan ini, tidak untuk hal lain '
    '(UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi).'
)
TEXT_FIELDS = ('nik', 'nama', 'tempat_lahir', 'tanggal_lahir', 'pekerjaan', 'alamat', 'rt', 'rw', 'no_hp', 'email')


class FormPemohon:
    """The form's fields by error key, the uploads by requirement, and the chosen place."""

    def __init__(
        self,
        layanan: LayananPublik,
        *,
        max_bytes: int,
        wilayah: list[KecamatanPublik] | None = None,
        awal: DataPemohon | None = None,
        berkas_lama: dict[str, str] | None = None,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.fields: dict[str, Any] = {}
        self.berkas: dict[str, BerkasInput] = {}
        self._on_change = on_change or (lambda: None)
        self._wilayah = {k.id: k for k in wilayah or []}
        if wilayah is not None:
            self._place_section()
        self._pemohon_section(awal or DataPemohon())
        if layanan.isian:
            self._isian_section(layanan.isian, (awal.isian if awal else {}))
        self._berkas_section(layanan, max_bytes, berkas_lama or {})

    @property
    def kecamatan_id(self) -> int | None:
        """Return the chosen kecamatan's id."""
        return self.fields['kecamatan'].value if 'kecamatan' in self.fields else None

    @property
    def kelurahan_id(self) -> int | None:
        """Return the chosen kelurahan's id."""
        return self.fields['kelurahan'].value if 'kelurahan' in self.fields else None

    def data(self) -> DataPemohon:
        """Return what was typed, as typed (the services clean it)."""
        values = {name: self.fields[name].value or '' for name in (*TEXT_FIELDS, *PILIHAN)}
        isian = {key.split('.', 1)[1]: el.value or '' for key, el in self.fields.items() if key.startswith('isian.')}
        return DataPemohon(**values, isian=isian, kabar_kanal=self.fields['kabar_kanal'].value or '')

    def uploads(self) -> list[Unggahan]:
        """Return the accepted files, one per requirement that has one."""
        return [b.unggahan for b in self.berkas.values() if b.unggahan is not None]

    def show_errors(self, errors: dict[str, str]) -> Any:
        """Put each message beside its field and return the first field with an error (to scroll to)."""
        first = None
        for key, message in errors.items():
            if key.startswith('berkas.') and key[7:] in self.berkas:
                self.berkas[key[7:]].set_error(message)
                target = self.berkas[key[7:]].box
            elif key in self.fields:
                self.fields[key].error = message
                target = self.fields[key]
            else:
                continue
            first = first or target
        return first

    def error_count(self) -> int:
        """Return how many fields and uploads still show a message."""
        return sum(1 for e in self.fields.values() if e.error) + sum(1 for b in self.berkas.values() if b.error.text)

    def clear_errors(self) -> None:
        """Remove every message."""
        for element in self.fields.values():
            element.error = None
        for upload in self.berkas.values():
            upload.set_error(None)

    def _place_section(self) -> None:
        options = {k.id: k.nama for k in self._wilayah.values()}
        with ui.card().classes(SECTION):
            ui.label('Wilayah').classes(HEADING)
            ui.label('Kecamatan tempat Anda tinggal; permohonan diproses oleh kantor camat ini.').classes(
                'text-sm text-gray-600'
            )
            kecamatan = self._field('kecamatan', ui.select(options, label='Kecamatan'))
            kelurahan = self._field('kelurahan', ui.select({}, label='Kelurahan'))
            kelurahan.disable()

            def kecamatan_chosen() -> None:
                chosen = self._wilayah.get(kecamatan.value)
                kelurahan.set_options(dict(chosen.kelurahan) if chosen else {}, value=None)
                kelurahan.set_enabled(chosen is not None)

            kecamatan.on_value_change(kecamatan_chosen)

    def _pemohon_section(self, awal: DataPemohon) -> None:
        with ui.card().classes(SECTION):
            ui.label('Data Pemohon').classes(HEADING)
            ui.label('Isi sesuai KTP.').classes('text-sm text-gray-600')
            self._input('nik', 'NIK', awal, hint='16 angka pada KTP', props='inputmode=numeric autocomplete=off')
            self._input('nama', 'Nama lengkap', awal, props='autocomplete=name')
            self._input('tempat_lahir', 'Tempat lahir', awal)
            self._field('tanggal_lahir', tanggal_input('Tanggal lahir', awal.tanggal_lahir))
            self._choice('jenis_kelamin', 'Jenis kelamin', awal)
            self._choice('agama', 'Agama', awal)
            self._input('pekerjaan', 'Pekerjaan', awal, hint='contoh: Karyawan Swasta')
            self._choice('status_perkawinan', 'Status perkawinan', awal)
            self._field('alamat', ui.textarea('Alamat', value=awal.alamat).props('autogrow rows=2'))
            with ui.row().classes('w-full no-wrap gap-3'):
                for name in ('rt', 'rw'):
                    field = self._input(name, name.upper(), awal, hint='contoh: 004', props='inputmode=numeric')
                    field.classes('flex-1 min-w-0', remove='w-full')
            self._input(
                'no_hp', 'No HP (WhatsApp)', awal, hint='contoh: 0812 3456 7890', props='type=tel autocomplete=tel'
            )
            self._input('email', 'Email (opsional)', awal, props='type=email autocomplete=email')
            self._kabar(awal)

    def _kabar(self, awal: DataPemohon) -> None:
        """Ask how the citizen wants to hear about the application: an explicit choice, nothing chosen for them."""
        pilihan = {
            Kanal.WHATSAPP.value: 'WhatsApp (No HP di atas)',
            Kanal.EMAIL.value: 'Email',
            TANPA_KABAR: 'Tidak perlu',
        }
        label = 'Kabari perkembangan lewat'  # fits a 360 px phone; the line below says what for
        self._field('kabar_kanal', ui.select(pilihan, label=label, value=awal.kabar_kanal or TANPA_KABAR))
        ui.label(KABAR_TUJUAN).classes('text-xs text-gray-600 -mt-2')

    def _isian_section(self, isian: tuple[Isian, ...], values: dict[str, Any]) -> None:
        with ui.card().classes(SECTION):
            ui.label('Keterangan Permohonan').classes(HEADING)
            for item in isian:
                label = item.label if item.wajib else f'{item.label} (opsional)'
                element = isian_input(label, str(values.get(item.kode) or ''), item.jenis, item.pilihan)
                self._field(f'isian.{item.kode}', element)

    def _berkas_section(self, layanan: LayananPublik, max_bytes: int, lama: dict[str, str]) -> None:
        ui.add_css(UPLOAD_CSS)
        with ui.card().classes(SECTION):
            ui.label('Berkas Persyaratan').classes(HEADING)
            hint = 'Foto yang jelas atau hasil pindai (scan). Satu berkas untuk setiap persyaratan.'
            if lama:
                hint = 'Berkas yang sudah dikirim tetap dipakai; ganti hanya yang perlu diperbaiki.'
            ui.label(hint).classes('text-sm text-gray-600')
            for index, item in enumerate(layanan.persyaratan):
                if index:
                    ui.separator()
                self.berkas[item.kode] = BerkasInput(
                    item, max_bytes=max_bytes, lama=lama.get(item.kode), on_change=lambda: self._on_change()
                )

    def _input(self, name: str, label: str, awal: DataPemohon, *, hint: str = '', props: str = '') -> ui.input:
        value = getattr(awal, name)
        element = ui.input(label, value=value.isoformat() if hasattr(value, 'isoformat') else str(value or ''))
        if hint:
            element.props(f'hint="{hint}"')
        return self._field(name, element.props(props))

    def _choice(self, name: str, label: str, awal: DataPemohon) -> ui.select:
        value = getattr(awal, name) or None
        return self._field(name, ui.select(list(PILIHAN[name]), label=label, value=value))

    def _field(self, key: str, element: Any) -> Any:
        """Register a field under its error key; typing into it clears its message."""
        element.props('outlined').classes('w-full').mark(f'field-{key}')
        element.on_value_change(lambda: self._changed(element))
        self.fields[key] = element
        return element

    def _changed(self, element: Any) -> None:
        if element.error:
            element.error = None
            self._on_change()
