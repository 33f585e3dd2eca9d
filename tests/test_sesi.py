"""Officer sessions in the database (SQLite and PostgreSQL): a login's code is claimed once, by its own browser, in
time; sessions end for a reason that is recorded once; a password change keeps only the session that made it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from apok_ui import db, services
from apok_ui.queries import sesi as queries_sesi
from apok_ui.services import Forbidden, NotFound
from apok_ui.services import sesi as sesi_service
from models import AuditLog, Peran, Sesi
from models.sesi import Akhir, Batas, Keadaan, device_label, ended_because
from models.waktu import now
from tests.conftest import PASSWORD

BATAS = Batas(diam=120 * 60, usia=12 * 3600)
ANDROID = 'Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari'


def _login(persona, browser: str = 'browser-1', **kwargs) -> sesi_service.Klaim:
    kode = sesi_service.open_sesi(
        petugas_id=persona.actor.petugas_id, sesi_versi=persona.actor.sesi_versi, peramban=browser, **kwargs
    )
    return sesi_service.claim_sesi(kode=kode, peramban=browser)


def _alive(token: str) -> bool:
    row = sesi_service.find_sesi(token)
    return row is not None and ended_because(row.keadaan, BATAS, now().timestamp()) is None


def _audit(aksi: str) -> list[AuditLog]:
    with db.get().read() as session:
        return list(session.exec(select(AuditLog).where(AuditLog.aksi == aksi)).all())


def test_a_login_code_is_claimed_once_and_only_by_the_browser_that_logged_in(people):
    admin = people.of(Peran.ADMIN)
    kode = sesi_service.open_sesi(petugas_id=admin.actor.petugas_id, sesi_versi=1, peramban='victim')
    with pytest.raises(NotFound):
        sesi_service.claim_sesi(kode=kode, peramban='attacker')
    klaim = sesi_service.claim_sesi(kode=kode, peramban='victim')
    assert _alive(klaim.token)
    with pytest.raises(NotFound):
        sesi_service.claim_sesi(kode=kode, peramban='victim')  # used once
    with db.get().read() as session:
        stored = session.get(Sesi, klaim.sesi_id)
    assert stored.token_hash == sesi_service.digest(klaim.token) and klaim.token not in str(stored.model_dump())


def test_a_login_code_older_than_a_minute_is_refused(people):
    admin = people.of(Peran.ADMIN)
    then = now() - timedelta(seconds=61)
    kode = sesi_service.open_sesi(petugas_id=admin.actor.petugas_id, sesi_versi=1, peramban='b', at=then)
    with pytest.raises(NotFound):
        sesi_service.claim_sesi(kode=kode, peramban='b')


def test_the_trusted_device_token_of_a_login_is_handed_over_once_and_then_forgotten(people):
    klaim = _login(people.of(Peran.ADMIN), perangkat_token='device-secret')
    assert klaim.perangkat == 'device-secret'
    with db.get().read() as session:
        assert session.get(Sesi, klaim.sesi_id).perangkat_token is None


def test_keluar_ends_the_session_once_and_writes_it_to_the_audit_log(people):
    admin = people.of(Peran.ADMIN)
    klaim = _login(admin, ip='10.0.0.7')
    sesi_service.end_sesi(actor=admin.actor, sesi_id=klaim.sesi_id, alasan=Akhir.KELUAR, ip='10.0.0.7')
    sesi_service.end_sesi(actor=admin.actor, sesi_id=klaim.sesi_id, alasan=Akhir.KELUAR)  # a second tab's Keluar
    row = sesi_service.find_sesi(klaim.token)
    assert row.keadaan.berakhir is Akhir.KELUAR
    assert [(a.petugas_id, a.ip) for a in _audit('logout')] == [(admin.actor.petugas_id, '10.0.0.7')]


def test_an_officer_ends_only_their_own_sessions_and_the_superadmin_ends_all_of_anyone(people):
    admin, kasi, superadmin = people.of(Peran.ADMIN), people.of(Peran.KASI), people.of(Peran.SUPERADMIN)
    first, second = _login(kasi, 'phone'), _login(kasi, 'tablet')
    with pytest.raises(Forbidden):
        sesi_service.end_sesi(actor=admin.actor, sesi_id=first.sesi_id, alasan=Akhir.DIAKHIRI)
    assert _alive(first.token)
    sesi_service.end_sesi(actor=kasi.actor, sesi_id=first.sesi_id, alasan=Akhir.DIAKHIRI)
    assert not _alive(first.token) and _alive(second.token)
    assert sesi_service.end_all_sesi(actor=superadmin.actor, petugas_id=kasi.actor.petugas_id) == 1
    assert sesi_service.find_sesi(second.token).keadaan.berakhir is Akhir.ADMIN
    with pytest.raises(Forbidden):
        sesi_service.end_all_sesi(actor=admin.actor, petugas_id=kasi.actor.petugas_id)
    assert {a.aksi for a in _audit('sesi_diakhiri')} == {'sesi_diakhiri'} and len(_audit('sesi_diakhiri')) == 2


def test_a_password_change_keeps_the_session_that_made_it_and_ends_the_others(people):
    admin = people.of(Peran.ADMIN)
    here, elsewhere = _login(admin, 'here'), _login(admin, 'elsewhere')
    services.change_password(
        actor=admin.actor, old_password=PASSWORD, new_password='rahasiaBaru2027', keep_sesi_id=here.sesi_id
    )
    assert _alive(here.token)
    row = sesi_service.find_sesi(elsewhere.token)
    assert ended_because(row.keadaan, BATAS, now().timestamp()) is Akhir.AKUN


def test_sesi_aktif_lists_the_open_sessions_with_their_device_and_not_the_ended_ones(people):
    kasi = people.of(Peran.KASI)
    phone = _login(kasi, 'phone', ip='10.1.1.1', perangkat=device_label(ANDROID))
    ended = _login(kasi, 'old')
    sesi_service.end_sesi(actor=kasi.actor, sesi_id=ended.sesi_id, alasan=Akhir.KELUAR)
    listed = queries_sesi.open_sessions(kasi.actor.petugas_id, BATAS)
    assert [(s.id, s.perangkat, s.ip) for s in listed] == [(phone.sesi_id, 'Chrome di Android', '10.1.1.1')]


def test_an_idle_end_noticed_by_two_processes_is_recorded_once(people):
    klaim = _login(people.of(Peran.ADMIN))
    assert sesi_service.expire_sesi(sesi_id=klaim.sesi_id, alasan=Akhir.DIAM)
    assert not sesi_service.expire_sesi(sesi_id=klaim.sesi_id, alasan=Akhir.DIAM)
    assert sesi_service.find_sesi(klaim.token).keadaan.berakhir is Akhir.DIAM
    assert len(_audit('sesi_berakhir')) == 1


# --- the rule itself (models/sesi.py) ------------------------------------------------------------------------------


def _keadaan(**changes) -> Keadaan:
    values = {
        'berakhir': None,
        'sesi_versi': 1,
        'petugas_versi': 1,
        'petugas_aktif': True,
        'dibuat': 0.0,
        'terakhir': 0.0,
    }
    return Keadaan(**{**values, **changes})


@pytest.mark.parametrize(
    ('keadaan', 'at', 'reason'),
    [
        (_keadaan(), 60, None),
        (_keadaan(berakhir=Akhir.KELUAR, petugas_aktif=False), 60, Akhir.KELUAR),
        (_keadaan(petugas_aktif=False, petugas_versi=2), 60, Akhir.NONAKTIF),
        (_keadaan(petugas_versi=2), 60, Akhir.AKUN),
        (_keadaan(terakhir=BATAS.usia), BATAS.usia + 1, Akhir.USIA),
        (_keadaan(), BATAS.diam + 1, Akhir.DIAM),
        (_keadaan(terakhir=100), BATAS.diam + 1, None),
    ],
)
def test_a_session_ends_for_the_first_reason_that_holds(keadaan, at, reason):
    assert ended_because(keadaan, BATAS, at) is reason


@pytest.mark.parametrize(
    ('agent', 'label'),
    [
        (ANDROID, 'Chrome di Android'),
        (
            'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Safari/604.1',
            'Safari di iPhone',
        ),
        (
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0',
            'Edge di Windows',
        ),
        ('', 'Peramban'),
    ],
)
def test_a_device_is_named_the_way_an_officer_recognises_it(agent, label):
    assert device_label(agent) == label
