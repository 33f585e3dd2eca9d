"""Which messages a citizen's application causes: decided after the commit from the outbox, once, for the channel
the citizen opted into, and never with the NIK or an officer's name in them."""

from __future__ import annotations

import pytest
from sqlmodel import select

from apok_ui import db, outbox, services
from apok_ui.notifikasi import kabar
from models import Pengurusan, Peran
from models.kabar import Jenis
from models.tables import Pesan, TemplatPesan
from tests.conftest import People, isian_for, pemohon, submit


@pytest.fixture(autouse=True)
def notifier(database_url: str) -> None:
    """The notifier's consumer exists before the first change, as it does in a running APOK."""
    kabar.catch_up()


def queued() -> list[Pesan]:
    """Return every queued message in order, after the notifier has handled every committed change."""
    while kabar.catch_up():
        pass
    with db.get().read() as session:
        return list(session.exec(select(Pesan).order_by(Pesan.id)).all())


def version(pengurusan_id: int) -> int:
    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id).version


def approve_to_the_end(people: People, pengurusan_id: int) -> None:
    for peran in (Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT):
        services.approve(actor=people.of(peran).actor, pengurusan_id=pengurusan_id, version=version(pengurusan_id))


def test_a_citizen_who_chose_whatsapp_hears_of_every_step_in_order(people: People):
    first = submit(seq=1, kabar_kanal='whatsapp')
    admin = people.of(Peran.ADMIN).actor
    services.reject(
        actor=admin, pengurusan_id=first.pengurusan_id, version=version(first.pengurusan_id), keterangan='KTP buram.'
    )
    data = pemohon(1, kabar_kanal='whatsapp')
    data.isian = isian_for('SKTM')
    services.resubmit(nomor_pendaftaran=first.nomor_pendaftaran, nik=data.nik, data=data, uploads=[])
    approve_to_the_end(people, first.pengurusan_id)
    services.record_print(actor=admin, pengurusan_id=first.pengurusan_id)
    services.hand_over(
        actor=admin,
        pengurusan_id=first.pengurusan_id,
        version=version(first.pengurusan_id),
        penerima_nama='Budi Santoso',
    )
    messages = queued()
    assert [m.jenis for m in messages] == ['diterima', 'ditolak', 'diterima', 'selesai', 'diserahkan']
    assert {(m.kanal, m.tujuan) for m in messages} == {('whatsapp', '+6281234567890')}
    assert 'KTP buram.' in messages[1].isi
    assert f'/lacak?nomor={first.nomor_pendaftaran}' in messages[0].isi
    for message in messages:
        assert first.nomor_pendaftaran in message.isi
        assert data.nik not in message.isi + message.subjek
        assert 'Petugas' not in message.isi  # the officers' names (tests/conftest: 'Petugas Admin A', …)


def test_a_citizen_who_chose_nothing_gets_no_message(people: People):
    first = submit(seq=1)
    approve_to_the_end(people, first.pengurusan_id)
    assert queued() == []


def test_an_email_citizen_hears_by_email_and_a_rejection_inside_the_office_tells_them_nothing(people: People):
    first = submit(seq=1, kabar_kanal='email', email='budi@contoh.id')
    services.approve(actor=people.of(Peran.ADMIN).actor, pengurusan_id=first.pengurusan_id, version=1)
    services.reject(
        actor=people.of(Peran.KASI).actor,
        pengurusan_id=first.pengurusan_id,
        version=version(first.pengurusan_id),
        keterangan='Cek ulang alamat.',
    )
    assert [(m.jenis, m.kanal, m.tujuan) for m in queued()] == [('diterima', 'email', 'budi@contoh.id')]


def test_choosing_email_without_an_email_is_refused_beside_the_choice():
    with pytest.raises(services.Invalid) as refused:
        submit(seq=1, kabar_kanal='email', email='')
    assert refused.value.errors == {'kabar_kanal': 'Isi Email di atas, atau pilih WhatsApp atau Tidak perlu.'}


def test_a_change_handled_again_after_a_crash_queues_no_second_message(people: People):
    """The consumer's position and its messages commit together; replaying the same facts finds the same keys."""
    submit(seq=1, kabar_kanal='whatsapp')
    assert len(queued()) == 1
    with db.get().write() as session:  # as if the position had not been saved: the facts come again
        kabar.handle(session, outbox.read_after(session, 0, 100))
    assert len(queued()) == 1


def test_the_superadmins_text_is_used_for_the_next_message_and_an_unknown_placeholder_stays_empty(people: People):
    with db.get().write() as session:
        session.add(TemplatPesan(jenis=Jenis.DITERIMA.value, subjek='Diterima', isi='Nomor Anda {nomor}. {tidak_ada}'))
    first = submit(seq=1, kabar_kanal='whatsapp')
    assert [m.isi for m in queued()] == [f'Nomor Anda {first.nomor_pendaftaran}. ']


def test_lupa_nomor_answers_a_match_and_a_miss_alike_and_sends_only_to_the_stored_contact(people: People):
    from apok_ui.services import kabar as services_kabar

    services_kabar.reset_limits()
    first = submit(seq=1)
    nik = pemohon(1).nik
    match = services_kabar.remind_nomor(nik=nik, kontak='budi@contoh.id', ip='10.0.0.1')
    miss = services_kabar.remind_nomor(nik=nik, kontak='orang.lain@contoh.id', ip='10.0.0.2')
    assert match == miss == services_kabar.LUPA_TERKIRIM
    [message] = queued()
    assert (message.jenis, message.kanal, message.tujuan) == ('lupa_nomor', 'email', 'budi@contoh.id')
    assert first.nomor_pendaftaran in message.isi and nik not in message.isi


def test_lupa_nomor_is_limited_per_nik_whatever_the_address(people: People):
    from apok_ui.services import kabar as services_kabar
    from apok_ui.services.batas import Dibatasi

    services_kabar.reset_limits()
    nik = pemohon(1).nik
    for ip in ('10.0.0.1', '10.0.0.2', '10.0.0.3'):
        services_kabar.remind_nomor(nik=nik, kontak='0812 3456 7890', ip=ip)
    with pytest.raises(Dibatasi):
        services_kabar.remind_nomor(nik=nik, kontak='0812 3456 7890', ip='10.0.0.4')
    services_kabar.reset_limits()
