"""The authorization matrix (SPEC §1, §3, §8): every role × every action × every state × own / other kecamatan.

Exactly the SPEC's allowed cells succeed; every other cell is refused with a clear message and leaves no trace but
one audit row. The expected cells are written out by hand here, independent of models/akses.py and workflow.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from nicegui.testing import User
from sqlmodel import SQLModel, func, select

from apok_ui import db, services
from apok_ui.services import Actor, Forbidden, ServiceError
from apok_ui.services import administrasi as admin
from apok_ui.services.audit import record_view
from models import AuditLog, Kecamatan, Kelurahan, Layanan, Pengurusan, Peran, Petugas, Riwayat, Status
from models import workflow as wf
from models.akses import BUKAN_KECAMATAN_ANDA, HANYA_SUPERADMIN, SUPERADMIN_TIDAK_MEMPROSES, Kelola
from models.tables import LayananKecamatan, LoginGagal
from models.workflow import DEFAULT_TAHAPAN, Aksi
from tests.conftest import KEC_A, KEC_B, PASSWORD, kecamatan_id, submit
from tests.waiting import seen, unseen, until

LIHAT = 'lihat data'
ACTIONS = (Aksi.SETUJUI, Aksi.TOLAK, Aksi.REVISI, Aksi.CETAK, Aksi.SERAHKAN, LIHAT)
WORKFLOW_REFUSALS = ('Pengurusan berstatus', 'Pengurusan ini tidak sedang menunggu tindakan Anda.')


def load(pengurusan_id: int) -> Pengurusan:
    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id)


def approve(people, peran: Peran, pid: int) -> None:
    services.approve(actor=people.of(peran).actor, pengurusan_id=pid, version=load(pid).version)


def at_stage(stage: int) -> Callable:
    def build(people) -> int:
        pid = submit().pengurusan_id
        for peran in DEFAULT_TAHAPAN[:stage]:
            approve(people, Peran(peran), pid)
        return pid

    return build


def revisi(people) -> int:
    pid = at_stage(1)(people)
    services.reject(actor=people.of(Peran.KASI).actor, pengurusan_id=pid, version=load(pid).version, keterangan='RT')
    return pid


def ditolak(people) -> int:
    pid = submit().pengurusan_id
    services.reject(actor=people.of(Peran.ADMIN).actor, pengurusan_id=pid, version=1, keterangan='KTP buram')
    return pid


def dibatalkan(_people) -> int:
    registered = submit()
    services.cancel(nomor_pendaftaran=registered.nomor_pendaftaran, nik=load(registered.pengurusan_id).nik)
    return registered.pengurusan_id


def diserahkan(people) -> int:
    pid = at_stage(4)(people)
    services.hand_over(
        actor=people.of(Peran.ADMIN).actor, pengurusan_id=pid, version=load(pid).version, penerima_nama='Budi Santoso'
    )
    return pid


STATES: dict[str, Callable] = {
    'diajukan, menunggu Admin': at_stage(0),
    'diajukan, menunggu Kasi': at_stage(1),
    'diajukan, menunggu Sekcam': at_stage(2),
    'diajukan, menunggu Camat': at_stage(3),
    'revisi': revisi,
    'ditolak': ditolak,
    'dibatalkan': dibatalkan,
    'selesai': at_stage(4),
    'diserahkan': diserahkan,
}


def spec_allows(peran: Peran, own: bool, aksi: Aksi | str, p: Pengurusan) -> bool:
    """Return SPEC §1 and §3 written out by hand: who may do what to an application of which kecamatan."""
    if peran is Peran.SUPERADMIN or not own:
        return False  # the administrator never verifies; officers see only their own kecamatan
    if aksi == LIHAT:
        return True
    status = Status(p.status)
    waiting = {Status.DIAJUKAN: DEFAULT_TAHAPAN[p.tahap], Status.REVISI: 'admin'}.get(status)
    if aksi in (Aksi.SETUJUI, Aksi.TOLAK):
        return peran.value == waiting
    if aksi is Aksi.REVISI:
        return peran is Peran.ADMIN and status is Status.REVISI
    if aksi is Aksi.CETAK:
        return peran is Peran.ADMIN and status in wf.TERBIT
    return peran is Peran.ADMIN and status is Status.SELESAI  # SERAHKAN


def act(aksi: Aksi | str, actor: Actor, pid: int) -> None:
    version = load(pid).version
    if aksi == LIHAT:
        record_view(actor, pid, ip='10.0.0.1')
    elif aksi is Aksi.SETUJUI:
        services.approve(actor=actor, pengurusan_id=pid, version=version)
    elif aksi is Aksi.TOLAK:
        services.reject(actor=actor, pengurusan_id=pid, version=version, keterangan='Berkas kurang jelas')
    elif aksi is Aksi.REVISI:
        services.revise(actor=actor, pengurusan_id=pid, version=version, changes={'rt': '9'}, keterangan='RT sesuai KK')
    elif aksi is Aksi.CETAK:
        services.record_print(actor=actor, pengurusan_id=pid)
    else:
        services.hand_over(actor=actor, pengurusan_id=pid, version=version, penerima_nama='Budi Santoso')


def trace(pid: int) -> tuple:
    """Return everything an action on an application could change: the row, its Riwayat, the audit log."""
    with db.get().read() as session:
        row = session.get(Pengurusan, pid).model_dump()
        steps = session.exec(select(func.count()).select_from(Riwayat).where(Riwayat.pengurusan_id == pid)).one()
        last_audit = session.exec(select(func.max(AuditLog.id))).one() or 0
    return row, steps, last_audit


def new_audit_rows(after_id: int) -> list[AuditLog]:
    with db.get().read() as session:
        return session.exec(select(AuditLog).where(AuditLog.id > after_id)).all()


def persona(people, peran: Peran, own: bool):
    return people.of(peran, KEC_A if own else KEC_B)


@pytest.mark.parametrize('state', STATES)
def test_every_role_may_act_on_an_application_exactly_as_the_spec_says(people, state):
    shared = STATES[state](people)  # of Batam Kota: "own" for Batam Kota's officers, "other" for Sekupang's
    wrong: list[str] = []
    for peran, own, aksi in itertools.product(Peran, (True, False), ACTIONS):
        who = persona(people, peran, own)
        allowed = spec_allows(peran, own, aksi, load(shared))
        pid = STATES[state](people) if allowed and aksi != LIHAT else shared
        before, steps, last_audit = trace(pid)
        cell = f'{peran.value} ({"own" if own else "other"} kecamatan) {aksi} on {state}'
        try:
            act(aksi, who.actor, pid)
        except ServiceError as error:
            if allowed:
                wrong.append(f'{cell}: refused ({error})')
                continue
            wrong += refusal_problems(cell, error, pid, before, steps, last_audit, who.actor)
            continue
        if not allowed:
            wrong.append(f'{cell}: allowed, but the SPEC refuses it')
        elif aksi == LIHAT and [r.aksi for r in new_audit_rows(last_audit)] != ['lihat_data']:
            wrong.append(f'{cell}: the view of personal data was not audited')
        elif aksi != LIHAT and trace(pid)[1] != steps + 1:
            wrong.append(f'{cell}: no Riwayat row')
    assert wrong == []


def refusal_problems(cell: str, error: ServiceError, pid: int, before, steps, last_audit, actor: Actor) -> list[str]:
    """Return what is wrong with a refusal: its kind, its message, and any trace besides one audit row."""
    problems = []
    message = str(error)
    if not isinstance(error, Forbidden):
        problems.append(f'{cell}: refused as {type(error).__name__}, not Forbidden')
    clear = message in (BUKAN_KECAMATAN_ANDA, SUPERADMIN_TIDAK_MEMPROSES) or message.startswith(WORKFLOW_REFUSALS)
    if not clear:
        problems.append(f'{cell}: unclear message {message!r}')
    after, steps_after, _ = trace(pid)
    if (after, steps_after) != (before, steps):
        problems.append(f'{cell}: the application or its Riwayat changed')
    rows = new_audit_rows(last_audit)
    if [(r.aksi, r.petugas_id, r.objek) for r in rows] != [('akses_ditolak', actor.petugas_id, f'pengurusan:{pid}')]:
        problems.append(f'{cell}: expected one akses_ditolak audit row, got {[r.aksi for r in rows]}')
    return problems


# --- administration: only the superadmin, for every kecamatan -------------------------------------------------------

NIPS = iter(f'1990010120150310{n:02d}' for n in range(10, 99))


def target(people, peran: Peran, own_kecamatan: str) -> int:
    return people.of(peran, own_kecamatan).actor.petugas_id


def sktm_id() -> int:
    with db.get().read() as session:
        return session.exec(select(Layanan.id).where(Layanan.kode == 'SKTM')).one()


ADMIN_ACTIONS: dict[str, Callable] = {
    'add an officer': lambda people, actor, kec: admin.add_petugas(
        actor=actor,
        data=admin.DataPetugas(nip=next(NIPS), nama='Dewi Lestari', peran='admin', kecamatan_id=kecamatan_id(kec)),
    ),
    'edit an officer': lambda people, actor, kec: admin.update_petugas(
        actor=actor,
        petugas_id=target(people, Peran.ADMIN, kec),
        data=admin.DataPetugas(
            nip=people.of(Peran.ADMIN, kec).nip, nama='Nama Diubah', peran='admin', kecamatan_id=kecamatan_id(kec)
        ),
    ),
    'reset a password': lambda people, actor, kec: admin.reset_password(
        actor=actor, petugas_id=target(people, Peran.KASI, kec)
    ),
    "unblock an officer's login": lambda people, actor, kec: admin.unlock_login(
        actor=actor, petugas_id=target(people, Peran.KASI, kec)
    ),
    'deactivate an officer': lambda people, actor, kec: admin.deactivate_petugas(
        actor=actor, petugas_id=target(people, Peran.SEKCAM, kec)
    ),
    'activate an officer': lambda people, actor, kec: admin.activate_petugas(
        actor=actor, petugas_id=target(people, Peran.SEKCAM, kec)
    ),
    'edit a layanan': lambda people, actor, kec: admin.save_layanan(
        actor=actor, layanan_id=sktm_id(), data=sktm_data(sla=5 if kec == KEC_A else 6)
    ),
    'close a layanan in a kecamatan': lambda people, actor, kec: admin.set_layanan_kecamatan(
        actor=actor, layanan_id=sktm_id(), kecamatan_id=kecamatan_id(kec), aktif=False
    ),
    'edit a kecamatan': lambda people, actor, kec: admin.update_kecamatan(
        actor=actor, kecamatan_id=kecamatan_id(kec), nama=kec, kode=kode_of(kec), alamat=f'Kantor Camat {kec} Baru'
    ),
    'add a kelurahan': lambda people, actor, kec: admin.save_kelurahan(
        actor=actor, kecamatan_id=kecamatan_id(kec), nama=f'Kelurahan Baru {kec}'
    ),
    'add a kecamatan': lambda people, actor, kec: admin.add_kecamatan(
        actor=actor, nama=f'Kecamatan Baru {kec}', kode='NBA' if kec == KEC_A else 'NBB', alamat='Jl. Baru'
    ),
    'read the audit log': lambda people, actor, kec: admin.authorize(actor=actor, kelola=Kelola.AUDIT),
    'export the audit log': lambda people, actor, kec: admin.authorize(
        actor=actor, kelola=Kelola.AUDIT, catat='audit_ekspor', objek=f'audit:{kec}'
    ),
}
READS = {'read the audit log'}  # reading leaves no row; every change and every export does
ADMIN_TABLES = (Petugas, Layanan, LayananKecamatan, Kecamatan, Kelurahan, LoginGagal)


def sktm_data(sla: int):
    from apok_ui.queries.admin import layanan_data

    data = layanan_data(sktm_id())
    data.sla_hari_kerja = sla
    return data


def kode_of(nama: str) -> str:
    with db.get().read() as session:
        return session.exec(select(Kecamatan.kode).where(Kecamatan.nama == nama)).one()


def administered_data() -> list:
    """Return every row the administration may change (officers, layanan, kecamatan, kelurahan)."""
    with db.get().read() as session:
        return [row.model_dump() for table in ADMIN_TABLES for row in session.exec(select(table)).all()]


def last_audit_id() -> int:
    with db.get().read() as session:
        return session.exec(select(func.max(AuditLog.id))).one() or 0


@pytest.mark.parametrize('peran', list(Peran))
def test_only_the_superadmin_administers_and_for_every_kecamatan(people, peran):
    wrong: list[str] = []
    for (name, call), own in itertools.product(ADMIN_ACTIONS.items(), (True, False)):
        who = persona(people, peran, own)
        kecamatan = who.kecamatan or (KEC_A if own else KEC_B)  # the superadmin's "own" is simply Batam Kota
        cell = f'{peran.value} may {name} of {"own" if own else "other"} kecamatan'
        before, audit_before = administered_data(), last_audit_id()
        try:
            call(people, who.actor, kecamatan)
        except ServiceError as error:
            if peran is Peran.SUPERADMIN:
                wrong.append(f'{cell}: refused ({error})')
            elif str(error) != HANYA_SUPERADMIN or not isinstance(error, Forbidden):
                wrong.append(f'{cell}: refused with {type(error).__name__} {error}')
            elif administered_data() != before:
                wrong.append(f'{cell}: data changed although refused')
            elif [(r.aksi, r.petugas_id) for r in new_audit_rows(audit_before)] != [
                ('akses_ditolak', who.actor.petugas_id)
            ]:
                wrong.append(f'{cell}: expected exactly one akses_ditolak audit row')
            continue
        if peran is not Peran.SUPERADMIN:
            wrong.append(f'{cell}: allowed, but only the superadmin administers')
        elif name not in READS and not [
            r for r in new_audit_rows(audit_before) if r.petugas_id == who.actor.petugas_id
        ]:
            wrong.append(f'{cell}: not audited')
    assert wrong == []


def test_every_table_the_administration_changes_is_checked_for_traces():
    administered = {t.__tablename__ for t in ADMIN_TABLES}
    workflow = {'pengurusan', 'riwayat', 'berkas', 'penomoran', 'auditlog'}
    login = {'perangkattepercaya', 'sesi'}  # written by logins and their ends (services.login_throttle, services.sesi)
    after_commit = {'outbox', 'outboxposition'}  # every service's change records and their readers (apok_ui.outbox)
    # Messages are queued after the commit by the notifier; the superadmin resends, cancels and writes their texts
    # (who may: tests/test_notifikasi_kirim_halaman.py and tests/test_kabar_layar.py).
    notifications = {'pesan', 'templatpesan'}
    # The stored letters, the certificates, the city's settings and the Camat's delegations: the final approval and
    # the Surat Digital page write them (who may: tests/test_surat_digital.py).
    digital_letter = {'surat', 'sertifikat', 'pengaturan', 'delegasi'}
    tables = administered | workflow | login | after_commit | notifications | digital_letter
    assert {t.name for t in SQLModel.metadata.sorted_tables} == tables


# --- the same matrix through the pages: Lihat Data offers exactly the allowed actions, and they work ----------------

PAGE_ACTIONS = {
    Aksi.SETUJUI: 'disetujui',
    Aksi.TOLAK: 'ditolak',
    Aksi.REVISI: 'revisi-data',
    Aksi.CETAK: 'cetak',
    Aksi.SERAHKAN: 'serahkan',
}
DECISIONS = (Aksi.SETUJUI, Aksi.TOLAK)  # clicked through to the end; the others are checked as offered or not


async def login_as(user: User, nip: str, name: str) -> None:
    await user.open('/login')
    user.find('Username').type(nip)
    user.find('Password').type(PASSWORD)
    user.find('Masuk').click()
    await seen(user, name)  # bcrypt takes a third of a second


def offered(user: User) -> set[Aksi]:
    """Return the actions the open Lihat Data dialog offers."""
    found = set()
    with user.scope(marker='lihat-data'):
        for aksi, marker in PAGE_ACTIONS.items():
            try:
                user.find(marker=marker)
            except AssertionError:
                continue
            found.add(aksi)
    return found


async def decide_on_page(user: User, aksi: Aksi, pid: int) -> None:
    """Take a decision as the officer does: Keterangan, the button, then the confirmation."""
    version = load(pid).version
    if aksi is Aksi.TOLAK:
        user.find(marker='keterangan').type('Berkas kurang jelas')
    user.find(marker=PAGE_ACTIONS[aksi]).click()
    await seen(user, marker='ya')
    user.find(marker='ya').click()
    # the service runs in a worker thread: wait until its commit is visible
    await until(lambda: load(pid).version > version, failure=f'{aksi} on pengurusan {pid} was never committed')


@pytest.mark.parametrize(('peran', 'own'), [(p, o) for p in Peran if p is not Peran.SUPERADMIN for o in (True, False)])
async def test_lihat_data_offers_exactly_the_allowed_actions_and_they_work(user: User, app_people, peran, own):
    who = persona(app_people, peran, own)
    apps = {state: build(app_people) for state, build in STATES.items()}
    await login_as(user, who.nip, f'Petugas {peran.value.title()} {"A" if own else "B"}')
    wrong: list[str] = []
    for state, pid in apps.items():
        allowed = {a for a in PAGE_ACTIONS if spec_allows(peran, own, a, load(pid))}
        cell = f'{peran.value} ({"own" if own else "other"} kecamatan) on {state}'
        audit_before = last_audit_id()
        await user.open(f'/admin?lihat={pid}')
        if not own:
            await seen(user, BUKAN_KECAMATAN_ANDA)
            rows = [(r.aksi, r.petugas_id) for r in new_audit_rows(audit_before)]
            if rows != [('akses_ditolak', who.actor.petugas_id)] or user_sees(user, 'lihat-data'):
                wrong.append(f'{cell}: Lihat Data was not refused with one audit row')
            continue
        await seen(user, marker='lihat-data')
        if offered(user) != allowed:
            wrong.append(f'{cell}: offers {sorted(offered(user))}, the SPEC allows {sorted(allowed)}')
        for aksi in allowed & set(DECISIONS):
            fresh = STATES[state](app_people)
            steps = trace(fresh)[1]
            await user.open(f'/admin?lihat={fresh}')
            await seen(user, marker='lihat-data')
            await decide_on_page(user, aksi, fresh)
            if trace(fresh)[1] != steps + 1:
                wrong.append(f'{cell}: {aksi} through the page did not go through')
    assert wrong == []


async def test_the_superadmin_never_sees_an_application(user: User, app_people):
    pid = submit().pengurusan_id
    await login_as(user, app_people.of(Peran.SUPERADMIN).nip, 'Petugas Superadmin A')
    await user.open(f'/admin?lihat={pid}')
    await seen(user, 'Administrasi Sistem')
    await unseen(user, 'Budi Santoso')
    assert load(pid).version == 1


def user_sees(user: User, marker: str) -> bool:
    try:
        user.find(marker=marker)
    except AssertionError:
        return False
    return True
