"""The one door of every officer page: who is logged in (read in a worker, never on the event loop), and whether
models.akses.page_refusal lets them open this page.

First thing in an async page builder:

    async def page() -> RedirectResponse | None:
        officer = await officer_page(OfficerPage.MONITORING)  # or a Kelola: that Administrasi Sistem area's page
        if not isinstance(officer, Officer):
            return officer  # the login or the page they may open instead; None: the refusal is shown here
        ...

An open page asks `await still_allowed(page, officer)` before each read it makes for the officer (they may have
been deactivated or changed meanwhile); the services ask again before every write anyway. Pages never decide
access themselves: hiding a button is never the check.
"""

from __future__ import annotations

from nicegui import run, ui
from starlette.responses import RedirectResponse

from apok_ui import auth, theme
from apok_ui.components.frame import officer_frame
from apok_ui.notifikasi import kehadiran
from apok_ui.queries import workspace as queries
from apok_ui.queries.workspace import Officer
from apok_ui.services.common import SESSION_ENDED, audit_refusal
from models import akses
from models.akses import Kelola, OfficerPage, PageRefusal

ADDRESS = {
    OfficerPage.WORKSPACE: '/admin',
    OfficerPage.PROFIL: '/admin/profil',
    OfficerPage.MONITORING: '/admin/monitoring',
    OfficerPage.SISTEM: '/admin/sistem',
}


async def officer_page(page: OfficerPage | Kelola) -> Officer | RedirectResponse | None:
    """Return the officer building this page when they may open it; otherwise the way to the login or to the page
    they may open, or None once the page shows why not (that refusal is in the audit log by then)."""
    officer = await auth.page_officer()
    if officer is None:
        return auth.to_login()
    refusal = refusal_of(page, officer)
    if refusal is None:
        kehadiran.hadir(officer.id)  # an officer with a page open gets no digest of new work
        return officer
    if refusal.go_to is not None:
        return RedirectResponse(ADDRESS[refusal.go_to])
    await run.io_bound(audit_refusal, auth.actor(officer), f'buka_{page.value}', page.value, refusal.reason)
    _show_refusal(officer, refusal.reason)
    return None


async def still_allowed(page: OfficerPage | Kelola, officer: Officer) -> bool:
    """Return whether the officer of an open page may still use it, read again in a worker; otherwise tell them
    why (and record the refusal in the audit log)."""
    now = await run.io_bound(queries.officer, officer.id)
    # A deactivated officer, or one whose sessions were ended (a new password, another role), no longer has this page.
    if now is None or not now.aktif or now.sesi_versi != officer.sesi_versi:
        reason: str | None = SESSION_ENDED
    else:
        refusal = refusal_of(page, now)
        reason = refusal.reason if refusal else None
    if reason is None:
        return True
    await run.io_bound(audit_refusal, auth.actor(officer), f'buka_{page.value}', page.value, reason)
    ui.notify(reason, type='negative', multi_line=True)
    return False


def refusal_of(page: OfficerPage | Kelola, officer: Officer) -> PageRefusal | None:
    """Return why this officer may not open this page, or None (models.akses decides)."""
    return akses.page_refusal(
        page,
        peran=officer.peran,
        kecamatan_id=officer.kecamatan_id,
        wajib_ganti_password=officer.wajib_ganti_password,
    )


def _show_refusal(officer: Officer, message: str) -> None:
    with officer_frame(officer, 'Akses ditolak'), ui.card().classes('w-full items-start gap-3').mark('akses-ditolak'):
        with ui.row().classes('items-center gap-2 no-wrap'):
            ui.icon('block').classes('text-3xl text-negative')
            ui.label(message).classes('text-lg')
        ui.button('Kembali ke Beranda', icon='home', on_click=lambda: ui.navigate.to('/admin')).classes(theme.TAP)
