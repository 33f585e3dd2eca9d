"""Cetak: the finished letter as a PDF for the Admin who may print it, each print recorded in the Riwayat.

The PDF goes straight back to the caller as bytes (never a file under a public URL); the page hands it to the
officer's browser.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import TypeVar

from nicegui import run

from apok_ui import services
from apok_ui.printing import queries as queries_cetak
from apok_ui.printing import render as printing
from apok_ui.printing.render import SuratData
from apok_ui.services import Actor, Forbidden, NotFound
from apok_ui.services.common import audit_refusal
from models.workflow import Aksi

T = TypeVar('T')

_base_url: str | None = None


def configure(base_url: str) -> None:
    """Set the address printed QR codes lead to (APOK_BASE_URL); main.py calls it once at start-up."""
    global _base_url  # noqa: PLW0603  # one address per process, like the upload folder
    _base_url = base_url.strip().rstrip('/')


async def letter_pdf(actor: Actor, pengurusan_id: int) -> tuple[bytes, str]:
    """Return the PDF of a finished letter and a safe file name, and record the print; refuse who may not print."""
    base_url = _configured_base_url()
    try:
        surat = await _off_loop(queries_cetak.surat_data, actor, pengurusan_id, base_url)
    except (Forbidden, NotFound) as error:
        # like every officer service: a refusal leaves an audit row and nothing else
        await run.io_bound(audit_refusal, actor, Aksi.CETAK.value, f'pengurusan:{pengurusan_id}', str(error))
        raise
    pdf = await printing.render_letter_async(surat)
    # Recorded only once the PDF exists; the service checks everything again inside its own transaction.
    await _off_loop(services.record_print, actor=actor, pengurusan_id=pengurusan_id)
    return pdf, file_name(surat)


def file_name(surat: SuratData) -> str:
    """Return the download name of a letter, e.g. 'SKTM-400-007-BTK-XI-2026.pdf' (letters, digits, '.', '-')."""
    stem = re.sub(r'[^A-Za-z0-9.]+', '-', f'{surat.layanan_kode}-{surat.nomor_surat}').strip('-.')
    return f'{stem[:100] or "surat"}.pdf'


def _configured_base_url() -> str:
    if _base_url is None:
        raise RuntimeError(
            'apok_ui.printing.cetak is not configured: call cetak.configure(settings.base_url) at start-up'
        )
    return _base_url


async def _off_loop(function: Callable[..., T], *args: object, **kwargs: object) -> T:
    """Return the result of a blocking function run in a thread, so the event loop keeps serving other officers."""
    result = await run.io_bound(function, *args, **kwargs)
    if result is None:  # NiceGUI answers None instead of raising when the app stops or the call is cancelled
        raise asyncio.CancelledError
    return result
