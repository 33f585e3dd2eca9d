"""Hostile uploads: refused with a message beside the requirement, nothing stored — on the form and in the service.

Type is judged by the bytes, size before reading, images decoded under a pixel limit and re-encoded, names never
touch the file system.
"""

from __future__ import annotations

import functools
import io
import zlib
from pathlib import Path

import pytest
from nicegui import ui
from nicegui.testing import User
from PIL import Image

from apok_ui import berkas, services
from apok_ui.berkas import Unggahan
from apok_ui.demo import SAMPLE_PDF, SAMPLE_PNG
from tests.conftest import uploads_for
from tests.test_portal_support import (
    citizen,
    field_by_marker,
    fill,
    fresh_limits,  # noqa: F401 (fixture)
    send,
    settle,
    stored,
    stored_berkas,
    stored_files,
    submit_directly,
    upload,
)
from tests.waiting import seen, unseen

pytestmark = pytest.mark.usefixtures('fresh_limits')
WRONG_TYPE = 'Jenis berkas tidak diterima; unggah PDF, JPG atau PNG.'
TOO_BIG = 'Berkas 50,0 MB; maksimal 5 MB.'  # both sizes, in the words of a clerk
BOMB = 'Gambar terlalu besar (resolusi berlebihan).'
BAD_NAME = 'Nama berkas tidak valid; ganti nama berkas lalu unggah lagi.'
EXE = (
    b'MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00'
    + b'\x00' * 48
    + b'This program cannot be run in DOS mode.'
)
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
PASSWD = b'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n'


def _chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, 'big') + kind + data + zlib.crc32(kind + data).to_bytes(4, 'big')


@functools.cache
def png_bomb(width: int = 8000, height: int = 8000) -> bytes:
    """Return a real grey PNG of width × height pixels that compresses to a few dozen KB."""
    squeeze = zlib.compressobj(9)
    row = b'\x00' * (width + 1)
    idat = b''.join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()
    header = width.to_bytes(4, 'big') + height.to_bytes(4, 'big') + b'\x08\x00\x00\x00\x00'
    return b'\x89PNG\r\n\x1a\n' + _chunk(b'IHDR', header) + _chunk(b'IDAT', idat) + _chunk(b'IEND', b'')


def giant_header_png() -> bytes:
    """Return a PNG whose header claims 20 000 × 20 000 pixels (400 MP) with almost no data behind it."""
    header = (20_000).to_bytes(4, 'big') * 2 + b'\x08\x02\x00\x00\x00'
    return (
        b'\x89PNG\r\n\x1a\n'
        + _chunk(b'IHDR', header)
        + _chunk(b'IDAT', zlib.compress(b'\x00' * 64))
        + _chunk(b'IEND', b'')
    )


HOSTILE = {
    'an executable renamed .pdf': ('surat.pdf', EXE, 'application/pdf', WRONG_TYPE),
    'an SVG with script named .png': ('foto.png', SVG, 'image/png', WRONG_TYPE),
    'a PNG bomb': ('foto.png', None, 'image/png', BOMB),
    'a PNG claiming 400 megapixels': ('foto.png', giant_header_png(), 'image/png', BOMB),
    'the password file with a path for a name': ('../../etc/passwd', PASSWD, 'text/plain', BAD_NAME),
    'a real PDF with a path for a name': ('..\\..\\windows\\win.ini', SAMPLE_PDF, 'application/pdf', BAD_NAME),
    'a PDF cut off before its end': (
        'ktp.pdf',
        SAMPLE_PDF[:-200],
        'application/pdf',
        'Berkas PDF rusak atau tidak lengkap.',
    ),
    'a PNG header with garbage behind it': ('foto.png', SAMPLE_PNG[:40] + b'\x00' * 500, 'image/png', 'Gambar rusak'),
    'an empty file': ('kosong.pdf', b'', 'application/pdf', 'Berkas kosong.'),
}


def content(case: str) -> tuple[str, bytes, str, str]:
    name, isi, content_type, message = HOSTILE[case]
    return name, png_bomb() if isi is None else isi, content_type, message


@pytest.mark.parametrize('case', HOSTILE)
async def test_a_hostile_upload_on_the_form_is_refused_beside_its_requirement_and_never_stored(
    user: User, case: str
) -> None:
    name, isi, content_type, message = content(case)
    await user.open('/ajukan/SKTM')
    await upload(user, 'ktp', name, isi, content_type)
    await seen(user, message)
    assert message in field_by_marker(user, 'error-ktp').text
    await unseen(user, marker='ganti-ktp')
    fill(user, citizen('SKTM'))
    for item in uploads_for('SKTM'):
        if item.persyaratan_kode != 'ktp':
            await upload(user, item.persyaratan_kode, item.nama_asli, item.isi)
    await settle(user)
    await send(user)
    await seen(user, 'KTP wajib diunggah.')
    assert stored() == [] and stored_files() == set()


async def test_a_50_mb_file_is_refused_by_its_size_without_being_stored(user: User, tmp_path: Path) -> None:
    big = tmp_path / 'besar.pdf'
    with open(big, 'wb') as handle:
        handle.write(b'%PDF-1.4\n')
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    await user.open('/ajukan/SKTM')
    field_by_marker(user, 'upload-ktp')
    uploader = field_by_marker(user, 'upload-ktp')
    assert uploader.props['max-file-size'] == 5 * 1024 * 1024  # the browser refuses it first
    await uploader.handle_uploads([ui.upload.LargeFileUpload('besar.pdf', 'application/pdf', big)])
    await seen(user, TOO_BIG)
    await unseen(user, marker='ganti-ktp')
    assert stored_files() == set()


async def test_a_photo_requirement_refuses_a_pdf(user: User) -> None:
    await user.open('/ajukan/AK1')
    await upload(user, 'pas_foto_3x4', 'foto.pdf', SAMPLE_PDF, 'application/pdf')
    await seen(user, 'Jenis berkas tidak diterima; unggah JPG atau PNG.')


@pytest.mark.parametrize('case', HOSTILE)
def test_the_service_refuses_a_hostile_upload_and_stores_nothing(people, case: str) -> None:
    name, isi, _, message = content(case)
    uploads = [u if u.persyaratan_kode != 'ktp' else Unggahan('ktp', name, isi) for u in uploads_for('SKTM')]
    with pytest.raises(services.Invalid) as error:
        submit_directly(uploads=uploads)
    assert message in error.value.errors['berkas.ktp'] and list(error.value.errors) == ['berkas.ktp']
    assert stored() == [] and stored_files() == set()


def test_the_service_refuses_a_50_mb_file_and_stores_nothing(people) -> None:
    isi = b'%PDF-1.4\n' + b'\x00' * (50 * 1024 * 1024) + b'%%EOF\n'
    uploads = [u if u.persyaratan_kode != 'ktp' else Unggahan('ktp', 'ktp.pdf', isi) for u in uploads_for('SKTM')]
    with pytest.raises(services.Invalid) as error:
        submit_directly(uploads=uploads)
    assert error.value.errors == {'berkas.ktp': TOO_BIG}
    assert stored() == [] and stored_files() == set()


def test_a_photo_is_stored_re_encoded_upright_without_its_exif_or_anything_appended(people) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # taken sideways
    exif[0x8825] = {1: 'S', 2: (1.0, 7.0, 30.0)}  # GPS: where the citizen lives
    out = io.BytesIO()
    Image.new('RGB', (80, 60), (200, 30, 30)).save(out, 'JPEG', exif=exif.tobytes())
    photo = out.getvalue() + b'<script>alert(1)</script>'
    uploads = [u if u.persyaratan_kode != 'ktp' else Unggahan('ktp', 'ktp.jpg', photo) for u in uploads_for('SKTM')]
    submit_directly(uploads=uploads)
    [row] = [b for b in stored_berkas() if b.persyaratan_kode == 'ktp']
    kept = berkas.gudang().read(row.nama_simpan)
    assert b'<script>' not in kept and row.ukuran == len(kept) and row.content_type == 'image/jpeg'
    with Image.open(io.BytesIO(kept)) as image:
        assert image.size == (60, 80) and not image.getexif()


def test_stored_files_get_random_names_outside_every_static_folder(people) -> None:
    uploads = [Unggahan(u.persyaratan_kode, f'../../{u.nama_asli}', u.isi) for u in uploads_for('SKTM')]
    with pytest.raises(services.Invalid):
        submit_directly(uploads=uploads)
    submit_directly()
    folder = berkas.gudang().folder.resolve()
    static = (Path(__file__).resolve().parent.parent / 'assets').resolve()
    assert not folder.is_relative_to(static)
    for row in stored_berkas():
        assert len(row.nama_simpan.split('.')[0]) == 32 and row.nama_asli not in row.nama_simpan
        assert (folder / row.nama_simpan).is_file()
