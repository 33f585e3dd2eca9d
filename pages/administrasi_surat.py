"""Surat Digital (superadmin): the nomor surat pattern, and per kecamatan its letterhead (with a live preview of a
sample letter), how its letters are signed, its certificates and the Camat's delegations."""

from __future__ import annotations

from nicegui import run, ui
from starlette.responses import RedirectResponse

from apok_ui import auth, theme
from apok_ui.components.admin_frame import admin_frame, show_errors
from apok_ui.components.aksi import announce, busy, perform, tell
from apok_ui.components.delegasi import DelegasiCard
from apok_ui.components.guard import officer_page
from apok_ui.queries import surat_admin as q
from apok_ui.queries.workspace import Officer
from apok_ui.services import kop_surat, sertifikat
from apok_ui.services.kop_surat import DataKop
from models.akses import Kelola
from models.penomoran import PLACEHOLDER, Lingkup
from models.tanda_tangan import CaraTtd
from models.waktu import format_tanggal, to_wib

KOP_FIELDS = (
    ('alamat', 'Alamat kantor'),
    ('kode_pos', 'Kode pos'),
    ('telepon', 'Telepon'),
    ('email', 'Email'),
    ('laman', 'Laman'),
)
P12_ACCEPT = '.p12,.pfx,application/x-pkcs12'


async def page() -> RedirectResponse | None:
    """Show the numbering and one kecamatan's letter settings (the picker switches kecamatan)."""
    officer = await officer_page(Kelola.KECAMATAN)
    if not isinstance(officer, Officer):
        return officer
    pilihan = await run.io_bound(q.kecamatan_pilihan)
    aturan = await run.io_bound(q.penomoran)
    with admin_frame(officer, Kelola.KECAMATAN):
        ui.label('Surat Digital').classes('text-xl font-semibold')
        _penomoran(officer, aturan.pola, aturan.lingkup)
        pilih = ui.select(pilihan, label='Kecamatan', value=next(iter(pilihan), None)).props('outlined')
        pilih.classes('w-full sm:w-80').mark('pilih-kecamatan')
        area = ui.column().classes('w-full gap-4')

        async def show() -> None:
            area.clear()
            kop_ = await run.io_bound(q.kop, pilih.value) if pilih.value else None
            if kop_ is None:
                return
            with area:
                await _Kecamatan(officer, kop_, aturan.pola, show).build()

        pilih.on_value_change(show)
        await show()
        await _akar(officer)
    return None


async def _akar(officer: Officer) -> None:
    """List the roots the verification page trusts and take another (PEM or DER), e.g. BSrE's."""
    rows = await run.io_bound(q.akar)
    with ui.card().classes('w-full gap-2 p-4').props('flat bordered').mark('akar'):
        ui.label('Sertifikat akar tepercaya (untuk verifikasi)').classes('text-base font-semibold')
        for row in rows:
            demo = ' · DEMO, bukan BSrE' if row.demo else ''
            ui.label(f'{row.subjek}, berlaku s.d. {format_tanggal(to_wib(row.berlaku_sampai).date())}{demo}').classes(
                'text-sm break-words'
            )
        isi: list[bytes] = []

        async def received(e) -> None:
            isi[:] = [await e.file.read()]

        async def install() -> None:
            galat.set_text('')
            if not isi:
                galat.set_text('Pilih berkas sertifikat akar (.pem, .crt atau .cer).')
                return
            info, error = await perform(
                sertifikat.install_root, actor=auth.actor(officer), pem=isi[0], ip=auth.client_ip()
            )
            if error:
                galat.set_text(getattr(error, 'errors', {}).get('berkas', str(error)))
                return
            ui.notify(f'Sertifikat akar {info.subjek} dipercaya.', type='positive')

        ui.upload(auto_upload=True, on_upload=received, max_file_size=sertifikat.AKAR_MAX_BYTES).props(
            'accept=".pem,.crt,.cer,.der" flat bordered'
        ).classes('w-full').mark('akar-berkas')
        galat = ui.label().classes('text-negative text-sm').mark('akar-galat')
        ui.button('Percayai', icon='verified', on_click=install).props('unelevated no-caps').classes(theme.TAP).mark(
            'akar-pasang'
        )


def _penomoran(officer: Officer, pola: str, lingkup: str) -> None:
    with ui.card().classes('w-full gap-2 p-4').props('flat bordered').mark('penomoran'):
        ui.label('Nomor surat').classes('text-base font-semibold')
        ui.label('Penanda: ' + ', '.join(f'{{{name}}}' for name in PLACEHOLDER)).classes('text-sm text-gray-600')
        fields = {
            'pola': ui.input('Pola nomor surat', value=pola).props('outlined').classes('w-full').mark('isian-pola'),
            'lingkup': ui.select({x.value: x.label for x in Lingkup}, label='Nomor urut dihitung', value=lingkup)
            .props('outlined')
            .classes('w-full')
            .mark('isian-lingkup'),
        }
        simpan = ui.button('Simpan pola', icon='save').props('unelevated no-caps').classes(theme.TAP)
        simpan.mark('simpan-pola')

        async def save() -> None:
            for element in fields.values():
                element.error = None
            with busy(simpan):
                _, error = await perform(
                    kop_surat.save_penomoran,
                    actor=auth.actor(officer),
                    pola=fields['pola'].value or '',
                    lingkup=fields['lingkup'].value or '',
                    ip=auth.client_ip(),
                )
            if error:
                show_errors(error, fields)
                return
            ui.notify('Pola nomor surat disimpan; berlaku untuk surat berikutnya.', type='positive')

        simpan.on_click(save)


class _Kecamatan:
    """One kecamatan's letterhead, signing, certificates and delegations."""

    def __init__(self, officer: Officer, kop_: q.Kop, pola: str, reload) -> None:
        self.officer, self.kop, self.pola, self.reload = officer, kop_, pola, reload
        self.logo: bytes | None = None  # a new logo waiting for Simpan; b'' removes the current one
        self.client = ui.context.client

    async def build(self) -> None:
        self._kop_card()
        self._ttd_card()
        await self._sertifikat_card()
        await DelegasiCard(self.officer, self.kop.id).draw()
        await self._preview()

    def _kop_card(self) -> None:
        with ui.card().classes('w-full gap-2 p-4').props('flat bordered').mark('kop-surat'):
            ui.label(f'Kop surat Kecamatan {self.kop.nama}').classes('text-base font-semibold')
            self.fields = {}
            for name, label in KOP_FIELDS:
                element = ui.input(label, value=getattr(self.kop, name)).props('outlined').classes('w-full')
                element.mark(f'isian-{name}').on_value_change(self._preview)
                self.fields[name] = element
            ui.label('Logo (PNG/JPG, paling besar 512 KB; kosong: lambang kota)').classes('text-sm')
            self.logo_upload = ui.upload(auto_upload=True, on_upload=self._logo, max_file_size=kop_surat.LOGO_MAX_BYTES)
            self.logo_upload.props('accept=".png,.jpg,.jpeg" flat bordered').classes('w-full').mark('isian-logo')
            self.logo_galat = ui.label().classes('text-negative text-sm').mark('galat-logo')
            ui.button('Pakai lambang kota', on_click=self._hapus_logo).props('flat no-caps').classes(theme.TAP)
            simpan = ui.button('Simpan kop surat', icon='save').props('unelevated no-caps').classes(theme.TAP)
            simpan.mark('simpan-kop').on_click(lambda: self._save_kop(simpan))
            ui.label('Pratinjau surat berikutnya').classes('text-sm font-medium mt-2')
            self.pratinjau = ui.element('iframe').props('sandbox title="Pratinjau surat"').classes('w-full border')
            self.pratinjau.style('height: 70vh; background: white').mark('pratinjau')

    async def _logo(self, e) -> None:
        self.logo = await e.file.read()
        self.logo_galat.set_text('')
        await self._preview()

    async def _hapus_logo(self) -> None:
        self.logo = b''
        await self._preview()

    def _data(self) -> DataKop:
        return DataKop(**{name: self.fields[name].value or '' for name, _ in KOP_FIELDS}, logo=self.logo)

    async def _preview(self) -> None:
        data = self._data()
        logo = self.kop.logo if data.logo is None else (data.logo or None)
        kop_ = q.Kop(
            self.kop.id,
            self.kop.nama,
            self.kop.kode,
            logo=logo,
            ttd=self.kop.ttd,
            **{name: getattr(data, name) for name, _ in KOP_FIELDS},
        )
        html = await run.io_bound(q.preview_html, kop_, self.pola)
        if html is not None and not self.pratinjau.is_deleted:
            self.pratinjau.props['srcdoc'] = html  # escaped by Jinja; the iframe is sandboxed (no scripts)

    async def _save_kop(self, simpan: ui.button) -> None:
        for element in self.fields.values():
            element.error = None
        self.logo_galat.set_text('')
        with busy(simpan):
            _, error = await perform(
                kop_surat.update_kop,
                actor=auth.actor(self.officer),
                kecamatan_id=self.kop.id,
                data=self._data(),
                ip=auth.client_ip(),
            )
        if error:
            self.logo_galat.set_text(getattr(error, 'errors', {}).get('logo', ''))
            show_errors(error, self.fields)
            return
        announce(self.client, 'Kop surat disimpan; berlaku untuk surat berikutnya.')

    def _ttd_card(self) -> None:
        with ui.card().classes('w-full gap-2 p-4').props('flat bordered').mark('cara-ttd'):
            ui.label('Tanda tangan elektronik').classes('text-base font-semibold')
            cara = ui.select({c.value: c.label for c in CaraTtd}, label='Cara menandatangani', value=self.kop.ttd)
            cara.props('outlined').classes('w-full').mark('isian-cara')

            async def save() -> None:
                _, error = await perform(
                    sertifikat.set_cara_ttd,
                    actor=auth.actor(self.officer),
                    kecamatan_id=self.kop.id,
                    cara=cara.value or '',
                    ip=auth.client_ip(),
                )
                if error:
                    tell(error)
                    return
                announce(self.client, f'Cara tanda tangan: {CaraTtd(cara.value).label}.')
                await self.reload()

            ui.button('Simpan cara', icon='save', on_click=save).props('unelevated no-caps').classes(theme.TAP).mark(
                'simpan-cara'
            )

    async def _sertifikat_card(self) -> None:
        rows = await run.io_bound(q.sertifikat, self.kop.id)
        signers = await run.io_bound(q.penandatangan, self.kop.id)
        with ui.card().classes('w-full gap-2 p-4').props('flat bordered').mark('sertifikat'):
            ui.label('Sertifikat').classes('text-base font-semibold')
            for row in rows:
                demo = ' · DEMO, bukan BSrE' if row.demo else ''
                berlaku = format_tanggal(to_wib(row.berlaku_sampai).date())
                ui.label(f'{row.pemilik}: {row.subjek}, berlaku s.d. {berlaku}{demo}').classes('text-sm break-words')
            if not rows:
                ui.label('Belum ada sertifikat terpasang.').classes('text-sm text-gray-600')
            ui.separator()
            _PasangSertifikat(self, 'segel', 'Pasang segel elektronik kecamatan', None)
            ui.separator()
            _PasangSertifikat(self, 'personal', 'Pasang TTE personal penandatangan', signers)


class _PasangSertifikat:
    """A PKCS#12 upload and its passphrase; every refusal appears beside the upload or the passphrase."""

    def __init__(self, owner: _Kecamatan, jenis: str, judul: str, signers: dict[int, str] | None) -> None:
        self.owner, self.jenis, self.isi = owner, jenis, b''
        ui.label(judul).classes('text-sm font-medium')
        self.petugas = None
        if signers is not None:
            self.petugas = ui.select(signers, label='Penandatangan').props('outlined').classes('w-full')
            self.petugas.mark(f'{jenis}-petugas')
        self.upload = ui.upload(auto_upload=True, on_upload=self._received, max_file_size=64 * 1024)
        self.upload.props(f'accept="{P12_ACCEPT}" flat bordered label="Berkas .p12 / .pfx"').classes('w-full')
        self.upload.mark(f'{jenis}-berkas')
        self.galat = ui.label().classes('text-negative text-sm').mark(f'{jenis}-galat-berkas')
        self.sandi = ui.input('Kata sandi sertifikat', password=True).props('outlined autocomplete=off')
        self.sandi.classes('w-full').mark(f'{jenis}-sandi')
        self.button = ui.button('Pasang', icon='verified_user', on_click=self._install)
        self.button.props('unelevated no-caps').classes(theme.TAP).mark(f'{jenis}-pasang')

    async def _received(self, e) -> None:
        self.isi = await e.file.read()
        self.galat.set_text('')

    async def _install(self) -> None:
        self.galat.set_text('')
        self.sandi.error = None
        if not self.isi:
            self.galat.set_text('Pilih berkas sertifikat (.p12 atau .pfx).')
            return
        actor, ip = auth.actor(self.owner.officer), auth.client_ip()
        if self.jenis == 'segel':
            call, target = sertifikat.install_segel, {'kecamatan_id': self.owner.kop.id}
        else:
            call, target = sertifikat.install_personal, {'petugas_id': (self.petugas.value if self.petugas else 0) or 0}
        with busy(self.button):
            info, error = await perform(call, actor=actor, p12=self.isi, sandi=self.sandi.value or '', ip=ip, **target)
        self.sandi.value = ''  # the passphrase leaves the page at once
        if error:
            errors = getattr(error, 'errors', {})
            self.galat.set_text(errors.get('berkas', ''))
            if 'sandi' in errors:
                self.sandi.error = errors['sandi']
            tell(error)
            return
        announce(self.owner.client, f'Sertifikat {info.subjek} terpasang.')
        await self.owner.reload()
