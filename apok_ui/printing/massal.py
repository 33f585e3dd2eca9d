"""Setujui beberapa, run: each application of a checked batch (apok_ui/services/massal.py) goes through the same
approval as one approved in Lihat Data (apok_ui/printing/terbit.py: a completing one issues its signed letter), in
its own transaction; one that someone else moved meanwhile, or that is refused, is reported while the others go on.
A signature that cannot be made (a wrong TTE passphrase, no certificate, an expired one) is not about one application:
it would refuse every letter of the batch, so the first such refusal stops the batch and is raised to the officer.
"""

from __future__ import annotations

from collections.abc import Sequence

from nicegui import run

from apok_ui.printing import terbit
from apok_ui.services import Actor, Invalid, ServiceError
from apok_ui.services.massal import HasilMassal, check_batch

SIGNATURE_FIELDS = frozenset({'sandi', 'segel'})


class TandaTanganDitolak(Invalid):
    """The batch stopped at a signature that cannot be made; `disetujui` are the ones approved before it."""

    def __init__(self, message: str, errors: dict[str, str], disetujui: tuple[int, ...]) -> None:
        super().__init__(message, errors)
        self.disetujui = disetujui


async def approve_many(
    actor: Actor, pilihan: Sequence[tuple[int, int]], *, keterangan: str = '', sandi: str | None = None
) -> HasilMassal:
    """Approve the chosen applications (id, version seen) with one Keterangan; refuse the whole batch when the
    officer, its size or the Keterangan do not fit (services.massal.check_batch raises before any approval), and stop
    it at a signature that cannot be made (Invalid naming 'sandi' or 'segel': the applications after it would be
    refused the same way; those before it stay approved and are reported with the refusal)."""
    batch = await run.io_bound(check_batch, actor=actor, pilihan=pilihan, keterangan=keterangan)
    disetujui, gagal = [], {}
    for pengurusan_id, version in batch.pilihan.items():
        try:
            await terbit.approve(
                actor, pengurusan_id=pengurusan_id, version=version, keterangan=batch.keterangan, sandi=sandi
            )
        except Invalid as error:
            if SIGNATURE_FIELDS & error.errors.keys():
                raise TandaTanganDitolak(str(error), error.errors, tuple(disetujui)) from None
            gagal[pengurusan_id] = str(error)
        except ServiceError as error:
            gagal[pengurusan_id] = str(error)
        else:
            disetujui.append(pengurusan_id)
    return HasilMassal(tuple(disetujui), gagal)
