"""Verifikasi (/verifikasi/{token}): what the printed QR opens; says whether APOK issued the letter, on a phone.

Anything that is not a known token, however odd, gets the same calm "tidak ditemukan" page; the token is never
echoed back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import run, ui

from apok_ui import theme
from apok_ui.components.frame import public_frame
from apok_ui.printing import keaslian
from apok_ui.printing import queries as queries_cetak
from apok_ui.printing.keaslian import HasilBerkas, KeadaanSurat
from apok_ui.printing.queries import SuratTerdaftar
from models.waktu import format_tanggal

logger = logging.getLogger(__name__)

SARAN = (
    'Pindai ulang kode QR pada surat dengan kamera yang terang dan fokus.',
    'Bila Anda mengetik alamatnya, pastikan seluruh tautan tersalin tanpa terpotong.',
    'Bila tetap tidak ditemukan, tanyakan ke kantor camat yang tertera pada kop surat.',
)


async def page(token: str = '') -> None:
    """Show whether the letter behind a QR token is registered, with its public details."""
    ui.add_head_html('<meta name="robots" content="noindex">')  # verification pages are not for search engines
    try:
        surat = await run.io_bound(queries_cetak.verifikasi, token)
        gangguan = False
    except Exception:  # the database is down: say so, rather than call a genuine letter unknown
        logger.exception('verifikasi surat: the database could not be read')
        surat, gangguan = None, True
    keadaan = await run.io_bound(keaslian.keadaan, token) if surat is not None else None
    with public_frame('Verifikasi Surat'):
        if surat is not None:
            _terdaftar(surat)
            _tanda_tangan(keadaan)
            if keadaan is not None:
                _periksa_berkas(token)
        elif gangguan:
            _gangguan()
        else:
            _tidak_ditemukan()


def _terdaftar(surat: SuratTerdaftar) -> None:
    with ui.card().classes('w-full gap-3 p-4 bg-green-50 border border-green-600').mark('surat-terdaftar'):
        with ui.row().classes('items-center no-wrap gap-2'):
            ui.icon('verified', size='32px', color='positive').classes('shrink-0')
            ui.label('Surat ini terdaftar di APOK').classes('text-lg font-semibold text-positive leading-tight')
        ui.label(
            f'Surat ini diterbitkan oleh Kecamatan {surat.kecamatan_nama}. Cocokkan data di bawah dengan surat yang '
            'Anda pegang.'
        ).classes('text-sm')
        with ui.column().classes('w-full gap-2'):
            _baris('Nomor surat', surat.nomor_surat, 'nomor-surat')
            _baris('Layanan', surat.layanan_nama, 'layanan')
            _baris('Nama pemohon', surat.nama_samaran, 'nama')
            _baris('Tanggal surat', format_tanggal(surat.tanggal), 'tanggal')
            _baris('Penandatangan', f'{surat.penandatangan_jabatan}: {surat.penandatangan_nama}', 'penandatangan')
            _baris('Status', surat.status.label, 'status')
        ui.label('Nama pemohon disamarkan untuk melindungi data pribadi.').classes('text-xs text-gray-600')


def _tanda_tangan(keadaan: KeadaanSurat | None) -> None:
    """Show how the letter is signed and whether the signature holds, and its SHA-256 to compare a copy with."""
    with ui.card().classes('w-full gap-2 p-4').mark('tanda-tangan'):
        ui.label('Tanda tangan elektronik').classes('text-base font-semibold')
        if keadaan is None or keadaan.ttd == 'tanpa':
            ui.label('Surat ini tidak memakai tanda tangan elektronik (TTE); ditandatangani basah.').mark('tanpa-tte')
        elif keadaan.tanda.sah:
            with ui.row().classes('items-center no-wrap gap-2'):
                ui.icon('verified_user', color='positive', size='24px').classes('shrink-0')
                ui.label('Tanda tangan elektronik sah: dokumen utuh sejak ditandatangani.').classes(
                    'font-medium text-positive'
                ).mark('tte-sah')
            ui.label(f'Ditandatangani dengan sertifikat: {keadaan.tanda.penandatangan}').classes('text-sm break-words')
        else:
            ui.label('Tanda tangan elektronik surat ini tidak dapat dipastikan sah.').classes(
                'font-medium text-negative'
            ).mark('tte-tidak-sah')
        if keadaan is not None and keadaan.demo:
            ui.label(DEMO).classes('text-sm font-medium text-warning').mark('sertifikat-demo')
        if keadaan is not None:
            _baris('SHA-256 dokumen asli', keadaan.sha256, 'sha256')


DEMO = 'Sertifikat DEMONSTRASI: bukan sertifikat BSrE, tidak berlaku sebagai tanda tangan elektronik resmi.'
SAMA = 'Berkas ini sama persis dengan surat asli.'
TIDAK_SAMA = 'Berkas ini tidak sama dengan surat asli.'


def _periksa_berkas(token: str) -> None:
    """Let anyone drop a PDF and learn whether it is exactly the authentic letter; the file is never kept."""
    with ui.card().classes('w-full gap-2 p-4').mark('periksa-berkas'):
        ui.label('Periksa berkas').classes('text-base font-semibold')
        ui.label('Pilih berkas PDF surat yang Anda terima untuk dicocokkan dengan surat asli. Berkas tidak disimpan.')
        hasil = ui.column().classes('w-full gap-1')

        async def received(e) -> None:
            hasil.clear()
            if e.file.size() > keaslian.PERIKSA_MAX_BYTES:
                with hasil:
                    ui.label('Berkas terlalu besar untuk diperiksa (paling besar 10 MB).').classes('text-negative')
                return
            found = await run.io_bound(keaslian.periksa_berkas, token, await e.file.read())
            with hasil:
                _hasil_berkas(found)
            upload.reset()

        upload = (
            ui.upload(auto_upload=True, on_upload=received, max_file_size=keaslian.PERIKSA_MAX_BYTES)
            .props('accept=".pdf,application/pdf" flat bordered label="Pilih berkas PDF"')
            .classes('w-full')
            .mark('periksa-unggah')
        )


def _hasil_berkas(found: HasilBerkas | None) -> None:
    if found is None or not found.sama:
        with ui.row().classes('items-center no-wrap gap-2'):
            ui.icon('gpp_bad', color='negative', size='24px').classes('shrink-0')
            ui.label(TIDAK_SAMA).classes('font-semibold text-negative').mark('berkas-tidak-sama')
        ui.label('Berkas mungkin diubah, atau surat lain. Percayai hanya data pada halaman ini.').classes('text-sm')
    else:
        with ui.row().classes('items-center no-wrap gap-2'):
            ui.icon('task_alt', color='positive', size='24px').classes('shrink-0')
            ui.label(SAMA).classes('font-semibold text-positive').mark('berkas-sama')
        if found.tanda.sah:
            ui.label('Tanda tangan elektroniknya sah.').classes('text-sm').mark('berkas-tte-sah')
        if found.tanda.demo:
            ui.label(DEMO).classes('text-sm text-warning')
    if found is not None:
        ui.label(f'SHA-256 berkas ini: {found.sha256}').classes('text-xs text-gray-600 break-all')


def _baris(label: str, nilai: str, tanda: str) -> None:
    """Show one detail with its label above it, so long values wrap on a narrow phone."""
    with ui.column().classes('w-full gap-0 min-w-0'):
        ui.label(label).classes('text-xs text-gray-600')
        ui.label(nilai).classes('text-base font-medium break-words').mark(f'verifikasi-{tanda}')


def _tidak_ditemukan() -> None:
    with _kartu(
        'search_off',
        'grey-7',
        'Surat tidak ditemukan',
        'Kode pada tautan ini tidak cocok dengan surat mana pun yang diterbitkan melalui APOK.',
        'surat-tidak-ditemukan',
    ):
        with ui.column().classes('gap-1'):
            for saran in SARAN:
                with ui.row().classes('no-wrap items-start gap-2'):
                    ui.icon('chevron_right', size='18px', color='primary').classes('mt-[1px] shrink-0')
                    ui.label(saran).classes('text-sm')
        _ke_beranda()


def _gangguan() -> None:
    with _kartu(
        'cloud_off',
        'warning',
        'Surat belum dapat diperiksa',
        'Layanan verifikasi sedang mengalami gangguan. Silakan coba lagi beberapa saat lagi.',
        'verifikasi-gangguan',
    ):
        _ke_beranda()


@contextmanager
def _kartu(icon: str, color: str, title: str, text: str, marker: str) -> Iterator[None]:
    """Show a card that explains why no letter is shown: an icon, a title and a sentence; the caller adds the rest."""
    with ui.card().classes('w-full gap-3 p-4').mark(marker):
        with ui.row().classes('items-center no-wrap gap-2'):
            ui.icon(icon, size='32px', color=color).classes('shrink-0')
            ui.label(title).classes('text-lg font-semibold leading-tight')
        ui.label(text).classes('text-sm')
        yield


def _ke_beranda() -> None:
    ui.button('Ke Beranda', icon='home', on_click=lambda: ui.navigate.to('/')).props('outline no-caps').classes(
        f'w-full sm:w-auto {theme.TAP}'
    )
