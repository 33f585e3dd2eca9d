"""Koreksi penyerahan: the Admin undoes a wrong hand-over within a set time; Riwayat keeps both steps."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from apok_ui.events import Perubahan
from apok_ui.services.common import Actor
from apok_ui.services.errors import Forbidden

# keputusan's own steps: the same officer checks, one transaction, the same Keterangan rule
from apok_ui.services.keputusan import _keterangan as clean_keterangan
from apok_ui.services.keputusan import _move as move
from apok_ui.services.keputusan import _officer_action as officer_action
from models import Pengurusan, Peran, Petugas
from models import workflow as wf
from models.waktu import as_utc, now


def correct_hand_over(
    *, actor: Actor, pengurusan_id: int, version: int, alasan: str, at: datetime | None = None
) -> Perubahan:
    """Undo a wrong hand-over within models.workflow.KOREKSI_SERAHKAN: the letter is ready to hand over again, and
    Riwayat keeps both the hand-over and its correction (nothing is deleted)."""
    alasan = clean_keterangan(alasan, required=wf.RULES[wf.Aksi.KOREKSI].keterangan_wajib, field='Alasan koreksi')

    def act(session: Session, petugas: Petugas, pengurusan: Pengurusan) -> Perubahan:
        moment = at or now()
        late = wf.koreksi_refusal(pengurusan.diserahkan_at and as_utc(pengurusan.diserahkan_at), moment)
        if late and wf.may_act(Peran(petugas.peran), wf.Aksi.KOREKSI, pengurusan.posisi):
            raise Forbidden(late)
        penerima = pengurusan.penerima_nama or ''
        return move(
            session,
            petugas,
            pengurusan,
            wf.Aksi.KOREKSI,
            seen_version=version,
            keterangan=f'Penyerahan kepada {penerima} dibatalkan: {alasan}' if penerima else alasan,
            at=moment,
            extra={'diserahkan_at': None, 'penerima_nama': None, 'penerima_hubungan': None},
        )

    return officer_action(actor, pengurusan_id, wf.Aksi.KOREKSI, act)
