"""Officers hear of new work while away from every screen: one digest, not one message per application; nothing in
their quiet hours or while a page is open; a morning summary for the Camat and the Sekcam on working days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from apok_ui import db, services
from apok_ui.notifikasi import kehadiran, ringkasan
from apok_ui.services import kabar as services_kabar
from models import Pengurusan, Peran, Petugas
from models.kabar import KabarPetugas
from models.tables import Pesan
from tests.conftest import People, submit

WIB = timezone(timedelta(hours=7))


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a moment of December 2026 given in WIB, as the UTC time APOK stores (SQLite keeps no zone)."""
    return datetime(2026, 12, day, hour, minute, tzinfo=WIB).astimezone(UTC)


MONDAY_9 = wib(7, 9)  # a Monday, 09:00 WIB


def choose(people: People, peran: Peran, kanal: str = 'whatsapp', **jam: str) -> int:
    """Let an officer choose a channel in their profile, as Profil Petugas does; return their id."""
    persona = people.of(peran)
    pilihan = KabarPetugas(
        kanal, '0812-1111-2222', 'petugas@contoh.id', jam.get('mulai', '21:00'), jam.get('sampai', '07:00')
    )
    services_kabar.set_kabar_petugas(actor=persona.actor, pilihan=pilihan)
    with db.get().write() as session:  # chosen long ago: only what arrives in the test is new
        session.get(Petugas, persona.actor.petugas_id).kabar_sampai = MONDAY_9 - timedelta(days=3)
    return persona.actor.petugas_id


def digests(jenis: str = 'tugas_baru') -> list[Pesan]:
    with db.get().read() as session:
        return list(session.exec(select(Pesan).where(Pesan.jenis == jenis).order_by(Pesan.id)).all())


def test_three_applications_reach_an_away_admin_as_one_digest_with_a_link_to_the_oldest(people: People):
    choose(people, Peran.ADMIN)
    first = submit(seq=1, at=MONDAY_9)
    submit(seq=2, at=MONDAY_9 + timedelta(minutes=1))
    submit(seq=3, at=MONDAY_9 + timedelta(minutes=2))
    assert ringkasan.digest_round(MONDAY_9 + timedelta(minutes=3)) == 1
    [digest] = digests()
    assert (digest.kanal, digest.tujuan) == ('whatsapp', '+6281211112222')
    assert 'Ada 3 pengurusan baru menunggu Admin Kecamatan.' in digest.isi
    assert digest.isi.endswith(f'/admin?lihat={first.pengurusan_id}')
    # the next round tells only what arrived since
    assert ringkasan.digest_round(MONDAY_9 + timedelta(minutes=4)) == 0
    submit(seq=4, at=MONDAY_9 + timedelta(minutes=5))
    assert ringkasan.digest_round(MONDAY_9 + timedelta(minutes=6)) == 1
    assert 'Ada 1 pengurusan baru' in digests()[-1].isi


def test_an_officer_with_a_page_open_gets_no_digest_until_they_are_away(people: People):
    admin = choose(people, Peran.ADMIN)
    kehadiran.seen({admin}, at=MONDAY_9)
    submit(seq=1, at=MONDAY_9 + timedelta(seconds=10))
    kehadiran.seen({admin}, at=MONDAY_9 + timedelta(seconds=30))
    assert ringkasan.digest_round(MONDAY_9 + timedelta(seconds=40)) == 0
    # the page closed after it showed the application: nothing new arrived since, nothing to tell
    assert ringkasan.digest_round(MONDAY_9 + timedelta(minutes=10)) == 0
    submit(seq=2, at=MONDAY_9 + timedelta(minutes=11))
    assert ringkasan.digest_round(MONDAY_9 + timedelta(minutes=12)) == 1
    assert 'Ada 1 pengurusan baru' in digests()[0].isi


def test_nothing_is_sent_in_the_quiet_hours_and_the_night_comes_as_one_digest_after_them(people: People):
    choose(people, Peran.ADMIN)
    evening = wib(7, 21, 30)
    submit(seq=1, at=evening)
    submit(seq=2, at=evening + timedelta(hours=2))
    assert ringkasan.digest_round(evening + timedelta(hours=3)) == 0  # 00:30 WIB
    assert ringkasan.digest_round(wib(8, 6, 59)) == 0
    assert ringkasan.digest_round(wib(8, 7, 1)) == 1
    assert 'Ada 2 pengurusan baru' in digests()[0].isi


def test_work_for_another_role_or_kecamatan_is_not_in_the_digest(people: People):
    choose(people, Peran.KASI)
    first = submit(seq=1, at=MONDAY_9)
    assert ringkasan.digest_round(MONDAY_9 + timedelta(minutes=1)) == 0  # waiting for the Admin, not the Kasi
    services.approve(actor=people.of(Peran.ADMIN).actor, pengurusan_id=first.pengurusan_id, version=1)
    with db.get().write() as session:  # approved at 09:02 WIB
        session.get(Pengurusan, first.pengurusan_id).menunggu_sejak = MONDAY_9 + timedelta(minutes=2)
    assert ringkasan.digest_round(MONDAY_9 + timedelta(minutes=3)) == 1
    assert 'menunggu Kasi Kecamatan' in digests()[0].isi


def test_two_rounds_at_once_queue_one_digest(people: People):
    """Every process runs the rounds; the officer's row and the message's key make them agree on one."""
    choose(people, Peran.ADMIN)
    submit(seq=1, at=MONDAY_9)
    at = MONDAY_9 + timedelta(minutes=1)
    assert ringkasan.digest_round(at) + ringkasan.digest_round(at) == 1
    assert len(digests()) == 1


def test_the_camat_gets_one_morning_summary_per_working_day_and_the_kasi_none(people: People):
    choose(people, Peran.CAMAT, kanal='email')
    choose(people, Peran.KASI, kanal='email')
    submit(seq=1, at=MONDAY_9 - timedelta(days=3))
    assert ringkasan.digest_round(wib(7, 6, 50)) == 0  # quiet until 07:00
    ringkasan.digest_round(wib(7, 7, 5))
    ringkasan.digest_round(wib(7, 7, 35))
    [summary] = digests('ringkasan_pagi')
    assert summary.tujuan == 'petugas@contoh.id'
    assert summary.subjek == 'APOK: ringkasan pagi Kecamatan Batam Kota'
    assert 'Admin Kecamatan: 1' in summary.isi and 'Camat: 0' in summary.isi
    ringkasan.digest_round(wib(12, 7, 5))  # Saturday
    assert len(digests('ringkasan_pagi')) == 1


@pytest.mark.parametrize(
    ('mulai', 'sampai', 'message'),
    [
        ('25:00', '07:00', 'Tulis jam sebagai JJ:MM, contoh 21:00.'),
        ('21:00', 'pagi', 'Tulis jam sebagai JJ:MM, contoh 21:00.'),
    ],
)
def test_a_wrong_quiet_hour_is_named_beside_its_field(people: People, mulai: str, sampai: str, message: str):
    pilihan = KabarPetugas('email', '', 'petugas@contoh.id', mulai, sampai)
    with pytest.raises(services.Invalid) as refused:
        services_kabar.set_kabar_petugas(actor=people.of(Peran.ADMIN).actor, pilihan=pilihan)
    assert message in refused.value.errors.values()
