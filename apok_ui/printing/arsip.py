"""The archive of issued letters: one PDF per finished application under APOK_DATA_DIR/surat, its SHA-256 in the
database, rendered (and signed) once; what Cetak, Lacak and the verification page hand out or compare against."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from nicegui import run
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from apok_ui import berkas, db
from apok_ui.errors import Invalid, NotFound
from apok_ui.printing import render
from apok_ui.printing.surat_baru import Rencana, letter_folder
from apok_ui.services.terbit import BerkasSurat, store_late
from apok_ui.ttd.sertifikat import SertifikatDitolak
from models import Surat
from models.waktu import now

logger = logging.getLogger(__name__)


def arsip() -> berkas.Gudang:
    """Return the folder of issued letters (random names, never a public URL)."""
    return berkas.Gudang(letter_folder(), max_bytes=0)


async def letter_bytes(pengurusan_id: int, rencana: Rencana | None) -> bytes:
    """Return the stored letter's bytes; without one, render it from the plan, store it, and return what stands."""
    row = await run.io_bound(stored_row, pengurusan_id)
    if row is None and rencana is not None:
        stored = await render_and_store(rencana)
        kept = await run.io_bound(_store_late, pengurusan_id, stored)
        if kept != stored.nama_simpan:
            await run.io_bound(arsip().remove, stored.nama_simpan)
        row = await run.io_bound(stored_row, pengurusan_id)
    if row is None:
        raise NotFound('Surat belum tersedia.')
    return await run.io_bound(_read_checked, row)


def stored_row(pengurusan_id: int) -> Surat | None:
    """Return the stored letter's record, or None."""
    with db.get().read() as session:
        return session.execute(select(Surat).where(Surat.pengurusan_id == pengurusan_id)).scalar()


def _read_checked(row: Surat) -> bytes:
    """Return the stored file, refusing one whose bytes are no longer those recorded (a damaged disk, a hand edit)."""
    pdf = arsip().read(row.nama_simpan)
    if hashlib.sha256(pdf).hexdigest() != row.sha256:
        logger.error(
            'stored letter of pengurusan %s does not match its SHA-256; refusing to hand it out', row.pengurusan_id
        )
        raise Invalid('Berkas surat tersimpan rusak; hubungi Administrator Sistem.')
    return pdf


async def render_and_store(rencana: Rencana) -> BerkasSurat:
    """Render and sign the letter in the print pool and write it to the archive; return what to record."""
    try:
        pdf = await render.render_and_sign_async(rencana.surat, rencana.permintaan)
    except SertifikatDitolak as error:  # checked before, but e.g. the certificate expired in between
        raise Invalid(f'Surat tidak dapat ditandatangani: {error}') from None
    nama = await run.io_bound(arsip().save, pdf, 'pdf')
    return BerkasSurat(
        nama_simpan=nama,
        sha256=hashlib.sha256(pdf).hexdigest(),
        ukuran=len(pdf),
        ttd=rencana.cara.value if rencana.permintaan is not None else 'tanpa',
        demo=rencana.demo,
        sertifikat_subjek=rencana.subjek,
        penandatangan_nama=rencana.surat.penandatangan_nama,
        penandatangan_jabatan=rencana.jabatan.kalimat,
    )


def _store_late(pengurusan_id: int, stored: BerkasSurat) -> str:
    at: datetime = now()
    try:
        return store_late(pengurusan_id=pengurusan_id, surat=stored, at=at)
    except IntegrityError:  # PostgreSQL: a concurrent print recorded one between our check and insert
        row = stored_row(pengurusan_id)
        return row.nama_simpan if row else stored.nama_simpan
