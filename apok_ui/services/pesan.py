"""The superadmin's actions on the message queue (Administrasi Sistem › Pesan): send again, cancel.

Each re-checks the administrator (models.akses), changes the row only if it still stands where the page saw it
(the sender may have moved it meanwhile), and writes its audit row in the same transaction. After the commit the
sender of this process is woken, so a message sent again goes at once.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session

from apok_ui.notifikasi import pengirim
from apok_ui.services.common import Actor, admin_action, audit
from apok_ui.services.errors import NotFound, Stale
from models import Petugas
from models.akses import Kelola
from models.kabar import StatusPesan
from models.tables import Pesan
from models.waktu import now

RESEND_FROM = (StatusPesan.GAGAL, StatusPesan.DIBATALKAN)  # a message that will not go by itself any more
CANCEL_FROM = (StatusPesan.MENUNGGU,)  # a message still waiting for its (next) attempt
TIDAK_ADA = 'Pesan tidak ditemukan (mungkin sudah dihapus karena lama).'
SUDAH_BERUBAH = 'Pesan ini sudah berubah status; daftar dimuat ulang.'


def may_resend(status: StatusPesan) -> bool:
    """Return whether a message in this state may be sent again (failed or cancelled)."""
    return status in RESEND_FROM


def may_cancel(status: StatusPesan) -> bool:
    """Return whether a message in this state may be cancelled (still waiting)."""
    return status in CANCEL_FROM


def resend_pesan(*, actor: Actor, pesan_id: int, ip: str = '') -> None:
    """Queue a failed or cancelled message again, due now, with its attempts and its 24-hour clock restarted."""
    at = now()
    _act(
        actor,
        pesan_id,
        ip,
        'pesan_kirim_ulang',
        RESEND_FROM,
        status=StatusPesan.MENUNGGU.value,
        percobaan=0,
        berikutnya=at,
        dibuat_at=at,
        jawaban='',
    )
    pengirim.wake()


def cancel_pesan(*, actor: Actor, pesan_id: int, ip: str = '') -> None:
    """Cancel a waiting message: no further attempt is made (one on its way already still arrives)."""
    _act(actor, pesan_id, ip, 'pesan_batal', CANCEL_FROM, status=StatusPesan.DIBATALKAN.value)


def _act(actor: Actor, pesan_id: int, ip: str, aksi: str, allowed: tuple[StatusPesan, ...], **values: object) -> None:
    """Move one message out of an allowed state, with its audit row, as one administration action."""
    objek = f'pesan:{pesan_id}'

    def act(session: Session, admin: Petugas) -> None:
        pesan = session.get(Pesan, pesan_id)
        if pesan is None:
            raise NotFound(TIDAK_ADA)
        if StatusPesan(pesan.status) not in allowed:
            raise Stale(SUDAH_BERUBAH)
        # Conditional on the state it was read in: the sender may record an answer at the same moment.
        moved = session.execute(
            update(Pesan).where(Pesan.id == pesan_id, Pesan.status == pesan.status).values(**values)
        )
        if moved.rowcount != 1:
            raise Stale(SUDAH_BERUBAH)
        audit(session, aksi, petugas=admin, objek=objek, ip=ip, detail=f'{pesan.jenis} lewat {pesan.kanal}')

    admin_action(actor, Kelola.PESAN, aksi, objek, act)
