"""The city's numbering of letters as read from Pengaturan: the pattern ('pola_nomor_surat'), the counter scope
('lingkup_nomor_surat'), the counter of a letter and the number the next completion would get. Reads only; the
number is taken by apok_ui/services/nomor_surat.py inside the approving transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from models import Kecamatan, Layanan, Pengaturan, Penomoran
from models.penomoran import POLA_BAKU, Lingkup, counter_key_surat, format_nomor_surat

POLA = 'pola_nomor_surat'
LINGKUP = 'lingkup_nomor_surat'


@dataclass(frozen=True)
class AturanNomor:
    """The city's numbering of letters: the pattern and what one counter covers."""

    pola: str = POLA_BAKU
    lingkup: str = Lingkup.KECAMATAN_TAHUN.value


def settings(session: Session) -> AturanNomor:
    """Return the numbering the superadmin set, or the default of SPEC §3."""
    pola, lingkup = session.get(Pengaturan, POLA), session.get(Pengaturan, LINGKUP)
    return AturanNomor(
        pola.nilai if pola and pola.nilai else POLA_BAKU, lingkup.nilai if lingkup else Lingkup.KECAMATAN_TAHUN.value
    )


def peek_nomor(session: Session, kecamatan: Kecamatan, layanan: Layanan, at: datetime) -> str:
    """Return the number the next completion would get now, without taking it (a letter is rendered with it first)."""
    aturan = settings(session)
    counter = session.get(Penomoran, kunci(aturan, kecamatan, layanan, at))
    seq = (counter.nilai if counter else 0) + 1
    return format_nomor_surat(layanan.kode_klasifikasi, seq, kecamatan.kode, at, pola=aturan.pola)


def kunci(aturan: AturanNomor, kecamatan: Kecamatan, layanan: Layanan, at: datetime) -> str:
    return counter_key_surat(kecamatan.kode, at, lingkup=aturan.lingkup, kode_klasifikasi=layanan.kode_klasifikasi)
