"""The workflow table: every role × every state × every action, allowed and refused (SPEC §3)."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from models import workflow as wf
from models.workflow import Aksi, Peran, Posisi, Status, Tab

CHAIN = wf.DEFAULT_TAHAPAN
ROLES = [*Peran, None]  # None is the citizen


def positions() -> list[Posisi]:
    """Return every reachable position of an application with the default four stages."""
    chain = [Posisi(Status.DIAJUKAN, k, CHAIN) for k in range(4)] + [Posisi(Status.DIAJUKAN, 0, CHAIN, tersentuh=True)]
    return (
        chain
        + [Posisi(s, 0, CHAIN) for s in (Status.REVISI, Status.DITOLAK, Status.DIBATALKAN)]
        + [Posisi(Status.SELESAI, 3, CHAIN), Posisi(Status.DISERAHKAN, 3, CHAIN)]
    )


def expected_allowed(peran: Peran | None, aksi: Aksi, p: Posisi) -> bool:
    """Return SPEC §3 written out by hand, cell by cell, independent of the table under test."""
    waiting = {Status.DIAJUKAN: CHAIN[p.tahap], Status.REVISI: 'admin'}.get(p.status)
    if aksi in (Aksi.SETUJUI, Aksi.TOLAK):
        return peran is not None and peran.value == waiting
    if aksi is Aksi.REVISI:
        return peran is Peran.ADMIN and p.status is Status.REVISI
    if aksi is Aksi.PERBAIKI:
        return peran is None and p.status is Status.DITOLAK
    if aksi is Aksi.BATALKAN:
        return peran is None and p.status is Status.DIAJUKAN and p.tahap == 0 and not p.tersentuh
    if aksi is Aksi.CETAK:
        return peran is Peran.ADMIN and p.status in wf.TERBIT
    if aksi is Aksi.SERAHKAN:
        return peran is Peran.ADMIN and p.status is Status.SELESAI
    if aksi is Aksi.KOREKSI:  # a wrong hand-over undone (within KOREKSI_SERAHKAN, checked by koreksi_refusal)
        return peran is Peran.ADMIN and p.status is Status.DISERAHKAN
    return False


@pytest.mark.parametrize(
    ('peran', 'aksi', 'posisi'), list(itertools.product(ROLES, [a for a in Aksi if a is not Aksi.AJUKAN], positions()))
)
def test_every_role_state_and_action_is_allowed_exactly_as_the_spec_says(peran, aksi, posisi):
    assert wf.may_act(peran, aksi, posisi) == expected_allowed(peran, aksi, posisi)
    if not wf.may_act(peran, aksi, posisi):
        assert wf.refusal(peran, aksi, posisi)  # every refusal explains itself


def test_approvals_walk_the_chain_and_the_last_one_finishes():
    p = wf.start(CHAIN)
    for role in ('admin', 'kasi', 'sekcam', 'camat'):
        assert p.waiting_role == Peran(role)
        p = wf.next_posisi(Aksi.SETUJUI, p)
    assert p.status is Status.SELESAI and p.waiting_role is None


def test_only_the_camats_approval_completes_and_assigns_a_number():
    assert wf.completes(Aksi.SETUJUI, Posisi(Status.DIAJUKAN, 3, CHAIN))
    assert not wf.completes(Aksi.SETUJUI, Posisi(Status.DIAJUKAN, 2, CHAIN))


def test_admin_rejection_returns_to_the_citizen_and_later_rejection_to_the_admin():
    assert wf.next_posisi(Aksi.TOLAK, Posisi(Status.DIAJUKAN, 0, CHAIN)).status is Status.DITOLAK
    back = wf.next_posisi(Aksi.TOLAK, Posisi(Status.DIAJUKAN, 2, CHAIN))
    assert (back.status, back.tahap, back.waiting_role) == (Status.REVISI, 0, Peran.ADMIN)


def test_approving_a_revision_restarts_the_chain_at_stage_one():
    p = wf.next_posisi(Aksi.SETUJUI, Posisi(Status.REVISI, 0, CHAIN))
    assert (p.status, p.tahap, p.waiting_role) == (Status.DIAJUKAN, 1, Peran.KASI)


def test_perbaikan_returns_to_the_admin_and_hand_over_finishes():
    assert wf.next_posisi(Aksi.PERBAIKI, Posisi(Status.DITOLAK, 0, CHAIN)) == Posisi(Status.DIAJUKAN, 0, CHAIN)
    assert wf.next_posisi(Aksi.SERAHKAN, Posisi(Status.SELESAI, 3, CHAIN)).status is Status.DISERAHKAN


def test_a_corrected_hand_over_is_ready_again_and_only_within_the_set_time():
    assert wf.next_posisi(Aksi.KOREKSI, Posisi(Status.DISERAHKAN, 3, CHAIN)).status is Status.SELESAI
    handed = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert wf.koreksi_refusal(handed, handed + wf.KOREKSI_SERAHKAN) is None
    assert '24 jam' in wf.koreksi_refusal(handed, handed + wf.KOREKSI_SERAHKAN + timedelta(seconds=1))


def test_a_shorter_chain_completes_after_its_own_last_stage():
    short = ('admin', 'camat')
    p = wf.next_posisi(Aksi.SETUJUI, Posisi(Status.DIAJUKAN, 0, short))
    assert p.waiting_role is Peran.CAMAT
    assert wf.next_posisi(Aksi.SETUJUI, p).status is Status.SELESAI


@pytest.mark.parametrize('stages', [(), ('kasi', 'admin'), ('admin', 'admin'), ('admin', 'superadmin')])
def test_stages_must_start_with_admin_and_hold_distinct_verifiers(stages):
    with pytest.raises(ValueError):
        wf.validate_tahapan(stages)


@pytest.mark.parametrize(
    ('peran', 'posisi', 'tab'),
    [
        (Peran.ADMIN, Posisi(Status.DIAJUKAN, 0, CHAIN), Tab.DATA_BARU),
        (Peran.ADMIN, Posisi(Status.REVISI, 0, CHAIN), Tab.DATA_BARU),
        (Peran.ADMIN, Posisi(Status.DIAJUKAN, 1, CHAIN), Tab.IN_PROGRESS),
        (Peran.KASI, Posisi(Status.DIAJUKAN, 1, CHAIN), Tab.DATA_BARU),
        (Peran.KASI, Posisi(Status.DIAJUKAN, 0, CHAIN), Tab.IN_PROGRESS),
        (Peran.CAMAT, Posisi(Status.REVISI, 0, CHAIN), Tab.IN_PROGRESS),
        (Peran.CAMAT, Posisi(Status.SELESAI, 3, CHAIN), Tab.DATA_SELESAI),
        (Peran.SEKCAM, Posisi(Status.DISERAHKAN, 3, CHAIN), Tab.DATA_SELESAI),
        (Peran.ADMIN, Posisi(Status.DITOLAK, 0, CHAIN), Tab.DITOLAK),
        (Peran.ADMIN, Posisi(Status.DIBATALKAN, 0, CHAIN), None),
    ],
)
def test_each_application_sits_in_exactly_one_tab_per_role(peran, posisi, tab):
    assert wf.tab_for(peran, posisi) == tab


def test_actions_offered_are_those_allowed():
    assert wf.actions_for(Peran.ADMIN, Posisi(Status.REVISI, 0, CHAIN)) == (Aksi.SETUJUI, Aksi.TOLAK, Aksi.REVISI)
    assert wf.actions_for(Peran.ADMIN, Posisi(Status.SELESAI, 3, CHAIN)) == (Aksi.CETAK, Aksi.SERAHKAN)
    assert wf.actions_for(None, Posisi(Status.DIAJUKAN, 0, CHAIN)) == (Aksi.BATALKAN,)
    assert wf.actions_for(Peran.SUPERADMIN, Posisi(Status.DIAJUKAN, 0, CHAIN)) == ()
