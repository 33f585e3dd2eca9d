"""Read-only questions the superadmin's Pesan page asks: how many messages stand where, and one page of them.

The recipient is shown masked (it is a citizen's phone number or email); the body is not shown at all. Pages ask
services.administrasi.authorize first; these functions only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from apok_ui import db
from apok_ui.queries.admin import PAGE_SIZE, Halaman
from models.kabar import Jenis, Kanal, StatusPesan
from models.tables import Pesan


@dataclass(frozen=True)
class PesanRow:
    """One message as the queue page lists it."""

    id: int
    jenis: str  # the label of its kind
    kanal: Kanal
    tujuan: str  # masked
    subjek: str
    status: StatusPesan
    percobaan: int
    jawaban: str  # the server's or gateway's last answer
    dibuat_at: datetime
    berikutnya: datetime
    terkirim_at: datetime | None


def counts() -> dict[StatusPesan, int]:
    """Return how many messages are in each state (every state named, zero included)."""
    with db.get().read() as session:
        found = dict(session.execute(select(Pesan.status, func.count()).group_by(Pesan.status)).all())
    return {status: int(found.get(status.value, 0)) for status in StatusPesan}


def pesan_list(status: StatusPesan | None = None, *, page: int = 1, page_size: int = PAGE_SIZE) -> Halaman[PesanRow]:
    """Return one page of messages, newest first, of one state or all."""
    where = [Pesan.status == status.value] if status else []
    page = max(page, 1)
    with db.get().read() as session:
        total = session.execute(select(func.count()).select_from(Pesan).where(*where)).scalar_one()
        rows = session.execute(
            select(Pesan).where(*where).order_by(Pesan.id.desc()).offset((page - 1) * page_size).limit(page_size)
        ).scalars()
        return Halaman([_row(p) for p in rows], int(total), page, page_size)


def _row(p: Pesan) -> PesanRow:
    return PesanRow(
        id=p.id,
        jenis=Jenis(p.jenis).label if p.jenis in Jenis._value2member_map_ else p.jenis,
        kanal=Kanal(p.kanal),
        tujuan=mask_tujuan(p.tujuan),
        subjek=p.subjek,
        status=StatusPesan(p.status),
        percobaan=p.percobaan,
        jawaban=p.jawaban,
        dibuat_at=p.dibuat_at,
        berikutnya=p.berikutnya,
        terkirim_at=p.terkirim_at,
    )


def mask_tujuan(tujuan: str) -> str:
    """Return a recipient with its middle hidden: '+6281234567890' → '+62812•••••890', 'budi@contoh.id' →
    'bu••@contoh.id'."""
    if '@' in tujuan:
        name, domain = tujuan.split('@', 1)
        return f'{name[:2]}{"•" * max(len(name) - 2, 2)}@{domain}'
    return f'{tujuan[:6]}{"•" * max(len(tujuan) - 9, 2)}{tujuan[-3:]}'
