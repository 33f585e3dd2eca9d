"""Coloured chips for an application's status and for each step of Status Pengurusan."""

from __future__ import annotations

from html import escape

from nicegui import ui

from models import Peran, Status

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
# The seed manual's colours: green Disetujui, red Ditolak, grey Menunggu.
LANGKAH_CHIP = {
    'diajukan': ('Diajukan', 'primary'),
    'disetujui': ('Disetujui', 'positive'),
    'ditolak': ('Ditolak', 'negative'),
    'direvisi': ('Direvisi', 'warning'),
    'diperbaiki': ('Diperbaiki', 'primary'),
    'dicetak': ('Dicetak', 'secondary'),
    'diserahkan': ('Diserahkan', 'secondary'),
    'dibatalkan': ('Dibatalkan', 'grey-7'),
    'menunggu': ('Menunggu', 'grey-6'),
}


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


def langkah_chip(aksi: str) -> ui.label:
    """Show one Riwayat action (or 'menunggu' for a stage still to come) as a coloured chip."""
    label, color = LANGKAH_CHIP.get(aksi, (aksi.title(), 'grey-7'))
    return chip(label, color).mark(f'langkah-{aksi}')
