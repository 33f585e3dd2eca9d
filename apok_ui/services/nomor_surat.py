"""Taking the nomor surat of a completing application inside the approving transaction: the counter row stays
locked until commit, and a rollback gives the number back, so numbers have no gaps."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from apok_ui.nomor_surat import kunci, settings
from apok_ui.services.common import next_number
from models import Kecamatan, Layanan
from models.penomoran import format_nomor_surat


def next_nomor(session: Session, kecamatan: Kecamatan, layanan: Layanan, at: datetime) -> str:
    """Return the next letter number in the city's pattern, taking it from its counter."""
    aturan = settings(session)
    seq = next_number(session, kunci(aturan, kecamatan, layanan, at))
    return format_nomor_surat(layanan.kode_klasifikasi, seq, kecamatan.kode, at, pola=aturan.pola)
