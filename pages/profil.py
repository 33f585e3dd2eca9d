"""Profil Petugas as its own address (/admin/profil): where a login with a must-change password lands first."""

from __future__ import annotations

from starlette.responses import RedirectResponse

from apok_ui import auth
from pages import petugas


async def page(ganti: str = '') -> RedirectResponse | None:
    """Show the workspace on Profil Petugas; while the password must be changed, the other tabs stay locked."""
    officer = auth.current_officer()
    if officer is None:
        return auth.to_login()
    await petugas.show(officer, tab=petugas.PROFIL, wajib_ganti=officer.wajib_ganti_password)
    return None
