"""Unduh surat (PDF) from Lacak: the stored letter itself, for the right Nomor Pendaftaran + NIK of a finished
application whose layanan the superadmin marked deliverable online; each download rate-limited and audited."""

from __future__ import annotations

from nicegui import run

from apok_ui.printing import arsip, cetak
from apok_ui.printing import queries as queries_cetak
from apok_ui.services import batas
from apok_ui.services.errors import NotFound
from apok_ui.services.permohonan import NOT_FOUND_MESSAGE
from apok_ui.services.terbit import record_download


def offered(nomor_pendaftaran: str, nik: str) -> bool:
    """Return whether Lacak offers Unduh surat for this pair (read only; the download checks again)."""
    return queries_cetak.unduhan(nomor_pendaftaran, nik) is not None


async def download(nomor_pendaftaran: str, nik: str, ip: str) -> tuple[bytes, str]:
    """Return the authentic letter and its file name; refuse a wrong pair, a layanan kept offline or too many
    downloads from one address (batas.Dibatasi), with the message Lacak shows for an unknown pair."""
    batas.check_download(ip)
    found = await run.io_bound(queries_cetak.unduhan, nomor_pendaftaran, nik)
    if found is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    pengurusan_id, kode, nomor_surat = found
    rencana = None
    if await run.io_bound(arsip.stored_row, pengurusan_id) is None:
        rencana = await run.io_bound(queries_cetak.late_plan, pengurusan_id, cetak.base_url())
    pdf = await arsip.letter_bytes(pengurusan_id, rencana)
    await run.io_bound(record_download, pengurusan_id=pengurusan_id, ip=ip)
    return pdf, cetak.file_name(kode, nomor_surat)
