"""Render APOK's finished documents (surat, AK/I card) to PDF with WeasyPrint, off the event loop."""

from __future__ import annotations

import asyncio
import base64
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jinja2
import segno

from apok_ui.assets import ASSETS_DIR
from apok_ui.printing.pekerja import stay_with_parent
from models import jenis_berkas
from models.layanan import UKURAN_KERTAS
from models.waktu import format_tanggal

if TYPE_CHECKING:
    import weasyprint

    from apok_ui.ttd.penanda import PermintaanTtd

PRINT_DIR = ASSETS_DIR / 'print'
TEMPLATE_UMUM = 'umum.html'

logger = logging.getLogger(__name__)
_pool: ProcessPoolExecutor | None = None


@dataclass(frozen=True)
class SuratData:
    """Everything a printed letter shows, as plain picklable values (no ORM objects) for a worker process."""

    layanan_kode: str
    layanan_nama: str
    template: str
    ukuran_kertas: str
    kota: str
    provinsi: str
    kecamatan_nama: str
    kecamatan_alamat: str
    nomor_surat: str
    nomor_pendaftaran: str
    tanggal_surat: date
    pemohon: tuple[tuple[str, str], ...]
    isian: tuple[tuple[str, str], ...]
    penandatangan_nama: str  # the officer who approved last (models.tables.Pengurusan.penandatangan_id)
    penandatangan_nip: str
    penandatangan_jabatan: str  # as the signature prints it, e.g. 'Camat Batam Kota' or 'Kasi Pelayanan'
    verifikasi_url: str
    pas_foto: bytes | None = None
    # The letterhead beside kecamatan_alamat (Kecamatan's kop fields) and its logo (PNG/JPEG; None: the lambang).
    kecamatan_kode_pos: str = ''
    kecamatan_telepon: str = ''
    kecamatan_email: str = ''
    kecamatan_laman: str = ''
    logo: bytes | None = None
    penandatangan_pangkat: str = ''  # pangkat/golongan, e.g. 'Pembina Tk. I, IV/b'
    # The lines above the signature (models.tanda_tangan.jabatan_surat), e.g. ('a.n. CAMAT BATAM KOTA',
    # 'SEKRETARIS CAMAT,'); empty: the jabatan in capitals.
    ttd_baris: tuple[str, ...] = ()
    # How it is signed electronically (models.tanda_tangan.CaraTtd value) and whether with a demonstration
    # certificate: the letter says so in words beside the QR.
    ttd: str = 'tanpa'
    demo: bool = False
    waktu_ttd: str = ''  # when it was signed, as the block prints it: '1 Des 2026 17:40 WIB'


class UrlDitolak(ValueError):
    """A print template asked for a resource outside assets/ (remote, or a local file elsewhere)."""


def render_letter(data: SuratData) -> bytes:
    """Return the PDF of a finished letter; a pure function of its data, so it runs in any worker process."""
    import weasyprint

    stay_with_parent()  # in a print worker: end with the server, even one killed with SIGKILL

    html = build_html(data)
    return weasyprint.HTML(string=html, base_url=ASSETS_DIR.as_uri() + '/', url_fetcher=asset_url_fetcher()).write_pdf()


def render_and_sign(data: SuratData, permintaan: PermintaanTtd | None) -> bytes:
    """Return the PDF of a letter, signed (PAdES) when a signature is asked for, its signature field placed over
    the block that says 'Ditandatangani secara elektronik' (a reader shows the signature there); runs in a worker."""
    from apok_ui.ttd.penanda import penanda_for

    if permintaan is None:
        return render_letter(data)
    import weasyprint

    document = weasyprint.HTML(
        string=build_html(data), base_url=ASSETS_DIR.as_uri() + '/', url_fetcher=asset_url_fetcher()
    ).render()
    kotak = _signature_box(document)
    if kotak is not None:
        permintaan = replace(permintaan, halaman=kotak[0], kotak=kotak[1])
    return penanda_for(permintaan).sign(document.write_pdf())


def _signature_box(document) -> tuple[int, tuple[float, float, float, float]] | None:
    """Return the page and PDF rectangle (points, origin bottom left) of the electronic-signature block, if any."""
    for index, page in enumerate(document.pages):
        box = page.anchors.get('ttd-elektronik')
        if box:
            x1, y1, x2, y2 = box  # CSS px from the top left; the PDF counts 0.75 pt per px from the bottom
            return index, (x1 * 0.75, (page.height - y2) * 0.75, x2 * 0.75, (page.height - y1) * 0.75)
    return None


async def render_letter_async(data: SuratData) -> bytes:
    """Return the PDF rendered in a worker process, so the event loop keeps serving every other officer meanwhile."""
    return await in_print_pool(render_letter, data)


async def render_and_sign_async(data: SuratData, permintaan: PermintaanTtd | None) -> bytes:
    """Return the rendered and signed PDF from a worker process (signing is CPU work too)."""
    return await in_print_pool(render_and_sign, data, permintaan)


async def in_print_pool(function: Callable[..., bytes], *args: object) -> bytes:
    """Return a print function's result from a worker process (a thread if no process can run it)."""
    from nicegui import run  # late import: worker processes import this module and need none of NiceGUI

    try:
        if run.process_pool is not None:
            pdf = await run.cpu_bound(function, *args)
        else:  # no NiceGUI app has started (plain pytest, bench, CLI): NiceGUI's pool does not exist yet
            pdf = await _render_in_own_pool(function, *args)
    except BrokenProcessPool:  # a worker died (killed, out of memory): print in a thread rather than fail the officer
        _discard_own_pool()
        pdf = await run.io_bound(function, *args)
    if pdf is None:  # NiceGUI answers None instead of raising when the app stops or the call is cancelled
        raise asyncio.CancelledError
    return pdf


def warm_up() -> None:
    """Import WeasyPrint and compile the templates now, so the first officer who prints does not wait for it."""
    stay_with_parent()
    _load()
    _warn_if_slow_font_subsetting()


async def warm_up_soon() -> None:
    """warm_up in a worker thread once the server is up (an app.on_startup handler): 1.5 s of a start-up that the
    first page need not wait for (issue 18); a letter asked for meanwhile waits for the same import, no longer."""
    from nicegui import run

    await run.io_bound(warm_up)


async def warm_up_workers() -> None:
    """Start NiceGUI's print workers now and load WeasyPrint in each (about 3 s of a fresh worker's time).

    Workers are spawned on demand, so without this the first letter after a restart waits for a new process to
    import APOK and WeasyPrint. Run once at start-up in production, in the background.
    """
    from nicegui import run

    pool = run.process_pool
    if pool is None:
        return
    workers = getattr(pool, '_max_workers', None) or os.cpu_count() or 1
    # One call per worker at once: the pool spawns a new process for each call that finds no idle worker.
    await asyncio.gather(*(run.cpu_bound(_warm_worker) for _ in range(workers)))


def _load() -> ModuleType:
    """Import WeasyPrint (the import alone takes ~0.7 s) and compile every template; return the module."""
    import weasyprint

    for name in _template_names():
        _environment().get_template(name)
    import pyhanko.sign.signers  # noqa: F401  # ~1 s: the first signature must not pay for it
    import pyhanko.sign.validation  # noqa: F401

    return weasyprint


def _warm_worker() -> None:
    """Load WeasyPrint in a worker process and lay out one line, so its fonts are found too."""
    stay_with_parent()
    _load().HTML(string='<p>APOK</p>').write_pdf()


def build_html(data: SuratData) -> str:
    """Return the letter as self-contained HTML (resources only as assets/ file URLs and data: URIs)."""
    template = _environment().get_template(_pick_template(data.template))
    return template.render(
        surat=data,
        kota=data.kota.upper(),
        kecamatan=data.kecamatan_nama.upper(),
        tanggal=format_tanggal(data.tanggal_surat),
        ukuran=_page_size(data.ukuran_kertas),
        assets_url=ASSETS_DIR.as_uri(),
        qr=_qr_data_uri(data.verifikasi_url),
        foto=_foto_data_uri(data.pas_foto),
        logo=_foto_data_uri(data.logo),
        kontak=kop_kontak(data),
    )


def preview_html(data: SuratData) -> str:
    """Return the letter as a page a browser shows by itself (in a sandboxed iframe): the stylesheet inlined and the
    lambang as a data: URI, since a browser may not read assets/ from disk."""
    html = build_html(data)
    css = (PRINT_DIR / 'surat.css').read_text(encoding='utf-8')
    lambang = base64.b64encode((ASSETS_DIR / 'static' / 'lambang.svg').read_bytes()).decode('ascii')
    html = html.replace(
        f'<link rel="stylesheet" href="{ASSETS_DIR.as_uri()}/print/surat.css">', f'<style>{css}</style>'
    )
    return html.replace(f'{ASSETS_DIR.as_uri()}/static/lambang.svg', f'data:image/svg+xml;base64,{lambang}')


def kop_kontak(data: SuratData) -> str:
    """Return the letterhead's second line: telephone, email and website of the kecamatan, those that are set."""
    parts = [f'Telp. {data.kecamatan_telepon}' if data.kecamatan_telepon else '']
    parts += [f'Email: {data.kecamatan_email}' if data.kecamatan_email else '', data.kecamatan_laman]
    return ' · '.join(part for part in parts if part)


def check_url(url: str) -> str:
    """Return the URL if a letter may load it (a data: URI or a file inside assets/); raise UrlDitolak otherwise."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == 'data':
        return url
    if scheme == 'file' and parts.netloc in ('', 'localhost'):
        # resolve() collapses '..' and symlinks, so an escaped path cannot pass the prefix test
        path = Path(url2pathname(parts.path)).resolve()
        if path.is_relative_to(ASSETS_DIR.resolve()):
            return url
    raise UrlDitolak(f'Print resources must come from assets/ or data: URIs, refused: {url[:120]}')


@cache
def _fetcher_type() -> type[weasyprint.URLFetcher]:
    """Return the URLFetcher subclass, built on first use so importing this module does not import WeasyPrint."""
    import weasyprint

    class AssetFetcher(weasyprint.URLFetcher):
        """WeasyPrint's fetcher restricted by check_url: no network, no files outside assets/."""

        def fetch(self, url: str, headers: dict | None = None) -> weasyprint.urls.URLFetcherResponse:
            return super().fetch(check_url(url), headers)

    return AssetFetcher


def asset_url_fetcher() -> weasyprint.URLFetcher:
    """Return a WeasyPrint URL fetcher that serves only data: URIs and files inside assets/, refusing all else."""
    return _fetcher_type()(allowed_protocols=('data', 'file'), allow_redirects=False, timeout=5)


@cache
def _environment() -> jinja2.Environment:
    """Return the Jinja2 environment; autoescape everywhere because every value may come from a citizen."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(PRINT_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


@cache
def _template_names() -> frozenset[str]:
    """Return the letter templates a layanan may name (every page template except the shared base)."""
    return frozenset(path.name for path in PRINT_DIR.glob('*.html') if path.name != 'base.html')


def _pick_template(name: str) -> str:
    """Return the template to print with: the named one if it exists, else the general letter."""
    return name if name in _template_names() else TEMPLATE_UMUM


def _page_size(ukuran_kertas: str) -> str:
    """Return the CSS @page size of a paper name; only sizes from this table ever reach the stylesheet."""
    try:
        return UKURAN_KERTAS[ukuran_kertas.strip().upper()]
    except KeyError:
        raise ValueError(f'Unknown ukuran_kertas {ukuran_kertas!r}; expected one of {sorted(UKURAN_KERTAS)}') from None


def _qr_data_uri(url: str) -> str:
    """Return the QR code of the verification URL as an SVG data: URI (vector, so it scans at any print size)."""
    return segno.make(url, error='m', micro=False).svg_data_uri(border=4, dark='#000')


def _foto_data_uri(foto: bytes | None) -> str | None:
    """Return the pas foto as a data: URI if it really is JPEG or PNG, so no other format reaches the renderer."""
    if not foto:
        return None
    jenis = jenis_berkas.jenis_of(foto)
    if jenis not in jenis_berkas.GAMBAR:
        return None
    return f'data:{jenis_berkas.CONTENT_TYPE[jenis]};base64,{base64.b64encode(foto).decode("ascii")}'


def _warn_if_slow_font_subsetting() -> None:
    """Log one line for the operator when HarfBuzz-subset is missing, which makes every letter ~4x slower."""
    from weasyprint.text import ffi

    if getattr(ffi, 'harfbuzz_subset', None) is None:
        logger.warning('libharfbuzz-subset0 is not installed: WeasyPrint subsets fonts with fontTools (~4x slower)')


async def _render_in_own_pool(function: Callable[..., bytes], *args: object) -> bytes | None:
    """Return the PDF from this module's own process pool, or from a thread when no process can be started."""
    from nicegui import run

    pool = _own_pool()
    if pool is None:
        return await run.io_bound(function, *args)
    return await asyncio.get_running_loop().run_in_executor(pool, function, *args)


def _own_pool() -> ProcessPoolExecutor | None:
    """Return the fallback process pool, created on first use; None where the platform cannot start processes."""
    global _pool  # noqa: PLW0603  # one pool per process, like NiceGUI's own
    if _pool is None:
        try:
            # spawn, not fork: forking a process that already runs threads (event loop, pytest) can deadlock
            context = multiprocessing.get_context('spawn')
            _pool = ProcessPoolExecutor(
                max_workers=min(os.cpu_count() or 1, 4), mp_context=context, initializer=warm_up
            )
        except (OSError, NotImplementedError, ImportError):
            return None
    return _pool


def _discard_own_pool() -> None:
    """Forget a broken fallback pool so the next print starts a fresh one."""
    global _pool  # noqa: PLW0603
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
