"""Uploaded files: told apart by their bytes, checked, stored under random names outside every static folder.

Images are decoded only in worker processes, a fresh one per image, a bounded number at a time
(apok_ui/berkas_pemeriksa.py; apok_ui/berkas_gambar.py says why, and which pixel limits, measured).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from apok_ui import berkas_gambar, berkas_pemeriksa
from models.jenis_berkas import CONTENT_TYPE, SEMUA_JENIS, jenis_of

MAX_NAME_LENGTH = 255
IMAGE_REFUSALS = {  # why a worker refused an image (berkas_gambar, berkas_pemeriksa), as a person reads it
    'besar': 'Gambar terlalu besar (resolusi berlebihan).',
    'rusak': 'Gambar rusak atau tidak dapat dibaca.',
    'sibuk': 'Server sedang memeriksa banyak berkas; coba unggah lagi sebentar lagi.',
    'gagal': 'Gambar tidak dapat diperiksa; coba lagi atau unggah berkas lain.',
}


class BerkasError(ValueError):
    """An upload that is refused; the message is Indonesian and names the reason."""


@dataclass(frozen=True)
class Unggahan:
    """A file a citizen uploaded for one requirement."""

    persyaratan_kode: str
    nama_asli: str
    isi: bytes


@dataclass(frozen=True)
class BerkasInfo:
    """What the bytes of an upload turned out to be."""

    jenis: str  # pdf | png | jpg
    content_type: str
    ukuran: int
    sha256: str


def jenis_text(jenis: tuple[str, ...]) -> str:
    """Return accepted types as a person reads them: 'PDF, JPG atau PNG'."""
    names = [j.upper() for j in jenis]
    return names[0] if len(names) == 1 else f'{", ".join(names[:-1])} atau {names[-1]}'


def ukuran_text(ukuran: int) -> str:
    """Return a file size as '120 KB' or '2,4 MB'."""
    if ukuran < 1024 * 1024:
        return f'{max(1, round(ukuran / 1024))} KB'
    return f'{ukuran / (1024 * 1024):.1f} MB'.replace('.', ',')


def too_big(ukuran: int, max_bytes: int) -> str:
    """Return the refusal of a file over the limit, with both sizes: 'Berkas 7,1 MB; maksimal 5 MB.'"""
    return f'Berkas {ukuran_text(ukuran)}; maksimal {max_bytes // (1024 * 1024)} MB.'


def check_size(ukuran: int, *, max_bytes: int) -> None:
    """Raise BerkasError when an upload of this many bytes is empty or over the limit (before reading it)."""
    if ukuran <= 0:
        raise BerkasError('Berkas kosong.')
    if ukuran > max_bytes:
        raise BerkasError(too_big(ukuran, max_bytes))


def display_name(nama: str) -> str:
    """Return a file name as it may be shown: without format characters (Unicode category Cf).

    They are invisible and only reorder or hide text: a right-to-left override makes 'x\u202efdp.png' read as
    'xgnp.pdf'. Names stored before this rule are cleaned when shown, new ones when stored.
    """
    return ''.join(c for c in nama or '' if unicodedata.category(c) != 'Cf')


def check_name(nama: str) -> str:
    """Return the uploaded name for display, or raise BerkasError when it carries a path or control characters.

    The name is only ever shown: stored files get random names. A name with a path in it is still refused, since no
    browser sends one and whoever does is probing. Format characters are dropped (display_name).
    """
    name = display_name(nama).strip()
    if not name:
        return 'berkas'
    if (
        '/' in name
        or '\\' in name
        or name in ('.', '..')
        or len(name) > MAX_NAME_LENGTH
        or any(unicodedata.category(c) in ('Cc', 'Cs') for c in name)
    ):
        raise BerkasError('Nama berkas tidak valid; ganti nama berkas lalu unggah lagi.')
    return name


def prepare(isi: bytes, *, max_bytes: int, allowed: tuple[str, ...] = SEMUA_JENIS) -> tuple[bytes, BerkasInfo]:
    """Return the bytes to store and what they are: images drawn anew (no EXIF location, no trailing payload).

    Images wait for a worker process: call this from a thread (the services run in one), not on the event loop.
    """
    jenis, content_type = _judge(isi, max_bytes=max_bytes, allowed=allowed)
    with _refusals():
        clean, digest = (isi, hashlib.sha256(isi).hexdigest()) if jenis == 'pdf' else berkas_pemeriksa.draw(isi, jenis)
    check_size(len(clean), max_bytes=max_bytes)
    return clean, BerkasInfo(jenis, content_type, len(clean), digest)


async def accept(isi: bytes, *, max_bytes: int, allowed: tuple[str, ...] = SEMUA_JENIS) -> bytes:
    """Return the bytes a form keeps for Kirim (images drawn anew), or raise BerkasError; for the event loop.

    The loop serves everyone else while the image waits for its worker, and no thread of NiceGUI's is held (logins
    and page reads never queue behind images). Kirim's check (prepare) then knows the drawing without drawing it.
    """
    jenis, _ = _judge(isi, max_bytes=max_bytes, allowed=allowed)
    with _refusals():
        clean = isi if jenis == 'pdf' else await berkas_pemeriksa.draw_async(isi, jenis)
    check_size(len(clean), max_bytes=max_bytes)
    return clean


def _judge(isi: bytes, *, max_bytes: int, allowed: tuple[str, ...]) -> tuple[str, str]:
    """Return the type an upload's bytes show (jenis, content type), after the checks that need no decoding."""
    check_size(len(isi), max_bytes=max_bytes)
    jenis = jenis_of(isi)
    if jenis is None or jenis not in allowed:
        raise BerkasError(f'Jenis berkas tidak diterima; unggah {jenis_text(allowed)}.')
    if jenis == 'pdf' and b'%%EOF' not in isi[-2048:]:
        raise BerkasError('Berkas PDF rusak atau tidak lengkap.')
    return jenis, CONTENT_TYPE[jenis]


@contextmanager
def _refusals() -> Iterator[None]:
    """Let an image refused by its worker reach the caller as a BerkasError with the Indonesian reason."""
    try:
        yield
    except berkas_gambar.Ditolak as refused:
        raise BerkasError(IMAGE_REFUSALS.get(refused.kode, IMAGE_REFUSALS['gagal'])) from None


class Gudang:
    """The folder where uploads live; names are random, never derived from what the citizen sent."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def save(self, isi: bytes, jenis: str) -> str:
        """Store the bytes and return the stored name."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f'{secrets.token_hex(16)}.{jenis}'
        path = self.folder / name
        with open(path, 'xb') as handle:
            handle.write(isi)
            handle.flush()
            os.fsync(handle.fileno())
        return name

    def path(self, nama_simpan: str) -> Path:
        """Return the path of a stored file, refusing any name that is not one of ours."""
        if not nama_simpan or '/' in nama_simpan or '\\' in nama_simpan or nama_simpan.startswith('.'):
            raise BerkasError('Nama berkas tidak valid.')
        return self.folder / nama_simpan

    def read(self, nama_simpan: str) -> bytes:
        """Return a stored file's bytes."""
        return self.path(nama_simpan).read_bytes()

    def remove(self, nama_simpan: str) -> None:
        """Delete a stored file if it exists (cleanup after a failed submission)."""
        self.path(nama_simpan).unlink(missing_ok=True)


_gudang: Gudang | None = None


def init(folder: Path, max_bytes: int) -> Gudang:
    """Set the process's upload folder and size limit, and start the first image worker."""
    global _gudang
    _gudang = Gudang(folder, max_bytes)
    berkas_pemeriksa.warm_up()
    return _gudang


def gudang() -> Gudang:
    """Return the process's upload folder."""
    if _gudang is None:
        raise RuntimeError('berkas storage not initialised: call apok_ui.berkas.init(folder) first')
    return _gudang
