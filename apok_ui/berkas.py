"""Uploaded files: told apart by their bytes, checked, stored under random names outside every static folder."""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

MAX_IMAGE_PIXELS = 40_000_000  # a phone photo is ~12 MP; anything far beyond is a decompression bomb
MAX_NAME_LENGTH = 255
JPEG_QUALITY = 90
SIGNATURES = (
    (b'%PDF-', 'pdf', 'application/pdf'),
    (b'\x89PNG\r\n\x1a\n', 'png', 'image/png'),
    (b'\xff\xd8\xff', 'jpg', 'image/jpeg'),
)


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


def check_size(ukuran: int, *, max_bytes: int) -> None:
    """Raise BerkasError when an upload of this many bytes is empty or over the limit (before reading it)."""
    if ukuran <= 0:
        raise BerkasError('Berkas kosong.')
    if ukuran > max_bytes:
        raise BerkasError(f'Berkas terlalu besar (maksimal {max_bytes // (1024 * 1024)} MB).')


def check_name(nama: str) -> str:
    """Return the uploaded name for display, or raise BerkasError when it carries a path or control characters.

    The name is only ever shown: stored files get random names. A name with a path in it is still refused, since no
    browser sends one and whoever does is probing.
    """
    name = (nama or '').strip()
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


def inspect(isi: bytes, *, max_bytes: int, allowed: tuple[str, ...] = ('pdf', 'jpg', 'png')) -> BerkasInfo:
    """Return what an upload is, judged by its bytes, or raise BerkasError."""
    check_size(len(isi), max_bytes=max_bytes)
    kind = next(((jenis, ctype) for magic, jenis, ctype in SIGNATURES if isi.startswith(magic)), None)
    if kind is None or kind[0] not in allowed:
        raise BerkasError(f'Jenis berkas tidak diterima; unggah {jenis_text(allowed)}.')
    jenis, ctype = kind
    if jenis == 'pdf':
        _check_pdf(isi)
    else:
        _check_image(isi, jenis)
    return BerkasInfo(jenis, ctype, len(isi), hashlib.sha256(isi).hexdigest())


def prepare(
    isi: bytes, *, max_bytes: int, allowed: tuple[str, ...] = ('pdf', 'jpg', 'png')
) -> tuple[bytes, BerkasInfo]:
    """Return the bytes to store and what they are: images re-encoded (no EXIF location, no trailing payload)."""
    info = inspect(isi, max_bytes=max_bytes, allowed=allowed)
    if info.jenis == 'pdf':
        return isi, info
    clean = _reencode(isi, info.jenis)
    check_size(len(clean), max_bytes=max_bytes)
    return clean, BerkasInfo(info.jenis, info.content_type, len(clean), hashlib.sha256(clean).hexdigest())


def _reencode(isi: bytes, jenis: str) -> bytes:
    """Return the image drawn anew in its own format, upright, without metadata; the caller has inspected it."""
    try:
        with Image.open(io.BytesIO(isi)) as image:
            icc_profile = image.info.get('icc_profile')
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if jenis == 'jpg':
                if upright.mode not in ('RGB', 'L', 'CMYK'):
                    upright = upright.convert('RGB')
                upright.save(out, 'JPEG', quality=JPEG_QUALITY, icc_profile=icc_profile)
            else:
                upright.save(out, 'PNG', compress_level=6, icc_profile=icc_profile)
    except Exception:
        raise BerkasError('Gambar rusak atau tidak dapat dibaca.') from None
    return out.getvalue()


def _check_pdf(isi: bytes) -> None:
    if b'%%EOF' not in isi[-2048:]:
        raise BerkasError('Berkas PDF rusak atau tidak lengkap.')


def _check_image(isi: bytes, jenis: str) -> None:
    """Open the image with a pixel limit and decode it fully, so bombs and broken files are refused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('error', Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(isi)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise BerkasError('Gambar terlalu besar (resolusi berlebihan).')
                expected = 'PNG' if jenis == 'png' else 'JPEG'
                if image.format != expected:
                    raise BerkasError('Isi gambar tidak sesuai jenisnya.')
                image.load()
    except BerkasError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BerkasError('Gambar terlalu besar (resolusi berlebihan).') from None
    except Exception:
        raise BerkasError('Gambar rusak atau tidak dapat dibaca.') from None


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
    """Set the process's upload folder and size limit."""
    global _gudang
    _gudang = Gudang(folder, max_bytes)
    return _gudang


def gudang() -> Gudang:
    """Return the process's upload folder."""
    if _gudang is None:
        raise RuntimeError('berkas storage not initialised: call apok_ui.berkas.init(folder) first')
    return _gudang
