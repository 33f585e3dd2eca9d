"""A real phone-sized browser (360 × 740) on a real server: a citizen applies with real files, gets the Nomor, and
after the four officers approve, Lacak shows Selesai. Screenshots go to tests/out/screenshots/portal-*.png."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageDraw

from apok_ui import db, services
from apok_ui.demo import SAMPLE_PDF
from models import Pengurusan, Peran
from tests.conftest import PHONE, SCREENSHOTS, People, page_width_fits, pemohon, submit, type_into, uploads_for

NOMOR = re.compile(r'^[A-Z]{3}-\d{4}-\d{5}$')


def ktp_photo(path: Path) -> Path:
    """Write a phone-camera-sized JPEG of a card, as a citizen photographs their KTP."""
    image = Image.new('RGB', (1600, 1000), (160, 200, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 1540, 940), outline=(20, 60, 120), width=12)
    draw.text((120, 120), 'PROVINSI KEPULAUAN RIAU  KOTA BATAM', fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, 'JPEG', quality=92)
    path.write_bytes(out.getvalue())
    return path


def shot(page, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if full_page:
        page.evaluate('window.scrollTo(0, 0)')  # the fixed header would otherwise be drawn mid-page
    page.screenshot(path=SCREENSHOTS / f'portal-{name}.png', full_page=full_page)


def choose(page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).click()
    page.get_by_role('option', name=option, exact=True).click()


def fill_form(page, tmp_path: Path) -> None:
    data = pemohon(1, email='budi@contoh.id')
    choose(page, 'Kecamatan', 'Batam Kota')
    choose(page, 'Kelurahan', 'Belian')
    for label, value in (
        ('NIK', data.nik),
        ('Nama lengkap', data.nama),
        ('Tempat lahir', data.tempat_lahir),
        ('Tanggal lahir', '17/08/1990'),
        ('Pekerjaan', data.pekerjaan),
        ('Alamat', data.alamat),
        ('RT', '4'),
        ('RW', '7'),
        ('No HP (WhatsApp)', '0812 3456 7890'),
        ('Email (opsional)', data.email),
        ('Keperluan', 'Keringanan biaya sekolah anak'),
        ('Penghasilan per bulan (Rp)', 'Rp 1.500.000'),
    ):
        type_into(page.get_by_label(label, exact=True), value)
    choose(page, 'Jenis kelamin', 'Laki-laki')
    choose(page, 'Agama', 'Islam')
    choose(page, 'Status perkawinan', 'Kawin')
    pdf = tmp_path / 'surat-pengantar.pdf'
    pdf.write_bytes(SAMPLE_PDF)
    files = {
        'surat_pengantar_rt_rw': pdf,
        'ktp': ktp_photo(tmp_path / 'IMG_20261129_ktp.jpg'),
        'kartu_keluarga': pdf,
        'surat_pernyataan_tidak_mampu_bermeterai': pdf,
        'surat_keterangan_kelurahan': pdf,
    }
    for kode, path in files.items():
        box = page.locator(f'[data-berkas="{kode}"]')
        box.locator('input[type=file]').set_input_files(path)
        box.get_by_text(f'{path.name} (').wait_for()


def test_a_citizen_applies_on_a_phone_and_lacak_shows_selesai_after_the_four_officers(
    chromium, server, app_people: People, tmp_path: Path
) -> None:
    context = chromium.new_context(viewport=PHONE, locale='id-ID')
    page = context.new_page()
    try:
        page.goto(f'{server.url}/')
        page.get_by_text('Surat Keterangan Tidak Mampu').wait_for()
        assert page_width_fits(page)
        shot(page, 'beranda', full_page=False)
        page.locator('.q-card').filter(has_text='Surat Keterangan Tidak Mampu').get_by_role(
            'button', name='Ajukan'
        ).click()
        page.get_by_text('Berkas Persyaratan').wait_for()

        type_into(page.get_by_label('NIK', exact=True), '2171')
        page.get_by_role('checkbox', name='Saya menyatakan').click()
        page.get_by_role('button', name='Kirim Permohonan').click()
        page.get_by_text('NIK harus terdiri dari 16 angka.').wait_for()
        page.get_by_text('KTP wajib diunggah.').wait_for()
        page.get_by_text('16 angka pada KTP').wait_for(state='hidden')  # the message has replaced the hint
        assert page_width_fits(page)
        shot(page, 'ajukan-error', full_page=False)

        fill_form(page, tmp_path)
        assert page_width_fits(page)
        shot(page, 'ajukan')
        page.get_by_role('button', name='Kirim Permohonan').click()
        page.get_by_text('Permohonan terkirim').wait_for()
        nomor = page.get_by_text(NOMOR).inner_text().strip()
        assert page_width_fits(page)
        shot(page, 'hasil', full_page=False)

        with db.get().read() as session:
            from sqlmodel import select

            stored = session.exec(select(Pengurusan).where(Pengurusan.nomor_pendaftaran == nomor)).one()
        assert (stored.no_hp, stored.rt, stored.isian['penghasilan_per_bulan_rp']) == (
            '+6281234567890',
            '004',
            '1500000',
        )
        for peran in (Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT):
            with db.get().read() as session:
                version = session.get(Pengurusan, stored.id).version
            services.approve(actor=app_people.of(peran).actor, pengurusan_id=stored.id, version=version)

        page.get_by_role('button', name='Lacak permohonan').click()
        type_into(page.get_by_label('NIK', exact=True), stored.nik)
        page.get_by_role('button', name='Lacak', exact=True).click()
        page.get_by_text('Surat sudah selesai.').wait_for()
        assert page.get_by_text('Selesai', exact=True).first.is_visible()
        assert page_width_fits(page)
        shot(page, 'lacak-selesai')
    finally:
        context.close()


LONG_NAME = 'scan-kartu-tanda-penduduk-budi-santoso-batam-kota-2026.pdf'


def test_a_rejected_citizen_fixes_the_data_and_replaces_a_file_on_a_phone(
    chromium, server, app_people: People, tmp_path: Path
) -> None:
    files = [replace(u, nama_asli=LONG_NAME) if u.persyaratan_kode == 'ktp' else u for u in uploads_for('SKTM')]
    result = submit(uploads=files)
    with db.get().read() as session:
        stored = session.get(Pengurusan, result.pengurusan_id)
    services.reject(
        actor=app_people.of(Peran.ADMIN).actor,
        pengurusan_id=stored.id,
        version=stored.version,
        keterangan='Foto KTP buram; unggah foto yang jelas.',
    )
    context = chromium.new_context(viewport=PHONE, locale='id-ID')
    page = context.new_page()
    try:
        page.goto(f'{server.url}/lacak?nomor={result.nomor_pendaftaran}')
        type_into(page.get_by_label('NIK', exact=True), stored.nik)
        page.get_by_role('button', name='Lacak', exact=True).click()
        page.get_by_text('Foto KTP buram; unggah foto yang jelas.').first.wait_for()
        assert page_width_fits(page)
        shot(page, 'lacak-ditolak', full_page=False)
        page.get_by_role('button', name='Perbaiki Data dan Berkas').click()
        ktp = page.locator('[data-berkas="ktp"]')
        current = ktp.get_by_text(f'Berkas saat ini: {LONG_NAME}')
        current.wait_for()  # the whole name, wrapped on a phone, not "Berkas saat ini: k…"
        assert current.evaluate('e => e.scrollHeight <= e.clientHeight && e.scrollWidth <= e.clientWidth')
        current.scroll_into_view_if_needed()
        shot(page, 'lacak-perbaikan', full_page=False)
        ktp.get_by_role('button', name='Ganti').click()
        ktp.locator('input[type=file]').set_input_files(ktp_photo(tmp_path / 'ktp-jelas.jpg'))
        ktp.get_by_text('ktp-jelas.jpg (').wait_for()
        assert page_width_fits(page)
        page.get_by_role('button', name='Kirim Perbaikan').click()
        page.get_by_text('Perbaikan dikirim pemohon').wait_for()
        shot(page, 'lacak-perbaikan-terkirim')
    finally:
        context.close()
    with db.get().read() as session:
        assert session.get(Pengurusan, stored.id).status == 'diajukan'


def test_a_file_on_a_slow_connection_shows_its_upload_progress(chromium, server, tmp_path: Path) -> None:
    scan = tmp_path / 'kartu-keluarga.pdf'
    scan.write_bytes(SAMPLE_PDF[:-6] + b'\n' + b'%' * 2_000_000 + b'\n%%EOF\n')  # a 2 MB scan
    context = chromium.new_context(viewport=PHONE, locale='id-ID')
    page = context.new_page()
    try:
        page.goto(f'{server.url}/ajukan/SKTM')
        box = page.locator('[data-berkas="kartu_keluarga"]')
        box.scroll_into_view_if_needed()
        network = context.new_cdp_session(page)
        network.send('Network.enable')
        network.send(  # about 3G: 400 kB/s up
            'Network.emulateNetworkConditions',
            {'offline': False, 'latency': 100, 'downloadThroughput': 500_000, 'uploadThroughput': 400_000},
        )
        box.locator('input[type=file]').set_input_files(scan)
        box.get_by_text(re.compile(r'Mengunggah… [1-9][0-9]?%')).wait_for()
        box.locator('.q-linear-progress').wait_for()
        shot(page, 'unggah-progres', full_page=False)
        box.get_by_text('kartu-keluarga.pdf (', exact=False).wait_for(timeout=60_000)
    finally:
        context.close()
