"""Setujui beberapa: the Sekcam or the Camat approves several applications with one Keterangan.

Not a second way to approve: the batch is checked once here (role, size, Keterangan), then each application goes
through the one approval of its own, in its own transaction, with the version the officer saw (apok_ui/printing/
massal.py runs it with the approval that also issues the letter of a completed application).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from apok_ui import db
from apok_ui.services.common import Actor, load_actor, refuse
from apok_ui.services.errors import Invalid

# keputusan's own rule for a Keterangan: the batch's one Keterangan is checked once, before any approval
from apok_ui.services.keputusan import _keterangan as clean_keterangan
from models import Peran, akses
from models import workflow as wf


@dataclass(frozen=True)
class HasilMassal:
    """What a batch approval did: the applications approved, and why each other one was not (by id)."""

    disetujui: tuple[int, ...]
    gagal: dict[int, str]


@dataclass(frozen=True)
class Batch:
    """A batch that may go ahead: each application once, with the version seen, and the checked Keterangan."""

    pilihan: dict[int, int]
    keterangan: str


def check_batch(*, actor: Actor, pilihan: Sequence[tuple[int, int]], keterangan: str = '') -> Batch:
    """Return the batch to approve, or refuse all of it before any approval: only the Sekcam and the Camat
    (models.akses.SETUJUI_MASSAL), at most MASSAL_MAX applications, a Keterangan as one approval takes it."""
    keterangan = clean_keterangan(keterangan, required=wf.RULES[wf.Aksi.SETUJUI].keterangan_wajib)
    chosen = dict(pilihan)  # each id once, whatever the screen sent
    if not chosen:
        raise Invalid('Pilih pengurusan yang akan disetujui.')
    if len(chosen) > akses.MASSAL_MAX:
        raise Invalid(f'Pilih paling banyak {akses.MASSAL_MAX} pengurusan sekaligus.')
    with db.get().read() as session:
        refuse(akses.massal_refusal(Peran(load_actor(session, actor).peran)))
    return Batch(chosen, keterangan)
