"""The queue of messages: written inside the transaction of the change that causes them, never sent from there."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from models.kabar import Jenis, Kanal, StatusPesan
from models.tables import Pesan
from models.waktu import now


def enqueue(session: Session, *, kunci: str, jenis: Jenis, kanal: Kanal, tujuan: str, subjek: str, isi: str) -> None:
    """Queue one message in the caller's transaction; a second message with the same key is ignored.

    The key names the cause, the channel and the recipient (e.g. 'outbox:812:whatsapp:+628123456789'), so a
    change handled twice (a consumer that ran again after a crash) never queues a second message.
    """
    insert = sqlite_insert if session.get_bind().dialect.name == 'sqlite' else pg_insert
    session.execute(
        insert(Pesan)
        .values(
            kunci=kunci[:120],
            jenis=jenis.value,
            kanal=kanal.value,
            tujuan=tujuan,
            subjek=subjek[:200],
            isi=isi,
            status=StatusPesan.MENUNGGU.value,
            percobaan=0,
            berikutnya=now(),
            jawaban='',
            dibuat_at=now(),
        )
        .on_conflict_do_nothing(index_elements=['kunci'])
    )
