"""What the portal's tests share: a citizen filling in the form in the simulated browser, and what got stored.

(No tests here; the module name only keeps it among the portal's files.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nicegui import ElementFilter, ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from sqlmodel import select

from apok_ui import berkas, db, services
from apok_ui.berkas import Unggahan
from apok_ui.queries import publik as queries_publik
from apok_ui.services import batas
from models import Berkas, Layanan, Pengurusan, Riwayat
from models.permohonan import DataPemohon
from tests import waiting
from tests.conftest import isian_for, kecamatan_id, pemohon, uploads_for
from tests.waiting import seen

TEXT_FIELDS = ('nik', 'nama', 'tempat_lahir', 'tanggal_lahir', 'pekerjaan', 'alamat', 'rt', 'rw', 'no_hp', 'email')
CHOICE_FIELDS = ('jenis_kelamin', 'agama', 'status_perkawinan')


@pytest.fixture
def fresh_limits() -> Iterator[None]:
    """Start each test with no submissions counted for the simulated browser's address."""
    batas.reset()
    yield
    batas.reset()


def citizen(kode: str, seq: int = 1, **overrides: str) -> DataPemohon:
    """Return a valid applicant for a layanan, extra fields included."""
    data = pemohon(seq, **overrides)
    data.isian = isian_for(kode)
    return data


def layanan_row(kode: str) -> Layanan:
    """Return a layanan as stored."""
    with db.get().read() as session:
        return session.exec(select(Layanan).where(Layanan.kode == kode)).one()


def field(user: User, key: str) -> ui.element:
    """Return the form field registered under an error key (visible or not)."""
    with user.client:
        return next(iter(ElementFilter(marker=f'field-{key}', local_scope=False)))


def choose(user: User, key: str, label: str) -> None:
    """Open a select and tap one of its options, as a person does."""
    interaction = user.find(marker=f'field-{key}')
    element = next(iter(interaction.elements))
    interaction.click()
    UserInteraction(user, {element}, label).click()


def type_into(user: User, key: str, text: str) -> None:
    """Replace what a text field holds with what the person types."""
    user.find(marker=f'field-{key}').clear().type(text)


def fill(user: User, data: DataPemohon, *, kecamatan: str | None = 'Batam Kota', kelurahan: str = 'Belian') -> None:
    """Fill in the whole form (place, applicant, extra fields) from the data."""
    if kecamatan:
        choose(user, 'kecamatan', kecamatan)
        choose(user, 'kelurahan', kelurahan)
    for name in TEXT_FIELDS:
        type_into(user, name, str(getattr(data, name)))
    for name in CHOICE_FIELDS:
        choose(user, name, getattr(data, name))
    for kode, value in data.isian.items():
        if isinstance(field(user, f'isian.{kode}'), ui.select):
            choose(user, f'isian.{kode}', value)
        else:
            type_into(user, f'isian.{kode}', value)


async def upload(user: User, kode: str, name: str, isi: bytes, content_type: str = 'application/octet-stream') -> None:
    """Hand one file to a requirement's uploader, as the browser's upload request does."""
    with user.client:
        uploader = next(iter(ElementFilter(marker=f'upload-{kode}', local_scope=False)))
    await uploader.handle_uploads([ui.upload.SmallFileUpload(name, content_type, isi)])


async def upload_all(user: User, kode: str) -> None:
    """Upload a valid file for every requirement of a layanan and wait until each is listed."""
    for item in uploads_for(kode):
        await upload(user, item.persyaratan_kode, item.nama_asli, item.isi)
        await seen(user, marker=f'ganti-{item.persyaratan_kode}')


async def settle(user: User) -> None:
    """Wait until the page's own handlers (uploads, Kirim, Lacak, Batalkan) have run to their end."""
    await waiting.settle()


async def send(user: User) -> None:
    """Accept the statement (if not yet) and press Kirim Permohonan."""
    box = field_by_marker(user, 'setuju')
    if not box.value:
        user.find(marker='setuju').click()
    user.find(marker='kirim').click()
    await settle(user)


def field_by_marker(user: User, marker: str) -> ui.element:
    """Return the element with this marker (visible or not)."""
    with user.client:
        return next(iter(ElementFilter(marker=marker, local_scope=False)))


def nomor_shown(user: User) -> str:
    """Return the Nomor Pendaftaran on the result card."""
    return next(iter(user.find(marker='nomor').elements)).text


def stored() -> list[Pengurusan]:
    """Return every stored application."""
    with db.get().read() as session:
        return list(session.exec(select(Pengurusan).order_by(Pengurusan.id)).all())


def stored_berkas() -> list[Berkas]:
    """Return every stored Berkas row."""
    with db.get().read() as session:
        return list(session.exec(select(Berkas).order_by(Berkas.id)).all())


def stored_files() -> set[str]:
    """Return the names of the files in the upload folder."""
    folder: Path = berkas.gudang().folder
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def assert_whole(pengurusan: Pengurusan) -> None:
    """Assert an application is whole: its Riwayat, every required berkas, each file on disk."""
    with db.get().read() as session:
        riwayat = session.exec(select(Riwayat).where(Riwayat.pengurusan_id == pengurusan.id)).all()
        files = session.exec(select(Berkas).where(Berkas.pengurusan_id == pengurusan.id, Berkas.aktif)).all()
        layanan = session.get(Layanan, pengurusan.layanan_id)
    assert riwayat and riwayat[0].aksi == 'diajukan'
    wajib = {p['kode'] for p in layanan.persyaratan if p.get('wajib', True)}
    assert wajib <= {f.persyaratan_kode for f in files}
    assert {f.nama_simpan for f in files} <= stored_files()


def submit_directly(
    *,
    kode: str = 'SKTM',
    seq: int = 1,
    uploads: list[Unggahan] | None = None,
    ip: str | None = None,
    perangkat: str | None = None,
) -> services.Pendaftaran:
    """Submit a valid application of Batam Kota through the service, as the portal does."""
    kec = kecamatan_id('Batam Kota')
    kelurahan = next(k for k in queries_publik.wilayah() if k.id == kec).kelurahan[0][0]
    return services.submit(
        layanan_kode=kode,
        kecamatan_id=kec,
        kelurahan_id=kelurahan,
        data=citizen(kode, seq),
        uploads=uploads_for(kode) if uploads is None else uploads,
        ip=ip,
        perangkat=perangkat,
    )
