"""Every service on a SQLite file and on the machine's PostgreSQL: guards, Riwayat rows, numbers, events."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from apok_ui import db, events, services
from apok_ui.services import Forbidden, Invalid, NotFound, Stale
from models import AuditLog, Berkas, Layanan, Pengurusan, Peran, Riwayat, Status
from models.waktu import to_wib
from tests.conftest import KEC_B, pemohon, submit


def load(pengurusan_id: int) -> Pengurusan:
    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id)


def riwayat(pengurusan_id: int) -> list[Riwayat]:
    with db.get().read() as session:
        return session.exec(select(Riwayat).where(Riwayat.pengurusan_id == pengurusan_id).order_by(Riwayat.id)).all()


def approve_as(people, peran, pengurusan_id, kecamatan=None, **kwargs):
    persona = people.of(peran) if kecamatan is None else people.of(peran, kecamatan)
    return services.approve(
        actor=persona.actor, pengurusan_id=pengurusan_id, version=load(pengurusan_id).version, **kwargs
    )


def complete(people, pengurusan_id):
    for peran in (Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT):
        approve_as(people, peran, pengurusan_id)


def test_a_submission_waits_for_the_admin_with_a_readable_number_and_its_berkas(people):
    result = submit()
    p = load(result.pengurusan_id)
    assert result.nomor_pendaftaran.startswith('BTK-') and len(result.nomor_pendaftaran) == 14
    assert (p.status, p.tahap, p.peran_menunggu, p.no_hp) == ('diajukan', 0, 'admin', '+6281234567890')
    with db.get().read() as session:
        assert len(session.exec(select(Berkas).where(Berkas.pengurusan_id == p.id)).all()) == 5
    assert [r.aksi for r in riwayat(p.id)] == ['diajukan']


def test_registration_numbers_count_up_per_kecamatan(people):
    first, second, other = submit(seq=1), submit(seq=2), submit(KEC_B, seq=3)
    assert first.nomor_pendaftaran.endswith('00001') and second.nomor_pendaftaran.endswith('00002')
    assert other.nomor_pendaftaran.startswith('SKP-') and other.nomor_pendaftaran.endswith('00001')


def test_the_four_officers_complete_an_application_and_the_camat_gets_the_letter_number(people):
    pid = submit().pengurusan_id
    complete(people, pid)
    p = load(pid)
    year = to_wib(datetime.now(UTC)).year
    assert p.status == 'selesai' and p.nomor_surat.startswith('400/001/BTK/') and p.nomor_surat.endswith(str(year))
    assert p.token_verifikasi and p.penandatangan_id == people.of(Peran.CAMAT).actor.petugas_id
    steps = riwayat(pid)
    assert [r.aksi for r in steps] == ['diajukan'] + ['disetujui'] * 4
    assert [r.peran for r in steps[1:]] == ['admin', 'kasi', 'sekcam', 'camat']


def test_numbers_follow_the_wib_calendar_so_new_years_night_counts_in_the_new_year(people):
    at = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 1 January 2027, 00:30 WIB; the letter is dated that day
    result = submit(at=at)
    for peran in (Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT):
        approve_as(people, peran, result.pengurusan_id, at=at)
    assert result.nomor_pendaftaran == 'BTK-2701-00001'
    assert load(result.pengurusan_id).nomor_surat == '400/001/BTK/I/2027'


def test_kasi_cannot_approve_before_admin_and_leaves_only_an_audit_row(people):
    pid = submit().pengurusan_id
    with pytest.raises(Forbidden, match='tidak sedang menunggu'):
        approve_as(people, Peran.KASI, pid)
    assert load(pid).version == 1 and len(riwayat(pid)) == 1
    with db.get().read() as session:
        assert (
            session.exec(select(AuditLog).where(AuditLog.aksi == 'akses_ditolak')).one().detail.startswith('disetujui')
        )


def test_an_officer_of_another_kecamatan_is_refused(people):
    pid = submit().pengurusan_id
    with pytest.raises(Forbidden, match='bukan milik kecamatan'):
        approve_as(people, Peran.ADMIN, pid, kecamatan=KEC_B)
    assert load(pid).version == 1


def test_a_stale_version_is_refused_with_a_clear_message(people):
    pid = submit().pengurusan_id
    admin = people.of(Peran.ADMIN).actor
    services.approve(actor=admin, pengurusan_id=pid, version=1)
    with pytest.raises(Stale, match='sudah diproses'):
        services.reject(actor=people.of(Peran.KASI).actor, pengurusan_id=pid, version=1, keterangan='lama')


def test_the_superadmin_never_verifies(people):
    pid = submit().pengurusan_id
    with pytest.raises(Forbidden):
        services.approve(actor=people.of(Peran.SUPERADMIN).actor, pengurusan_id=pid, version=1)


def test_rejection_needs_a_keterangan(people):
    pid = submit().pengurusan_id
    with pytest.raises(Invalid, match='Keterangan wajib'):
        services.reject(actor=people.of(Peran.ADMIN).actor, pengurusan_id=pid, version=1, keterangan='  ')


def test_admin_rejection_returns_to_the_citizen_who_fixes_and_resubmits_with_the_same_number(people):
    result = submit()
    services.reject(
        actor=people.of(Peran.ADMIN).actor, pengurusan_id=result.pengurusan_id, version=1, keterangan='KTP buram'
    )
    assert load(result.pengurusan_id).status == 'ditolak'
    fixed = pemohon(1, alamat='Jl. Raja Ali Haji No. 9')
    fixed.isian = load(result.pengurusan_id).isian
    services.resubmit(nomor_pendaftaran=result.nomor_pendaftaran, nik=fixed.nik, data=fixed, uploads=[])
    p = load(result.pengurusan_id)
    assert (p.status, p.tahap, p.alamat, p.nomor_pendaftaran) == (
        'diajukan',
        0,
        'Jl. Raja Ali Haji No. 9',
        result.nomor_pendaftaran,
    )
    last = riwayat(p.id)[-1]
    assert last.aksi == 'diperbaiki' and last.perubahan[0]['old'] == 'Jl. Engku Putri No. 1'


def test_a_later_rejection_goes_to_the_admin_who_revises_and_the_riwayat_shows_old_and_new(people):
    pid = submit().pengurusan_id
    approve_as(people, Peran.ADMIN, pid)
    approve_as(people, Peran.KASI, pid)
    services.reject(actor=people.of(Peran.SEKCAM).actor, pengurusan_id=pid, version=3, keterangan='RT salah')
    assert (load(pid).status, load(pid).peran_menunggu) == ('revisi', 'admin')
    services.revise(
        actor=people.of(Peran.ADMIN).actor, pengurusan_id=pid, version=4, changes={'rt': '7'}, keterangan='RT sesuai KK'
    )
    change = riwayat(pid)[-1]
    assert change.aksi == 'direvisi' and change.perubahan == [
        {'field': 'rt', 'label': 'RT', 'old': '001', 'new': '007'}
    ]
    approve_as(people, Peran.ADMIN, pid)
    assert (load(pid).status, load(pid).peran_menunggu) == ('diajukan', 'kasi')


def test_a_revision_with_a_bad_value_says_which_field(people):
    pid = submit().pengurusan_id
    approve_as(people, Peran.ADMIN, pid)
    services.reject(actor=people.of(Peran.KASI).actor, pengurusan_id=pid, version=2, keterangan='cek HP')
    with pytest.raises(Invalid) as error:
        services.revise(
            actor=people.of(Peran.ADMIN).actor,
            pengurusan_id=pid,
            version=3,
            changes={'no_hp': '12345'},
            keterangan='HP',
        )
    assert 'no_hp' in error.value.errors and load(pid).version == 3


def test_print_and_hand_over_are_the_admins_after_completion(people):
    pid = submit().pengurusan_id
    admin = people.of(Peran.ADMIN).actor
    with pytest.raises(Forbidden):
        services.record_print(actor=admin, pengurusan_id=pid)
    complete(people, pid)
    services.record_print(actor=admin, pengurusan_id=pid)
    services.record_print(actor=admin, pengurusan_id=pid)
    with pytest.raises(Forbidden):
        services.record_print(actor=people.of(Peran.CAMAT).actor, pengurusan_id=pid)
    with pytest.raises(Invalid, match='hubungan'):
        services.hand_over(actor=admin, pengurusan_id=pid, version=load(pid).version, penerima_nama='Siti Aminah')
    services.hand_over(
        actor=admin,
        pengurusan_id=pid,
        version=load(pid).version,
        penerima_nama='Siti Aminah',
        penerima_hubungan='Istri',
    )
    p = load(pid)
    assert (p.status, p.jumlah_cetak, p.penerima_nama) == ('diserahkan', 2, 'Siti Aminah')
    assert [r.aksi for r in riwayat(pid)][-3:] == ['dicetak', 'dicetak', 'diserahkan']


def test_the_citizen_cancels_only_while_untouched_and_only_with_the_right_nik(people):
    first, second = submit(seq=1), submit(seq=2)
    p = load(first.pengurusan_id)
    with pytest.raises(NotFound):
        services.cancel(nomor_pendaftaran=p.nomor_pendaftaran, nik='2171010101900001')
    services.cancel(nomor_pendaftaran=p.nomor_pendaftaran.lower(), nik=p.nik)
    assert load(p.id).status == 'dibatalkan'
    approve_as(people, Peran.ADMIN, second.pengurusan_id)
    q = load(second.pengurusan_id)
    with pytest.raises(Forbidden, match='tidak dapat dibatalkan'):
        services.cancel(nomor_pendaftaran=q.nomor_pendaftaran, nik=q.nik)


def test_a_submission_with_wrong_fields_names_each_and_stores_nothing(people, tmp_path):
    with pytest.raises(Invalid) as error:
        submit(nik='123', no_hp='abc', nama='')
    assert {'nik', 'no_hp', 'nama'} <= set(error.value.errors)
    with db.get().read() as session:
        assert session.exec(select(Pengurusan)).all() == []
    assert not any((tmp_path / 'berkas').glob('*'))


def test_every_change_is_published_after_commit(people):
    seen = []
    events.pengurusan_changed.subscribe(seen.append)
    try:
        pid = submit().pengurusan_id
        approve_as(people, Peran.ADMIN, pid)
    finally:
        events.pengurusan_changed.unsubscribe(seen.append)
    assert [(c.aksi, c.peran_sebelum, c.peran_menunggu) for c in seen] == [
        ('diajukan', None, 'admin'),
        ('disetujui', 'admin', 'kasi'),
    ]
    assert load(pid).version == seen[-1].version


def test_a_deactivated_officer_or_an_ended_session_cannot_act(people):
    pid = submit().pengurusan_id
    admin = people.of(Peran.ADMIN)
    services.change_password(actor=admin.actor, old_password='rahasia2026', new_password='baru12345')
    with pytest.raises(Forbidden, match='Sesi Anda telah berakhir'):
        services.approve(actor=admin.actor, pengurusan_id=pid, version=1)
    assert load(pid).status == Status.DIAJUKAN


def test_a_layanan_switched_off_in_a_kecamatan_takes_no_new_applications_there(people):
    from apok_ui.services.administrasi import set_layanan_kecamatan
    from tests.conftest import kecamatan_id

    with db.get().read() as session:
        sktm = session.exec(select(Layanan).where(Layanan.kode == 'SKTM')).one()
    set_layanan_kecamatan(
        actor=people.of(Peran.SUPERADMIN).actor,
        layanan_id=sktm.id,
        kecamatan_id=kecamatan_id('Batam Kota'),
        aktif=False,
    )
    with pytest.raises(Invalid) as error:
        submit()
    assert (
        error.value.errors['kecamatan'] == 'Surat Keterangan Tidak Mampu sedang tidak dibuka di Kecamatan Batam Kota.'
    )
    assert submit(KEC_B).nomor_pendaftaran.startswith('SKP-')


def test_after_a_perbaikan_the_citizen_can_no_longer_cancel_because_an_officer_acted(people):
    result = submit()
    services.reject(
        actor=people.of(Peran.ADMIN).actor, pengurusan_id=result.pengurusan_id, version=1, keterangan='KTP buram'
    )
    fixed = pemohon(1)
    fixed.isian = load(result.pengurusan_id).isian
    services.resubmit(nomor_pendaftaran=result.nomor_pendaftaran, nik=fixed.nik, data=fixed, uploads=[])
    with pytest.raises(Forbidden, match='tidak dapat dibatalkan'):
        services.cancel(nomor_pendaftaran=result.nomor_pendaftaran, nik=fixed.nik)
