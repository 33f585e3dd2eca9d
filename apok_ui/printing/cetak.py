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
from apok_ui.printing import arsip
from apok_ui.printing import queries as queries_cetak
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
    """Return the stored PDF of a finished letter (byte for byte the one issued) and a safe file name, and record
    the print; refuse who may not print. A letter finished before letters were kept is rendered and stored now."""
    base_url = _configured_base_url()
    try:
        kode, nomor = await _off_loop(queries_cetak.cetak_info, actor, pengurusan_id)
        rencana = None
        if await run.io_bound(arsip.stored_row, pengurusan_id) is None:
            rencana = await _off_loop(queries_cetak.letter_plan, actor, pengurusan_id, base_url)
    except (Forbidden, NotFound) as error:
        # like every officer service: a refusal leaves an audit row and nothing else
        await run.io_bound(audit_refusal, actor, Aksi.CETAK.value, f'pengurusan:{pengurusan_id}', str(error))
        raise
    pdf = await arsip.letter_bytes(pengurusan_id, rencana)
    # Recorded only once the PDF exists; the service checks everything again inside its own transaction.
    await _off_loop(services.record_print, actor=actor, pengurusan_id=pengurusan_id)
    return pdf, file_name(kode, nomor)


def file_name(layanan_kode: str, nomor_surat: str) -> str:
    """Return the download name of a letter, e.g. 'SKTM-400-007-BTK-XI-2026.pdf' (letters, digits, '.', '-')."""
    stem = re.sub(r'[^A-Za-z0-9.]+', '-', f'{layanan_kode}-{nomor_surat}').strip('-.')
    return f'{stem[:100] or "surat"}.pdf'


def base_url() -> str:
    """Return the configured public address (APOK_BASE_URL) that QR codes lead to."""
    return _configured_base_url()


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
