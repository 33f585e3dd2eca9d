"""Who signs a letter and how, as Tata Naskah Dinas writes it: Camat, Plt./Plh. Camat, or a.n. Camat with the
delegate's own jabatan below; and the ways a kecamatan's letters are signed electronically. Pure rules, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.akses import split_pelaksana
from models.label import LabelledEnum


class CaraTtd(LabelledEnum):
    """How a kecamatan's finished letters are signed electronically (chosen by the superadmin)."""

    TANPA = 'tanpa', 'Tanpa TTE (tanda tangan basah)'
    SEGEL = 'segel', 'Segel elektronik kecamatan'
    PERSONAL = 'personal', 'TTE personal penandatangan'


class JenisDelegasi(LabelledEnum):
    """A recorded period in which someone signs for the Camat."""

    AN = 'an', 'a.n. Camat (Sekretaris Camat)'
    PLT = 'plt', 'Plt. Camat'
    PLH = 'plh', 'Plh. Camat'


@dataclass(frozen=True)
class Jabatan:
    """The signer's jabatan as a letter prints it: in its sentence, and as the lines above the signature."""

    kalimat: str  # 'Camat Batam Kota', 'a.n. Camat Batam Kota, Sekretaris Camat'
    baris: tuple[str, ...]  # ('a.n. CAMAT BATAM KOTA', 'SEKRETARIS CAMAT,')


def jabatan_surat(jabatan: str, kecamatan_nama: str, delegasi: str | None = None) -> Jabatan:
    """Return how the letter names its signer: an officer's own jabatan, or the delegation in force ('an', 'plt',
    'plh') when they sign for the Camat; an acting prefix (Plt./Plh.) keeps its own spelling, the rest is capitals."""
    camat = f'Camat {kecamatan_nama}'
    prefix, rest = split_pelaksana(' '.join(jabatan.split()))
    if delegasi == JenisDelegasi.AN.value:
        sendiri = _without_kecamatan(rest, kecamatan_nama) or 'Sekretaris Camat'
        return Jabatan(f'a.n. {camat}, {sendiri}', (f'a.n. {camat.upper()}', f'{sendiri.upper()},'))
    if delegasi in (JenisDelegasi.PLT.value, JenisDelegasi.PLH.value):
        prefix, rest = f'{delegasi.capitalize()}.', camat
    elif _names_the_office(rest) and kecamatan_nama.lower() not in rest.lower():
        rest = f'{rest} {kecamatan_nama}'
    kalimat = f'{prefix} {rest}'.strip()
    return Jabatan(kalimat, (f'{prefix} {rest.upper()},'.strip(),))


def in_force(mulai: date, sampai: date, day: date) -> bool:
    """Return whether a delegation period (both days included) covers the day."""
    return mulai <= day <= sampai


def check_periode(mulai: date, sampai: date) -> str | None:
    """Return why a delegation period is wrong, or None."""
    if sampai < mulai:
        return 'Tanggal selesai tidak boleh sebelum tanggal mulai.'
    if (sampai - mulai).days > 366:
        return 'Masa delegasi paling lama satu tahun.'
    return None


def _names_the_office(jabatan: str) -> bool:
    return jabatan.lower().endswith(('camat', 'kecamatan'))


def _without_kecamatan(jabatan: str, kecamatan_nama: str) -> str:
    """Return 'Sekretaris Camat' of 'Sekretaris Camat Batam Kota'."""
    if jabatan.lower().endswith(kecamatan_nama.lower()):
        return jabatan[: -len(kecamatan_nama)].strip()
    return jabatan
