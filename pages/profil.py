"""Profil Petugas as its own address (/admin/profil): where a login with a must-change password lands first."""

from __future__ import annotations

from starlette.responses import RedirectResponse

from apok_ui.components.guard import officer_page
from apok_ui.components.workspace import show
from apok_ui.components.workspace_state import PROFIL
from apok_ui.queries.workspace import Officer
from models.akses import OfficerPage


async def page() -> RedirectResponse | None:
    """Show the workspace on Profil Petugas; while the password must be changed, the other tabs stay locked."""
    officer = await officer_page(OfficerPage.PROFIL)
    if not isinstance(officer, Officer):
        return officer
    await show(officer, tab=PROFIL, wajib_ganti=officer.wajib_ganti_password)
    return None
