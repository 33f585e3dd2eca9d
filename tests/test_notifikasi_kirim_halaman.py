"""The superadmin's Pesan page (Administrasi Sistem › Pesan) through NiceGUI's simulated browser: the channels'
state, the counts, a failed message with the gateway's own answer, Kirim ulang and Batalkan; officers are refused."""

from __future__ import annotations

import asyncio

import pytest
from nicegui.testing import User
from sqlmodel import select

from apok_ui import db
from apok_ui.notifikasi import keadaan
from apok_ui.notifikasi.pengirim import Pengirim
from apok_ui.services import Forbidden, Stale
from apok_ui.services import pesan as pesan_services
from models import AuditLog, Peran
from models.akses import HANYA_SUPERADMIN
from models.kabar import Kanal
from models.tables import Pesan
from tests.kabar_peers import GatewayPeer
from tests.test_administrasi_pages import login_as
from tests.test_notifikasi_kirim import queue, wa_channel
from tests.waiting import seen, until

OK = '{"status": true, "detail": "success! message in queue"}'


def pesan(kunci: str) -> Pesan:
    with db.get().read() as session:
        return session.exec(select(Pesan).where(Pesan.kunci == kunci)).one()


def audited(aksi: str) -> list[AuditLog]:
    with db.get().read() as session:
        return session.exec(select(AuditLog).where(AuditLog.aksi == aksi)).all()


async def test_a_message_the_gateway_refused_shows_its_answer_and_goes_after_kirim_ulang(user: User, app_people):
    (kunci,) = queue(1, Kanal.WHATSAPP)
    with GatewayPeer(answer=lambda n: (422, '{"reason": "nomor tidak terdaftar"}') if n == 1 else (200, OK)) as gw:
        sender = Pengirim(db.get, {Kanal.WHATSAPP: wa_channel(gw.url)})
        await asyncio.to_thread(sender.drain)
        failed = pesan(kunci)
        assert failed.status == 'gagal'
        await login_as(user, app_people, Peran.SUPERADMIN)
        await user.open('/admin/sistem/pesan')
        await seen(user, 'Gagal: 1')
        await seen(user, 'Jawaban server: HTTP 422: {"reason": "nomor tidak terdaftar"}')
        await seen(user, '+62812•••••000', content=None)
        user.find(marker=f'send-{failed.id}').click()
        await until(lambda: pesan(kunci).status == 'menunggu', failure='Kirim ulang did not queue the message')
        await seen(user, 'Menunggu: 1')
        await asyncio.to_thread(sender.drain)
        assert gw.received.keys() == [kunci] and pesan(kunci).status == 'terkirim'
    await user.open('/admin/sistem/pesan')
    await seen(user, 'Terkirim: 1')
    (entry,) = audited('pesan_kirim_ulang')
    assert entry.objek == f'pesan:{failed.id}' and entry.petugas_id == app_people.of(Peran.SUPERADMIN).actor.petugas_id


async def test_batalkan_stops_a_waiting_message_and_the_filter_shows_it_cancelled(user: User, app_people):
    (kunci,) = queue(1, Kanal.EMAIL)
    waiting = pesan(kunci)
    await login_as(user, app_people, Peran.SUPERADMIN)
    await user.open('/admin/sistem/pesan')
    await seen(user, 'Menunggu: 1')
    user.find(marker=f'cancel-{waiting.id}').click()
    await until(lambda: pesan(kunci).status == 'dibatalkan', failure='Batalkan did not cancel the message')
    await seen(user, marker=f'send-{waiting.id}')  # a cancelled message may be sent again
    user.find(marker='saring-status').elements.pop().set_value('terkirim')
    await seen(user, 'Belum ada pesan.')
    assert len(audited('pesan_batal')) == 1


async def test_the_page_says_when_no_channel_is_configured(user: User, app_people):
    await login_as(user, app_people, Peran.SUPERADMIN)
    await user.open('/admin/sistem/pesan')
    await seen(user, keadaan.OFF)  # the simulated app runs with no APOK_SMTP_* or APOK_WA_* settings


async def test_an_officer_is_refused_the_pesan_page_and_cannot_cancel(user: User, app_people):
    await login_as(user, app_people, Peran.CAMAT)
    await user.open('/admin/sistem/pesan')
    await seen(user, HANYA_SUPERADMIN)


@pytest.mark.parametrize('peran', [Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT])
def test_only_the_superadmin_may_resend_or_cancel_and_each_refusal_is_audited(people, peran):
    (waiting,) = queue(1, Kanal.EMAIL, prefix='menunggu')
    (cancelled,) = queue(1, Kanal.EMAIL, prefix='batal')
    superadmin = people.of(Peran.SUPERADMIN).actor
    pesan_services.cancel_pesan(actor=superadmin, pesan_id=pesan(cancelled).id)
    officer = people.of(peran).actor
    for call, kunci in ((pesan_services.cancel_pesan, waiting), (pesan_services.resend_pesan, cancelled)):
        before = pesan(kunci)
        with pytest.raises(Forbidden, match=HANYA_SUPERADMIN):
            call(actor=officer, pesan_id=before.id)
        assert pesan(kunci) == before
    assert [r.petugas_id for r in audited('akses_ditolak')] == [officer.petugas_id] * 2
    with pytest.raises(Stale):  # a waiting message cannot be sent "again", a cancelled one not cancelled again
        pesan_services.resend_pesan(actor=superadmin, pesan_id=pesan(waiting).id)
    pesan_services.resend_pesan(actor=superadmin, pesan_id=pesan(cancelled).id)
    assert (pesan(cancelled).status, len(audited('pesan_kirim_ulang')), len(audited('pesan_batal'))) == (
        'menunggu',
        1,
        1,
    )
