"""Rules that used to be decided in several places, each pinned to its one home (issue 12, section 2)."""

from datetime import timedelta

import pytest
from sqlmodel import select

from apok_ui import berkas, services
from apok_ui.components import data_panels, form_pemohon, revisi, status_chip
from apok_ui.demo import SAMPLE_PDF, SAMPLE_PNG
from apok_ui.printing import queries as queries_cetak
from apok_ui.printing import render
from apok_ui.queries import detail as queries_detail
from apok_ui.queries import monitoring as queries_monitoring
from apok_ui.queries import workspace as queries_workspace
from apok_ui.routes.berkas import safe_name
from apok_ui.services import Invalid
from apok_ui.services import administrasi as admin
from models import Aksi, Layanan, Peran, Riwayat, Status, Tab, akses
from models import workflow as wf
from models.akses import CAMAT_SUDAH_ADA, Kelola
from models.jenis_berkas import CONTENT_TYPE, GAMBAR, SEMUA_JENIS
from models.label import LabelledEnum
from models.layanan import UKURAN_KERTAS, DataLayanan, InvalidLayanan, clean_layanan
from models.permohonan import format_isian
from models.tables import KETERANGAN_MAX
from models.waktu import now
from tests.conftest import KEC_A, kecamatan_id, submit

# --- labels, chains and status sets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ('member', 'value', 'label'),
    [
        (Peran.KASI, 'kasi', 'Kasi Kecamatan'),
        (Status.DIAJUKAN, 'diajukan', 'Diproses'),
        (Tab.IN_PROGRESS, 'proses', 'In Progress'),
        (Kelola.KECAMATAN, 'kecamatan', 'Kecamatan & Kelurahan'),
    ],
)
def test_each_labelled_enum_spells_its_value_and_label_side_by_side(member, value, label):
    assert isinstance(member, LabelledEnum)
    assert (member, type(member)(value), member.label) == (value, member, label)


def test_every_role_status_tab_and_area_has_a_label():
    for enum in (Peran, Status, Tab, Kelola):
        assert all(member.label for member in enum), enum


def test_the_default_chain_is_written_out_and_is_not_the_list_of_verifier_roles():
    assert wf.DEFAULT_TAHAPAN == ('admin', 'kasi', 'sekcam', 'camat')
    assert wf.DEFAULT_TAHAPAN is not tuple(wf.VERIFIER_ROLES)
    assert wf.validate_tahapan(wf.DEFAULT_TAHAPAN) == wf.DEFAULT_TAHAPAN
    assert DataLayanan('X', 'X', '400').tahapan == list(wf.DEFAULT_TAHAPAN)


def test_every_seeded_layanan_starts_with_the_default_chain(people):
    from apok_ui import db

    with db.get().read() as session:
        chains = {tuple(row) for row in session.exec(select(Layanan.tahapan)).all()}
    assert chains == {wf.DEFAULT_TAHAPAN}


def test_in_chain_and_letter_issued_are_two_disjoint_sets_of_the_workflow():
    assert {Status.DIAJUKAN, Status.REVISI} == wf.IN_CHAIN
    assert {Status.SELESAI, Status.DISERAHKAN} == wf.TERBIT
    assert wf.RULES[Aksi.CETAK].dari == wf.TERBIT
    assert wf.tab_filter(Peran.ADMIN, Tab.DATA_SELESAI).statuses == wf.TERBIT


# --- how statuses and Riwayat steps look -------------------------------------------------------------------------


def test_every_status_has_one_colour_shared_by_the_officers_chip_and_lacak():
    from pages import lacak

    assert set(status_chip.STATUS_COLOR) == set(Status)
    assert lacak.STATUS_COLOR is status_chip.STATUS_COLOR
    assert status_chip.STATUS_COLOR[Status.DISERAHKAN] == 'secondary'


def test_every_riwayat_action_has_one_look_and_steps_outside_the_chain_a_name():
    assert set(status_chip.LANGKAH) == set(Aksi)
    outside = {aksi for aksi, look in status_chip.LANGKAH.items() if look.nama}
    assert outside == {Aksi.AJUKAN, Aksi.PERBAIKI, Aksi.BATALKAN, Aksi.CETAK, Aksi.SERAHKAN, Aksi.KOREKSI}


# --- lewat SLA -------------------------------------------------------------------------------------------------


def test_lewat_sla_is_decided_once_for_the_queue_lihat_data_and_monitoring(people):
    kota = kecamatan_id(KEC_A)
    late = submit(seq=1, at=now() - timedelta(days=21))  # three working weeks: past every seeded SLA
    submit(seq=2)
    rows = {r.id: r.overdue for r in queries_workspace.queue(kota, Peran.ADMIN, Tab.DATA_BARU).rows}
    assert rows == {late.pengurusan_id: True, late.pengurusan_id + 1: False}
    assert 'lewat SLA' in data_panels.umur(queries_detail.detail(kota, late.pengurusan_id))
    assert queries_monitoring.monitoring(kota).overdue == 1
    services.reject(actor=people.of(Peran.ADMIN).actor, pengurusan_id=late.pengurusan_id, version=1, keterangan='x')
    assert 'lewat SLA' not in data_panels.umur(queries_detail.detail(kota, late.pengurusan_id))
    assert queries_monitoring.monitoring(kota).overdue == 0


def test_a_finished_application_is_never_past_its_sla():
    long_ago = now() - timedelta(days=60)
    assert wf.lewat_sla(Status.DIAJUKAN, long_ago, 3)
    assert not any(wf.lewat_sla(status, long_ago, 3) for status in set(Status) - wf.IN_CHAIN)


# --- extra fields ------------------------------------------------------------------------------------------------


def test_the_citizens_form_and_the_revision_choose_inputs_in_one_place():
    assert form_pemohon.isian_input is revisi.isian_input


@pytest.mark.parametrize(
    ('item', 'value', 'shown'),
    [
        ({'label': 'Tanggal meninggal', 'jenis': 'tanggal'}, '2026-08-03', '3 Agustus 2026'),
        ({'label': 'Penghasilan per bulan (Rp)', 'jenis': 'angka'}, '1800000', '1.800.000'),
        ({'label': 'Tahun lulus', 'jenis': 'angka'}, '2024', '2024'),
        ({'label': 'Keperluan', 'jenis': 'teks'}, '  Sekolah ', 'Sekolah'),
        ({'label': 'Keperluan', 'jenis': 'teks'}, '', ''),
    ],
)
def test_lihat_data_and_the_letter_format_an_extra_field_alike(item, value, shown):
    assert format_isian(item, value) == shown
    spec = [{'kode': 'x', **item}]
    assert queries_cetak.isian_rows(spec, {'x': value}) == ((item['label'], shown or '-'),)


# --- files, paper and text limits --------------------------------------------------------------------------------


def test_uploads_the_letter_and_the_file_route_tell_types_apart_by_one_table():
    assert SEMUA_JENIS == ('pdf', 'jpg', 'png') and set(GAMBAR) < set(SEMUA_JENIS)
    _, info = berkas.prepare(SAMPLE_PDF, max_bytes=5 * 1024 * 1024)
    assert (info.jenis, info.content_type) == ('pdf', CONTENT_TYPE['pdf'])
    assert render._foto_data_uri(SAMPLE_PNG).startswith(f'data:{CONTENT_TYPE["png"]};base64,')
    assert render._foto_data_uri(SAMPLE_PDF) is None  # a pas foto is a picture or nothing
    assert safe_name('ktp.exe', CONTENT_TYPE['jpg']) == 'ktp.jpg'


def test_every_paper_size_the_editor_offers_is_one_the_letter_prints():
    assert {name: render._page_size(name) for name in UKURAN_KERTAS} == UKURAN_KERTAS
    with pytest.raises(InvalidLayanan) as refused:
        clean_layanan(DataLayanan('SKX', 'Surat X', '400', ukuran_kertas='Letter'), templates=frozenset({'umum.html'}))
    assert refused.value.errors['ukuran_kertas'] == 'Pilih ukuran kertas A4 atau F4.'


def test_a_keterangan_fits_the_riwayat_column_and_one_character_more_is_refused(people):
    assert Riwayat.__table__.c.keterangan.type.length == KETERANGAN_MAX
    first, second = submit(seq=1), submit(seq=2)
    admin_actor = people.of(Peran.ADMIN).actor
    with pytest.raises(Invalid, match=f'maksimal {KETERANGAN_MAX}'):
        services.reject(actor=admin_actor, pengurusan_id=first.pengurusan_id, version=1, keterangan='x' * 1001)
    services.reject(actor=admin_actor, pengurusan_id=second.pengurusan_id, version=1, keterangan='x' * 1000)


# --- acting officials and new officers ---------------------------------------------------------------------------


@pytest.mark.parametrize('prefix', akses.PELAKSANA)
def test_each_acting_prefix_the_admin_page_offers_marks_an_acting_camat(prefix):
    assert akses.is_pelaksana(f'{prefix} Camat Batam Kota')
    assert akses.split_pelaksana(f'{prefix.upper()} camat') == (prefix, 'camat')


def test_the_admin_page_and_the_command_line_refuse_a_second_definitive_camat_alike(people):
    superadmin = people.of(Peran.SUPERADMIN).actor
    data = admin.DataPetugas('199001012015031007', 'Rina Marlina', 'camat', kecamatan_id(KEC_A))
    with pytest.raises(Invalid) as from_page:
        admin.add_petugas(actor=superadmin, data=data)
    with pytest.raises(Invalid) as from_cli:
        services.create_petugas(nip=data.nip, nama=data.nama, peran='camat', kecamatan=KEC_A, password='Rahasia2026')
    assert str(from_page.value) == str(from_cli.value) == CAMAT_SUDAH_ADA
    acting = services.create_petugas(
        nip=data.nip, nama=data.nama, peran='camat', kecamatan=KEC_A, password='Rahasia2026', jabatan='plt. Camat'
    )
    assert (acting.jabatan, acting.kecamatan_id) == ('Plt. Camat', kecamatan_id(KEC_A))


def test_the_printing_reads_check_the_officer_without_importing_the_services():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(queries_cetak))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert {'apok_ui.actor', 'apok_ui.errors'} <= imported
    assert not {name for name in imported if name.startswith('apok_ui.services')}


# --- the citizen's keys and the signing officer ----------------------------------------------------------------


def test_lacak_and_cancel_find_an_application_by_a_nik_typed_with_spaces(people):
    from apok_ui.queries import publik as queries_publik

    found = submit(seq=2, nik='2171011708900002')
    nomor, spaced = f' {found.nomor_pendaftaran.lower()} ', '2171 0117 0890 0002'
    assert queries_publik.lacak(nomor, spaced).nomor_pendaftaran == found.nomor_pendaftaran
    services.cancel(nomor_pendaftaran=nomor, nik=spaced)
    assert queries_publik.lacak(nomor, spaced).status is Status.DIBATALKAN


def test_a_chain_that_ends_at_the_kasi_is_signed_by_the_kasi_with_their_own_jabatan(people):
    from apok_ui import db
    from apok_ui.printing.render import render_letter
    from apok_ui.services.administrasi_layanan import save_layanan
    from models import Pengurusan
    from tests.test_printing import pdf_text

    with db.get().read() as session:
        sktm = session.exec(select(Layanan).where(Layanan.kode == 'SKTM')).one()
    fields = ('deskripsi', 'persyaratan', 'isian', 'sla_hari_kerja', 'template', 'ukuran_kertas', 'aktif')
    short = DataLayanan(sktm.kode, sktm.nama, sktm.kode_klasifikasi, tahapan=['admin', 'kasi'])
    for name in fields:
        setattr(short, name, getattr(sktm, name))
    save_layanan(actor=people.of(Peran.SUPERADMIN).actor, data=short, layanan_id=sktm.id)
    pengurusan_id = submit(seq=3).pengurusan_id
    for version, peran in enumerate((Peran.ADMIN, Peran.KASI), start=1):
        services.approve(actor=people.of(peran).actor, pengurusan_id=pengurusan_id, version=version)
    with db.get().read() as session:
        assert session.get(Pengurusan, pengurusan_id).penandatangan_id == people.of(Peran.KASI).actor.petugas_id
    surat = queries_cetak.surat_data(people.of(Peran.ADMIN).actor, pengurusan_id, 'https://apok.example')
    assert (surat.penandatangan_nama, surat.penandatangan_jabatan) == ('Petugas Kasi A', 'Kasi Kecamatan Batam Kota')
    text = pdf_text(render_letter(surat))
    assert 'KASI KECAMATAN BATAM KOTA,' in text and 'Petugas Kasi A' in text
    assert 'CAMAT BATAM KOTA' not in text and 'Petugas Camat A' not in text


@pytest.mark.parametrize(
    ('jabatan', 'printed'),
    [
        ('Camat', 'Camat Batam Kota'),
        ('Plt. Camat', 'Plt. Camat Batam Kota'),
        ('Sekretaris Camat', 'Sekretaris Camat Batam Kota'),
        ('Camat Batam Kota', 'Camat Batam Kota'),
        ('Kasi Pelayanan', 'Kasi Pelayanan'),
    ],
)
def test_the_letter_names_the_signers_office_by_its_kecamatan(jabatan, printed):
    assert queries_cetak.jabatan_penandatangan(jabatan, 'Batam Kota') == printed
