"""The image worker: one uploaded image decoded under its format's limits and drawn anew, in a process of its own.

apok_ui.berkas runs this file as `python -I berkas_gambar.py` for every image (a JSON line and the bytes on stdin,
the same back on stdout), a bounded number at a time; one is always started ahead, waiting for the next image.
Why a fresh process per image, not a thread or a pool:
- Decoding is where the memory goes (a 16 MP RGBA PNG is 64 MB of pixels). Decoded in the server's threads, the
  freed memory stayed in glibc's arenas (issue 11: +1.8 GB, still 1.5 GB ten minutes later); a process that exits
  gives everything back to the operating system, at once and for certain.
- A spawned pool worker re-imports main.py, the whole UI (measured: 1.3 s and 113 MB per worker); this file imports
  only Pillow and the standard library (about 0.07 s and 20 MB), so a new process per image is cheap.
- Hostile bytes meet the decoder in a process with no secrets (an empty environment), a memory and a CPU cap, whose
  answer is read as plain data (JSON and bytes, never pickle).
- WeasyPrint sets `PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True` for the whole server process; this process never
  imports WeasyPrint and sets the flag to False, so a cut-off image fails whatever the server has imported.

The limits (measured on this machine, a 2-core VM; peak = the worker's maximum RSS):
- PNG: 16 MP (4000 x 4000; an A4 scan at 400 dpi is 15.5 MP, a phone screenshot 2-4 MP). A PNG cannot be decoded
  at a reduced size, so the limit bounds the decode itself: 16 MP RGBA took 0.5-1 s and 86 MB.
- JPEG, baseline: 52 MP (a phone photo is at most 50 MP: 8160 x 6120). Decoded with reduction (Pillow's `draft`, the
  JPEG's own 1/2, 1/4, 1/8 scaling) to no fewer than DECODE_PIXELS, so under 4 x 6 = 24 MP are ever decoded and
  kept: a 50 MP photo took 0.3 s and 74 MB and is kept at 4080 x 3060.
- JPEG, progressive: 16 MP. libjpeg holds a progressive file's coefficients at full size whatever the scale (2 bytes
  per sample: 50 MP 4:4:4 needed 351 MB, CMYK 446 MB; at 16 MP 182 and 220 MB). Phone cameras write baseline JPEGs.
- Every worker: MEMORY bytes of address space and SECONDS of CPU; past either, the image is refused.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import warnings

from PIL import Image, ImageFile, ImageOps
from PIL.JpegImagePlugin import JpegImageFile

MAX_PIXELS = {'png': 16_000_000, 'jpg': 52_000_000}
MAX_PIXELS_PROGRESSIVE_JPEG = 16_000_000
DECODE_PIXELS = 6_000_000
JPEG_QUALITY = 90
MEMORY = 512 * 1024 * 1024
SECONDS = 30
FORMATS = {'png': 'PNG', 'jpg': 'JPEG'}
PNG_END = b'\x00\x00\x00\x00IEND\xaeB`\x82'  # an empty IEND chunk and its CRC: a PNG without one was cut off


class Ditolak(Exception):
    """An image refused; `kode` says why: 'besar' (too many pixels) or 'rusak' (broken, cut off, not that type) from
    the worker, 'sibuk' (queue full) or 'gagal' (the worker was lost) from apok_ui.berkas_pemeriksa."""

    def __init__(self, kode: str) -> None:
        super().__init__(kode)
        self.kode = kode


def draw_anew(isi: bytes, jenis: str) -> bytes:
    """Return the image decoded under its format's limits and encoded again (upright, without metadata or anything
    appended), or raise Ditolak."""
    ImageFile.LOAD_TRUNCATED_IMAGES = False  # this process only: a cut-off image must fail to decode
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('error', Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(isi), formats=[FORMATS[jenis]]) as image:
                _check_pixels(image, jenis)
                _reduce(image, jenis)
                image.load()
                if jenis == 'png' and PNG_END not in isi:
                    raise Ditolak('rusak')
                return _encode(image, jenis)
    except Ditolak:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError):
        raise Ditolak('besar') from None
    except Exception:
        raise Ditolak('rusak') from None


def _check_pixels(image: Image.Image, jenis: str) -> None:
    progressive = jenis == 'jpg' and bool(image.info.get('progressive'))
    if image.width * image.height > (MAX_PIXELS_PROGRESSIVE_JPEG if progressive else MAX_PIXELS[jenis]):
        raise Ditolak('besar')


def _reduce(image: Image.Image, jenis: str) -> None:
    """Let a large JPEG decode at 1/2, 1/4 or 1/8 of its size, keeping no fewer than DECODE_PIXELS."""
    scale = 1
    while jenis == 'jpg' and scale < 8 and image.width * image.height // (scale * 2) ** 2 >= DECODE_PIXELS:
        scale *= 2
    if scale > 1:
        image.draft(None, (image.width // scale, image.height // scale))


def _encode(image: Image.Image, jenis: str) -> bytes:
    icc_profile = image.info.get('icc_profile')
    ImageOps.exif_transpose(image, in_place=True)  # in place: a second copy of the pixels would double the peak
    out = io.BytesIO()
    if jenis == 'jpg':
        drawn = image if image.mode in ('RGB', 'L', 'CMYK') else image.convert('RGB')
        # The photo's own quantization tables: a fixed quality 90 made a phone's 3.15 MB photo 3.35 MB (issue 19).
        keep = isinstance(drawn, JpegImageFile) and bool(getattr(drawn, 'quantization', None))
        drawn.save(out, 'JPEG', quality='keep' if keep else JPEG_QUALITY, icc_profile=icc_profile)
    else:
        image.save(out, 'PNG', compress_level=6, icc_profile=icc_profile)
    return out.getvalue()


def serve_one() -> int:
    """Read one image from stdin (a JSON line naming its jenis, then the bytes); answer on stdout the same way."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS + 5))
    line = sys.stdin.buffer.readline()
    if not line:  # the server stopped (or no longer needs a spare worker)
        return 0
    jenis = json.loads(line).get('jenis')
    isi = sys.stdin.buffer.read()
    try:
        if jenis not in FORMATS:
            raise Ditolak('rusak')
        answer, clean = {}, draw_anew(isi, jenis)
    except Ditolak as refused:
        answer, clean = {'kode': refused.kode}, b''
    sys.stdout.buffer.write(json.dumps(answer).encode() + b'\n' + clean)
    sys.stdout.buffer.flush()
    return 0


if __name__ == '__main__':
    sys.exit(serve_one())
