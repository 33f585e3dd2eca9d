"""What an officer's search term means: a registration number, a NIK, a phone, an email or part of a name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from models.validasi import NOMOR_PENDAFTARAN_RE, InvalidValue, normalize_phone


class Jenis(StrEnum):
    """The kinds of search the seed manual lists."""

    NOMOR = 'nomor'
    NIK = 'nik'
    HP = 'hp'
    EMAIL = 'email'
    NAMA = 'nama'


@dataclass(frozen=True)
class Pencarian:
    """A classified search term in the form the database stores."""

    jenis: Jenis
    nilai: str


def classify(term: str) -> Pencarian | None:
    """Return what the term searches for, or None for an empty term."""
    text = ' '.join((term or '').split())[:100]
    if not text:
        return None
    upper = text.upper()
    if NOMOR_PENDAFTARAN_RE.match(upper):
        return Pencarian(Jenis.NOMOR, upper)
    if '@' in text:
        return Pencarian(Jenis.EMAIL, text.lower())
    if re.fullmatch(r'\d{16}', text):
        return Pencarian(Jenis.NIK, text)
    if re.fullmatch(r'\+?[\d\s\-.()]+', text):
        try:
            return Pencarian(Jenis.HP, normalize_phone(text))
        except InvalidValue:
            return Pencarian(Jenis.NIK, re.sub(r'\D', '', text))
    return Pencarian(Jenis.NAMA, text.lower())
