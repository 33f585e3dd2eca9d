"""Plain helpers for printed letters: Indonesian dates and the template of each layanan."""

from __future__ import annotations

from models.waktu import format_tanggal

__all__ = ['TEMPLATE_LAYANAN', 'format_tanggal', 'template_for']

TEMPLATE_LAYANAN = {
    'AK1': 'ak1.html',
    'SKTM': 'sktm.html',
    'SKD': 'skd.html',
    'SKAW': 'skaw.html',
    'RNK': 'rnk.html',
    'SKP': 'skp.html',
    'IUMK': 'iumk.html',
    'RIK': 'rik.html',
}
"""The print template of each default layanan; a layanan the superadmin adds later prints with 'umum.html'."""


def template_for(layanan_kode: str) -> str:
    """Return the print template file name of a layanan, 'umum.html' for a layanan without its own."""
    return TEMPLATE_LAYANAN.get(layanan_kode.upper(), 'umum.html')
