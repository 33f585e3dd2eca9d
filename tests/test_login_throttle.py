"""Login throttling that an attacker cannot aim at an officer (issue 11, observation 5), and the bcrypt pool that a
login flood cannot use to stall the rest of APOK (observation 6).

The throttle counts failures per source: an address, or a device the officer logged in from before. Time is
passed in (`at`), so the tests step the clock instead of waiting; nothing here measures time.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

import bcrypt
import pytest
from nicegui import run
from sqlmodel import func, select

from apok_ui import db, hashing, security, services
from apok_ui.hashing import ServerBusy, run_hashing
from apok_ui.queries import admin as queries_admin
from apok_ui.security import BLOCK_AFTER_FAILURES, FREE_FAILURES, NIP_BLOCK_AFTER_FAILURES, SPRAY_DISTINCT_NIPS
from apok_ui.services import LoginRefused
from apok_ui.services import administrasi as admin
from models import AuditLog, Peran
from models.tables import LoginGagal, PerangkatTepercaya
from tests.conftest import PASSWORD
from tests.waiting import until

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
WRONG = 'salah12345'
UNKNOWN_NIP = '199901012020011999'
OFFICE, ATTACKER, ELSEWHERE = '10.1.1.1', '203.0.113.66', '198.51.100.7'
STEP = timedelta(minutes=1)  # the longest slowdown: every attempt before the block is a guess
QUICK = 'cepat2026'


def attempt(nip: str, password: str = WRONG, *, ip: str = ATTACKER, perangkat: str = '', at: datetime = T0) -> str:
    """Return what a login attempt is told: 'masuk' when it got in, else the refusal's message."""
    try:
        services.authenticate(nip=nip, password=password, ip=ip, perangkat=perangkat, at=at)
    except LoginRefused as refused:
        return str(refused)
    return 'masuk'


def trusted_device(nip: str, password: str = PASSWORD, *, ip: str = OFFICE, at: datetime = T0) -> str:
    """Log in once from a fresh browser and return the device token it is given."""
    masuk = services.authenticate(nip=nip, password=password, ip=ip, at=at)
    assert security.device_token_or_none(masuk.perangkat), masuk.perangkat
    return masuk.perangkat


def quick_officer(nip: str = '199001012015012001') -> str:
    """Add an officer whose hash has bcrypt's lowest cost, for tests that make many wrong guesses."""
    services.create_petugas(
        nip=nip,
        nama='Rina Anggraini',
        peran='admin',
        kecamatan='Batam Kota',
        password='',
        password_hash=bcrypt.hashpw(QUICK.encode(), bcrypt.gensalt(4)).decode(),
    )
    return nip


def failures_counted() -> int:
    with db.get().read() as session:
        return session.exec(select(func.count()).select_from(LoginGagal)).one()


def test_fifty_wrong_passwords_from_one_source_do_not_stop_the_officer_on_their_trusted_device(people):
    nip = quick_officer()
    device = trusted_device(nip, QUICK)
    answers = [attempt(nip, at=T0 + i * STEP) for i in range(1, 51)]
    assert answers.count(services.petugas.LOGIN_FAILED) >= BLOCK_AFTER_FAILURES
    assert 'Coba lagi dalam' in answers[-1]
    later = T0 + 51 * STEP
    assert attempt(nip, QUICK, at=later) != 'masuk'  # the attacker's source is blocked, even with the password
    assert attempt(nip, QUICK, perangkat='garbage', at=later) != 'masuk'  # a made-up device cookie changes nothing
    assert attempt(nip, QUICK, ip=ATTACKER, perangkat=device, at=later) == 'masuk'  # even from the same address


def test_an_untrusted_source_is_blocked_after_ten_failures_while_another_address_still_logs_in(people):
    kasi = people.of(Peran.KASI).nip
    for i in range(BLOCK_AFTER_FAILURES):
        assert attempt(kasi, at=T0 + i * STEP) == 'NIP atau password salah.'
    blocked_at = T0 + BLOCK_AFTER_FAILURES * STEP
    assert attempt(kasi, PASSWORD, at=blocked_at) == (
        'Terlalu banyak percobaan gagal. Coba lagi dalam 14 menit, atau masuk dari perangkat yang biasa Anda pakai.'
    )
    assert attempt(kasi, PASSWORD, ip=ELSEWHERE, at=blocked_at) == 'masuk'
    unblocked = T0 + (BLOCK_AFTER_FAILURES - 1) * STEP + security.BLOCK_DURATION
    assert attempt(kasi, PASSWORD, at=unblocked) == 'masuk'


def test_failures_first_slow_a_source_down_then_block_it(people):
    nip = quick_officer()
    for _ in range(FREE_FAILURES):
        assert attempt(nip) == 'NIP atau password salah.'
    assert attempt(nip, QUICK) == 'Terlalu banyak percobaan gagal. Tunggu 1 detik, lalu coba lagi.'
    assert attempt(nip, at=T0 + timedelta(seconds=1)) == 'NIP atau password salah.'
    assert attempt(nip, QUICK, at=T0 + timedelta(seconds=2)) == (
        'Terlalu banyak percobaan gagal. Tunggu 1 detik, lalu coba lagi.'  # 2 s after the 4th failure
    )
    assert attempt(nip, QUICK, at=T0 + timedelta(seconds=3)) == 'masuk'
    assert failures_counted() == 0  # a success forgets that source's failures for this NIP


def test_a_real_and_an_unknown_nip_get_identical_answers_at_every_count(people):
    real = people.of(Peran.ADMIN).nip
    for tempo, ips in ((STEP, ('10.7.0.1', '10.7.0.2')), (timedelta(0), ('10.8.0.1', '10.8.0.2'))):
        for count in range(1, BLOCK_AFTER_FAILURES + 6):
            at = T0 + count * tempo
            assert attempt(real, ip=ips[0], at=at) == attempt(UNKNOWN_NIP, ip=ips[1], at=at), (tempo, count)
    with db.get().read() as session:  # and both were counted alike
        counts = session.exec(select(LoginGagal.nip_kunci, func.count()).group_by(LoginGagal.nip_kunci)).all()
    assert len(counts) == 2 and counts[0][1] == counts[1][1]


def test_spraying_one_password_over_thirty_nips_from_one_address_is_stopped(people):
    sprayed = [f'19990101202001{n:04d}' for n in range(1, 30)] + [people.of(Peran.CAMAT).nip]  # the 30th is real
    answers = [attempt(nip, PASSWORD) for nip in sprayed]
    assert answers[:SPRAY_DISTINCT_NIPS] == ['NIP atau password salah.'] * SPRAY_DISTINCT_NIPS
    assert all(a.startswith('Terlalu banyak percobaan gagal. Coba lagi dalam 60 menit') for a in answers[10:])
    assert answers[-1] != 'masuk'  # the right password of a real officer, refused: the address is blocked
    assert failures_counted() == SPRAY_DISTINCT_NIPS  # the other 20 guesses were never checked
    camat = people.of(Peran.CAMAT).nip
    assert attempt(camat, PASSWORD, ip=ELSEWHERE) == 'masuk'  # the officer themselves, from their own address


def test_a_trusted_device_behind_a_spraying_address_still_gets_in(people):
    camat = people.of(Peran.CAMAT).nip
    device = trusted_device(camat, ip=ATTACKER)
    for n in range(1, SPRAY_DISTINCT_NIPS + 1):
        attempt(f'19990101202001{n:04d}')
    assert attempt(camat, PASSWORD).startswith('Terlalu banyak percobaan gagal.')
    assert attempt(camat, PASSWORD, perangkat=device) == 'masuk'


def test_many_addresses_against_one_nip_block_only_its_untrusted_logins(people):
    nip = quick_officer()
    device = trusted_device(nip, QUICK)
    for n in range(NIP_BLOCK_AFTER_FAILURES):  # a botnet: one guess from each of 50 addresses
        assert attempt(nip, ip=f'192.0.2.{n + 1}', at=T0 + n * timedelta(seconds=5)) == 'NIP atau password salah.'
    later = T0 + NIP_BLOCK_AFTER_FAILURES * timedelta(seconds=5)
    assert attempt(nip, QUICK, ip=ELSEWHERE, at=later).startswith('Terlalu banyak percobaan gagal. Coba lagi dalam')
    assert attempt(nip, QUICK, ip=ELSEWHERE, perangkat=device, at=later) == 'masuk'
    assert attempt(people.of(Peran.KASI).nip, PASSWORD, ip=ELSEWHERE, at=later) == 'masuk'  # other officers: no effect


def test_a_trusted_device_that_fails_too_often_is_blocked_itself(people):
    nip = quick_officer()
    device = trusted_device(nip, QUICK)
    for i in range(BLOCK_AFTER_FAILURES):
        assert attempt(nip, perangkat=device, at=T0 + (i + 1) * STEP) == 'NIP atau password salah.'
    later = T0 + (BLOCK_AFTER_FAILURES + 1) * STEP
    assert (
        attempt(nip, QUICK, perangkat=device, at=later) == 'Terlalu banyak percobaan gagal. Coba lagi dalam 14 menit.'
    )
    assert attempt(nip, QUICK, ip=ELSEWHERE, at=later) == 'masuk'  # its failures were its own, not the address's


def test_the_device_token_is_renewed_at_every_login_and_a_copied_old_one_is_no_longer_trusted(people):
    kasi = people.of(Peran.KASI).nip
    admin_nip = people.of(Peran.ADMIN).nip
    first = trusted_device(kasi)
    second = services.authenticate(nip=admin_nip, password=PASSWORD, ip=OFFICE, perangkat=first, at=T0).perangkat
    assert second != first
    for i in range(BLOCK_AFTER_FAILURES):  # the office address gets blocked for the Kasi
        attempt(kasi, ip=OFFICE, at=T0 + (i + 1) * STEP)
    later = T0 + (BLOCK_AFTER_FAILURES + 1) * STEP
    assert attempt(kasi, PASSWORD, ip=OFFICE, perangkat=first, at=later) != 'masuk'  # the old token: untrusted now
    assert attempt(kasi, PASSWORD, ip=OFFICE, perangkat=second, at=later) == 'masuk'  # a shared computer keeps both


def test_a_superadmin_unblocks_an_officer_and_the_list_shows_the_block(people):
    kasi = people.of(Peran.KASI)
    at = datetime.now(UTC) - BLOCK_AFTER_FAILURES * STEP
    for i in range(BLOCK_AFTER_FAILURES):
        attempt(kasi.nip, at=at + i * STEP)
    assert queries_admin.petugas_detail(kasi.actor.petugas_id).terkunci
    assert not queries_admin.petugas_detail(people.of(Peran.ADMIN).actor.petugas_id).terkunci
    superadmin = people.of(Peran.SUPERADMIN).actor
    admin.unlock_login(actor=superadmin, petugas_id=kasi.actor.petugas_id, ip='10.0.0.1')
    assert not queries_admin.petugas_detail(kasi.actor.petugas_id).terkunci
    assert attempt(kasi.nip, PASSWORD, at=datetime.now(UTC)) == 'masuk'
    with db.get().read() as session:
        row = session.exec(select(AuditLog).where(AuditLog.aksi == 'buka_kunci')).one()
    assert (row.petugas_id, row.objek) == (superadmin.petugas_id, f'petugas:{kasi.actor.petugas_id}')


def test_old_failures_and_devices_not_seen_for_half_a_year_are_pruned(people):
    kasi = people.of(Peran.KASI).nip
    trusted_device(kasi)
    attempt(kasi)
    much_later = T0 + timedelta(seconds=security.DEVICE_COOKIE_MAX_AGE) + timedelta(days=1)
    attempt(UNKNOWN_NIP, at=much_later)
    with db.get().read() as session:
        assert session.exec(select(func.count()).select_from(PerangkatTepercaya)).one() == 0
    assert failures_counted() == 1  # only the new one


@pytest.mark.parametrize(
    ('ip', 'same_as'),
    [('2001:db8:1:2::5', '2001:db8:1:2:ffff::9'), ('::ffff:10.0.0.9', '10.0.0.9'), ('', '')],
)
def test_an_ipv6_subscriber_counts_as_one_address(ip, same_as):
    assert security.source_address(ip) == security.source_address(same_as)
    assert security.source_address('2001:db8:1:2::5') != security.source_address('2001:db8:1:3::5')


# --- the bcrypt pool ---------------------------------------------------------------------------------------------


async def test_run_hashing_refuses_beyond_its_bound_instead_of_queueing_without_end():
    release = threading.Event()
    threads: list[str] = []

    def hold() -> str:
        threads.append(threading.current_thread().name)
        release.wait(timeout=60)
        return 'selesai'

    tasks = [asyncio.create_task(run_hashing(hold)) for _ in range(hashing.HASHING_CAPACITY)]
    try:
        await until(lambda: hashing.in_flight() == hashing.HASHING_CAPACITY)  # every task has taken its place
        with pytest.raises(ServerBusy, match=r'^Server sedang sibuk, coba lagi sebentar\.$'):
            await run_hashing(hold)
        assert isinstance(ServerBusy('x'), services.ServiceError)  # pages show it like any refusal
    finally:
        release.set()
    assert await asyncio.gather(*tasks) == ['selesai'] * hashing.HASHING_CAPACITY
    assert hashing.in_flight() == 0
    assert threads and all(name.startswith(hashing.THREAD_NAME) for name in threads)


async def test_page_work_in_run_io_bound_goes_on_while_the_hashing_pool_is_full():
    release = threading.Event()
    tasks = [
        asyncio.create_task(run_hashing(release.wait, 60)) for _ in range(hashing.HASHING_CAPACITY)
    ]  # a login flood
    try:
        await until(lambda: hashing.in_flight() == hashing.HASHING_CAPACITY)
        page_thread = await asyncio.wait_for(run.io_bound(lambda: threading.current_thread().name), 30)
        assert not page_thread.startswith(hashing.THREAD_NAME)
        assert not release.is_set()  # answered while every hashing worker was still held
    finally:
        release.set()
    await asyncio.gather(*tasks)


async def test_a_login_runs_whole_in_the_hashing_pool(people):
    masuk = await run_hashing(services.authenticate, nip=people.of(Peran.ADMIN).nip, password=PASSWORD, ip=OFFICE)
    assert masuk.petugas_id == people.of(Peran.ADMIN).actor.petugas_id and masuk.perangkat
