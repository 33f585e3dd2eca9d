"""How statuses and Riwayat steps look, in one place: the coloured chips of queues, Lihat Data and Lacak, and the
words of each step of Status Pengurusan."""

from __future__ import annotations

from html import escape
from typing import NamedTuple

from nicegui import ui

from models import Aksi, Peran, Status

CHIP = 'inline-block rounded px-2 py-0.5 text-xs font-medium text-white leading-5'
# Quasar colour names, so the chips follow theme.apply()'s palette.
STATUS_COLOR = {
    Status.DIAJUKAN: 'primary',
    Status.REVISI: 'warning',
    Status.DITOLAK: 'negative',
    Status.SELESAI: 'positive',
    Status.DISERAHKAN: 'secondary',
    Status.DIBATALKAN: 'grey-7',
}


class Tampilan(NamedTuple):
    """How one kind of Riwayat step reads: its chip, the chip's colour, and the step's name when it happens outside
    the verification chain ('' for a stage's own decision, which is named by its stage)."""

    chip: str
    color: str
    nama: str = ''


# The seed manual's colours: green Disetujui, red Ditolak, grey Menunggu.
LANGKAH = {
    Aksi.AJUKAN: Tampilan('Diajukan', 'primary', 'Pengajuan'),
    Aksi.SETUJUI: Tampilan('Disetujui', 'positive'),
    Aksi.TOLAK: Tampilan('Ditolak', 'negative'),
    Aksi.REVISI: Tampilan('Direvisi', 'warning'),
    Aksi.PERBAIKI: Tampilan('Diperbaiki', 'primary', 'Perbaikan'),
    Aksi.CETAK: Tampilan('Dicetak', 'secondary', 'Cetak'),
    Aksi.SERAHKAN: Tampilan('Diserahkan', 'secondary', 'Penyerahan'),
    Aksi.BATALKAN: Tampilan('Dibatalkan', 'grey-7', 'Pembatalan'),
    Aksi.KOREKSI: Tampilan('Dikoreksi', 'warning', 'Koreksi penyerahan'),
}
MENUNGGU = Tampilan('Menunggu', 'grey-6')  # a stage still to come


def status_text(status: Status, peran_menunggu: str | None = None) -> str:
    """Return the status as a queue shows it: where an application in the chain waits, else its status."""
    if status is Status.DIAJUKAN and peran_menunggu:
        return f'Menunggu {Peran(peran_menunggu).label}'
    return status.label


def chip(text: str, color: str) -> ui.label:
    """Show a short text on a coloured background (a plain label: chips are many, and each element costs)."""
    return ui.label(text).classes(f'{CHIP} bg-{color}')


def status_chip(status: Status, peran_menunggu: str | None = None) -> ui.label:
    """Show an application's status as a coloured chip (with where it waits, when given)."""
    return chip(status_text(status, peran_menunggu), STATUS_COLOR[status]).mark(f'status-{status.value}')


def status_chip_html(status: Status, classes: str = '') -> str:
    """Return an application's status chip as escaped HTML (for rows drawn as one element)."""
    return f'<div class="{CHIP} bg-{STATUS_COLOR[status]} {classes}">{escape(status_text(status))}</div>'


def langkah_chip(aksi: Aksi | None) -> ui.label:
    """Show one Riwayat action (None: a stage still to come, Menunggu) as a coloured chip."""
    look = LANGKAH[aksi] if aksi is not None else MENUNGGU
    return chip(look.chip, look.color).mark(f'langkah-{aksi.value if aksi is not None else "menunggu"}')
