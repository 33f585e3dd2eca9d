"""Setujui beberapa: the Sekcam or the Camat approves several applications with one Keterangan.

Not a second way to approve: each application goes through services.keputusan.approve, in its own transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from apok_ui import db
from apok_ui.services.common import Actor, load_actor, refuse
from apok_ui.services.errors import Invalid, ServiceError
from apok_ui.services.keputusan import _keterangan as clean_keterangan
from apok_ui.services.keputusan import approve
from models import Peran, akses
from models import workflow as wf


@dataclass(frozen=True)
class HasilMassal:
    """What a batch approval did: the applications approved, and why each other one was not (by id)."""

    disetujui: tuple[int, ...]
    gagal: dict[int, str]


def approve_many(
    *, actor: Actor, pilihan: Sequence[tuple[int, int]], keterangan: str = '', at: datetime | None = None
) -> HasilMassal:
    """Approve several applications with one Keterangan (Setujui beberapa, models.akses.SETUJUI_MASSAL).

    Each one goes through approve(): its own transaction, guarded transition and Riwayat row, with the version the
    officer saw. One that someone else moved meanwhile (or that is refused) is reported, the others go through.
    """
    keterangan = clean_keterangan(keterangan, required=wf.RULES[wf.Aksi.SETUJUI].keterangan_wajib)
    if len(pilihan) > akses.MASSAL_MAX:
        raise Invalid(f'Pilih paling banyak {akses.MASSAL_MAX} pengurusan sekaligus.')
    with db.get().read() as session:
        petugas = load_actor(session, actor)
        refuse(akses.massal_refusal(Peran(petugas.peran)))
    disetujui, gagal = [], {}
    for pengurusan_id, version in dict(pilihan).items():  # each id once, whatever the screen sent
        try:
            approve(actor=actor, pengurusan_id=pengurusan_id, version=version, keterangan=keterangan, at=at)
        except ServiceError as error:
            gagal[pengurusan_id] = str(error)
        else:
            disetujui.append(pengurusan_id)
    return HasilMassal(tuple(disetujui), gagal)
