"""The digital letter (issue 14): rendered and signed once at the final approval, stored with its SHA-256, handed out
byte for byte by Cetak and Lacak, and verifiable by anyone from its QR or its file."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from nicegui import ElementFilter, ui
from nicegui.testing import User
from sqlmodel import select

from apok_ui import db, services
from apok_ui.printing import cetak, keaslian, terbit
from apok_ui.printing.arsip import stored_row
from apok_ui.services import batas, delegasi, sertifikat
from apok_ui.ttd import demo as demo_ca
from apok_ui.ttd.periksa import check_signature
from models import AuditLog, Layanan, Pengurusan, Peran, Petugas
from models.waktu import format_waktu, now, today_wib
from tests.conftest import People, kecamatan_id, submit
from tests.test_portal_lacak import lacak
from tests.test_printing import pdf_text
from tests.waiting import DEADLINE, seen, unseen, until

BASE_URL = 'https://apok.batam.example'
SANDI_SEGEL = 'segel-rahasia-2026'
SANDI_CAMAT = 'tte-camat-2026'


@pytest.fixture(autouse=True)
def qr_address() -> None:
    cetak.configure(BASE_URL)


def load(pengurusan_id: int) -> Pengurusan:
    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id)


def install_demo(people: People, cara: str = 'segel', kecamatan: str = 'Batam Kota') -> demo_ca.OtoritasDemo:
    """Trust a fresh demo CA and give the kecamatan a segel and its Camat a TTE personal, the superadmin's way."""
    admin = people.of(Peran.SUPERADMIN).actor
    ca = demo_ca.new_ca()
    sertifikat.install_root(actor=admin, pem=ca.pem.encode('ascii'))
    kec_id = kecamatan_id(kecamatan)
    p12 = demo_ca.issue_p12(ca, f'Segel Kecamatan {kecamatan}', SANDI_SEGEL)
    sertifikat.install_segel(actor=admin, kecamatan_id=kec_id, p12=p12, sandi=SANDI_SEGEL)
    camat = people.of(Peran.CAMAT, kecamatan)
    p12 = demo_ca.issue_p12(ca, 'Petugas Camat A', SANDI_CAMAT)
    sertifikat.install_personal(actor=admin, petugas_id=camat.actor.petugas_id, p12=p12, sandi=SANDI_CAMAT)
    sertifikat.set_cara_ttd(actor=admin, kecamatan_id=kec_id, cara=cara)
    return ca


def up_to_camat(people: People, kode: str = 'SKTM', seq: int = 1) -> int:
    pengurusan_id = submit(kode=kode, seq=seq).pengurusan_id
    for peran in (Peran.ADMIN, Peran.KASI, Peran.SEKCAM):
        services.approve(actor=people.of(peran).actor, pengurusan_id=pengurusan_id, version=load(pengurusan_id).version)
    return pengurusan_id


async def final_approval(people: People, pengurusan_id: int, sandi: str | None = None, peran=Peran.CAMAT) -> None:
    await terbit.approve(
        people.of(peran).actor, pengurusan_id=pengurusan_id, version=load(pengurusan_id).version, sandi=sandi
    )


def signature_fields(pdf: bytes) -> list[tuple[float, ...]]:
    """Return the rectangles of the PDF's signature fields that a reader draws on a page (a visible signature)."""
    import io

    from pypdf import PdfReader

    annots = [a.get_object() for page in PdfReader(io.BytesIO(pdf)).pages for a in (page.get('/Annots') or [])]
    return [tuple(float(v) for v in a['/Rect']) for a in annots if a.get('/FT') == '/Sig']


def roots() -> list[str]:
    from apok_ui.printing.surat_baru import trusted_roots

    with db.get().read() as session:
        return trusted_roots(session)


async def test_the_stored_letter_validates_against_the_demo_ca_and_every_cetak_gives_exactly_that_file(
    people: People,
) -> None:
    install_demo(people, 'segel')
    pengurusan_id = up_to_camat(people)
    await final_approval(people, pengurusan_id)
    row = stored_row(pengurusan_id)
    assert row is not None and (row.ttd, row.demo) == ('segel', True)
    admin = people.of(Peran.ADMIN).actor
    first, _ = await cetak.letter_pdf(admin, pengurusan_id)
    second, _ = await cetak.letter_pdf(admin, pengurusan_id)
    assert first == second and hashlib.sha256(first).hexdigest() == row.sha256
    hasil = check_signature(first, roots())
    assert hasil.sah and hasil.penandatangan == 'Segel Kecamatan Batam Kota' and hasil.demo
    text = pdf_text(first)
    assert load(pengurusan_id).nomor_surat in text
    assert signature_fields(first) and all(x2 - x1 > 100 and y2 - y1 > 30 for x1, y1, x2, y2 in signature_fields(first))
    waktu = format_waktu(load(pengurusan_id).selesai_at)
    assert f'Ditandatangani secara elektronik pada {waktu} WIB (sertifikat DEMO, bukan BSrE)' in text


async def test_a_letter_is_not_changed_by_a_later_template_or_letterhead_change(people: People) -> None:
    install_demo(people, 'tanpa')
    pengurusan_id = up_to_camat(people)
    await final_approval(people, pengurusan_id)
    before, _ = await cetak.letter_pdf(people.of(Peran.ADMIN).actor, pengurusan_id)
    with db.get().write() as session:  # the letterhead changes after the letter was issued
        petugas = session.get(Petugas, people.of(Peran.CAMAT).actor.petugas_id)
        petugas.nama = 'Nama Lain Sekali'
    after, _ = await cetak.letter_pdf(people.of(Peran.ADMIN).actor, pengurusan_id)
    assert after == before and 'Nama Lain Sekali' not in pdf_text(after)


async def test_changing_one_byte_makes_the_file_check_say_it_is_not_the_authentic_letter(people: People) -> None:
    install_demo(people, 'segel')
    pengurusan_id = up_to_camat(people)
    await final_approval(people, pengurusan_id)
    pdf, _ = await cetak.letter_pdf(people.of(Peran.ADMIN).actor, pengurusan_id)
    token = load(pengurusan_id).token_verifikasi
    assert keaslian.periksa_berkas(token, pdf).sama
    tampered = bytearray(pdf)
    tampered[len(pdf) // 3] ^= 0x01
    hasil = keaslian.periksa_berkas(token, bytes(tampered))
    assert not hasil.sama and not hasil.tanda.sah
    assert keaslian.keadaan(token).tanda.sah


async def test_a_wrong_personal_passphrase_refuses_the_approval_and_leaves_it_waiting_for_the_camat(
    people: People,
) -> None:
    install_demo(people, 'personal')
    pengurusan_id = up_to_camat(people)
    before = load(pengurusan_id)
    for sandi in ('salah-sekali', None, ''):
        with pytest.raises(services.Invalid, match='sandi'):
            await final_approval(people, pengurusan_id, sandi=sandi)
    after = load(pengurusan_id)
    assert (after.status, after.version, after.peran_menunggu, after.nomor_surat) == (
        before.status,
        before.version,
        'camat',
        None,
    )
    assert stored_row(pengurusan_id) is None
    await final_approval(people, pengurusan_id, sandi=SANDI_CAMAT)
    hasil = check_signature((await cetak.letter_pdf(people.of(Peran.ADMIN).actor, pengurusan_id))[0], roots())
    assert hasil.sah and hasil.penandatangan == 'Petugas Camat A'


async def test_an_expired_certificate_refuses_the_approval_with_an_indonesian_reason(people: People) -> None:
    install_demo(people, 'personal')
    ca = demo_ca.new_ca()
    sertifikat.install_root(actor=people.of(Peran.SUPERADMIN).actor, pem=ca.pem.encode('ascii'))
    expired = demo_ca.issue_p12(
        ca, 'Petugas Camat A', SANDI_CAMAT, mulai=now() - timedelta(days=30), sampai=now() + timedelta(seconds=2)
    )
    sertifikat.seed_demo_certificate(
        jenis='personal', p12=expired, sandi=SANDI_CAMAT, petugas_id=people.of(Peran.CAMAT).actor.petugas_id
    )
    with db.get().write() as session:  # let it run out: the same certificate, a moment later
        from models import Sertifikat

        row = session.exec(select(Sertifikat).where(Sertifikat.aktif, Sertifikat.jenis == 'personal')).all()[-1]
        row.berlaku_sampai = now() - timedelta(days=1)
    pengurusan_id = up_to_camat(people)
    await _wait_until_expired(expired)
    with pytest.raises(services.Invalid, match='kedaluwarsa'):
        await final_approval(people, pengurusan_id, sandi=SANDI_CAMAT)
    assert load(pengurusan_id).nomor_surat is None


async def _wait_until_expired(p12: bytes) -> None:
    """Wait for the certificate's own end of validity (two seconds after it was issued)."""
    import asyncio

    from apok_ui.ttd.sertifikat import read_pkcs12

    end = read_pkcs12(p12, SANDI_CAMAT).berlaku_sampai
    while now() <= end:
        await asyncio.sleep(0.1)


@pytest.mark.parametrize(
    ('jabatan', 'delegasi_jenis', 'peran', 'expected', 'absent'),
    [
        ('Camat', None, Peran.CAMAT, 'CAMAT BATAM KOTA,', ('Plt.', 'a.n.')),
        ('Plt. Camat', None, Peran.CAMAT, 'Plt. CAMAT BATAM KOTA,', ('a.n.',)),
        ('Sekretaris Camat', 'an', Peran.SEKCAM, 'a.n. CAMAT BATAM KOTA SEKRETARIS CAMAT,', ('Plt.',)),
        ('Sekretaris Camat', 'plh', Peran.SEKCAM, 'Plh. CAMAT BATAM KOTA,', ('a.n.',)),
    ],
)
async def test_the_signature_block_names_the_real_signer(
    people: People, jabatan: str, delegasi_jenis: str | None, peran: Peran, expected: str, absent: tuple[str, ...]
) -> None:
    install_demo(people, 'tanpa')
    signer = people.of(peran)
    with db.get().write() as session:
        petugas = session.get(Petugas, signer.actor.petugas_id)
        petugas.jabatan, petugas.pangkat_golongan = jabatan, 'Pembina, IV/a'
        if peran is Peran.SEKCAM:  # a layanan whose chain ends at the Sekretaris Camat
            layanan = session.exec(select(Layanan).where(Layanan.kode == 'SKD')).one()
            layanan.tahapan = ['admin', 'kasi', 'sekcam']
    if delegasi_jenis:
        delegasi.record(
            actor=people.of(Peran.CAMAT).actor,
            kecamatan_id=signer.kecamatan_id,
            jenis=delegasi_jenis,
            petugas_id=signer.actor.petugas_id,
            mulai=today_wib(),
            sampai=today_wib() + timedelta(days=7),
        )
    kode = 'SKD' if peran is Peran.SEKCAM else 'SKTM'
    pengurusan_id = submit(kode=kode).pengurusan_id
    for step in (Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT):
        if step is peran:
            break
        services.approve(actor=people.of(step).actor, pengurusan_id=pengurusan_id, version=load(pengurusan_id).version)
    await final_approval(people, pengurusan_id, peran=peran)
    text = pdf_text((await cetak.letter_pdf(people.of(Peran.ADMIN).actor, pengurusan_id))[0])
    assert expected in text and 'Pembina, IV/a' in text
    signature_block = text[text.index('Batam, ') :]
    assert not any(word in signature_block for word in absent)


async def test_lacak_offers_the_download_only_for_online_layanan_and_the_right_pair(
    user: User, app_people: People
) -> None:
    install_demo(app_people, 'segel')
    with db.get().write() as session:
        session.exec(select(Layanan).where(Layanan.kode == 'SKTM')).one().unduh_online = True
    online = up_to_camat(app_people, 'SKTM', 1)
    offline = up_to_camat(app_people, 'SKD', 2)
    for pengurusan_id in (online, offline):
        await final_approval(app_people, pengurusan_id)
    p = load(online)
    await lacak(user, p.nomor_pendaftaran, p.nik)
    await seen(user, marker='unduh-surat')
    user.find(marker='unduh').click()
    response = await user.download.next(timeout=DEADLINE)
    assert hashlib.sha256(response.content).hexdigest() == stored_row(online).sha256
    with db.get().read() as session:
        audit = session.exec(select(AuditLog).where(AuditLog.aksi == 'surat_diunduh')).all()
    assert [row.objek for row in audit] == [f'pengurusan:{online}']
    q = load(offline)
    await lacak(user, q.nomor_pendaftaran, q.nik)
    await seen(user, 'Silakan ambil di Kantor Camat Batam Kota')
    await unseen(user, marker='unduh-surat')


async def test_downloads_need_the_right_pair_and_are_rate_limited(people: People) -> None:
    from apok_ui.printing import unduh

    batas.reset()  # the per-address window lives in this process: start it empty
    install_demo(people, 'segel')
    with db.get().write() as session:
        session.exec(select(Layanan).where(Layanan.kode == 'SKTM')).one().unduh_online = True
    pengurusan_id = up_to_camat(people)
    await final_approval(people, pengurusan_id)
    p = load(pengurusan_id)
    with pytest.raises(services.NotFound):
        await unduh.download(p.nomor_pendaftaran, '2171010101900009', '10.0.0.9')
    for _ in range(batas.DOWNLOADS_PER_IP_PER_MINUTE - 1):
        await unduh.download(p.nomor_pendaftaran, p.nik, '10.0.0.9')
    with pytest.raises(batas.Dibatasi):
        await unduh.download(p.nomor_pendaftaran, p.nik, '10.0.0.9')
    pdf, nama = await unduh.download(p.nomor_pendaftaran, p.nik, '10.0.0.10')  # another address still may
    assert pdf.startswith(b'%PDF') and nama.startswith('SKTM-')


async def test_the_verification_page_shows_the_signature_the_hash_and_checks_a_dropped_file(
    user: User, app_people: People
) -> None:
    install_demo(app_people, 'segel')
    pengurusan_id = up_to_camat(app_people)
    await final_approval(app_people, pengurusan_id)
    p, row = load(pengurusan_id), stored_row(pengurusan_id)
    pdf, _ = await cetak.letter_pdf(app_people.of(Peran.ADMIN).actor, pengurusan_id)
    await user.open(f'/verifikasi/{p.token_verifikasi}')
    await seen(user, 'Tanda tangan elektronik sah: dokumen utuh sejak ditandatangani.')
    await seen(user, 'Sertifikat DEMONSTRASI: bukan sertifikat BSrE')
    await seen(user, row.sha256)
    await drop(user, pdf)
    await seen(user, 'Berkas ini sama persis dengan surat asli.')
    tampered = pdf.replace(p.nomor_surat.encode(), p.nomor_surat.encode()[:-1] + b'9', 1)
    await drop(user, tampered if tampered != pdf else pdf[:-10])
    await seen(user, 'Berkas ini tidak sama dengan surat asli.')
    await unseen(user, 'Berkas ini sama persis dengan surat asli.')


async def drop(user: User, isi: bytes) -> None:
    """Hand a PDF to Periksa berkas, as the browser's upload does."""
    with user.client:
        uploader = next(iter(ElementFilter(marker='periksa-unggah', local_scope=False)))
    await uploader.handle_uploads([ui.upload.SmallFileUpload('surat.pdf', 'application/pdf', isi)])


async def test_the_camat_types_the_tte_passphrase_in_the_approval_dialog_and_a_wrong_one_changes_nothing(
    user: User, app_people: People
) -> None:
    from tests.test_workspace import login, open_lihat_data

    install_demo(app_people, 'personal')
    pengurusan_id = up_to_camat(app_people)
    nomor = load(pengurusan_id).nomor_pendaftaran
    await login(user, app_people.of(Peran.CAMAT).nip)
    await open_lihat_data(user, nomor)
    user.find(marker='disetujui').click()
    await seen(user, marker='sandi-tte')
    user.find(marker='sandi-tte').type('bukan-sandinya')
    user.find(marker='ya').click()
    await seen(user, 'Surat tidak dapat ditandatangani: Kata sandi sertifikat salah.')
    assert (load(pengurusan_id).peran_menunggu, stored_row(pengurusan_id)) == ('camat', None)
    user.find(marker='disetujui').click()
    await seen(user, marker='sandi-tte')
    user.find(marker='sandi-tte').type(SANDI_CAMAT)
    user.find(marker='ya').click()
    await until(lambda: stored_row(pengurusan_id) is not None)
    assert load(pengurusan_id).status == 'selesai' and stored_row(pengurusan_id).ttd == 'personal'


async def test_a_letter_finished_without_the_dialog_is_sealed_at_its_first_cetak_and_kept(people: People) -> None:
    install_demo(people, 'segel')
    pengurusan_id = up_to_camat(people)
    services.approve(
        actor=people.of(Peran.CAMAT).actor, pengurusan_id=pengurusan_id, version=load(pengurusan_id).version
    )
    assert stored_row(pengurusan_id) is None
    first, _ = await cetak.letter_pdf(people.of(Peran.ADMIN).actor, pengurusan_id)
    assert check_signature(first, roots()).sah and stored_row(pengurusan_id).ttd == 'segel'
    assert (await cetak.letter_pdf(people.of(Peran.ADMIN).actor, pengurusan_id))[0] == first


def field_error(user: User, marker: str) -> str:
    element = user.find(marker=marker).elements.pop()
    return element.props.get('error-message', '') if element.props.get('error') else ''


async def test_the_camats_setujui_beberapa_asks_the_tte_passphrase_once_and_a_wrong_one_approves_none(
    user: User, app_people: People
) -> None:
    from tests.test_workspace import login

    install_demo(app_people, 'personal')
    pids = [up_to_camat(app_people, seq=seq) for seq in (1, 2)]
    await login(user, app_people.of(Peran.CAMAT).nip)
    user.find(marker='setujui-beberapa').click()
    for pid in pids:
        await seen(user, marker=f'pilih-{load(pid).nomor_pendaftaran}')
        user.find(marker=f'pilih-{load(pid).nomor_pendaftaran}').click()
    await seen(user, '2 pengurusan dipilih')
    user.find(marker='tinjau-massal').click()
    await seen(user, marker='sandi-tte')
    user.find(marker='sandi-tte').type('bukan-sandinya')
    user.find(marker='ya-massal').click()
    await until(lambda: 'Kata sandi sertifikat salah' in field_error(user, 'sandi-tte'))
    assert [load(pid).peran_menunggu for pid in pids] == ['camat', 'camat']
    assert field_error(user, 'keterangan-massal') == ''
    user.find(marker='sandi-tte').clear().type(SANDI_CAMAT)
    user.find(marker='ya-massal').click()
    await seen(user, '2 pengurusan disetujui.')
    await unseen(user, marker='tinjau-setujui')
    assert all(stored_row(pid).ttd == 'personal' and load(pid).status == 'selesai' for pid in pids)
