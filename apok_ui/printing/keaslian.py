"""Is this the authentic letter? The public answers behind a QR token: how the stored letter is signed and whether
its signature holds, its SHA-256, and whether a file someone drops is exactly that letter (the file is never kept)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from apok_ui import db
from apok_ui.printing import arsip
from apok_ui.printing.queries import TOKEN_RE
from apok_ui.printing.surat_baru import trusted_roots
from apok_ui.ttd.periksa import HasilTtd, check_signature
from models import Pengurusan, Surat
from models import workflow as wf

PERIKSA_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class KeadaanSurat:
    """The stored letter of a token: its hash, how it was signed, and what its signature says now."""

    sha256: str
    ttd: str  # a models.tanda_tangan.CaraTtd value
    demo: bool
    tanda: HasilTtd


@dataclass(frozen=True)
class HasilBerkas:
    """A dropped file compared with the authentic letter."""

    sama: bool  # byte for byte the stored letter (its SHA-256)
    sha256: str
    tanda: HasilTtd


def keadaan(token: object) -> KeadaanSurat | None:
    """Return the stored letter's state for a valid token of an issued letter, or None (unknown, or never stored)."""
    found = _stored(token)
    if found is None:
        return None
    row, roots = found
    try:
        pdf = arsip.arsip().read(row.nama_simpan)
    except OSError:
        return KeadaanSurat(row.sha256, row.ttd, row.demo, HasilTtd(ada=False))
    tanda = check_signature(pdf, roots) if row.ttd != 'tanpa' else HasilTtd(ada=False)
    if hashlib.sha256(pdf).hexdigest() != row.sha256:  # the stored file itself changed: never call it valid
        tanda = HasilTtd(ada=tanda.ada, penandatangan=tanda.penandatangan, demo=tanda.demo)
    return KeadaanSurat(row.sha256, row.ttd, row.demo, tanda)


def periksa_berkas(token: object, isi: bytes) -> HasilBerkas | None:
    """Return whether the bytes are exactly the authentic letter of the token and what their signature says, or
    None when the token has no stored letter. Nothing of the file is written anywhere."""
    found = _stored(token)
    if found is None:
        return None
    row, roots = found
    sha = hashlib.sha256(isi).hexdigest()
    return HasilBerkas(sama=sha == row.sha256, sha256=sha, tanda=check_signature(isi, roots))


def _stored(token: object) -> tuple[Surat, list[str]] | None:
    if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
        return None
    with db.get().read() as session:
        row = session.execute(
            select(Surat)
            .join(Pengurusan, Pengurusan.id == Surat.pengurusan_id)
            .where(Pengurusan.token_verifikasi == token, Pengurusan.status.in_(wf.TERBIT))
        ).scalar()
        return (row, trusted_roots(session)) if row is not None else None
