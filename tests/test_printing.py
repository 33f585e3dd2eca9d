"""Printed letters: every layanan prints its data and a working QR code, safely, and without blocking the event loop."""

from __future__ import annotations

import asyncio
import io
import pickle
import shutil
import subprocess
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from apok_ui.printing.render import (
    ASSETS_DIR,
    UrlDitolak,
    asset_url_fetcher,
    render_letter,
    render_letter_async,
)
from apok_ui.printing.templates import TEMPLATE_LAYANAN, format_tanggal
from tests.samples import contoh_surat

KODE_LAYANAN = tuple(TEMPLATE_LAYANAN)
JUDUL = {
    'AK1': 'KARTU TANDA BUKTI PENDAFTARAN PENCARI KERJA (AK/I)',
    'SKTM': 'SURAT KETERANGAN TIDAK MAMPU',
    'SKD': 'SURAT KETERANGAN DOMISILI',
    'SKAW': 'SURAT KETERANGAN AHLI WARIS',
    'RNK': 'SURAT REKOMENDASI NIKAH',
    'SKP': 'SURAT KETERANGAN PINDAH',
    'IUMK': 'IZIN USAHA MIKRO KECIL (IUMK)',
    'RIK': 'REKOMENDASI IZIN KERAMAIAN',
}
MM = 72 / 25.4

needs_qr_tools = pytest.mark.skipif(
    not (shutil.which('pdftoppm') and shutil.which('zbarimg')),
    reason='reading the QR code needs pdftoppm (Debian poppler-utils) and zbarimg (Debian zbar-tools)',
)


@pytest.fixture(scope='module')
def surat_pdf() -> dict[str, bytes]:
    """Render the sample letter of every layanan once for the whole module."""
    return {kode: render_letter(contoh_surat(kode)) for kode in KODE_LAYANAN}


def pdf_text(pdf: bytes) -> str:
    """Return the text of all pages with runs of whitespace collapsed, as a reader would see it."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return ' '.join(' '.join(page.extract_text() for page in pages).split())


def read_qr_codes(pdf: bytes, folder: Path) -> list[str]:
    """Return every QR code found on the pages rasterised at 150 dpi, the way a phone camera would see a print."""
    (folder / 'surat.pdf').write_bytes(pdf)
    subprocess.run(['pdftoppm', '-r', '150', '-png', 'surat.pdf', 'halaman'], cwd=folder, check=True)
    images = sorted(str(path) for path in folder.glob('halaman*.png'))
    result = subprocess.run(['zbarimg', '--raw', '-q', *images], capture_output=True, text=True, check=False)
    return result.stdout.splitlines()


@pytest.mark.parametrize('kode', KODE_LAYANAN)
def test_every_layanan_prints_its_title_nomor_pemohon_and_camat(surat_pdf: dict[str, bytes], kode: str) -> None:
    surat = contoh_surat(kode)
    text = pdf_text(surat_pdf[kode])
    expected = [
        JUDUL[kode],
        f'Nomor: {surat.nomor_surat}',
        'Budi Santoso',
        surat.penandatangan_nama,
        f'NIP. {surat.penandatangan_nip}',
    ]
    expected += ['PEMERINTAH KOTA BATAM', 'KECAMATAN BATAM KOTA', 'Batam, 29 November 2026', 'CAMAT BATAM KOTA']
    expected += ['Pindai untuk memeriksa keaslian surat']
    for expected_text in expected:
        assert expected_text in text


@needs_qr_tools
@pytest.mark.parametrize('kode', KODE_LAYANAN)
def test_qr_code_on_every_letter_opens_exactly_its_verification_url(
    surat_pdf: dict[str, bytes], kode: str, tmp_path: Path
) -> None:
    assert read_qr_codes(surat_pdf[kode], tmp_path) == [contoh_surat(kode).verifikasi_url]


def test_ak1_prints_as_a_card_with_the_uploaded_pas_foto(surat_pdf: dict[str, bytes]) -> None:
    page = PdfReader(io.BytesIO(surat_pdf['AK1'])).pages[0]
    assert len(page.images) == 1  # the logo and the QR are vector graphics; the only picture is the pas foto
    assert 'No. Pendaftaran: BTK-2611-00007' in pdf_text(surat_pdf['AK1'])


def test_ak1_without_a_usable_photo_prints_an_empty_pas_foto_box() -> None:
    pdf = render_letter(contoh_surat('AK1', pas_foto=b'<svg xmlns="http://www.w3.org/2000/svg"/>'))
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 0
    assert 'Pas foto 3 × 4' in pdf_text(pdf)


def test_name_with_html_and_template_syntax_prints_literally_as_text() -> None:
    nama = '<script>alert(1)</script>{{ 7*7 }} & <b>Budi</b>'
    pemohon = (('Nama', nama), *contoh_surat('SKTM').pemohon[1:])
    pdf = render_letter(contoh_surat('SKTM', pemohon=pemohon, isian=(('Keperluan', '{% raw %}<i>x</i>'),)))
    text = pdf_text(pdf)
    assert nama in text
    assert '{% raw %}<i>x</i>' in text


@pytest.mark.parametrize(('ukuran', 'lebar_mm', 'tinggi_mm'), [('A4', 210, 297), ('F4', 215, 330), ('f4', 215, 330)])
def test_paper_size_sets_the_page_size(ukuran: str, lebar_mm: int, tinggi_mm: int) -> None:
    box = PdfReader(io.BytesIO(render_letter(contoh_surat('SKD', ukuran_kertas=ukuran)))).pages[0].mediabox
    assert float(box.width) == pytest.approx(lebar_mm * MM, abs=0.5)
    assert float(box.height) == pytest.approx(tinggi_mm * MM, abs=0.5)


def test_unknown_paper_size_is_refused_instead_of_guessed() -> None:
    with pytest.raises(ValueError, match='ukuran_kertas'):
        render_letter(contoh_surat('SKD', ukuran_kertas='Letter; } body { display: none'))


@pytest.mark.parametrize(
    'url',
    [
        'http://example.com/logo.png',
        'https://example.com/style.css',
        'ftp://example.com/x',
        'file:///etc/passwd',
        f'{ASSETS_DIR.as_uri()}/../../../etc/passwd',
        f'{ASSETS_DIR.as_uri()}/%2e%2e/%2e%2e/etc/passwd',
        'file://evil.example/share/x.png',
    ],
)
def test_url_fetcher_refuses_everything_outside_assets(url: str) -> None:
    with pytest.raises(UrlDitolak):
        asset_url_fetcher().fetch(url)


def test_url_fetcher_serves_assets_and_data_uris() -> None:
    fetcher = asset_url_fetcher()
    assert b'<svg' in fetcher.fetch(f'{ASSETS_DIR.as_uri()}/static/lambang.svg').read()
    assert fetcher.fetch('data:text/plain;base64,QVBPSw==').read() == b'APOK'


@pytest.mark.parametrize('template', ['tidak-ada.html', '../../../etc/passwd', 'base.html', ''])
def test_unknown_template_prints_the_general_letter_titled_with_the_layanan_name(template: str) -> None:
    surat = contoh_surat('SKD', template=template, layanan_kode='SKU', layanan_nama='Surat Keterangan Usaha')
    assert 'SURAT KETERANGAN USAHA' in pdf_text(render_letter(surat))


def test_dates_are_written_with_indonesian_month_names() -> None:
    assert format_tanggal(date(2026, 11, 29)) == '29 November 2026'
    assert format_tanggal(date(2027, 8, 1)) == '1 Agustus 2027'
    assert [format_tanggal(date(2026, bulan, 2)).split()[1] for bulan in (1, 2, 3, 5, 12)] == [
        'Januari', 'Februari', 'Maret', 'Mei', 'Desember'
    ]  # fmt: skip


def test_surat_data_crosses_a_process_boundary_unchanged() -> None:
    surat = contoh_surat('AK1')
    assert pickle.loads(pickle.dumps(surat)) == surat
    assert pickle.loads(pickle.dumps(render_letter)) is render_letter


def test_event_loop_keeps_ticking_while_twenty_letters_render() -> None:
    pdfs, gaps, total = asyncio.run(render_twenty_while_ticking())
    assert all(pdf.startswith(b'%PDF') for pdf in pdfs)
    assert len(gaps) > 10
    # relative, not absolute: the loop must answer many times while the whole batch is still printing
    assert max(gaps) < total / 5


def test_render_letter_async_uses_nicegui_process_pool_once_the_app_has_started() -> None:
    from nicegui import run

    start_method = run.process_pool_start_method
    run.process_pool_start_method = 'spawn'
    run.setup()  # what NiceGUI does at app start-up
    try:
        pdf = asyncio.run(render_letter_async(contoh_surat('RIK')))
        assert run.process_pool is not None and run.process_pool._processes  # its workers did the printing
    finally:
        run.reset()
        run.process_pool_start_method = start_method
    assert 'REKOMENDASI IZIN KERAMAIAN' in pdf_text(pdf)


async def render_twenty_while_ticking() -> tuple[list[bytes], list[float], float]:
    """Return 20 PDFs printed concurrently, the gaps between 5 ms ticks meanwhile, and the total time."""
    loop = asyncio.get_running_loop()
    gaps: list[float] = []
    done = asyncio.Event()

    async def tick() -> None:
        last = loop.time()
        while not done.is_set():
            await asyncio.sleep(0.005)
            gaps.append(loop.time() - last)
            last = loop.time()

    ticker = asyncio.create_task(tick())
    started = time.perf_counter()
    letters = [replace(contoh_surat(KODE_LAYANAN[i % 8]), nomor_pendaftaran=f'T-{i}') for i in range(20)]
    pdfs = await asyncio.gather(*(render_letter_async(surat) for surat in letters))
    total = time.perf_counter() - started
    done.set()
    await ticker
    return pdfs, gaps, total
