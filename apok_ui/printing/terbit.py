"""The final approval that issues the letter: rendered and signed off the event loop, stored, and recorded in the
approving transaction (apok_ui/services/terbit.py).

The letter is rendered before the approving transaction with the nomor the counter would give; the transaction
takes the number and records the file, or, if another completion took that number meanwhile, rolls back and the
letter is rendered again. A signature that cannot be made refuses the approval and changes nothing.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from typing import TypeVar

from nicegui import run

from apok_ui import services
from apok_ui.events import Perubahan
from apok_ui.printing import arsip, cetak
from apok_ui.printing import queries as queries_cetak
from apok_ui.printing.arsip import render_and_store
from apok_ui.services import Actor
from apok_ui.services.common import audit_refusal
from apok_ui.services.keputusan import NomorBerubah
from apok_ui.services.terbit import complete
from models.waktu import now
from models.workflow import Aksi

T = TypeVar('T')
ATTEMPTS = 5  # renders at most this often when other completions keep taking the number first


async def approve(
    actor: Actor, *, pengurusan_id: int, version: int, keterangan: str = '', sandi: str | None = None
) -> Perubahan:
    """Approve; when this approval completes the application, render, sign and store its letter in the same step
    (the passphrase of a TTE personal is used for this one signature and forgotten)."""
    for _ in range(ATTEMPTS):
        at, token = now(), secrets.token_urlsafe(24)
        base_url = cetak.base_url()
        try:
            plan = await _maybe(
                queries_cetak.completion_plan, actor, pengurusan_id, version, base_url, sandi=sandi, at=at, token=token
            )
        except (services.Forbidden, services.NotFound) as error:
            # as every officer service: a refusal leaves an audit row and nothing else
            await run.io_bound(audit_refusal, actor, Aksi.SETUJUI.value, f'pengurusan:{pengurusan_id}', str(error))
            raise
        if plan is None:  # not the last stage (or stale: the plain approval refuses that the usual way)
            return await cetak._off_loop(
                services.approve, actor=actor, pengurusan_id=pengurusan_id, version=version, keterangan=keterangan
            )
        rencana, nomor = plan
        stored = await render_and_store(rencana)
        try:
            return await cetak._off_loop(
                complete,
                actor=actor,
                pengurusan_id=pengurusan_id,
                version=version,
                keterangan=keterangan,
                at=at,
                token=token,
                nomor=nomor,
                surat=stored,
            )
        except NomorBerubah:
            await run.io_bound(arsip.arsip().remove, stored.nama_simpan)
        except BaseException:
            await run.io_bound(arsip.arsip().remove, stored.nama_simpan)
            raise
    raise services.Invalid('Nomor surat sedang dipakai persetujuan lain; coba setujui lagi sebentar.')


async def _maybe(function: Callable[..., T | None], *args: object, **kwargs: object) -> T | None:
    """Return a blocking function's result (None included) from a thread; NiceGUI's own None means cancelled."""
    box = await run.io_bound(lambda: [function(*args, **kwargs)])
    if box is None:
        raise asyncio.CancelledError
    return box[0]
