"""Live queues in the simulated browser: another officer's decision reaches my open page without a reload."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from nicegui import ui
from nicegui.testing import User

from apok_ui import db, live, services
from apok_ui.components import workspace
from models import Pengurusan, Peran
from tests.conftest import KEC_B, submit
from tests.test_workspace import decide, login, open_lihat_data
from tests.waiting import seen, unseen, until


def badge(user: User, tab: str) -> str:
    return next(iter(user.find(marker=f'jumlah-{tab}').elements)).text


def rows(user: User) -> set[str]:
    try:
        elements = user.find(marker='baris').elements
    except AssertionError:
        return set()
    return {next(m for m in e._markers if m.startswith('row-')).removeprefix('row-') for e in elements}


async def test_the_kasis_open_data_baru_shows_an_application_the_admin_just_approved(
    user: User, create_user: Callable[[], User], app_people
):
    first = submit(seq=1)
    kasi, admin = user, create_user()
    await login(kasi, app_people.of(Peran.KASI).nip)
    assert badge(kasi, 'baru') == '0' and rows(kasi) == set()
    await login(admin, app_people.of(Peran.ADMIN).nip)
    await open_lihat_data(admin, first.nomor_pendaftaran)
    await decide(admin, 'disetujui')
    await until(lambda: badge(kasi, 'baru') == '1')
    await until(lambda: rows(kasi) == {first.nomor_pendaftaran})
    await seen(kasi, f'Pengurusan baru: {first.nomor_pendaftaran}')  # the toast
    await open_lihat_data(kasi, first.nomor_pendaftaran)
    await seen(kasi, marker='disetujui')  # the Kasi's own buttons


async def test_the_admins_counts_follow_a_new_submission_and_a_decision_elsewhere(user: User, app_people):
    await login(user, app_people.of(Peran.ADMIN).nip)
    assert badge(user, 'baru') == '0'
    first = submit(seq=1)
    await until(lambda: badge(user, 'baru') == '1' and rows(user) == {first.nomor_pendaftaran})
    await seen(user, f'Pengurusan baru: {first.nomor_pendaftaran}')
    services.approve(actor=app_people.of(Peran.ADMIN).actor, pengurusan_id=first.pengurusan_id, version=1)
    await until(lambda: badge(user, 'baru') == '0' and badge(user, 'proses') == '1')


async def test_an_officer_of_another_kecamatan_sees_nothing_change(user: User, app_people):
    await login(user, app_people.of(Peran.ADMIN, KEC_B).nip)
    submit(seq=1)
    submit(KEC_B, seq=2)
    await until(lambda: badge(user, 'baru') == '1')  # Sekupang's own submission arrives…
    assert len(rows(user)) == 1  # …and Batam Kota's never does
    await unseen(user, 'Pengurusan baru: BTK')


async def test_an_open_lihat_data_shows_another_officers_decision_and_no_longer_offers_the_buttons(
    user: User, create_user: Callable[[], User], app_people
):
    first = submit(seq=1)
    await login(user, app_people.of(Peran.ADMIN).nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    await seen(user, marker='persetujuan')
    services.approve(actor=app_people.of(Peran.ADMIN).actor, pengurusan_id=first.pengurusan_id, version=1)
    await seen(user, marker='riwayat-disetujui')
    await unseen(user, marker='persetujuan')


async def test_a_password_changed_elsewhere_tears_the_open_page_down_on_the_server(user: User, app_people):
    admin = app_people.of(Peran.ADMIN)
    await login(user, admin.nip)
    gone = asyncio.Event()
    user.client.on_delete(gone.set)
    services.change_password(actor=admin.actor, old_password='rahasia2026', new_password='baru12345')  # elsewhere
    await asyncio.wait_for(gone.wait(), 30)  # a real browser is sent to the login too (tests/test_sessions_end.py)
    response = await user.http_client.get('/admin')
    assert response.headers['location'] == '/login?berakhir=akun'


def row_ids(user: User) -> set[int]:
    return {element.id for element in user.find(marker='baris').elements}


async def test_a_change_that_only_moves_counts_leaves_the_rows_on_screen_untouched(user: User, app_people):
    for seq in range(1, 22):
        submit(seq=seq)
    await login(user, app_people.of(Peran.ADMIN).nip)
    await seen(user, '1–20 dari 21')
    shown = row_ids(user)
    assert len(shown) == 20
    submit(seq=22)  # the oldest come first: the newcomer goes to page 2
    await until(lambda: badge(user, 'baru') == '22')
    await seen(user, '1–20 dari 22')
    await seen(user, '1 / 2')
    assert row_ids(user) == shown  # the same elements: only counts were sent to the browser
    assert next(iter(user.find(marker='layanan-semua').elements)).default_slot.children[-1].text == '22'


async def test_a_burst_of_new_work_shows_one_toast_that_counts_it_rather_than_one_per_application(
    user: User, app_people
):
    ids = [submit(seq=seq).pengurusan_id for seq in range(1, 11)]
    await login(user, app_people.of(Peran.KASI).nip)
    admin = app_people.of(Peran.ADMIN).actor
    for pengurusan_id in ids:  # without yielding: the page's hub sees all ten at once
        services.approve(actor=admin, pengurusan_id=pengurusan_id, version=1)
    await until(lambda: badge(user, 'baru') == '10')
    toasts = [message for message in user.notify.messages if 'engurusan baru' in message]
    assert len(toasts) == 1 and toasts[0].startswith('10 pengurusan baru: BTK-'), toasts


async def test_every_open_page_of_the_kecamatan_gets_the_change_however_many_are_open(
    user: User, create_user: Callable[[], User], app_people, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(live, 'CHUNK', 2)  # five pages: three chunks, as 200 pages make ten
    pages = [user] + [create_user() for _ in range(4)]
    for page in pages:
        await login(page, app_people.of(Peran.KASI).nip)
    other = create_user()
    await login(other, app_people.of(Peran.KASI, KEC_B).nip)
    first = submit(seq=1)
    services.approve(actor=app_people.of(Peran.ADMIN).actor, pengurusan_id=first.pengurusan_id, version=1)
    for page in pages:  # (toasts are checked with one page: the simulation sends every toast to the last user used)
        await until(lambda page=page: rows(page) == {first.nomor_pendaftaran} and badge(page, 'baru') == '1')
    assert badge(other, 'baru') == '0' and rows(other) == set()


async def test_data_selesai_counts_of_finished_and_rejected_follow_a_rejection_elsewhere(user: User, app_people):
    first = submit(seq=1)
    await login(user, app_people.of(Peran.ADMIN).nip)
    user.find(marker='tab-selesai').click()
    await seen(user, 'Ditolak (0)')
    services.reject(
        actor=app_people.of(Peran.ADMIN).actor, pengurusan_id=first.pengurusan_id, version=1, keterangan='Berkas buram'
    )
    await seen(user, 'Ditolak (1)')
    await seen(user, 'Selesai (0)')


async def test_a_name_is_shown_as_text_even_when_it_looks_like_html(user: User, app_people):
    first = submit(seq=1, nama="Siti Nur'aini")
    with db.get().write() as session:  # e.g. imported from an older system, past today's validation
        session.get(Pengurusan, first.pengurusan_id).nama = '<img src=x onerror=alert(1)>'
    await login(user, app_people.of(Peran.ADMIN).nip)
    row = next(iter(user.find(marker=f'row-{first.nomor_pendaftaran}').elements))
    html = next(child for child in row.default_slot.children if isinstance(child, ui.html)).content
    assert '&lt;img src=x onerror=alert(1)&gt;' in html and '<img' not in html
    second = submit(seq=2, nama="Siti Nur'aini")
    await seen(user, marker=f'row-{second.nomor_pendaftaran}')
    await seen(user, "Siti Nur'aini")  # an apostrophe stays an apostrophe


async def test_my_own_decision_redraws_my_rows_once_though_it_also_arrives_as_a_live_change(
    user: User, app_people, monkeypatch: pytest.MonkeyPatch
):
    first, second = submit(seq=1), submit(seq=2)
    draws, reloads = [], []
    listing, reload = workspace.Workspace._listing, workspace.Workspace.reload

    async def reload_and_note(self, **kwargs):
        await reload(self, **kwargs)
        reloads.append(1)

    monkeypatch.setattr(workspace.Workspace, '_listing', lambda self: draws.append(1) or listing(self))
    monkeypatch.setattr(workspace.Workspace, 'reload', reload_and_note)
    await login(user, app_people.of(Peran.ADMIN).nip)
    draws.clear()
    await open_lihat_data(user, first.nomor_pendaftaran)
    await decide(user, 'disetujui')
    await until(lambda: reloads and live.hub.task is not None and live.hub.task.done())
    assert rows(user) == {second.nomor_pendaftaran}
    assert len(draws) == 1  # a row drawn twice in a row can lose the officer's next tap
