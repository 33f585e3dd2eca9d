"""A thousand random submissions of the Ajukan form: no crash (any ERROR log fails the `user` fixture), every
stored application whole, no stored file without its application."""

from __future__ import annotations

import random

import pytest
from nicegui import ElementFilter, ui
from nicegui.testing import User

from apok_ui.demo import SAMPLE_PDF, SAMPLE_PNG
from apok_ui.queries.publik import layanan_aktif
from apok_ui.services import batas
from models import Status
from tests.test_portal_support import (
    CHOICE_FIELDS,
    assert_whole,
    citizen,
    fresh_limits,  # noqa: F401 (fixture)
    settle,
    stored,
    stored_berkas,
    stored_files,
    upload,
)
from tests.test_uploads_hostile import EXE, SVG, giant_header_png

pytestmark = pytest.mark.usefixtures('fresh_limits')
RUNS = 1000
GARBAGE = (
    '',
    ' ',
    '\x00',
    '\ud800',
    'Robert"); DROP TABLE pengurusan;--',
    '<img src=x onerror=alert(1)>',
    '{{ config }}',
    '../../etc/passwd',
    '٢١٧١٠١١٧٠٨٩٠٠٠٠١',
    '²³',
    '0' * 16,
    '9' * 40,
    'é' * 101,
    '🙂' * 30,
    '\n\t\r',
    '2026-02-30',
    '31/12/1990',
)
FILES = (
    ('ktp.pdf', SAMPLE_PDF),
    ('foto.png', SAMPLE_PNG),
    ('program.pdf', EXE),
    ('gambar.png', SVG),
    ('bom.png', giant_header_png()),
    ('kosong.pdf', b''),
    ('rusak.pdf', SAMPLE_PDF[:-100]),
    ('../../x.pdf', SAMPLE_PDF),
)


def garbage(rng: random.Random) -> object:
    """Return wrong input of any kind, even what only a tampered browser sends."""
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(GARBAGE)
    if roll < 0.85:
        return ''.join(chr(rng.randrange(0x20, 0x2FFF)) for _ in range(rng.randrange(1, 80)))
    return rng.choice([None, 12345, 1.5, ['a'], {'x': 1}, 'x' * 5000])


def elements(user: User, marker_prefix: str) -> dict[str, ui.element]:
    """Return the page's elements whose marker starts with the prefix, keyed by the rest of the marker."""
    with user.client:
        return {
            m[len(marker_prefix) :]: e
            for e in ElementFilter(local_scope=False)
            for m in e._markers  # noqa: SLF001 (the markers we set ourselves)
            if m.startswith(marker_prefix)
        }


async def one_submission(user: User, rng: random.Random, kode: str) -> None:
    """Fill the form with a valid applicant broken at a random rate (none to all), upload, and press Kirim."""
    good = citizen(kode, seq=rng.randrange(1, 9000))
    rate = rng.choice((0.0, 0.0, 0.03, 0.1, 0.3, 1.0))
    with user.client:
        for key, element in elements(user, 'field-').items():
            broken = rng.random() < rate
            if isinstance(element, ui.select):
                options = list(element.options)
                if broken or not options:
                    element.value = rng.choice([None, *options])
                else:
                    element.value = getattr(good, key) if key in CHOICE_FIELDS else rng.choice(options)
            else:
                name = key.split('.', 1)[-1]
                valid = good.isian.get(name, '') if key.startswith('isian.') else getattr(good, name, '')
                element.value = garbage(rng) if broken else str(valid)
    photos = {p.kode for item in layanan_aktif() if item.kode == kode for p in item.persyaratan if 'pdf' not in p.jenis}
    for kode_berkas in elements(user, 'upload-'):
        if rng.random() < rate:
            if rng.random() < 0.7:
                await upload(user, kode_berkas, *rng.choice(FILES))
        elif rng.random() < 0.5 or rate == 0:
            await upload(user, kode_berkas, *(FILES[1] if kode_berkas in photos else rng.choice(FILES[:2])))
    await settle(user)
    with user.client:
        next(iter(ElementFilter(marker='setuju', local_scope=False))).value = rng.random() < 0.97
    kirim = user.find(marker='kirim').click()
    if rng.random() < 0.1:
        kirim.click()  # a second tap while the first is on its way
    await settle(user)


async def test_a_thousand_random_submissions_never_crash_and_never_store_half_an_application(user: User) -> None:
    rng = random.Random(20261129)
    kodes = [item.kode for item in layanan_aktif()]
    kode = rng.choice(kodes)
    await user.open(f'/ajukan/{kode}')
    for run in range(RUNS):
        if run % 25 == 0:
            batas.reset()  # keep the per-address limit from turning every later valid form away
        await one_submission(user, rng, kode)
        if elements(user, 'kirim') == {} or rng.random() < 0.05:
            kode = rng.choice(kodes)
            await user.open(f'/ajukan/{kode}')
    applications = stored()
    print(f'fuzz: {RUNS} submissions, {len(applications)} stored')
    assert applications, 'the fuzz run never produced a valid application; it tests too little'
    files = stored_files()
    referenced = {b.nama_simpan for b in stored_berkas()}
    assert referenced == files, 'every stored file belongs to an application and every berkas has its file'
    for pengurusan in applications:
        assert pengurusan.status == Status.DIAJUKAN
        assert len(pengurusan.nik) == 16 and pengurusan.no_hp.startswith('+628')
    for pengurusan in applications:
        assert_whole(pengurusan)
