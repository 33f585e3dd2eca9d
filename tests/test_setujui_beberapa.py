"""Issue 16's services on a SQLite file and on the machine's PostgreSQL: Setujui beberapa (one guarded approval per
application, the Camat's issuing each letter as Lihat Data does), the correction of a wrong hand-over, a NIP typed
with its spaces, and why a login failed."""

from datetime import timedelta

import pytest
from sqlmodel import select

from apok_ui import db, services
from apok_ui.printing import cetak
from apok_ui.printing.arsip import stored_row
from apok_ui.printing.massal import TandaTanganDitolak, approve_many
from apok_ui.queries import workspace as queries
from apok_ui.services import Forbidden, Invalid
from apok_ui.ttd.periksa import check_signature
from models import AuditLog, Pengurusan, Peran, Riwayat, Surat, Tab
from models.validasi import format_nip
from models.waktu import now
from models.workflow import KOREKSI_SERAHKAN
from tests.conftest import KEC_B, PASSWORD, submit


@pytest.fixture(autouse=True)
def qr_address() -> None:
    """Print QR codes to a fixed address (main.py sets the configured one when the app starts)."""
    cetak.configure('https://apok.batam.example')


def load(pengurusan_id: int) -> Pengurusan:
    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id)


def riwayat(pengurusan_id: int) -> list[Riwayat]:
    with db.get().read() as session:
        return session.exec(select(Riwayat).where(Riwayat.pengurusan_id == pengurusan_id).order_by(Riwayat.id)).all()


def approve_as(people, peran, pengurusan_id, keterangan=''):
    services.approve(
        actor=people.of(peran).actor, pengurusan_id=pengurusan_id, version=load(pengurusan_id).version,
        keterangan=keterangan,
    )  # fmt: skip


def at_sekcam(people, seq: int) -> int:
    pid = submit(seq=seq).pengurusan_id
    approve_as(people, Peran.ADMIN, pid, 'Berkas lengkap.')
    approve_as(people, Peran.KASI, pid, 'Sesuai.')
    return pid


async def test_the_sekcam_approves_three_at_once_each_with_its_own_riwayat_row(people):
    pids = [at_sekcam(people, seq) for seq in (1, 2, 3)]
    result = await approve_many(
        people.of(Peran.SEKCAM).actor,
        [(pid, load(pid).version) for pid in pids],
        keterangan='Diteruskan kepada Camat.',
    )
    assert result.disetujui == tuple(pids) and result.gagal == {}
    for pid in pids:
        last = riwayat(pid)[-1]
        assert (last.aksi, last.peran, last.keterangan) == ('disetujui', 'sekcam', 'Diteruskan kepada Camat.')
        assert load(pid).peran_menunggu == 'camat'


async def test_a_stale_one_in_a_batch_is_reported_while_the_others_go_through(people):
    first, moved, third = (at_sekcam(people, seq) for seq in (1, 2, 3))
    seen = {pid: load(pid).version for pid in (first, moved, third)}
    services.reject(actor=people.of(Peran.SEKCAM).actor, pengurusan_id=moved, version=seen[moved], keterangan='x')
    result = await approve_many(people.of(Peran.SEKCAM).actor, list(seen.items()))
    assert result.disetujui == (first, third)
    assert list(result.gagal) == [moved] and result.gagal[moved]  # reported, with the refusal's own words
    assert [r.aksi for r in riwayat(moved)][-1] == 'ditolak'  # the stale one was not approved after all


async def test_the_camat_completes_a_batch_and_each_gets_its_own_letter_number_and_stored_letter(people):
    pids = [at_sekcam(people, seq) for seq in (1, 2)]
    for pid in pids:
        approve_as(people, Peran.SEKCAM, pid)
    result = await approve_many(people.of(Peran.CAMAT).actor, [(pid, load(pid).version) for pid in pids])
    assert result.gagal == {}
    numbers = [load(pid).nomor_surat for pid in pids]
    assert all(numbers) and len(set(numbers)) == 2 and all(load(pid).status == 'selesai' for pid in pids)
    with db.get().read() as session:
        assert len(session.exec(select(Surat).where(Surat.pengurusan_id.in_(pids))).all()) == 2


async def test_a_wrong_tte_passphrase_stops_the_camats_batch_at_once_and_the_right_one_signs_every_letter(people):
    from tests.test_surat_digital import SANDI_CAMAT, install_demo, roots, up_to_camat

    install_demo(people, 'personal')
    pids = [up_to_camat(people, seq=seq) for seq in (1, 2, 3)]
    pilihan = [(pid, load(pid).version) for pid in pids]
    camat = people.of(Peran.CAMAT).actor
    with pytest.raises(TandaTanganDitolak, match='Kata sandi sertifikat salah') as refused:
        await approve_many(camat, pilihan, sandi='bukan-sandinya')
    assert refused.value.disetujui == () and 'sandi' in refused.value.errors
    assert [load(pid).peran_menunggu for pid in pids] == ['camat'] * 3
    result = await approve_many(camat, pilihan, sandi=SANDI_CAMAT)
    assert (sorted(result.disetujui), result.gagal) == (sorted(pids), {})
    for pid in pids:
        letter, _ = await cetak.letter_pdf(people.of(Peran.ADMIN).actor, pid)
        signature = check_signature(letter, roots())
        assert stored_row(pid).ttd == 'personal' and signature.sah and signature.penandatangan == 'Petugas Camat A'


async def test_only_the_sekcam_and_the_camat_approve_in_batches_and_another_kecamatan_is_refused_by_id(people):
    pid = submit(seq=1).pengurusan_id
    for peran in (Peran.ADMIN, Peran.KASI):
        with pytest.raises(Forbidden, match='Sekretaris Camat dan Camat'):
            await approve_many(people.of(peran).actor, [(pid, 1)])
    other = at_sekcam(people, 2)
    result = await approve_many(people.of(Peran.SEKCAM, KEC_B).actor, [(other, load(other).version)])
    assert result.disetujui == () and 'bukan milik kecamatan' in result.gagal[other]


async def test_one_wrong_keterangan_refuses_the_whole_batch_before_any_approval(people):
    pid = at_sekcam(people, 1)
    with pytest.raises(Invalid):
        await approve_many(people.of(Peran.SEKCAM).actor, [(pid, load(pid).version)], keterangan='\x00')
    assert load(pid).peran_menunggu == 'sekcam'


def test_the_review_lists_the_admin_and_kasi_keterangan_of_this_round(people):
    pid = at_sekcam(people, 1)
    [tinjauan] = queries.batch_review(people.of(Peran.SEKCAM).kecamatan_id, [pid])
    assert tinjauan.catatan == (('Admin Kecamatan', 'Berkas lengkap.'), ('Kasi Kecamatan', 'Sesuai.'))
    assert queries.batch_review(people.of(Peran.SEKCAM, KEC_B).kecamatan_id, [pid]) == []


def finished(people, seq: int = 1) -> int:
    pid = at_sekcam(people, seq)
    approve_as(people, Peran.SEKCAM, pid)
    approve_as(people, Peran.CAMAT, pid)
    return pid


def test_the_admin_corrects_a_wrong_hand_over_and_riwayat_keeps_both(people):
    pid = finished(people)
    admin = people.of(Peran.ADMIN).actor
    services.hand_over(actor=admin, pengurusan_id=pid, version=load(pid).version, penerima_nama='Budi Santoso')
    with pytest.raises(Invalid, match='Alasan koreksi'):
        services.correct_hand_over(actor=admin, pengurusan_id=pid, version=load(pid).version, alasan='')
    with pytest.raises(Forbidden):
        services.correct_hand_over(
            actor=people.of(Peran.CAMAT).actor, pengurusan_id=pid, version=load(pid).version, alasan='Salah tekan.'
        )
    services.correct_hand_over(actor=admin, pengurusan_id=pid, version=load(pid).version, alasan='Salah tekan.')
    p = load(pid)
    assert (p.status, p.penerima_nama, p.diserahkan_at) == ('selesai', None, None)
    steps = riwayat(pid)
    assert [r.aksi for r in steps][-2:] == ['diserahkan', 'dikoreksi']
    assert steps[-1].keterangan == 'Penyerahan kepada Budi Santoso dibatalkan: Salah tekan.'
    assert queries.queue(p.kecamatan_id, Peran.ADMIN, Tab.DATA_SELESAI).rows[0].status == 'selesai'


def test_a_hand_over_older_than_the_set_time_can_no_longer_be_corrected(people):
    pid = finished(people)
    admin = people.of(Peran.ADMIN).actor
    long_ago = now() - KOREKSI_SERAHKAN - timedelta(minutes=1)
    services.hand_over(
        actor=admin, pengurusan_id=pid, version=load(pid).version, penerima_nama='Budi Santoso', at=long_ago
    )
    with pytest.raises(Forbidden, match='24 jam'):
        services.correct_hand_over(actor=admin, pengurusan_id=pid, version=load(pid).version, alasan='Terlambat.')
    assert load(pid).status == 'diserahkan'


def test_a_nip_typed_with_its_printed_spaces_logs_in(people):
    nip = people.of(Peran.ADMIN).nip
    masuk = services.authenticate(nip=format_nip(nip), password=PASSWORD, ip='10.0.0.1')
    assert masuk.petugas_id == people.of(Peran.ADMIN).actor.petugas_id
    with db.get().read() as session:
        assert session.exec(select(AuditLog.aksi).where(AuditLog.nip == nip, AuditLog.aksi.like('login%'))).all() == [
            'login_ok'
        ]


def test_the_audit_says_why_a_login_failed_while_the_person_reads_the_generic_message(people):
    from apok_ui.services.administrasi import deactivate_petugas

    admin, superadmin = people.of(Peran.ADMIN), people.of(Peran.SUPERADMIN)
    deactivate_petugas(actor=superadmin.actor, petugas_id=admin.actor.petugas_id)
    for nip, password in ((admin.nip, PASSWORD), (admin.nip, 'salah-sekali1'), ('198001012005011777', PASSWORD)):
        with pytest.raises(services.LoginRefused, match='NIP atau password salah'):
            services.authenticate(nip=nip, password=password, ip='10.0.0.2')
    with db.get().read() as session:
        details = session.exec(
            select(AuditLog.detail).where(AuditLog.aksi == 'login_gagal').order_by(AuditLog.id)
        ).all()
    assert details == ['akun nonaktif', 'password salah', 'NIP tidak terdaftar']
