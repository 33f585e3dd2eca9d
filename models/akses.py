"""Who may do what: the one access policy that every service and page asks (role, kecamatan, state and stage).

The workflow table (models/workflow.py) decides role, state and stage; this module adds the officer's account,
the kecamatan and the administration of the system around it. Each function returns the Indonesian reason for a
refusal, or None when the person may go ahead. No I/O here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from models import workflow as wf
from models.label import LabelledEnum
from models.workflow import Aksi, Peran, Posisi

BUKAN_KECAMATAN_ANDA = 'Pengurusan ini bukan milik kecamatan Anda.'
SUPERADMIN_TIDAK_MEMPROSES = 'Administrator Sistem tidak memproses pengurusan; gunakan akun petugas kecamatan.'
HANYA_SUPERADMIN = 'Halaman dan tindakan ini hanya untuk Administrator Sistem.'
GANTI_PASSWORD_DULU = 'Ganti password sementara Anda terlebih dahulu (menu Profil Petugas).'
TIDAK_UNTUK_DIRI_SENDIRI = 'Tindakan ini tidak dapat dilakukan pada akun Anda sendiri.'
CAMAT_SUDAH_ADA = (
    'Kecamatan ini sudah memiliki Camat aktif. Nonaktifkan Camat lama, atau tandai petugas ini sebagai Plt./Plh. Camat.'
)
WATCHERS = (Peran.CAMAT, Peran.SEKCAM)  # who watches the kecamatan's work live (SPEC: the Camat, and the Sekcam)
SETUJUI_MASSAL = (Peran.SEKCAM, Peran.CAMAT)  # who may approve several applications at once (Setujui beberapa)
MASSAL_MAX = 50  # at most this many in one batch: each is its own transaction, the officer waits for all
HANYA_SEKCAM_CAMAT = 'Setujui beberapa sekaligus hanya untuk Sekretaris Camat dan Camat.'
PELAKSANA = {'Plt.': 'Pelaksana Tugas', 'Plh.': 'Pelaksana Harian'}  # the prefixes of an acting official's jabatan
PELAKSANA_RE = re.compile(rf'^\s*({"|".join(p.rstrip(".") for p in PELAKSANA)})\b\.?', re.IGNORECASE)


class Kelola(LabelledEnum):
    """What the system administration manages (SPEC §8), named as the menu shows it."""

    PETUGAS = 'petugas', 'Petugas'
    LAYANAN = 'layanan', 'Layanan'
    KECAMATAN = 'kecamatan', 'Kecamatan & Kelurahan'
    AUDIT = 'audit', 'Log Audit'
    PESAN = 'pesan', 'Pesan'


class AksiAkun(StrEnum):
    """What the administrator does to another officer's account."""

    UBAH = 'ubah'
    NONAKTIFKAN = 'nonaktifkan'
    AKTIFKAN = 'aktifkan'
    RESET_PASSWORD = 'reset_password'


def account_refusal(*, wajib_ganti_password: bool) -> str | None:
    """Return why an officer's account may not act yet (a temporary password must be changed first), or None."""
    return GANTI_PASSWORD_DULU if wajib_ganti_password else None


def view_refusal(officer_peran: Peran, officer_kecamatan_id: int | None, target_kecamatan_id: int) -> str | None:
    """Return why an officer may not see an application of that kecamatan (Lihat Data), or None.

    Every officer sees only their own kecamatan; the city-wide administrator sees no applications at all.
    """
    if officer_peran is Peran.SUPERADMIN:
        return SUPERADMIN_TIDAK_MEMPROSES
    if officer_kecamatan_id is None or officer_kecamatan_id != target_kecamatan_id:
        return BUKAN_KECAMATAN_ANDA
    return None


def refusal(
    officer_peran: Peran | None,
    officer_kecamatan_id: int | None,
    aksi: Aksi,
    target_kecamatan_id: int,
    posisi: Posisi | None,
) -> str | None:
    """Return why this person may not perform this action on an application now, or None when they may (`posisi`
    None: the application is being created).

    The citizen is `officer_peran=None`: they prove ownership with Nomor Pendaftaran and NIK, so only the
    workflow table applies. An officer must also see the application (own kecamatan, not the administrator).
    """
    if officer_peran is not None:
        reason = view_refusal(officer_peran, officer_kecamatan_id, target_kecamatan_id)
        if reason:
            return reason
    return wf.refusal(officer_peran, aksi, posisi)


def actions_for(
    officer_peran: Peran, officer_kecamatan_id: int | None, target_kecamatan_id: int, posisi: Posisi
) -> tuple[Aksi, ...]:
    """Return the actions an officer may perform on an application now, in display order (none elsewhere)."""
    if view_refusal(officer_peran, officer_kecamatan_id, target_kecamatan_id):
        return ()
    return wf.actions_for(officer_peran, posisi)


def may_watch(officer_peran: Peran, officer_kecamatan_id: int | None) -> bool:
    """Return whether an officer may open the live Monitoring of their kecamatan (the Camat and the Sekcam)."""
    return officer_peran in WATCHERS and officer_kecamatan_id is not None


def massal_refusal(officer_peran: Peran) -> str | None:
    """Return why an officer may not approve several applications at once, or None (the Sekcam and the Camat may;
    each application is still checked on its own)."""
    return None if officer_peran in SETUJUI_MASSAL else HANYA_SEKCAM_CAMAT


def may_verify(officer_peran: Peran, officer_kecamatan_id: int | None) -> bool:
    """Return whether an officer works queues of applications: an officer of a kecamatan, never the administrator."""
    return officer_peran is not Peran.SUPERADMIN and officer_kecamatan_id is not None


def kelola_refusal(officer_peran: Peran, kelola: Kelola | None) -> str | None:
    """Return why an officer may not manage this part of the system (None: any of it), or None: only the
    administrator may."""
    return None if officer_peran is Peran.SUPERADMIN else HANYA_SUPERADMIN


def account_change_refusal(actor_id: int, target_id: int, aksi: AksiAkun, *, peran_berubah: bool) -> str | None:
    """Return why the administrator may not make this change to an account, or None.

    The administrator never locks themselves out: no deactivating, resetting or changing the role of their own
    account (their own password is changed in Profil Petugas).
    """
    if actor_id != target_id:
        return None
    if aksi is AksiAkun.UBAH and not peran_berubah:
        return None
    return TIDAK_UNTUK_DIRI_SENDIRI


def is_pelaksana(jabatan: str) -> bool:
    """Return whether a jabatan names an acting official (Plt. or Plh.), e.g. 'Plt. Camat Batam Kota'."""
    return bool(PELAKSANA_RE.match(jabatan or ''))


def split_pelaksana(jabatan: str) -> tuple[str, str]:
    """Return a jabatan's acting prefix as PELAKSANA spells it ('' if none) and the rest: 'plt camat' → ('Plt.',
    'camat')."""
    match = PELAKSANA_RE.match(jabatan or '')
    if match is None:
        return '', (jabatan or '').strip()
    prefix = next(p for p in PELAKSANA if p.rstrip('.').lower() == match.group(1).lower())
    return prefix, jabatan[match.end() :].strip()


def camat_refusal(*, peran: Peran, aktif: bool, jabatan: str, other_active_camat_jabatan: list[str]) -> str | None:
    """Return why this officer may not be an active Camat of their kecamatan, or None.

    A kecamatan has at most one active definitive Camat; an acting Camat (Plt./Plh.) may serve beside them.
    """
    if peran is not Peran.CAMAT or not aktif or is_pelaksana(jabatan):
        return None
    if any(not is_pelaksana(other) for other in other_active_camat_jabatan):
        return CAMAT_SUDAH_ADA
    return None


class OfficerPage(StrEnum):
    """The officer pages whose door page_refusal decides; each Administrasi Sistem area's page is its Kelola."""

    WORKSPACE = 'kerja'  # /admin: the queues of a kecamatan's officers
    PROFIL = 'profil'  # /admin/profil: every officer, a temporary password included
    MONITORING = 'monitoring'  # /admin/monitoring: the Camat and the Sekcam
    SISTEM = 'sistem'  # /admin/sistem: the Administrasi Sistem menu


HANYA_PENGAWAS = 'Monitoring hanya untuk Camat dan Sekretaris Camat.'


@dataclass(frozen=True)
class PageRefusal:
    """Why an officer may not open a page, and the page they are sent to instead (None: the page says why)."""

    reason: str
    go_to: OfficerPage | None = None


def page_refusal(
    page: OfficerPage | Kelola, *, peran: Peran, kecamatan_id: int | None, wajib_ganti_password: bool
) -> PageRefusal | None:
    """Return why an officer may not open this page and where they go instead, or None when they may.

    A temporary password leaves Profil Petugas only; the administrator works in Administrasi Sistem, the officers
    of a kecamatan in their workspace. An Administrasi Sistem page sends nobody away: it shows the refusal.
    """
    if page is OfficerPage.PROFIL:
        return None
    if page is OfficerPage.SISTEM or isinstance(page, Kelola):
        kelola = page if isinstance(page, Kelola) else None
        reason = account_refusal(wajib_ganti_password=wajib_ganti_password) or kelola_refusal(peran, kelola)
        return PageRefusal(reason) if reason else None
    if wajib_ganti_password:
        return PageRefusal(GANTI_PASSWORD_DULU, OfficerPage.PROFIL)
    if page is OfficerPage.WORKSPACE and peran is Peran.SUPERADMIN:
        return PageRefusal(SUPERADMIN_TIDAK_MEMPROSES, OfficerPage.SISTEM)
    if page is OfficerPage.MONITORING and not may_watch(peran, kecamatan_id):
        return PageRefusal(HANYA_PENGAWAS, OfficerPage.WORKSPACE)
    return None
