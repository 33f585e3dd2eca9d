"""Cetak and Verifikasi: the Admin prints the finished letter of every layanan, each print is in the Riwayat, and the
QR on the paper opens a public page that confirms the letter (or calmly says it is unknown)."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from nicegui.testing import User
from pypdf import PdfReader
from sqlmodel import select

from apok_ui import db, services
from apok_ui.printing import cetak
from apok_ui.printing import queries as queries_cetak
from apok_ui.printing.templates import TEMPLATE_LAYANAN
from apok_ui.services import Forbidden, Invalid, NotFound
from models import AuditLog, Kelurahan, Layanan, Pengurusan, Peran, Riwayat, Status
from models.validasi import format_nip, mask_name
from models.waktu import format_tanggal, to_wib
from tests.conftest import KEC_B, NIPS, isian_for, kecamatan_id, pemohon, submit, uploads_for
from tests.test_printing import pdf_text, read_qr_codes
from tests.waiting import seen, unseen

KODE_LAYANAN = tuple(TEMPLATE_LAYANAN)
BASE_URL = 'https://apok.batam.example'
CAMAT_NAMA = 'Petugas Camat A'  # the Batam Kota camat persona of conftest
CAMAT_NIP = '19850101 201001 1 004'  # NIPS[(Batam Kota, camat)] grouped as letters print it
NAMA_PEMOHON = ('Budi Santoso', 'Siti Aminah', "Yohanes D'Costa", 'Ni Made Ayu', 'Rahmat Hidayat', 'Dewi Lestari')


@pytest.fixture(autouse=True)
def qr_address() -> None:
    """Print QR codes to a fixed address (main.py sets the configured one when the app starts)."""
    cetak.configure(BASE_URL)


def load(pengurusan_id: int) -> Pengurusan:
    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id)


def aksi_riwayat(pengurusan_id: int) -> list[str]:
    with db.get().read() as session:
        rows = session.exec(select(Riwayat).where(Riwayat.pengurusan_id == pengurusan_id).order_by(Riwayat.id))
        return [r.aksi for r in rows]


def approve(people, pengurusan_id: int, *roles: Peran) -> None:
    for peran in roles:
        services.approve(actor=people.of(peran).actor, pengurusan_id=pengurusan_id, version=load(pengurusan_id).version)


def finished(people, kode: str = 'SKTM', seq: int = 1, **overrides: str) -> int:
    """Submit an application and let the four officers of Batam Kota approve it; return its id."""
    pengurusan_id = submit(kode=kode, seq=seq, **overrides).pengurusan_id
    approve(people, pengurusan_id, Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT)
    return pengurusan_id


def layanan_nama(p: Pengurusan) -> str:
    with db.get().read() as session:
        return session.get(Layanan, p.layanan_id).nama


def qr_codes(pdf: bytes, folder: Path) -> list[str]:
    """Return the QR codes on the printed pages, as a phone would read them (skip where the tools are missing)."""
    if not (shutil.which('pdftoppm') and shutil.which('zbarimg')):
        pytest.skip('reading the QR code needs pdftoppm (poppler-utils) and zbarimg (zbar-tools)')
    folder.mkdir(parents=True, exist_ok=True)
    return read_qr_codes(pdf, folder)


@pytest.mark.parametrize('kode', KODE_LAYANAN)
async def test_every_layanan_prints_nomor_surat_pemohon_camat_and_a_qr_to_its_verification(
    people, kode: str, tmp_path: Path
) -> None:
    pengurusan_id = finished(people, kode)
    pdf, nama_berkas = await cetak.letter_pdf(people.of(Peran.ADMIN).actor, pengurusan_id)
    p = load(pengurusan_id)
    text = pdf_text(pdf)
    for expected in (f'Nomor: {p.nomor_surat}', 'Budi Santoso', p.nik, CAMAT_NAMA, f'NIP. {CAMAT_NIP}'):
        assert expected in text
    assert f'Batam, {format_tanggal(p.selesai_at)}' in text
    assert nama_berkas == f'{kode}-{p.nomor_surat.replace("/", "-")}.pdf'
    assert re.fullmatch(r'[A-Za-z0-9.-]+\.pdf', nama_berkas)
    if kode == 'AK1':  # the card carries the uploaded pas foto (the logo and the QR are vector graphics)
        assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1
    assert aksi_riwayat(pengurusan_id)[-1] == 'dicetak'
    url = f'{BASE_URL}/verifikasi/{p.token_verifikasi}'
    assert qr_codes(pdf, tmp_path) == [url]
    assert queries_cetak.verifikasi(p.token_verifikasi) == queries_cetak.SuratTerdaftar(
        p.nomor_surat,
        layanan_nama(p),
        'B*** S******',
        to_wib(p.selesai_at).date(),
        'Batam Kota',
        CAMAT_NAMA,
        'Camat Batam Kota',  # the signer's own jabatan, with the kecamatan's name
        Status.SELESAI,
    )


async def test_the_verification_page_confirms_each_printed_letter_with_only_a_masked_name(
    user: User, app_people, tmp_path: Path
) -> None:
    for seq, kode in enumerate(KODE_LAYANAN, start=1):
        nama = NAMA_PEMOHON[seq % len(NAMA_PEMOHON)]
        pengurusan_id = finished(app_people, kode, seq, nama=nama)
        pdf, _ = await cetak.letter_pdf(app_people.of(Peran.ADMIN).actor, pengurusan_id)
        p = load(pengurusan_id)
        [url] = qr_codes(pdf, tmp_path / kode)
        assert urlsplit(url).path == f'/verifikasi/{p.token_verifikasi}'
        await user.open(urlsplit(url).path)
        await seen(user, 'Surat ini terdaftar di APOK')
        for expected in (p.nomor_surat, layanan_nama(p), mask_name(nama), format_tanggal(p.selesai_at)):
            await seen(user, expected)
        await seen(user, f'Camat Batam Kota: {CAMAT_NAMA}')
        await seen(user, 'Selesai')
        await unseen(user, nama)
        await unseen(user, p.nik)


async def test_a_handed_over_letter_may_be_printed_again_and_verifies_as_diserahkan(people) -> None:
    pengurusan_id = finished(people)
    admin = people.of(Peran.ADMIN).actor
    await cetak.letter_pdf(admin, pengurusan_id)
    await cetak.letter_pdf(admin, pengurusan_id)
    assert aksi_riwayat(pengurusan_id).count('dicetak') == 2 and load(pengurusan_id).jumlah_cetak == 2
    services.hand_over(
        actor=admin, pengurusan_id=pengurusan_id, version=load(pengurusan_id).version, penerima_nama='Budi Santoso'
    )
    await cetak.letter_pdf(admin, pengurusan_id)
    p = load(pengurusan_id)
    assert aksi_riwayat(pengurusan_id)[-3:] == ['dicetak', 'diserahkan', 'dicetak']
    assert (p.status, p.jumlah_cetak) == (Status.DISERAHKAN.value, 3)
    assert queries_cetak.verifikasi(p.token_verifikasi).status is Status.DISERAHKAN


async def test_html_and_template_syntax_typed_by_the_pemohon_print_literally(people) -> None:
    with pytest.raises(Invalid):  # a name cannot even carry markup: the name rule allows letters and . , ' - only
        submit(nama='<b>Budi</b>')
    alamat = 'Jl. <script>alert(1)</script> {{ 7*7 }} No. 1'
    keperluan = '<b>{% raw %}{{ 7*7 }}</b> & {{ config }}'
    pengurusan_id = _submit_with(alamat=alamat, isian={'keperluan': keperluan})
    approve(people, pengurusan_id, Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT)
    pdf, _ = await cetak.letter_pdf(people.of(Peran.ADMIN).actor, pengurusan_id)
    text = pdf_text(pdf)
    assert alamat in text and keperluan in text


def _submit_with(*, alamat: str, isian: dict[str, str]) -> int:
    """Submit an SKTM of Batam Kota with this alamat and these extra fields, through the citizen's service."""
    kec_id = kecamatan_id('Batam Kota')
    with db.get().read() as session:
        kelurahan = session.exec(select(Kelurahan).where(Kelurahan.kecamatan_id == kec_id)).first()
    data = pemohon(1, alamat=alamat)
    data.isian = {**isian_for('SKTM'), **isian}
    result = services.submit(
        layanan_kode='SKTM', kecamatan_id=kec_id, kelurahan_id=kelurahan.id, data=data, uploads=uploads_for('SKTM')
    )
    return result.pengurusan_id


async def test_only_an_admin_of_the_same_kecamatan_may_print_and_refusals_write_no_riwayat(people) -> None:
    pengurusan_id = finished(people)
    refused = [
        people.of(Peran.KASI).actor,
        people.of(Peran.SEKCAM).actor,
        people.of(Peran.CAMAT).actor,
        people.of(Peran.ADMIN, KEC_B).actor,
        people.of(Peran.SUPERADMIN).actor,
        services.Actor(people.of(Peran.ADMIN).actor.petugas_id, sesi_versi=99),  # a session that has ended
    ]
    for actor in refused:
        with pytest.raises(Forbidden):
            await cetak.letter_pdf(actor, pengurusan_id)
    assert 'dicetak' not in aksi_riwayat(pengurusan_id) and load(pengurusan_id).jumlah_cetak == 0
    with db.get().read() as session:
        audit = session.exec(select(AuditLog).where(AuditLog.aksi == 'akses_ditolak')).all()
    assert len(audit) == len(refused) and all(row.detail.startswith('dicetak:') for row in audit)


async def test_an_application_cannot_be_printed_before_it_is_selesai(people) -> None:
    pengurusan_id = submit().pengurusan_id
    approve(people, pengurusan_id, Peran.ADMIN, Peran.KASI, Peran.SEKCAM)
    with pytest.raises(Forbidden, match='Diproses'):
        await cetak.letter_pdf(people.of(Peran.ADMIN).actor, pengurusan_id)
    with pytest.raises(NotFound):
        await cetak.letter_pdf(people.of(Peran.ADMIN).actor, pengurusan_id + 1000)
    assert aksi_riwayat(pengurusan_id) == ['diajukan', 'disetujui', 'disetujui', 'disetujui']


ODD_TOKENS = [
    '..%2F..%2F..%2Fetc%2Fpasswd',
    'lain/lagi/../surat',  # slashes reach the page too (a browser resolves a bare '..' before asking)
    'x' * 500,
    '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    'A' * 32,  # the right shape, but no letter has it
    "'%20OR%20'1'%3D'1",
    '%E2%80%AE' * 11,
    '',
]


@pytest.mark.parametrize('token', ODD_TOKENS)
async def test_an_unknown_or_malformed_token_gets_the_calm_not_found_page(user: User, app_people, token: str) -> None:
    await user.open(f'/verifikasi/{token}')  # the simulated browser also checks for HTTP 200 and no ERROR log
    await seen(user, 'Surat tidak ditemukan')
    await seen(user, 'Ke Beranda')
    await unseen(user, 'Surat ini terdaftar di APOK')


async def test_a_database_outage_is_not_reported_as_an_unknown_letter(
    user: User, app_people, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db.init(f'sqlite:///{tmp_path}/tidak-ada/apok.db')  # the database cannot be read
    await user.open('/verifikasi/' + 'A' * 32)
    await seen(user, 'Surat belum dapat diperiksa')
    await unseen(user, 'Surat tidak ditemukan')
    assert any('verifikasi' in r.getMessage() for r in caplog.records if r.levelname == 'ERROR')  # the operator learns
    caplog.clear()  # the outage was intended here; the user fixture fails a test on any other ERROR log


@pytest.mark.parametrize(
    'token', [None, 42, '', 'A' * 31, 'A' * 33, 'A' * 31 + '\n', 'é' * 32, "' OR '1'='1' --" + 'A' * 17, 'x' * 100_000]
)
def test_the_verification_query_answers_none_for_odd_tokens_without_asking_the_database(
    token: object, tmp_path: Path
) -> None:
    db.init(f'sqlite:///{tmp_path}/tidak-ada/apok.db')  # a database that cannot be opened: any query would raise
    assert queries_cetak.verifikasi(token) is None


def test_nips_are_grouped_as_letters_print_them() -> None:
    assert format_nip(NIPS[('Batam Kota', Peran.CAMAT)]) == CAMAT_NIP
    assert format_nip('12345') == '12345'
