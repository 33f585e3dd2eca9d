"""Login throttling in the database: failed logins counted per source, trusted devices, unlocking.

The rules and their numbers live in apok_ui.security; this module reads and writes the rows they count
(models.LoginGagal, models.PerangkatTepercaya), so the limits hold across restarts and across processes.
Every function takes the caller's session: the check, the attempt and its audit row share one transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlmodel import Session

from apok_ui import security
from apok_ui.security import Gagal
from models.tables import LoginGagal, PerangkatTepercaya
from models.waktu import as_utc

DEVICE_TRUST = timedelta(seconds=security.DEVICE_COOKIE_MAX_AGE)


@dataclass(frozen=True)
class Sumber:
    """Where a login attempt comes from: the NIP it names, its address, and its device if trusted for that NIP."""

    nip_kunci: str
    alamat_kunci: str
    perangkat_kunci: str | None  # set only when this device logged in as this officer before


def source_of(session: Session, *, nip: str, ip: str, perangkat: str, petugas_id: int | None, at: datetime) -> Sumber:
    """Return the attempt's source; the device counts as trusted only if it logged in as this officer before."""
    token = security.device_token_or_none(perangkat)
    device = security.throttle_key('perangkat', token) if token else None
    trusted = False
    if device is not None:  # asked for unknown NIPs too (petugas_id -1), so both take the same path
        trusted = (
            session.execute(
                select(PerangkatTepercaya.id).where(
                    PerangkatTepercaya.token_hash == device,
                    PerangkatTepercaya.petugas_id == (petugas_id or -1),
                    PerangkatTepercaya.terakhir_at > at - DEVICE_TRUST,
                )
            ).first()
            is not None
        )
    return Sumber(
        security.throttle_key('nip', nip),
        security.throttle_key('alamat', security.source_address(ip)),
        device if trusted else None,
    )


def refusal(session: Session, sumber: Sumber, at: datetime) -> str | None:
    """Return why this source may not try now (Indonesian), or None; it never depends on whether the NIP exists."""
    since = at - security.FAILURE_WINDOW
    nip = LoginGagal.nip_kunci == sumber.nip_kunci
    if sumber.perangkat_kunci is not None:  # a trusted device answers only for its own failures
        own = _count(session, since, nip, LoginGagal.perangkat_kunci == sumber.perangkat_kunci)
        wait = security.wait_before_next(own, at)
        return security.throttle_message(wait, trusted=True) if wait else None
    untrusted = LoginGagal.perangkat_kunci.is_(None)
    address = LoginGagal.alamat_kunci == sumber.alamat_kunci
    waits = [
        security.wait_before_next(_count(session, since, nip, address, untrusted), at),
        security.blocked_for(
            _count(session, since, nip, untrusted),
            at,
            after=security.NIP_BLOCK_AFTER_FAILURES,
            duration=security.BLOCK_DURATION,
        ),
        security.blocked_for(
            _count(session, since, address, untrusted, distinct_nips=True),
            at,
            after=security.SPRAY_DISTINCT_NIPS,
            duration=security.SPRAY_BLOCK_DURATION,
        ),
    ]
    wait = max((w for w in waits if w is not None), default=None)
    return security.throttle_message(wait, trusted=False) if wait else None


def record_attempt(session: Session, sumber: Sumber, at: datetime) -> LoginGagal:
    """Count the attempt as failed before its password is checked, so concurrent attempts see each other."""
    row = LoginGagal(
        waktu=at, nip_kunci=sumber.nip_kunci, alamat_kunci=sumber.alamat_kunci, perangkat_kunci=sumber.perangkat_kunci
    )
    session.add(row)
    session.flush()
    return row


def forget_source(session: Session, sumber: Sumber) -> None:
    """Forget the failures of this source for this NIP after a successful login (its own attempt included)."""
    same = (
        [LoginGagal.perangkat_kunci == sumber.perangkat_kunci]
        if sumber.perangkat_kunci is not None
        else [LoginGagal.alamat_kunci == sumber.alamat_kunci, LoginGagal.perangkat_kunci.is_(None)]
    )
    session.execute(delete(LoginGagal).where(LoginGagal.nip_kunci == sumber.nip_kunci, *same))


def trust_device(session: Session, *, petugas_id: int, perangkat: str, at: datetime) -> str:
    """Trust this browser for the officer and return its new device token.

    The token is renewed at every login: the old one (and the trust it carried, e.g. for colleagues on a shared
    office computer) moves to the new one, so a copied or planted cookie stops working at the owner's next login.
    """
    token = secrets.token_urlsafe(security.DEVICE_TOKEN_BYTES)
    new = security.throttle_key('perangkat', token)
    old = security.device_token_or_none(perangkat)
    if old is not None:
        session.execute(
            update(PerangkatTepercaya)
            .where(PerangkatTepercaya.token_hash == security.throttle_key('perangkat', old))
            .values(token_hash=new)
        )
    row = session.execute(
        select(PerangkatTepercaya).where(
            PerangkatTepercaya.token_hash == new, PerangkatTepercaya.petugas_id == petugas_id
        )
    ).scalar_one_or_none()
    if row is None:
        session.add(PerangkatTepercaya(token_hash=new, petugas_id=petugas_id, dibuat_at=at, terakhir_at=at))
    else:
        row.terakhir_at = at
    return token


def prune(session: Session, at: datetime) -> None:
    """Delete failures older than every window and devices not seen for longer than their trust lasts."""
    session.execute(delete(LoginGagal).where(LoginGagal.waktu < at - security.FAILURE_RETENTION))
    session.execute(delete(PerangkatTepercaya).where(PerangkatTepercaya.terakhir_at < at - DEVICE_TRUST))


def clear(session: Session, *, nip: str | None = None, ip: str | None = None) -> int:
    """Forget every failure counted against a NIP (from any address or device) and/or an address; return how many."""
    conditions = []
    if nip is not None:
        conditions.append(LoginGagal.nip_kunci == security.throttle_key('nip', nip))
    if ip is not None:
        conditions.append(LoginGagal.alamat_kunci == security.throttle_key('alamat', security.source_address(ip)))
    if not conditions:
        return 0
    return session.execute(delete(LoginGagal).where(or_(*conditions))).rowcount or 0


def blocked_nips(session: Session, nips: list[str], at: datetime) -> set[str]:
    """Return which of these NIPs some source is blocked for now (a block, not the short slowdown)."""
    keys = {security.throttle_key('nip', nip): nip for nip in nips}
    if not keys:
        return set()
    rows = session.execute(
        select(
            LoginGagal.nip_kunci,
            LoginGagal.alamat_kunci,
            LoginGagal.perangkat_kunci,
            func.count(),
            func.max(LoginGagal.waktu),
        )
        .where(LoginGagal.nip_kunci.in_(keys), LoginGagal.waktu >= at - security.FAILURE_WINDOW)
        .group_by(LoginGagal.nip_kunci, LoginGagal.alamat_kunci, LoginGagal.perangkat_kunci)
    ).all()
    sources: dict[tuple[str, str], Gagal] = {}  # (nip, address or device) -> its failures
    per_nip: dict[str, Gagal] = {}  # nip -> its untrusted failures from every address
    for nip_kunci, alamat, perangkat, jumlah, terakhir in rows:
        terakhir = as_utc(terakhir)
        source = (nip_kunci, perangkat or f'alamat:{alamat}')
        sources[source] = _add(sources.get(source), jumlah, terakhir)
        if perangkat is None:
            per_nip[nip_kunci] = _add(per_nip.get(nip_kunci), jumlah, terakhir)
    blocked = {
        nip
        for (nip, _), gagal in sources.items()
        if gagal.jumlah >= security.BLOCK_AFTER_FAILURES and security.wait_before_next(gagal, at)
    }
    blocked |= {
        nip
        for nip, gagal in per_nip.items()
        if security.blocked_for(gagal, at, after=security.NIP_BLOCK_AFTER_FAILURES, duration=security.BLOCK_DURATION)
    }
    return {keys[k] for k in blocked}


def _count(session: Session, since: datetime, *conditions: ColumnElement[bool], distinct_nips: bool = False) -> Gagal:
    counted = func.count(LoginGagal.nip_kunci.distinct()) if distinct_nips else func.count()
    jumlah, terakhir = session.execute(
        select(counted, func.max(LoginGagal.waktu)).where(LoginGagal.waktu >= since, *conditions)
    ).one()
    return Gagal(int(jumlah), as_utc(terakhir) if terakhir is not None else None)


def _add(gagal: Gagal | None, jumlah: int, terakhir: datetime) -> Gagal:
    if gagal is None:
        return Gagal(jumlah, terakhir)
    return Gagal(gagal.jumlah + jumlah, max(gagal.terakhir, terakhir))
