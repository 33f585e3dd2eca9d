"""The input of one field by its kind: the one choice of widget for the citizen's form and the Admin's revision."""

from __future__ import annotations

from collections.abc import Sequence

from nicegui import ui

from apok_ui.components.tanggal_input import tanggal_input


def isian_input(label: str, value: str, jenis: str = 'teks', pilihan: Sequence[str] = ()) -> ui.element:
    """Return an outlined input for a field of this kind (models.layanan.JENIS_ISIAN): a list when it has choices,
    a date picker, a number pad, a long text or a short one."""
    if pilihan or jenis == 'pilihan':
        return ui.select(list(pilihan), label=label, value=value or None).props('outlined')
    if jenis == 'tanggal':
        return tanggal_input(label, value)
    if jenis == 'teks_panjang':
        return ui.textarea(label, value=value).props('outlined autogrow rows=3')
    if jenis == 'angka':
        return ui.input(label, value=value).props('outlined inputmode=numeric')
    return ui.input(label, value=value).props('outlined')
