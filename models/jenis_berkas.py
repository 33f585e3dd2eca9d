"""What an uploaded file may be: the types a requirement accepts, how each type's bytes begin, its content type.

APOK tells a file's type by its first bytes, never by its name; every check and every served file reads this table.
"""

from __future__ import annotations

JENIS_BERKAS = {'pdf': 'PDF', 'jpg': 'JPG', 'png': 'PNG'}  # the types a requirement may accept, as people name them
SEMUA_JENIS = tuple(JENIS_BERKAS)  # what a requirement that names no type accepts
GAMBAR = ('jpg', 'png')  # the types that are pictures (drawn anew on upload; a pas foto must be one)
TANDA = {'pdf': b'%PDF-', 'png': b'\x89PNG\r\n\x1a\n', 'jpg': b'\xff\xd8\xff'}  # how each type's bytes begin
CONTENT_TYPE = {'pdf': 'application/pdf', 'png': 'image/png', 'jpg': 'image/jpeg'}


def jenis_of(isi: bytes) -> str | None:
    """Return the type whose first bytes these are, or None."""
    return next((jenis for jenis, tanda in TANDA.items() if isi.startswith(tanda)), None)
