"""Reads for notifications' screens: an officer's own channel, and the message texts with their defaults."""

from __future__ import annotations

from sqlmodel import select

from apok_ui import db
from models import Petugas
from models.kabar import TEMPLAT_BAWAAN, Jenis, KabarPetugas, Templat
from models.tables import TemplatPesan


def kabar_petugas(petugas_id: int) -> KabarPetugas:
    """Return how an officer hears of new work now (defaults for an officer who never chose)."""
    with db.get().read() as session:
        p = session.get(Petugas, petugas_id)
        return KabarPetugas(p.kabar_kanal, p.no_hp, p.email, p.senyap_mulai, p.senyap_sampai)


def templat_list() -> dict[Jenis, tuple[Templat, bool]]:
    """Return every kind's text in use, and whether the superadmin changed it from the default."""
    with db.get().read() as session:
        rows = {row.jenis: row for row in session.exec(select(TemplatPesan)).all()}
    return {
        jenis: ((Templat(rows[jenis].subjek, rows[jenis].isi), True) if jenis in rows else (default, False))
        for jenis, default in TEMPLAT_BAWAAN.items()
    }
