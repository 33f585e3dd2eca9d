"""The waits of tests/waiting.py hold on for as long as a worker takes, where NiceGUI's retry count gives up."""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path

import pytest
from nicegui import run, ui
from nicegui.testing import User

from tests.waiting import busy_tasks, seen, settle, unseen


def slow_page(release: threading.Event) -> None:
    """Add a page whose button answers from a worker only once the test releases it."""

    @ui.page('/zz-lambat')
    def page() -> None:
        async def answer() -> None:
            await run.io_bound(release.wait, 60)
            status.set_text('Selesai')
            ui.notify('Tersimpan.')

        status = ui.label('Menunggu')
        ui.button('Kirim', on_click=answer)


async def test_seen_waits_for_a_worker_slower_than_nicegui_s_retries(user: User) -> None:
    release = threading.Event()
    slow_page(release)
    await user.open('/zz-lambat')
    user.find('Kirim').click()
    waiting = asyncio.create_task(seen(user, 'Selesai'))
    with pytest.raises(AssertionError):
        await user.should_see('Selesai')  # three looks, 0.3 s: the worker has not answered and cannot have
    assert not waiting.done()
    release.set()
    await waiting
    await seen(user, 'Tersimpan.')  # notifications count, as in should_see


async def test_unseen_waits_until_the_worker_has_replaced_what_was_shown(user: User) -> None:
    release = threading.Event()
    slow_page(release)
    await user.open('/zz-lambat')
    user.find('Kirim').click()
    waiting = asyncio.create_task(unseen(user, 'Menunggu'))
    with pytest.raises(AssertionError):
        await user.should_not_see('Menunggu')
    assert not waiting.done()
    release.set()
    await waiting


async def test_settle_returns_once_the_handlers_the_clicks_started_have_ended(user: User) -> None:
    release = threading.Event()
    slow_page(release)
    await user.open('/zz-lambat')
    assert busy_tasks() == []  # the app's own loops (outboxes, timers, the session sweep) never count
    user.find('Kirim').click()
    assert busy_tasks() != []
    release.set()
    await settle()
    assert busy_tasks() == [] and user.find('Selesai')


async def test_a_wait_that_never_comes_true_fails_at_its_deadline_with_what_the_page_shows(user: User) -> None:
    release = threading.Event()
    slow_page(release)
    await user.open('/zz-lambat')
    with pytest.raises(AssertionError, match='expected to see at least one element with marker=Selesai'):
        await seen(user, 'Selesai', within=0.5)
    with pytest.raises(AssertionError, match='expected not to see any element with marker=Menunggu'):
        await unseen(user, 'Menunggu', within=0.5)


RETRY_COUNTS = re.compile(r'\.should_(not_)?see\(|\bretries=')


def test_no_screen_test_waits_by_nicegui_s_retry_count() -> None:
    here = Path(__file__).resolve().parent
    mine = {here / 'waiting.py', Path(__file__).resolve()}
    offenders = [
        f'{path.name}:{number}'
        for path in sorted(here.glob('*.py'))
        if path not in mine
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if RETRY_COUNTS.search(line)
    ]
    assert offenders == [], f'wait with tests.waiting.seen/unseen (NiceGUI gives up after 0.3 s): {offenders}'
