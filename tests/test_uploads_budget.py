"""Uploads within a budget (issue 11): cut-off images are refused whatever WeasyPrint set, a name cannot disguise a
file's type, malformed upload requests are 400s without a traceback, and the files of an unsent form are freed when
its page goes away. (Memory and latency under attack: bench/uploads.py.)
"""

from __future__ import annotations

import gc
import io
import os
import re
import tracemalloc

import httpx
import pytest
from nicegui.testing import User
from PIL import Image, ImageFile
from sqlmodel import select

from apok_ui import berkas, db, services
from apok_ui.berkas import Unggahan
from apok_ui.components.form_berkas import BerkasInput
from apok_ui.components.form_pemohon import FormPemohon
from models import Berkas, Peran
from tests.conftest import LiveServer, submit, uploads_for
from tests.test_portal_support import (
    citizen,
    fill,
    fresh_limits,  # noqa: F401 (fixture)
    nomor_shown,
    send,
    settle,
    stored,
    stored_berkas,
    stored_files,
    submit_directly,
    upload,
)
from tests.test_workspace import login, open_lihat_data
from tests.waiting import seen, unseen

pytestmark = pytest.mark.usefixtures('fresh_limits')
MB = 1024 * 1024
BROKEN = 'Gambar rusak atau tidak dapat dibaca.'
TOO_MANY_PIXELS = 'Gambar terlalu besar (resolusi berlebihan).'
BAD_REQUEST = 'Permintaan unggah tidak sah.'


def photo(fmt: str, size: tuple[int, int] = (300, 200), mode: str = 'RGB', **options: object) -> bytes:
    """Return a real picture with detail in it (noise), so its image data spans most of the file."""
    image = Image.effect_noise(size, 60).convert(mode)
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def cut(isi: bytes, keep: float) -> bytes:
    return isi[: int(len(isi) * keep)]


CUT_OFF = {
    'a PNG cut in the middle of its pixels': lambda: cut(photo('PNG'), 0.5),
    'a PNG cut just before its end chunk': lambda: photo('PNG')[:-12],
    'a JPEG cut two thirds in': lambda: cut(photo('JPEG'), 0.66),
    'a progressive JPEG cut in half': lambda: cut(photo('JPEG', progressive=True), 0.5),
}


def with_ktp(name: str, isi: bytes) -> list[Unggahan]:
    """Return SKTM's valid uploads with the KTP replaced."""
    return [u if u.persyaratan_kode != 'ktp' else Unggahan('ktp', name, isi) for u in uploads_for('SKTM')]


@pytest.fixture
def weasyprint_loaded() -> None:
    """Import WeasyPrint as the server does at start: from then on the process tolerates truncated images."""
    import weasyprint  # noqa: F401

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


# --- cut-off images ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize('case', CUT_OFF)
def test_a_cut_off_image_is_refused_by_the_service_although_weasyprint_is_loaded(
    sqlite_url, weasyprint_loaded, case: str
) -> None:
    with pytest.raises(services.Invalid) as error:
        submit_directly(uploads=with_ktp('ktp.png', CUT_OFF[case]()))
    assert error.value.errors == {'berkas.ktp': BROKEN}
    assert stored() == [] and stored_files() == set()


async def test_a_cut_off_png_on_the_form_is_refused_beside_its_requirement(user: User) -> None:
    await user.open('/ajukan/SKTM')
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # the simulated server imported WeasyPrint at start
    await upload(user, 'ktp', 'ktp.png', CUT_OFF['a PNG cut in the middle of its pixels'](), 'image/png')
    await seen(user, BROKEN)
    await unseen(user, marker='ganti-ktp')


def test_the_whole_image_of_the_same_photo_is_still_accepted(sqlite_url, weasyprint_loaded) -> None:
    submit_directly(uploads=with_ktp('ktp.jpg', photo('JPEG', progressive=True)))
    [row] = [b for b in stored_berkas() if b.persyaratan_kode == 'ktp']
    with Image.open(io.BytesIO(berkas.gudang().read(row.nama_simpan))) as kept:
        assert kept.size == (300, 200) and kept.format == 'JPEG'


# --- pixel limits --------------------------------------------------------------------------------------------------


def test_a_50_megapixel_phone_photo_is_accepted_and_kept_at_half_its_size(sqlite_url) -> None:
    big = io.BytesIO()
    Image.new('L', (8160, 6120), 128).save(big, 'JPEG', quality=80)
    isi, info = berkas.prepare(big.getvalue(), max_bytes=5 * MB)
    with Image.open(io.BytesIO(isi)) as kept:
        assert kept.size == (4080, 3060) and info.jenis == 'jpg'


@pytest.mark.parametrize(
    ('what', 'isi'),
    [
        ('a PNG of 4096 x 4096 (16.8 MP)', lambda: flat_png(4096, 4096)),
        ('a progressive JPEG of 5000 x 4000 (20 MP)', lambda: flat_jpeg(5000, 4000, progressive=True)),
        ('a JPEG of 9000 x 6000 (54 MP)', lambda: flat_jpeg(9000, 6000)),
    ],
)
def test_an_image_over_its_formats_pixel_limit_is_refused(sqlite_url, what: str, isi) -> None:
    with pytest.raises(berkas.BerkasError, match=re.escape(TOO_MANY_PIXELS)):
        berkas.prepare(isi(), max_bytes=5 * MB)


def test_a_png_of_4000_x_4000_is_accepted(sqlite_url) -> None:
    isi, info = berkas.prepare(flat_png(4000, 4000), max_bytes=5 * MB)
    assert info.jenis == 'png' and Image.open(io.BytesIO(isi)).size == (4000, 4000)


def flat_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new('L', (width, height), 200).save(out, 'PNG', compress_level=9)
    return out.getvalue()


def flat_jpeg(width: int, height: int, **options: object) -> bytes:
    out = io.BytesIO()
    Image.new('L', (width, height), 200).save(out, 'JPEG', quality=70, **options)
    return out.getvalue()


# --- names that reorder themselves ---------------------------------------------------------------------------------


def test_a_right_to_left_override_in_a_file_name_is_dropped_when_it_is_stored(sqlite_url) -> None:
    submit_directly(uploads=with_ktp('x\u202egnp.pdf', uploads_for('SKTM')[0].isi))
    [row] = [b for b in stored_berkas() if b.persyaratan_kode == 'ktp']
    assert row.nama_asli == 'xgnp.pdf'


@pytest.mark.parametrize('control', ['\u202e', '\u202d', '\u2067', '\u2066\u2069', '\u200f', '\u061c', '\u200b'])
def test_every_invisible_format_character_is_dropped_from_a_shown_name(control: str) -> None:
    assert berkas.check_name(f'surat{control}.pdf') == 'surat.pdf'
    assert berkas.display_name(f'surat{control}.pdf') == 'surat.pdf'


async def test_lihat_data_shows_a_name_stored_before_the_rule_without_its_override(user: User, app_people) -> None:
    first = submit(seq=1)
    with db.get().write() as session:
        row = session.exec(select(Berkas).where(Berkas.persyaratan_kode == 'ktp')).one()
        row.nama_asli = 'x\u202egnp.pdf'  # as stored before names were cleaned: it reads 'xfdp.png'
    await login(user, app_people.of(Peran.ADMIN).nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    user.find('Berkas Persyaratan').click()
    await seen(user, 'xgnp.pdf ·')
    with user.client:
        shown = [label.text for label in user.client.elements.values() if hasattr(label, 'text')]
    assert not any('\u202e' in text for text in shown)


# --- malformed upload requests -------------------------------------------------------------------------------------


def upload_url(server: LiveServer) -> str:
    """Open the SKTM form on the real server and return the address of its first upload route."""
    page = httpx.get(f'{server.url}/ajukan/SKTM', timeout=30).text
    return server.url + re.search(r'/_nicegui/client/[0-9a-f-]+/upload/\d+', page).group(0)


def test_a_text_field_posted_to_an_upload_route_is_a_400_and_leaves_no_traceback(server: LiveServer) -> None:
    url = upload_url(server)
    answers = [
        httpx.post(url, files={'berkas': (None, 'bukan berkas')}),
        httpx.post(url, data={'berkas': 'bukan berkas'}),
        httpx.post(url, content=b'sampah', headers={'content-type': 'multipart/form-data; boundary=xyz'}),
    ]
    assert [(a.status_code, a.text) for a in answers] == [(400, BAD_REQUEST)] * 3
    assert 'Traceback' not in server.output()


def test_a_real_file_posted_to_the_same_route_is_still_taken(server: LiveServer) -> None:
    answer = httpx.post(upload_url(server), files={'berkas': ('ktp.pdf', uploads_for('SKTM')[0].isi)})
    assert answer.status_code == 200 and 'Traceback' not in server.output()


# --- files held by a form ------------------------------------------------------------------------------------------


def held_now() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


async def test_the_files_of_an_unsent_form_are_freed_when_its_page_is_closed(user: User) -> None:
    await user.open('/ajukan/SKTM')
    tracemalloc.start()
    try:
        await upload(user, 'ktp', 'ktp.pdf', big_pdf(), 'application/pdf')
        await settle(user)
        await seen(user, marker='ganti-ktp')
        held = held_now()
        user.client.delete()  # what NiceGUI does when the browser has left for longer than reconnect_timeout
        freed = held - held_now()
    finally:
        tracemalloc.stop()
    assert held > 4 * MB and freed > 0.9 * 4 * MB


async def test_the_files_of_a_sent_form_are_freed_while_its_page_stays_open(user: User) -> None:
    await user.open('/ajukan/SKTM')
    fill(user, citizen('SKTM'))
    for item in uploads_for('SKTM'):
        if item.persyaratan_kode != 'ktp':
            await upload(user, item.persyaratan_kode, item.nama_asli, item.isi)
    tracemalloc.start()
    try:
        await upload(user, 'ktp', 'ktp.pdf', big_pdf(), 'application/pdf')
        await settle(user)
        held = held_now()
        await send(user)
        await seen(user, marker='nomor')
        freed = held - held_now()
    finally:
        tracemalloc.stop()
    assert nomor_shown(user) and held > 4 * MB and freed > 0.9 * 4 * MB


def alive(kind: type) -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, kind))


async def test_a_closed_form_keeps_nothing_of_its_page_alive(user: User) -> None:
    before = (alive(BerkasInput), alive(FormPemohon))
    await user.open('/ajukan/SKTM')
    for item in uploads_for('SKTM'):
        await upload(user, item.persyaratan_kode, item.nama_asli, item.isi)
    await settle(user)
    assert alive(BerkasInput) == before[0] + 5
    user.client.delete()
    # nothing of the page stays: its uploads have no route of their own for FastAPI's caches to keep (issue 19)
    assert (alive(BerkasInput), alive(FormPemohon)) == before


def big_pdf() -> bytes:
    """Return a 4 MB PDF that exists nowhere else in the process (the test keeps no reference to it)."""
    return b'%PDF-1.4\n' + os.urandom(4 * MB) + b'\n%%EOF\n'
