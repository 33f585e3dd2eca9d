"""The system administrator's services on a SQLite file and on PostgreSQL: officers, layanan, kecamatan, audit log."""

from datetime import timedelta

import pytest
from sqlmodel import select

from apok_ui import db, events, services
from apok_ui.queries import admin as queries_admin
from apok_ui.queries.admin import AuditFilter
from apok_ui.services import Actor, Forbidden, Invalid, LoginRefused
from apok_ui.services import administrasi as admin
from apok_ui.services.administrasi_layanan import layanan_dibuka
from models import AuditLog, Layanan, Pengurusan, Peran, Petugas
from models.akses import Kelola
from models.layanan import DataLayanan
from models.waktu import WIB, now
from tests.conftest import KEC_A, KEC_B, PASSWORD, kecamatan_id, submit

NEW_NIP = '199001012015031007'


def superadmin(people) -> Actor:
    return people.of(Peran.SUPERADMIN).actor


def new_officer(nip: str = NEW_NIP, peran: str = 'kasi', kecamatan: str = KEC_A, **kwargs) -> admin.DataPetugas:
    return admin.DataPetugas(nip=nip, nama='Rina Marlina', peran=peran, kecamatan_id=kecamatan_id(kecamatan), **kwargs)


def petugas(petugas_id: int) -> Petugas:
    with db.get().read() as session:
        return session.get(Petugas, petugas_id)


def audit_rows(aksi: str) -> list[AuditLog]:
    with db.get().read() as session:
        return session.exec(select(AuditLog).where(AuditLog.aksi == aksi).order_by(AuditLog.id)).all()


def layanan(kode: str) -> Layanan:
    with db.get().read() as session:
        return session.exec(select(Layanan).where(Layanan.kode == kode)).one()


def load(pengurusan_id: int) -> Pengurusan:
    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id)


def approve(people, peran: Peran, pengurusan_id: int) -> None:
    services.approve(actor=people.of(peran).actor, pengurusan_id=pengurusan_id, version=load(pengurusan_id).version)


# --- officers ----------------------------------------------------------------------------------------------------


def test_the_superadmin_adds_an_officer_who_must_change_the_temporary_password(people):
    baru = admin.add_petugas(actor=superadmin(people), data=new_officer(), ip='10.1.1.1')
    row = petugas(baru.petugas_id)
    assert (row.nip, row.peran, row.jabatan, row.wajib_ganti_password) == (NEW_NIP, 'kasi', 'Kasi Kecamatan', True)
    masuk = services.authenticate(nip=NEW_NIP, password=baru.password_sementara)
    assert masuk.wajib_ganti_password
    added = audit_rows('petugas_tambah')[-1]
    assert (added.petugas_id, added.kecamatan_id, added.ip) == (
        people.of(Peran.SUPERADMIN).actor.petugas_id,
        kecamatan_id(KEC_A),
        '10.1.1.1',
    )
    assert baru.password_sementara not in added.detail


@pytest.mark.parametrize(('nip', 'message'), [('12345', '18 angka'), ('19850101201001100x', '18 angka')])
def test_a_nip_must_have_18_digits(people, nip, message):
    with pytest.raises(Invalid, match=message) as error:
        admin.add_petugas(actor=superadmin(people), data=new_officer(nip=nip))
    assert error.value.errors == {'nip': 'NIP harus terdiri dari 18 angka.'}


def test_a_nip_already_in_use_is_refused(people):
    with pytest.raises(Invalid, match='sudah terdaftar'):
        admin.add_petugas(actor=superadmin(people), data=new_officer(nip=people.of(Peran.KASI, KEC_B).nip))


def test_a_kecamatan_has_one_active_definitive_camat_and_any_plt_or_plh(people):
    with pytest.raises(Invalid, match='sudah memiliki Camat aktif'):
        admin.add_petugas(actor=superadmin(people), data=new_officer(peran='camat'))
    plt = admin.add_petugas(actor=superadmin(people), data=new_officer(peran='camat', pelaksana='Plt.'))
    assert petugas(plt.petugas_id).jabatan == 'Plt. Camat'
    old = people.of(Peran.CAMAT).actor.petugas_id
    admin.deactivate_petugas(actor=superadmin(people), petugas_id=old)
    admin.add_petugas(actor=superadmin(people), data=new_officer(nip='199001012015031008', peran='camat'))
    with pytest.raises(Invalid, match='sudah memiliki Camat aktif'):
        admin.activate_petugas(actor=superadmin(people), petugas_id=old)
    assert not petugas(old).aktif


def test_editing_an_officer_records_old_and_new_and_a_new_role_ends_their_sessions(people):
    kasi = people.of(Peran.KASI)
    ended = []
    events.petugas_changed.subscribe(ended.append)
    try:
        admin.update_petugas(
            actor=superadmin(people),
            petugas_id=kasi.actor.petugas_id,
            data=admin.DataPetugas(nip=kasi.nip, nama='Petugas Kasi A', peran='sekcam', kecamatan_id=kasi.kecamatan_id),
        )
    finally:
        events.petugas_changed.unsubscribe(ended.append)
    assert ended == [kasi.actor.petugas_id]
    assert audit_rows('petugas_ubah')[-1].detail == 'peran: kasi → sekcam; jabatan: Kasi Kecamatan → Sekretaris Camat'
    with pytest.raises(Forbidden, match='Sesi Anda telah berakhir'):
        services.approve(actor=kasi.actor, pengurusan_id=submit().pengurusan_id, version=1)


def test_a_name_change_keeps_the_officers_session(people):
    admin_a = people.of(Peran.ADMIN)
    data = admin.DataPetugas(nip=admin_a.nip, nama='Siti Rahma', peran='admin', kecamatan_id=admin_a.kecamatan_id)
    admin.update_petugas(actor=superadmin(people), petugas_id=admin_a.actor.petugas_id, data=data)
    assert petugas(admin_a.actor.petugas_id).sesi_versi == admin_a.actor.sesi_versi
    with pytest.raises(Invalid, match='Tidak ada data yang diubah'):
        admin.update_petugas(actor=superadmin(people), petugas_id=admin_a.actor.petugas_id, data=data)


def test_deactivation_ends_every_session_at_once_and_the_officer_cannot_log_in(people):
    admin_a = people.of(Peran.ADMIN)
    pid = submit().pengurusan_id
    ended = []
    events.petugas_changed.subscribe(ended.append)
    try:
        admin.deactivate_petugas(actor=superadmin(people), petugas_id=admin_a.actor.petugas_id, ip='10.2.2.2')
    finally:
        events.petugas_changed.unsubscribe(ended.append)
    assert ended == [admin_a.actor.petugas_id]
    with pytest.raises(Forbidden, match='Sesi Anda telah berakhir'):
        services.approve(actor=admin_a.actor, pengurusan_id=pid, version=1)
    with pytest.raises(LoginRefused, match='NIP atau password salah'):
        services.authenticate(nip=admin_a.nip, password=PASSWORD)
    assert load(pid).version == 1
    row = audit_rows('petugas_nonaktif')[-1]
    assert (row.petugas_id, row.kecamatan_id, row.objek) == (
        people.of(Peran.SUPERADMIN).actor.petugas_id,
        admin_a.kecamatan_id,
        f'petugas:{admin_a.actor.petugas_id}',
    )


def test_a_reset_password_works_once_and_must_be_changed(people):
    kasi = people.of(Peran.KASI)
    pid = submit().pengurusan_id
    approve(people, Peran.ADMIN, pid)
    temporary = admin.reset_password(actor=superadmin(people), petugas_id=kasi.actor.petugas_id)
    with pytest.raises(LoginRefused):
        services.authenticate(nip=kasi.nip, password=PASSWORD)
    with pytest.raises(Forbidden, match='Sesi Anda telah berakhir'):  # the old session ended
        services.approve(actor=kasi.actor, pengurusan_id=pid, version=2)
    masuk = services.authenticate(nip=kasi.nip, password=temporary)
    assert masuk.wajib_ganti_password
    fresh = Actor(masuk.petugas_id, masuk.sesi_versi)
    with pytest.raises(Forbidden, match='Ganti password sementara'):
        services.approve(actor=fresh, pengurusan_id=pid, version=2)
    versi = services.change_password(actor=fresh, old_password=temporary, new_password='kasibaru2026')
    services.approve(actor=Actor(masuk.petugas_id, versi), pengurusan_id=pid, version=2)
    with pytest.raises(LoginRefused):
        services.authenticate(nip=kasi.nip, password=temporary)
    assert not services.authenticate(nip=kasi.nip, password='kasibaru2026').wajib_ganti_password
    assert [r.objek for r in audit_rows('reset_password')] == [f'petugas:{kasi.actor.petugas_id}']


def test_a_reset_unblocks_an_officers_login_from_every_address(people):
    kasi = people.of(Peran.KASI)
    start = now() - timedelta(minutes=15)
    for n in range(10):  # a minute apart: past every slowdown, into the block
        with pytest.raises(LoginRefused):
            services.authenticate(nip=kasi.nip, password='salah12345', ip='10.6.6.6', at=start + timedelta(minutes=n))
    assert queries_admin.petugas_detail(kasi.actor.petugas_id).terkunci
    temporary = admin.reset_password(actor=superadmin(people), petugas_id=kasi.actor.petugas_id)
    assert not queries_admin.petugas_detail(kasi.actor.petugas_id).terkunci
    assert services.authenticate(nip=kasi.nip, password=temporary, ip='10.6.6.6').wajib_ganti_password


def test_temporary_passwords_meet_the_password_policy_and_differ():
    from apok_ui.security import password_problem

    passwords = {admin.temporary_password() for _ in range(50)}
    assert len(passwords) == 50 and all(password_problem(p) is None for p in passwords)


@pytest.mark.parametrize('call', ['deactivate_petugas', 'reset_password'])
def test_the_superadmin_cannot_lock_themselves_out(people, call):
    me = superadmin(people)
    with pytest.raises(Forbidden, match='akun Anda sendiri'):
        getattr(admin, call)(actor=me, petugas_id=me.petugas_id)
    assert petugas(me.petugas_id).aktif and audit_rows('akses_ditolak')


def test_the_officer_list_filters_by_kecamatan_role_status_and_name(people):
    admin.deactivate_petugas(actor=superadmin(people), petugas_id=people.of(Peran.KASI, KEC_B).actor.petugas_id)
    sekupang = queries_admin.petugas_list(kecamatan_id=kecamatan_id(KEC_B))
    assert sekupang.total == 4 and {r.kecamatan_nama for r in sekupang.rows} == {KEC_B}
    assert [r.nip for r in queries_admin.petugas_list(peran=Peran.CAMAT, kecamatan_id=kecamatan_id(KEC_A)).rows] == [
        people.of(Peran.CAMAT).nip
    ]
    assert [r.nama for r in queries_admin.petugas_list(aktif=False).rows] == ['Petugas Kasi B']
    assert queries_admin.petugas_list(cari='kasi b').total == 1
    assert queries_admin.petugas_list(cari='19850101201001101').total == 4  # part of a NIP
    assert queries_admin.petugas_list(page_size=5, page=2).rows[0].nama == queries_admin.petugas_list().rows[5].nama


# --- layanan -----------------------------------------------------------------------------------------------------


def sktm_with(**changes) -> DataLayanan:
    data = queries_admin.layanan_data(layanan('SKTM').id)
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def test_editing_a_layanans_stages_does_not_change_an_application_in_progress(people):
    started = submit().pengurusan_id
    approve(people, Peran.ADMIN, started)
    admin.save_layanan(
        actor=superadmin(people), layanan_id=layanan('SKTM').id, data=sktm_with(tahapan=['admin', 'camat'])
    )
    assert layanan('SKTM').tahapan == ['admin', 'camat']
    assert (load(started).tahapan, load(started).peran_menunggu) == (['admin', 'kasi', 'sekcam', 'camat'], 'kasi')
    for peran in (Peran.KASI, Peran.SEKCAM, Peran.CAMAT):
        approve(people, peran, started)
    assert load(started).status == 'selesai'
    later = submit(seq=2).pengurusan_id
    approve(people, Peran.ADMIN, later)
    assert load(later).peran_menunggu == 'camat'
    approve(people, Peran.CAMAT, later)
    assert load(later).status == 'selesai'
    assert 'tahapan: admin → camat' in audit_rows('layanan_ubah')[-1].detail


def test_a_layanan_change_is_checked_field_by_field(people):
    data = sktm_with(
        kode='x',
        tahapan=['kasi', 'admin'],
        sla_hari_kerja=0,
        kode_klasifikasi='abc',
        persyaratan=[{'label': 'KTP', 'wajib': True, 'jenis': []}],
        isian=[{'label': 'Hubungan', 'jenis': 'pilihan', 'wajib': True, 'pilihan': ['Anak']}],
    )
    with pytest.raises(Invalid) as error:
        admin.save_layanan(actor=superadmin(people), layanan_id=layanan('SKTM').id, data=data)
    assert set(error.value.errors) == {
        'kode',
        'tahapan',
        'sla_hari_kerja',
        'kode_klasifikasi',
        'persyaratan.0',
        'isian.0',
    }
    assert layanan('SKTM').sla_hari_kerja != 0


def test_a_new_layanan_gets_stable_codes_for_its_requirements_and_fields(people):
    data = DataLayanan(
        kode='skbm',
        nama='Surat Keterangan Belum Menikah',
        kode_klasifikasi='474.2',
        persyaratan=[
            {'label': 'KTP', 'wajib': True, 'jenis': ['pdf']},
            {'label': 'Kartu Keluarga', 'wajib': False, 'jenis': ['pdf', 'jpg']},
        ],
        isian=[{'label': 'Keperluan', 'jenis': 'teks', 'wajib': True, 'pilihan': []}],
        tahapan=['admin', 'sekcam'],
        sla_hari_kerja='2',
    )
    layanan_id = admin.save_layanan(actor=superadmin(people), data=data)
    saved = layanan('SKBM')
    assert saved.id == layanan_id and [p['kode'] for p in saved.persyaratan] == ['ktp', 'kartu_keluarga']
    assert (saved.isian[0]['kode'], saved.sla_hari_kerja, saved.tahapan) == ('keperluan', 2, ['admin', 'sekcam'])
    data.kode = 'SKTM'
    with pytest.raises(Invalid, match='sudah dipakai'):
        admin.save_layanan(actor=superadmin(people), data=data)


def test_a_layanan_can_be_closed_in_one_kecamatan_only(people):
    sktm = layanan('SKTM')
    admin.set_layanan_kecamatan(
        actor=superadmin(people), layanan_id=sktm.id, kecamatan_id=kecamatan_id(KEC_B), aktif=False
    )
    with db.get().read() as session:
        assert layanan_dibuka(session, sktm, kecamatan_id(KEC_A))
        assert not layanan_dibuka(session, sktm, kecamatan_id(KEC_B))
    assert queries_admin.layanan_kecamatan(sktm.id)[kecamatan_id(KEC_B)] is False
    assert [r.kecamatan_tutup for r in queries_admin.layanan_list() if r.kode == 'SKTM'] == [1]
    assert audit_rows('layanan_kecamatan')[-1].detail == f'SKTM di {KEC_B}: ditutup'


# --- kecamatan ---------------------------------------------------------------------------------------------------


def test_the_kecamatan_code_and_kop_address_are_edited_and_audited(people):
    kid = kecamatan_id(KEC_B)
    with pytest.raises(Invalid) as error:
        admin.update_kecamatan(actor=superadmin(people), kecamatan_id=kid, nama=KEC_B, kode='SK', alamat='')
    assert set(error.value.errors) == {'kode', 'alamat'}
    with pytest.raises(Invalid, match='sudah dipakai Batam Kota'):
        admin.update_kecamatan(actor=superadmin(people), kecamatan_id=kid, nama=KEC_B, kode='btk', alamat='Jl. A')
    admin.update_kecamatan(
        actor=superadmin(people), kecamatan_id=kid, nama=KEC_B, kode='spg', alamat='Jl. Gajah Mada, Sekupang'
    )
    row = next(r for r in queries_admin.kecamatan_list() if r.id == kid)
    assert (row.kode, row.alamat, row.petugas_aktif) == ('SPG', 'Jl. Gajah Mada, Sekupang', 4)
    assert submit(KEC_B).nomor_pendaftaran.startswith('SPG-')
    assert audit_rows('kecamatan_ubah')[-1].kecamatan_id == kid


def test_kelurahan_are_added_and_renamed_within_their_kecamatan(people):
    kid = kecamatan_id(KEC_A)
    new_id = admin.save_kelurahan(actor=superadmin(people), kecamatan_id=kid, nama='Teluk Tering Baru')
    with pytest.raises(Invalid, match='sudah ada'):
        admin.save_kelurahan(actor=superadmin(people), kecamatan_id=kid, nama='teluk tering baru')
    admin.save_kelurahan(actor=superadmin(people), kecamatan_id=kid, kelurahan_id=new_id, nama='Tering Indah')
    names = next(r for r in queries_admin.kecamatan_list() if r.id == kid).kelurahan
    assert (new_id, 'Tering Indah') in names


# --- audit log ---------------------------------------------------------------------------------------------------


def test_the_audit_log_filters_by_officer_action_kecamatan_and_date(people):
    kasi_b = people.of(Peran.KASI, KEC_B)
    services.authenticate(nip=kasi_b.nip, password=PASSWORD, ip='10.9.9.9')
    with pytest.raises(LoginRefused):
        services.authenticate(nip=people.of(Peran.ADMIN).nip, password='salah12345', ip='10.9.9.8')
    by_officer = queries_admin.audit_list(AuditFilter(petugas_id=kasi_b.actor.petugas_id, aksi='login_ok'))
    assert [(r.aksi, r.ip, r.petugas_nama) for r in by_officer.rows] == [('login_ok', '10.9.9.9', 'Petugas Kasi B')]
    assert [r.nip for r in queries_admin.audit_list(AuditFilter(aksi='login_gagal')).rows] == [
        people.of(Peran.ADMIN).nip
    ]
    sekupang = queries_admin.audit_list(AuditFilter(kecamatan_id=kecamatan_id(KEC_B), aksi='login_ok'))
    assert sekupang.total == 1 and sekupang.rows[0].kecamatan_nama == KEC_B
    today = now().astimezone(WIB).date()
    assert queries_admin.audit_list(AuditFilter(dari=today, sampai=today, aksi='login_ok')).total == 1
    assert queries_admin.audit_list(AuditFilter(sampai=today - timedelta(days=1))).total == 0
    assert queries_admin.audit_list(AuditFilter(dari=today + timedelta(days=1))).total == 0
    assert queries_admin.audit_aksi_options()['login_gagal'] == 'Login gagal'


def test_the_audit_csv_holds_the_filtered_rows_and_never_starts_a_formula(people):
    admin.save_kelurahan(actor=superadmin(people), kecamatan_id=kecamatan_id(KEC_A), nama='=HYPERLINK("x")')
    content = queries_admin.audit_csv(AuditFilter(aksi='kelurahan_tambah')).decode('utf-8-sig')
    lines = content.strip().splitlines()
    assert lines[0].startswith('Waktu (WIB),Aksi,Kode aksi,Petugas,NIP,Kecamatan')
    assert len(lines) == 2 and 'Kelurahan ditambah' in lines[1] and ',"\'=HYPERLINK(""x"")"' in lines[1]
    assert queries_admin.audit_csv_name().startswith('log-audit-')


def test_an_export_of_the_audit_log_is_itself_recorded(people):
    admin.authorize(actor=superadmin(people), kelola=Kelola.AUDIT, catat='audit_ekspor', objek='audit:semua')
    assert [r.objek for r in audit_rows('audit_ekspor')] == ['audit:semua']
