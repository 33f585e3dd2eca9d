"""The whole chain through a running APOK with real peers on loopback: an SMTP server (aiosmtpd) and an HTTP
server standing in for the WhatsApp gateway. Submission → ditolak → perbaikan → four approvals → Cetak →
Serahkan delivers exactly the expected messages, in order, to the citizen who opted in, and none to one who did not.
"""

from __future__ import annotations

from sqlmodel import select

from apok_ui import db, services
from apok_ui.notifikasi import kabar
from models import Pengurusan, Peran
from models.tables import Pesan
from tests.conftest import People, isian_for, pemohon, start_server, stop_server, submit
from tests.kabar_peers import GatewayPeer, SmtpPeer

EXPECTED = ['diterima', 'ditolak', 'diterima', 'selesai', 'diserahkan']


def version(pengurusan_id: int) -> int:
    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id).version


def sent_to(tujuan: str) -> list[Pesan]:
    """Return the messages APOK marked sent to one address, in the order they were queued."""
    with db.get().read() as session:
        rows = session.exec(select(Pesan).where(Pesan.tujuan == tujuan, Pesan.status == 'terkirim').order_by(Pesan.id))
        return list(rows)


def kinds_sent_to(tujuan: str) -> list[str]:
    return [row.jenis for row in sent_to(tujuan)]


def walk_the_chain(people: People, seq: int, **choice: str) -> str:
    """Take one application through every step a citizen hears about; return its Nomor Pendaftaran."""
    admin = people.of(Peran.ADMIN).actor
    first = submit(seq=seq, **choice)
    pid = first.pengurusan_id
    services.reject(actor=admin, pengurusan_id=pid, version=version(pid), keterangan='Foto KTP tidak terbaca.')
    data = pemohon(seq, **choice)
    data.isian = isian_for('SKTM')
    services.resubmit(nomor_pendaftaran=first.nomor_pendaftaran, nik=data.nik, data=data, uploads=[])
    for peran in (Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT):
        services.approve(actor=people.of(peran).actor, pengurusan_id=pid, version=version(pid))
    services.record_print(actor=admin, pengurusan_id=pid)
    services.hand_over(actor=admin, pengurusan_id=pid, version=version(pid), penerima_nama='Budi Santoso')
    return first.nomor_pendaftaran


def test_the_whole_chain_tells_the_opted_in_citizens_each_step_in_order_and_the_others_nothing(
    database_url: str, people: People, tmp_path
):
    with SmtpPeer() as smtp, GatewayPeer() as gateway:
        kabar.catch_up()  # the notifier's position exists before the first change, as in a running APOK
        server = start_server(
            tmp_path,
            database_url,
            APOK_SMTP_HOST='127.0.0.1',
            APOK_SMTP_PORT=str(smtp.port),
            APOK_SMTP_SECURITY='none',
            APOK_SMTP_FROM='APOK Batam <apok@batam.go.id>',
            APOK_WA_PRESET='fonnte',  # the documented preset, pointed at the loopback gateway
            APOK_WA_URL=gateway.url,
            APOK_WA_AUTH_VALUE='token-uji',
        )
        try:
            nomor_wa = walk_the_chain(people, 1, kabar_kanal='whatsapp', no_hp='0812 1111 0001')
            nomor_email = walk_the_chain(people, 2, kabar_kanal='email', email='siti@contoh.id')
            walk_the_chain(people, 3, no_hp='0812 1111 0003', email='diam@contoh.id')  # chose nothing
            whatsapp = gateway.received.wait_for(len(EXPECTED))
            emails = smtp.received.wait_for(len(EXPECTED))
        finally:
            stop_server(server)
    assert all(nomor_wa in item['message'] for item in whatsapp)
    assert [item['message'] for item in whatsapp] == [row.isi for row in sent_to('+6281211110001')]  # in order
    assert {item['target'] for item in whatsapp} == {'6281211110001'}  # as gateways take it: digits only
    assert [item['subject'].split(' ')[0] for item in emails] == [
        'Permohonan',
        'Permohonan',
        'Permohonan',
        'Dokumen',
        'Dokumen',
    ]
    assert all(nomor_email in item['body'] for item in emails) and {item['to'] for item in emails} == {'siti@contoh.id'}
    assert kinds_sent_to('+6281211110001') == EXPECTED
    assert kinds_sent_to('siti@contoh.id') == EXPECTED
    assert kinds_sent_to('+6281211110003') == kinds_sent_to('diam@contoh.id') == []
    # exactly these: nothing more arrived than the ten expected
    assert len(gateway.received.items) == len(smtp.received.items) == len(EXPECTED)
