"""Delivery of the message queue to real peers on loopback: an SMTP server (aiosmtpd) and an HTTP server standing in
for the WhatsApp gateway. Messages arrive once; a gateway that is down delivers once it is back; a refusal fails
the message with the server's own answer; bad settings are one line."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from apok_ui import db
from apok_ui.config import Gateway, Settings, SettingsError, Smtp
from apok_ui.notifikasi import antrian, keadaan, pengirim
from apok_ui.notifikasi.pengirim import Pengirim
from apok_ui.notifikasi.saluran import Email, WhatsApp, from_settings
from models.kabar import GIVE_UP_AFTER, Jenis, Kanal, StatusPesan, backoff
from models.tables import Pesan
from models.waktu import now
from tests.kabar_peers import GatewayPeer, SmtpPeer, free_port

ROOT = Path(__file__).resolve().parent.parent
SENDER = 'APOK Batam <apok@batam.go.id>'


class Clock:
    """The queue's clock: real time, moved ahead by the test past a backoff (nothing waits for it)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self):
        return now() + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


def email_channel(port: int, **kwargs) -> Email:
    return Email(Smtp(host='127.0.0.1', port=port, user='', password='', sender=SENDER, security='none'), **kwargs)


def wa_channel(url: str, *, form: bool = False, value: str = 'rahasia-token') -> WhatsApp:
    body = '{"target": "{tujuan}", "message": "{isi}"}'
    return WhatsApp(Gateway(url=url, header='Authorization', value=value, body=body, form=form))


def queue(count: int, kanal: Kanal, *, prefix: str = 'm') -> list[str]:
    """Queue `count` messages on a channel; return their keys (the text starts with its key, for the gateway)."""
    keys = [f'{prefix}{i}:{kanal.value}' for i in range(count)]
    with db.get().write() as session:
        for i, kunci in enumerate(keys):
            tujuan = f'warga{i}@contoh.id' if kanal is Kanal.EMAIL else f'+6281234567{i:03d}'
            antrian.enqueue(
                session,
                kunci=kunci,
                jenis=Jenis.DITERIMA,
                kanal=kanal,
                tujuan=tujuan,
                subjek=f'Subjek {i}',
                isi=f'[{kunci}] Permohonan Anda diterima.',
            )
    return keys


def rows() -> dict[str, Pesan]:
    with db.get().read() as session:
        return {p.kunci: p for p in session.exec(select(Pesan)).all()}


def test_email_and_whatsapp_messages_each_arrive_once_and_are_marked_sent(database_url):
    emails, texts = queue(3, Kanal.EMAIL), queue(3, Kanal.WHATSAPP)
    with SmtpPeer() as smtp, GatewayPeer() as gateway:
        sender = Pengirim(db.get, {Kanal.EMAIL: email_channel(smtp.port), Kanal.WHATSAPP: wa_channel(gateway.url)})
        assert sender.drain() == 6
        assert sender.drain() == 0  # nothing is due any more: nothing goes twice
        assert smtp.received.keys() == emails and gateway.received.keys() == texts
    first = smtp.received.items[0]
    assert (first['to'], first['subject'], first['body'].strip()) == (
        'warga0@contoh.id',
        'Subjek 0',
        f'[{emails[0]}] Permohonan Anda diterima.',
    )
    assert gateway.received.items[0]['target'] == '6281234567000'  # digits, country code first
    assert gateway.headers[0]['Authorization'] == 'rahasia-token'
    sent = rows()
    assert {p.status for p in sent.values()} == {StatusPesan.TERKIRIM.value}
    assert all(p.terkirim_at is not None and p.percobaan == 1 for p in sent.values())


def test_a_gateway_that_is_down_at_first_delivers_everything_once_it_is_back(sqlite_url):
    keys = queue(3, Kanal.WHATSAPP)
    clock, gateway = Clock(), GatewayPeer()  # not listening yet: connections are refused
    sender = Pengirim(db.get, {Kanal.WHATSAPP: wa_channel(gateway.url)}, clock=clock)
    assert sender.drain() == 3
    down = rows()
    assert {(p.status, p.percobaan) for p in down.values()} == {(StatusPesan.MENUNGGU.value, 1)}
    assert 'Tidak dapat terhubung ke gateway WhatsApp' in down[keys[0]].jawaban
    assert sender.drain() == 0  # the backoff: not due again yet
    clock.advance(backoff(1))
    assert sender.drain() == 3  # still down: a second attempt each
    with gateway:  # back up
        clock.advance(backoff(2))
        assert sender.drain() == 3
        assert gateway.received.keys() == keys
    assert {(p.status, p.percobaan) for p in rows().values()} == {(StatusPesan.TERKIRIM.value, 3)}


def test_a_message_the_gateway_refuses_with_a_4xx_fails_at_once_with_its_answer(sqlite_url):
    (kunci,) = queue(1, Kanal.WHATSAPP)
    refusal = (400, '{"status": false, "reason": "invalid target"}')
    with GatewayPeer(answer=lambda n: refusal) as gateway:
        assert Pengirim(db.get, {Kanal.WHATSAPP: wa_channel(gateway.url)}).drain() == 1
    failed = rows()[kunci]
    assert (failed.status, failed.percobaan) == (StatusPesan.GAGAL.value, 1)
    assert failed.jawaban == 'HTTP 400: {"status": false, "reason": "invalid target"}'


def test_a_200_whose_body_says_status_false_is_tried_again_with_the_gateways_reason(sqlite_url):
    (kunci,) = queue(1, Kanal.WHATSAPP)
    with GatewayPeer(answer=lambda n: (200, '{"status": false, "reason": "device disconnected"}')) as gateway:
        Pengirim(db.get, {Kanal.WHATSAPP: wa_channel(gateway.url)}).drain()
    row = rows()[kunci]
    assert (row.status, row.jawaban) == (StatusPesan.MENUNGGU.value, 'HTTP 200: device disconnected')


def test_an_smtp_5xx_for_a_recipient_fails_for_good_and_a_4xx_is_tried_again(sqlite_url):
    keys = queue(3, Kanal.EMAIL)  # warga0, warga1, warga2
    answers = {'warga0@contoh.id': '550 5.1.1 mailbox unavailable', 'warga1@contoh.id': '451 4.3.0 try later'}
    with SmtpPeer(reject=answers.get) as smtp:
        Pengirim(db.get, {Kanal.EMAIL: email_channel(smtp.port)}).drain()
        assert smtp.received.keys() == [keys[2]]
    result = rows()
    assert (result[keys[0]].status, result[keys[0]].jawaban) == ('gagal', '550 5.1.1 mailbox unavailable')
    assert (result[keys[1]].status, result[keys[1]].jawaban) == ('menunggu', '451 4.3.0 try later')
    assert result[keys[2]].status == 'terkirim'


def test_a_message_still_failing_a_day_after_it_was_queued_is_marked_failed(sqlite_url):
    (kunci,) = queue(1, Kanal.EMAIL)
    clock = Clock()
    sender = Pengirim(db.get, {Kanal.EMAIL: email_channel(free_port())}, clock=clock)  # nobody listens there
    sender.drain()
    assert rows()[kunci].status == 'menunggu'
    clock.advance(GIVE_UP_AFTER)
    sender.drain()
    row = rows()[kunci]
    assert (row.status, row.percobaan) == ('gagal', 2)
    assert row.jawaban.startswith('Tidak dapat terhubung ke server email 127.0.0.1:')


def test_pruning_deletes_only_finished_messages_older_than_the_retention(sqlite_url):
    sent = queue(1, Kanal.EMAIL, prefix='terkirim')
    with SmtpPeer() as smtp:
        Pengirim(db.get, {Kanal.EMAIL: email_channel(smtp.port)}).drain()
    waiting, unconfigured = queue(1, Kanal.EMAIL, prefix='menunggu'), queue(1, Kanal.WHATSAPP, prefix='tanpa-kanal')
    clock = Clock()
    pruner = Pengirim(db.get, {Kanal.EMAIL: email_channel(free_port())}, clock=clock, retention_days=90)
    clock.advance(timedelta(days=89))
    assert pruner.prune() == 0
    left = rows()
    assert left[sent[0]].status == 'terkirim' and left[waiting[0]].status == 'menunggu'
    # WhatsApp is not configured here: its message could never go, so it failed a day after it was queued
    assert (left[unconfigured[0]].status, left[unconfigured[0]].jawaban) == (
        'gagal',
        'Kanal ini tidak diatur di server APOK',
    )
    clock.advance(timedelta(days=2))
    assert pruner.prune() == 2
    assert list(rows()) == waiting  # a waiting message is never pruned


def test_the_fonnte_preset_posts_target_and_message_form_encoded_with_the_token(sqlite_url):
    (kunci,) = queue(1, Kanal.WHATSAPP)
    with GatewayPeer() as gateway:
        settings = Settings.from_env(
            {'APOK_WA_PRESET': 'fonnte', 'APOK_WA_URL': gateway.url, 'APOK_WA_AUTH_VALUE': 'TOKEN-FONNTE'}
        )
        assert Pengirim(db.get, from_settings(settings)).drain() == 1
    (fields,) = gateway.received.items
    assert (fields['target'], fields['message']) == ('6281234567000', f'[{kunci}] Permohonan Anda diterima.')
    assert gateway.headers[0]['Content-Type'] == 'application/x-www-form-urlencoded'
    assert gateway.headers[0]['Authorization'] == 'TOKEN-FONNTE'


async def test_a_wake_up_after_the_commit_sends_at_once_without_waiting_for_the_poll(sqlite_url):
    with SmtpPeer() as smtp:
        sender = Pengirim(db.get, {Kanal.EMAIL: email_channel(smtp.port)})
        task = asyncio.create_task(pengirim._follower.follow(sender, poll_seconds=3600))
        try:
            while sender.rounds < 1:  # its first look at the (empty) queue; after it, only a wake-up makes another
                await asyncio.sleep(0.01)
            keys = await asyncio.to_thread(queue, 2, Kanal.EMAIL)
            pengirim.wake()
            assert await asyncio.to_thread(smtp.received.wait_for, 2) and smtp.received.keys() == keys
        finally:
            task.cancel()
            pengirim._follower.stop()


@pytest.mark.parametrize(
    ('env', 'line'),
    [
        (
            {'APOK_SMTP_HOST': 'mail.example.go.id', 'APOK_SMTP_FROM': 'apok@x.id', 'APOK_SMTP_SECURITY': 'ssl'},
            'APOK_SMTP_SECURITY must be one of starttls, tls, none',
        ),
        ({'APOK_SMTP_HOST': 'mail.example.go.id'}, 'APOK_SMTP_FROM must be the sender address'),
        (
            {'APOK_SMTP_HOST': 'mail.example.go.id', 'APOK_SMTP_FROM': 'a@x.id', 'APOK_SMTP_USER': 'apok'},
            'APOK_SMTP_USER and APOK_SMTP_PASSWORD must be set together',
        ),
        ({'APOK_WA_URL': 'api.fonnte.com/send'}, 'APOK_WA_URL must be an http:// or https:// address'),
        ({'APOK_WA_PRESET': 'wablas'}, 'APOK_WA_PRESET must be one of fonnte, waha'),
        (
            {'APOK_WA_PRESET': 'fonnte', 'APOK_WA_BODY': '{"target": "{tujuan}", "message": "{pesan}"}'},
            'APOK_WA_BODY may use only {tujuan} and {isi}, not {pesan}',
        ),
        (
            {'APOK_WA_PRESET': 'fonnte', 'APOK_WA_BODY': 'target={tujuan}&message={isi}'},
            'APOK_WA_BODY must be a JSON object',
        ),
        (
            {'APOK_WA_URL': 'https://gw.example/send', 'APOK_WA_BODY': '{"text": "{isi}"}'},
            'APOK_WA_BODY must use both {tujuan} (the number) and {isi} (the text)',
        ),
        ({'APOK_NOTIF_RETENTION_DAYS': '0'}, 'APOK_NOTIF_RETENTION_DAYS must be between 1 and 3650'),
    ],
)
def test_a_bad_notification_setting_is_refused_in_one_line_naming_it(env, line):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(env)
    assert str(refused.value).startswith(line) and '\n' not in str(refused.value)


def test_apok_with_a_bad_gateway_template_stops_at_start_up_with_one_line_and_no_traceback(tmp_path):
    env = {'PATH': '/usr/bin:/bin', 'APOK_ENV': 'development', 'APOK_DATA_DIR': str(tmp_path)}
    env |= {'APOK_WA_PRESET': 'fonnte', 'APOK_WA_BODY': '{"target": "{nomor}", "message": "{isi}"}'}
    result = subprocess.run([sys.executable, 'main.py'], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and 'APOK_WA_BODY may use only {tujuan} and {isi}, not {nomor}' in lines[0]
    assert 'Traceback' not in result.stderr


def test_settings_without_any_channel_send_nothing_and_say_so_once(caplog):
    settings = Settings.from_env({})
    assert (settings.smtp, settings.whatsapp, settings.notif_retention_days) == (None, None, 90)
    keadaan.configure(from_settings(settings))
    with caplog.at_level(logging.WARNING, logger='apok_ui.notifikasi.pengirim'):
        asyncio.run(pengirim._check({}))
    assert [r.getMessage() for r in caplog.records] == [keadaan.OFF_LOG]
    assert keadaan.lines() == [(False, keadaan.OFF)]


def test_an_unreachable_smtp_host_is_one_line_in_the_log_and_on_the_admin_page(caplog):
    port = free_port()
    channels = {Kanal.EMAIL: email_channel(port, timeout=5)}
    keadaan.configure(channels)
    with caplog.at_level(logging.WARNING, logger='apok_ui.notifikasi.pengirim'):
        asyncio.run(pengirim._check(channels))
    (record,) = caplog.records
    assert record.exc_info is None and '\n' not in record.getMessage()
    assert f'email channel: tidak dapat terhubung ke server email 127.0.0.1:{port}, none' in record.getMessage()
    (email_line, wa_line) = sorted(keadaan.lines(), key=lambda line: line[1])
    assert not email_line[0] and email_line[1].startswith(f'Email: bermasalah · 127.0.0.1:{port}, none · ')
    assert wa_line == (False, 'WhatsApp: tidak diatur')


def test_starttls_is_required_when_set_and_a_server_without_it_is_one_line_not_a_send(sqlite_url):
    (kunci,) = queue(1, Kanal.EMAIL)
    with SmtpPeer() as smtp:  # aiosmtpd here offers no STARTTLS
        smtp_settings = Smtp(host='127.0.0.1', port=smtp.port, user='', password='', sender=SENDER, security='starttls')
        channel = Email(smtp_settings)
        problem = channel.probe()
        Pengirim(db.get, {Kanal.EMAIL: channel}).drain()
        assert smtp.received.items == []  # never in clear text
    assert problem == f'tidak dapat terhubung ke server email 127.0.0.1:{smtp.port}, starttls: ' + (
        'STARTTLS extension not supported by server.'
    )
    row = rows()[kunci]
    assert (row.status, row.percobaan) == ('menunggu', 1) and 'STARTTLS extension not supported' in row.jawaban
