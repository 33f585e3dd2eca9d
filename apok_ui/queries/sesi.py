"""Reads of officer sessions: the open sessions an officer (or the superadmin) sees in Sesi aktif."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from apok_ui import db
from apok_ui.services.sesi import row_of
from models import Petugas, Sesi
from models.sesi import Batas, ended_because
from models.waktu import as_utc

MAX_LISTED = 50


@dataclass(frozen=True)
class SesiInfo:
    """One open session as Sesi aktif lists it."""

    id: int
    perangkat: str
    ip: str
    dibuat_at: datetime
    terakhir_at: datetime


def open_sessions(petugas_id: int, batas: Batas) -> list[SesiInfo]:
    """Return an officer's sessions that are still alive, the most recently active first."""
    with db.get().read() as session:
        found = session.exec(
            select(Sesi, Petugas)
            .join(Petugas)
            .where(Sesi.petugas_id == petugas_id, col(Sesi.berakhir_at).is_(None), col(Sesi.token_hash).is_not(None))
            .order_by(col(Sesi.terakhir_at).desc())
            .limit(MAX_LISTED)
        ).all()
    at = time.time()
    return [
        SesiInfo(sesi.id, sesi.perangkat or 'Peramban', sesi.ip, as_utc(sesi.dibuat_at), as_utc(sesi.terakhir_at))
        for sesi, petugas in found
        if ended_because(row_of(sesi, petugas).keadaan, batas, at) is None
    ]
