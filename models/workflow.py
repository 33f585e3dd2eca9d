"""The verification workflow of SPEC §3 as one pure table: who may do what, in which state, and what follows.

Every screen and every service asks this module; nothing else decides a transition. No I/O here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from models.label import LabelledEnum
from models.waktu import is_overdue


class Peran(LabelledEnum):
    """An officer's role, labelled with its name as officers say it."""

    ADMIN = 'admin', 'Admin Kecamatan'
    KASI = 'kasi', 'Kasi Kecamatan'
    SEKCAM = 'sekcam', 'Sekretaris Camat'
    CAMAT = 'camat', 'Camat'
    SUPERADMIN = 'superadmin', 'Administrator Sistem'


# Every role that may be a stage of a chain, and the chain a new layanan gets: two lists that happen to agree today.
# A new verifier role joins the first only; the seeded chains stay as written here.
VERIFIER_ROLES = (Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT)
DEFAULT_TAHAPAN = ('admin', 'kasi', 'sekcam', 'camat')


class Status(LabelledEnum):
    """The state of a Pengurusan, labelled as shown to people."""

    DIAJUKAN = 'diajukan', 'Diproses'
    REVISI = 'revisi', 'Revisi'
    DITOLAK = 'ditolak', 'Ditolak'
    SELESAI = 'selesai', 'Selesai'
    DISERAHKAN = 'diserahkan', 'Diserahkan'
    DIBATALKAN = 'dibatalkan', 'Dibatalkan'


IN_CHAIN = frozenset({Status.DIAJUKAN, Status.REVISI})  # still being verified: some role's turn
TERBIT = frozenset({Status.SELESAI, Status.DISERAHKAN})  # the letter exists: finished, handed over or not yet


class Aksi(StrEnum):
    """An action on a Pengurusan, named as its Riwayat row records it."""

    AJUKAN = 'diajukan'
    SETUJUI = 'disetujui'
    TOLAK = 'ditolak'
    REVISI = 'direvisi'
    PERBAIKI = 'diperbaiki'
    CETAK = 'dicetak'
    SERAHKAN = 'diserahkan'
    BATALKAN = 'dibatalkan'
    KOREKSI = 'dikoreksi'  # a wrong hand-over undone by the Admin (KOREKSI_SERAHKAN): the letter is ready again


class Pelaku(StrEnum):
    """Who performs an action: the role of the current stage, the Admin, or the citizen."""

    TAHAP = 'tahap'
    ADMIN = 'admin'
    PEMOHON = 'pemohon'


@dataclass(frozen=True)
class Posisi:
    """Where an application stands: its status, its stage index and the stages it started with."""

    status: Status
    tahap: int
    tahapan: tuple[str, ...]
    tersentuh: bool = False  # an officer has acted on it at some point (the citizen may then no longer cancel)

    @classmethod
    def of_row(cls, status: str, tahap: int, tahapan: Sequence[str], version: int) -> Posisi:
        """Return the position of a stored application.

        Every action bumps the version and only an officer's action can follow the submission, so version 1 is
        exactly 'nobody acted yet'.
        """
        return cls(Status(status), tahap, tuple(tahapan), tersentuh=version > 1)

    @property
    def waiting_role(self) -> Peran | None:
        """Return the role whose turn it is, or None when the application left the chain."""
        if self.status not in IN_CHAIN:
            return None
        return Peran(self.tahapan[self.tahap])


@dataclass(frozen=True)
class Rule:
    """One row of the workflow table."""

    aksi: Aksi
    dari: frozenset[Status]
    pelaku: Pelaku
    keterangan_wajib: bool = False
    only_untouched: bool = False


RULES: dict[Aksi, Rule] = {
    rule.aksi: rule
    for rule in (
        Rule(Aksi.AJUKAN, frozenset(), Pelaku.PEMOHON),
        Rule(Aksi.SETUJUI, IN_CHAIN, Pelaku.TAHAP),
        Rule(Aksi.TOLAK, IN_CHAIN, Pelaku.TAHAP, keterangan_wajib=True),
        Rule(Aksi.REVISI, frozenset({Status.REVISI}), Pelaku.ADMIN, keterangan_wajib=True),
        Rule(Aksi.PERBAIKI, frozenset({Status.DITOLAK}), Pelaku.PEMOHON),
        Rule(Aksi.BATALKAN, frozenset({Status.DIAJUKAN}), Pelaku.PEMOHON, only_untouched=True),
        Rule(Aksi.CETAK, TERBIT, Pelaku.ADMIN),
        Rule(Aksi.SERAHKAN, frozenset({Status.SELESAI}), Pelaku.ADMIN),
        Rule(Aksi.KOREKSI, frozenset({Status.DISERAHKAN}), Pelaku.ADMIN, keterangan_wajib=True),
    )
}

OFFICER_ACTIONS = (Aksi.SETUJUI, Aksi.TOLAK, Aksi.REVISI, Aksi.CETAK, Aksi.SERAHKAN, Aksi.KOREKSI)
# How long after a hand-over the Admin may still undo it (a slip, the wrong receiver); later it stands for good.
KOREKSI_SERAHKAN = timedelta(hours=24)
PEMOHON_ACTIONS = (Aksi.PERBAIKI, Aksi.BATALKAN)


def validate_tahapan(tahapan: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Return the stages as a tuple, or raise ValueError unless they are distinct verifier roles starting with admin."""
    stages = tuple(tahapan)
    valid = {r.value for r in VERIFIER_ROLES}
    if not stages or stages[0] != Peran.ADMIN or any(s not in valid for s in stages) or len(set(stages)) != len(stages):
        raise ValueError('Tahapan harus diawali admin dan hanya berisi peran verifikasi yang berbeda.')
    return stages


def start(tahapan: Sequence[str]) -> Posisi:
    """Return where a new submission stands: waiting for the Admin at stage 0 of the stages it starts with."""
    return Posisi(Status.DIAJUKAN, 0, tuple(tahapan))


def may_act(peran: Peran | None, aksi: Aksi, posisi: Posisi) -> bool:
    """Return whether an officer of this role (None for the citizen) may perform this action now."""
    return refusal(peran, aksi, posisi) is None


def refusal(peran: Peran | None, aksi: Aksi, posisi: Posisi | None) -> str | None:
    """Return why this role may not perform this action now (Indonesian), or None when it may.

    `posisi` None is an application that does not exist yet: only the action that creates it (no `dari`) applies.
    """
    rule = RULES[aksi]
    if posisi is None:
        if rule.dari:
            return 'Pengurusan tidak ditemukan.'
        return None if peran is None else 'Tindakan ini hanya untuk pemohon.'
    if posisi.status not in rule.dari:
        return f'Pengurusan berstatus {posisi.status.label}; tindakan ini tidak berlaku lagi.'
    if rule.only_untouched and (posisi.tahap != 0 or posisi.tersentuh):
        return 'Pengurusan sudah diproses petugas dan tidak dapat dibatalkan.'
    if rule.pelaku is Pelaku.PEMOHON:
        return None if peran is None else 'Tindakan ini hanya untuk pemohon.'
    if peran is None:
        return 'Tindakan ini hanya untuk petugas.'
    expected = posisi.waiting_role if rule.pelaku is Pelaku.TAHAP else Peran.ADMIN
    if peran != expected:
        return 'Pengurusan ini tidak sedang menunggu tindakan Anda.'
    return None


def next_posisi(aksi: Aksi, posisi: Posisi) -> Posisi:
    """Return where the application stands after the action (the caller has checked it is allowed)."""
    status, tahap = posisi.status, posisi.tahap
    last = len(posisi.tahapan) - 1
    if aksi is Aksi.SETUJUI:
        if tahap >= last:
            status, tahap = Status.SELESAI, last
        else:
            status, tahap = Status.DIAJUKAN, tahap + 1
    elif aksi is Aksi.TOLAK:
        # Admin at stage 0 returns it to the citizen; any later stage sends it back to the Admin.
        status, tahap = (Status.DITOLAK, 0) if tahap == 0 else (Status.REVISI, 0)
    elif aksi is Aksi.PERBAIKI:
        status, tahap = Status.DIAJUKAN, 0
    elif aksi is Aksi.BATALKAN:
        status = Status.DIBATALKAN
    elif aksi is Aksi.SERAHKAN:
        status = Status.DISERAHKAN
    elif aksi is Aksi.KOREKSI:
        status = Status.SELESAI
    return Posisi(status, tahap, posisi.tahapan, posisi.tersentuh or aksi in OFFICER_ACTIONS)


def koreksi_refusal(diserahkan_at: datetime | None, at: datetime) -> str | None:
    """Return why a hand-over may no longer be undone (KOREKSI_SERAHKAN has passed since it), or None when it may."""
    if diserahkan_at is not None and at - diserahkan_at > KOREKSI_SERAHKAN:
        hours = int(KOREKSI_SERAHKAN.total_seconds() // 3600)
        return f'Penyerahan hanya dapat dikoreksi dalam {hours} jam; penyerahan ini sudah lewat batas itu.'
    return None


def completes(aksi: Aksi, posisi: Posisi) -> bool:
    """Return whether this action finishes the chain (the moment a nomor surat is assigned)."""
    return next_posisi(aksi, posisi).status is Status.SELESAI and posisi.status is not Status.SELESAI


def lewat_sla(status: Status | str, diajukan_at: datetime, sla_hari_kerja: int, at: datetime | None = None) -> bool:
    """Return whether an application is past its layanan's SLA: still in the chain, and more working days since it
    was submitted than the SLA allows (a finished, rejected or cancelled one never is)."""
    return Status(status) in IN_CHAIN and is_overdue(diajukan_at, sla_hari_kerja, at)


def actions_for(peran: Peran | None, posisi: Posisi) -> tuple[Aksi, ...]:
    """Return the actions this role (None for the citizen) may perform now, in display order."""
    candidates = PEMOHON_ACTIONS if peran is None else OFFICER_ACTIONS
    return tuple(a for a in candidates if may_act(peran, a, posisi))


class Tab(LabelledEnum):
    """The officer's tabs, titled as the seed manual names them (Ditolak is the filter of Data Selesai)."""

    DATA_BARU = 'baru', 'Data Baru'
    IN_PROGRESS = 'proses', 'In Progress'
    DATA_SELESAI = 'selesai', 'Data Selesai'
    DITOLAK = 'ditolak', 'Ditolak'


@dataclass(frozen=True)
class TabFilter:
    """What belongs in a tab, in terms a query can use: statuses and the waiting role (equal or not equal)."""

    statuses: frozenset[Status]
    waiting_role: Peran | None = None
    waiting_role_not: Peran | None = None


def tab_filter(peran: Peran, tab: Tab) -> TabFilter:
    """Return which applications a role sees in a tab."""
    if tab is Tab.DATA_BARU:
        return TabFilter(IN_CHAIN, waiting_role=peran)
    if tab is Tab.IN_PROGRESS:
        return TabFilter(IN_CHAIN, waiting_role_not=peran)
    if tab is Tab.DATA_SELESAI:
        return TabFilter(TERBIT)
    return TabFilter(frozenset({Status.DITOLAK}))


def tab_for(peran: Peran, posisi: Posisi) -> Tab | None:
    """Return the tab in which this role finds the application, or None (cancelled)."""
    for tab in Tab:
        f = tab_filter(peran, tab)
        waiting = posisi.waiting_role
        if posisi.status not in f.statuses:
            continue
        if f.waiting_role is not None and waiting != f.waiting_role:
            continue
        if f.waiting_role_not is not None and waiting == f.waiting_role_not:
            continue
        return tab
    return None
