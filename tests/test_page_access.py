"""Which officer page a role may open, or why not, decided once in models.akses.page_refusal (the page guard in
apok_ui/components/guard.py asks it; no page decides access itself)."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import Peran
from models.akses import (
    GANTI_PASSWORD_DULU,
    HANYA_PENGAWAS,
    HANYA_SUPERADMIN,
    SUPERADMIN_TIDAK_MEMPROSES,
    Kelola,
    OfficerPage,
    PageRefusal,
    page_refusal,
)

PAGES = Path(__file__).resolve().parent.parent / 'pages'
KECAMATAN = 7
OFFICERS = (Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT)
ADMINISTRATION = (OfficerPage.SISTEM, *Kelola)


def door(page: OfficerPage | Kelola, peran: Peran, *, wajib_ganti_password: bool = False) -> PageRefusal | None:
    kecamatan_id = None if peran is Peran.SUPERADMIN else KECAMATAN
    return page_refusal(page, peran=peran, kecamatan_id=kecamatan_id, wajib_ganti_password=wajib_ganti_password)


@pytest.mark.parametrize('peran', [*OFFICERS, Peran.SUPERADMIN])
def test_everyone_may_open_profil_petugas_even_with_a_temporary_password(peran):
    assert door(OfficerPage.PROFIL, peran) is None
    assert door(OfficerPage.PROFIL, peran, wajib_ganti_password=True) is None


@pytest.mark.parametrize('peran', OFFICERS)
def test_the_officers_of_a_kecamatan_work_in_their_workspace_and_never_in_administrasi_sistem(peran):
    assert door(OfficerPage.WORKSPACE, peran) is None
    for page in ADMINISTRATION:
        assert door(page, peran) == PageRefusal(HANYA_SUPERADMIN)  # shown on the page, not a redirect


def test_the_administrator_is_sent_from_the_workspace_to_administrasi_sistem():
    assert door(OfficerPage.WORKSPACE, Peran.SUPERADMIN) == PageRefusal(SUPERADMIN_TIDAK_MEMPROSES, OfficerPage.SISTEM)
    assert all(door(page, Peran.SUPERADMIN) is None for page in ADMINISTRATION)


@pytest.mark.parametrize(('peran', 'allowed'), [(Peran.CAMAT, True), (Peran.SEKCAM, True), (Peran.KASI, False)])
def test_only_the_camat_and_the_sekcam_watch_the_monitoring_others_go_to_their_workspace(peran, allowed):
    expected = None if allowed else PageRefusal(HANYA_PENGAWAS, OfficerPage.WORKSPACE)
    assert door(OfficerPage.MONITORING, peran) == expected


def test_a_camat_without_a_kecamatan_does_not_watch_any_monitoring():
    refusal = page_refusal(OfficerPage.MONITORING, peran=Peran.CAMAT, kecamatan_id=None, wajib_ganti_password=False)
    assert refusal == PageRefusal(HANYA_PENGAWAS, OfficerPage.WORKSPACE)


@pytest.mark.parametrize('peran', [*OFFICERS, Peran.SUPERADMIN])
def test_a_temporary_password_leads_to_profil_petugas_and_is_the_reason_administrasi_sistem_shows(peran):
    for page in (OfficerPage.WORKSPACE, OfficerPage.MONITORING):
        assert door(page, peran, wajib_ganti_password=True) == PageRefusal(GANTI_PASSWORD_DULU, OfficerPage.PROFIL)
    for page in ADMINISTRATION:
        assert door(page, peran, wajib_ganti_password=True) == PageRefusal(GANTI_PASSWORD_DULU)


def test_pages_leave_access_to_the_guard():
    """No page checks a role or sends anyone to the login itself (Profil Petugas only hands the temporary-password
    lock to its tabs)."""
    mine = sorted(p for p in PAGES.glob('*.py') if p.name != 'profil.py')
    deciding = ('auth.to_login', 'auth.current_officer', 'officer.peran', 'officer.wajib_ganti', 'may_watch')
    found = [f'{p.name}: {word}' for p in mine for word in deciding if word in p.read_text()]
    assert found == []
