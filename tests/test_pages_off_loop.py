"""No page holds the event loop while another writer holds the database: pages read in workers (reads never wait
for SQLite's write lock in WAL mode), and a write a page must make (the audit row of a refused page) waits in a
worker while every other page keeps loading.

Each test holds SQLite's write lock on a connection of its own (BEGIN IMMEDIATE, as another process's write would)
and releases it only after the other pages were seen; nothing here is timed.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from apok_ui import db
from apok_ui.components.read_view import ReadView
from models import AuditLog, Peran
from models.akses import HANYA_SUPERADMIN
from tests.conftest import KEC_A, PASSWORD, People
from tests.waiting import seen, settle, unseen, until

ADMIN_PAGES = [
    ('/admin/sistem', 'Log Audit'),
    ('/admin/sistem/petugas', '9 petugas'),
    ('/admin/sistem/layanan', 'Tambah Layanan'),
    ('/admin/sistem/layanan/1', 'Tahapan verifikasi'),
    ('/admin/sistem/kecamatan', 'Tambah Kecamatan'),
    ('/admin/sistem/audit', 'catatan'),
]


@asynccontextmanager
async def another_writer(sqlite_url: str) -> AsyncIterator[sqlite3.Connection]:
    """Hold the database's write lock, as another process's long write would, until the block ends."""
    connection = sqlite3.connect(
        sqlite_url.removeprefix('sqlite:///'), isolation_level=None, check_same_thread=False, timeout=30
    )
    try:
        # Taken in a thread: a write of the app that is just finishing (a session's last-seen time) may hold it.
        await asyncio.to_thread(connection.execute, 'BEGIN IMMEDIATE')
        yield connection
    finally:
        if connection.in_transaction:
            connection.execute('ROLLBACK')
        connection.close()


async def login(user: User, people: People, peran: Peran) -> None:
    await user.open('/login')
    user.find('Username').type(people.of(peran, KEC_A).nip)
    user.find('Password').type(PASSWORD)
    user.find('Masuk').click()
    await seen(user, f'Petugas {peran.value.title()} A')  # bcrypt takes a third of a second


def refusals() -> list[AuditLog]:
    with db.get().read() as session:
        return list(session.exec(select(AuditLog).where(AuditLog.aksi == 'akses_ditolak')).all())


async def test_every_admin_page_opens_while_another_writer_holds_the_database(
    user: User, create_user: Callable[[], User], app_people: People, sqlite_url: str
):
    citizen = create_user()
    await login(user, app_people, Peran.SUPERADMIN)
    async with another_writer(sqlite_url) as writer:
        for address, content in ADMIN_PAGES:
            # The citizen's Beranda loads in the same moments: the loop serves both pages, neither waits for the lock.
            await asyncio.gather(user.open(address), citizen.open('/'))
            await seen(user, content)
            await seen(citizen, 'Pilih Layanan')
        assert writer.in_transaction  # all of the above happened while the other writer held the lock
    assert refusals() == []


async def test_a_refused_admin_page_waits_for_its_audit_row_in_a_worker_while_another_admin_page_loads(
    user: User, create_user: Callable[[], User], app_people: People, sqlite_url: str
):
    superadmin = create_user()
    await login(user, app_people, Peran.KASI)
    await login(superadmin, app_people, Peran.SUPERADMIN)
    async with another_writer(sqlite_url):
        refused = asyncio.ensure_future(user.open('/admin/sistem/petugas'))  # its refusal must be recorded first
        await superadmin.open('/admin/sistem/petugas')
        await seen(superadmin, '9 petugas')
        assert not refused.done(), 'the refused page was built before its audit row could be written'
        assert refusals() == []  # a read: nothing waits for the lock
    await refused
    await seen(user, HANYA_SUPERADMIN)
    await until(lambda: len(refusals()) == 1, failure='the refusal was not recorded once the lock was free')
    assert refusals()[0].petugas_id == app_people.of(Peran.KASI).actor.petugas_id


@pytest.mark.parametrize(('address', 'content'), [('/', 'Pilih Layanan'), ('/ajukan/SKTM', 'Kirim Permohonan')])
async def test_the_citizens_pages_open_while_another_writer_holds_the_database(
    user: User, sqlite_url: str, address: str, content: str
):
    async with another_writer(sqlite_url):
        await user.open(address)
        await seen(user, content)


async def test_a_read_view_draws_the_latest_read_asked_for_even_when_an_older_answer_comes_last(user: User):
    """The officer changes a filter twice quickly: the slow first read must not replace the second's answer."""
    first_may_answer = threading.Event()
    asked: list[str] = []

    def read() -> str:
        asked.append(f'jawaban {len(asked) + 1}')
        mine = asked[-1]
        if mine == 'jawaban 1':
            first_may_answer.wait(timeout=30)  # the first read is slow: it answers only after the second was drawn
        return mine

    @ui.page('/__percobaan/read-view')
    async def probe() -> None:
        view = ReadView(read, lambda answer: ui.label(answer).mark('jawaban'))
        ui.button('Baca', on_click=view.show)
        ui.button('Lepas', on_click=first_may_answer.set)

    await user.open('/__percobaan/read-view')
    user.find('Baca').click()  # the slow one
    await until(lambda: len(asked) == 1)
    user.find('Baca').click()
    await seen(user, 'jawaban 2')
    user.find('Lepas').click()
    await settle()  # the first read's answer has come back and was dropped
    await seen(user, 'jawaban 2')
    await unseen(user, 'jawaban 1')
