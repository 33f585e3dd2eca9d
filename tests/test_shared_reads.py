"""Refreshes stay cheap: open pages of a kecamatan share their reads, and a burst of changes coalesces."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from nicegui.testing import User

from apok_ui import services
from apok_ui.components import workspace
from apok_ui.shared_reads import SharedReads
from models import Peran
from tests.conftest import submit
from tests.test_workspace import login
from tests.waiting import until


def test_pages_asking_for_the_same_view_share_one_read_until_their_kecamatan_changes(sqlite_url):
    reads, calls = SharedReads(), []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: reads.get(1, 'data-baru', compute), range(50)))
    assert answers == [1] * 50 and len(calls) == 1
    reads.invalidate(2)  # another kecamatan changed: nothing to read again
    assert reads.get(1, 'data-baru', compute) == 1
    reads.invalidate(1)
    assert reads.get(1, 'data-baru', compute) == 2


async def test_a_burst_of_fifty_approvals_costs_an_open_page_at_most_two_reads(
    user: User, app_people, monkeypatch: pytest.MonkeyPatch
):
    ids = [submit(seq=n).pengurusan_id for n in range(50)]
    await login(user, app_people.of(Peran.KASI).nip)
    reads = []
    real = workspace.read_view
    monkeypatch.setattr(workspace, 'read_view', lambda *args: reads.append(1) or real(*args))
    admin = app_people.of(Peran.ADMIN).actor
    for pengurusan_id in ids:  # one after another without yielding: the page sees a burst
        services.approve(actor=admin, pengurusan_id=pengurusan_id, version=1)
    await until(lambda: next(iter(user.find(marker='jumlah-baru').elements)).text == '50')
    assert 1 <= len(reads) <= 2, f'{len(reads)} reads'  # fifty events, not fifty reads (and the patch is in use)
