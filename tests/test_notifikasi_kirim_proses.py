"""One sender across processes: a sender killed with SIGKILL in the middle of a batch sends again, after its restart,
only the message whose answer it was waiting for; two senders on one PostgreSQL never send the same message twice.
The senders are real Python processes; the SMTP server (aiosmtpd) runs in this one."""

from __future__ import annotations

import collections
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import func, select

from apok_ui import db
from models.kabar import Kanal
from models.tables import Pesan
from tests.kabar_peers import DEADLINE, SmtpPeer
from tests.test_notifikasi_kirim import queue

ROOT = Path(__file__).resolve().parent.parent
SENDER = """
import sys, time
from datetime import timedelta
from sqlmodel import func, select
from apok_ui import db
from apok_ui.config import Smtp
from apok_ui.notifikasi.pengirim import Pengirim
from apok_ui.notifikasi.saluran import Email
from models.kabar import Kanal
from models.tables import Pesan

url, port, lease, batch, mode = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
db.init(url)
smtp = Smtp(host='127.0.0.1', port=port, user='', password='', sender='apok@batam.go.id', security='none')
sender = Pengirim(db.get, {Kanal.EMAIL: Email(smtp)}, lease=timedelta(seconds=lease), batch=batch)


def waiting():
    with db.get().read() as session:
        return session.exec(select(func.count()).select_from(Pesan).where(Pesan.status == 'menunggu')).one()


sender.drain()
while mode == 'until-done' and waiting():
    time.sleep(0.2)  # pengirim.follow's poll, shortened: rows a killed sender had claimed wait out their lease
    sender.drain()
print(sender.sent, flush=True)
"""


def start_sender(url: str, port: int, *, lease: float = 3.0, batch: int = 8, mode: str = 'drain') -> subprocess.Popen:
    """Start a sender process on the queue; it leaves when nothing is due ('until-done': nothing is waiting)."""
    return subprocess.Popen(
        [sys.executable, '-c', SENDER, url, str(port), str(lease), str(batch), mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> int:
    """Wait for a sender process; return how many messages it delivered."""
    out, err = process.communicate(timeout=DEADLINE)
    assert process.returncode == 0, err
    return int(out.split()[-1])


def statuses() -> dict[str, int]:
    with db.get().read() as session:
        rows = session.exec(select(Pesan.status, func.count()).group_by(Pesan.status)).all()
    return dict(rows)


def test_a_sender_killed_mid_batch_sends_again_after_its_restart_only_the_message_in_flight(database_url):
    keys = queue(30, Kanal.EMAIL)
    with SmtpPeer() as smtp:
        smtp.received.hold_at = 10  # the server has the 10th message; the sender waits for its answer
        killed = start_sender(database_url, smtp.port)
        assert smtp.received.held.wait(DEADLINE), 'the sender never reached the 10th message'
        killed.send_signal(signal.SIGKILL)
        killed.wait(DEADLINE)
        assert killed.returncode == -signal.SIGKILL
        smtp.received.release.set()
        delivered = finish(start_sender(database_url, smtp.port, mode='until-done'))
        received = smtp.received.keys()
    counts = collections.Counter(received)
    duplicates = {kunci: n for kunci, n in counts.items() if n > 1}
    assert set(counts) == set(keys)  # every message arrived
    assert duplicates == {keys[9]: 2}  # one duplicate: the one in flight at the kill
    assert delivered == 21  # the restarted sender: the one in flight, the six claimed by the dead one, the rest
    assert statuses() == {'terkirim': 30}


@pytest.mark.parametrize('database_url', ['postgresql'], indirect=True)
def test_two_senders_on_postgresql_never_send_the_same_message_twice(database_url):
    keys = queue(200, Kanal.EMAIL)
    # The server answers nobody until both senders have a message on its way: they surely work at the same time.
    with SmtpPeer(meet=2) as smtp:
        senders = [start_sender(database_url, smtp.port, lease=60, batch=5) for _ in range(2)]
        delivered = [finish(process) for process in senders]
        received = smtp.received.keys()
    assert sorted(received) == sorted(keys)  # each message exactly once
    assert sum(delivered) == 200 and min(delivered) > 0
    assert statuses() == {'terkirim': 200}
