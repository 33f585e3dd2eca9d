"""Officers acting at the same moment, on SQLite and PostgreSQL: one winner, no lost or doubled letter numbers."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from sqlmodel import select

from apok_ui import db, services
from apok_ui.services import Stale
from models import Pengurusan, Peran, Riwayat
from tests.conftest import submit


def test_eight_threads_approving_the_same_application_give_one_approval_and_one_riwayat_row(people):
    pid = submit().pengurusan_id
    admin = people.of(Peran.ADMIN).actor
    start = Barrier(8)

    def attempt(_: int) -> str:
        start.wait()
        try:
            services.approve(actor=admin, pengurusan_id=pid, version=1, keterangan='lengkap')
        except Stale:
            return 'stale'
        return 'ok'

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(attempt, range(8)))
    assert sorted(outcomes) == ['ok'] + ['stale'] * 7
    with db.get().read() as session:
        approvals = session.exec(select(Riwayat).where(Riwayat.pengurusan_id == pid, Riwayat.aksi == 'disetujui'))
        assert len(approvals.all()) == 1
        assert session.get(Pengurusan, pid).version == 2


def test_fifty_applications_completed_at_once_get_letter_numbers_one_to_fifty(people):
    ids = [submit(seq=n).pengurusan_id for n in range(50)]
    for peran in (Peran.ADMIN, Peran.KASI, Peran.SEKCAM):
        for pid in ids:
            with db.get().read() as session:
                version = session.get(Pengurusan, pid).version
            services.approve(actor=people.of(peran).actor, pengurusan_id=pid, version=version)
    camat = people.of(Peran.CAMAT).actor
    start = Barrier(10)

    def finish(pid: int) -> None:
        if pid in ids[:10]:
            start.wait()  # the first ten race each other exactly
        services.approve(actor=camat, pengurusan_id=pid, version=4)

    with ThreadPoolExecutor(10) as pool:
        list(pool.map(finish, ids))
    with db.get().read() as session:
        numbers = session.exec(select(Pengurusan.nomor_surat).where(Pengurusan.id.in_(ids))).all()
    assert sorted(int(n.split('/')[1]) for n in numbers) == list(range(1, 51))
