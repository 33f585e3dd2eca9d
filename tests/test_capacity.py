"""Capacity traps (issue 19): closed Ajukan tabs leave nothing in memory, a page slow to build says so instead of
failing, and many citizens behind one address all get their application in while one NIK flooding is stopped.
(Figures: docs/BENCHMARKS.md, bench/.)
"""

from __future__ import annotations

import asyncio
import gc
import io
import threading
import weakref

import pytest
from nicegui import Client, ElementFilter, app, run
from nicegui.testing import User

from apok_ui.components import page_build
from apok_ui.services import batas
from models import Peran
from tests.conftest import uploads_for
from tests.test_portal_support import (
    citizen,
    fill,
    fresh_limits,  # noqa: F401 (fixture)
    send,
    submit_directly,
    upload_all,
)
from tests.test_workspace import login
from tests.waiting import seen, unseen

pytestmark = pytest.mark.usefixtures('fresh_limits')
TABS = 200


async def open_and_upload(user: User) -> Client:
    """Open Ajukan and post the KTP through its upload address as the browser does; return the page."""
    client = await user.open('/ajukan/SKTM')
    with client:
        uploader = next(iter(ElementFilter(marker='upload-ktp', local_scope=False)))
    ktp = uploads_for('SKTM')[0]
    answer = await user.http_client.post(uploader.props['url'], files={'berkas': (ktp.nama_asli, ktp.isi)})
    assert answer.status_code == 200, answer.text
    await seen(user, marker='ganti-ktp')
    return client


async def close(client: Client) -> None:
    """Close the page as NiceGUI does once the browser has been away for reconnect_timeout."""
    deleted = asyncio.Event()
    client.on_delete(deleted.set)
    client.delete()
    await deleted.wait()


async def open_upload_and_close(user: User) -> list[weakref.ref]:
    """Open Ajukan, upload the KTP, close the tab; return weak references to the page and every element it had."""
    client = await open_and_upload(user)
    kept = [weakref.ref(client), *(weakref.ref(element) for element in client.elements.values())]
    await close(client)
    return kept


async def leave(user: User) -> None:
    """Go on to the home page and close it too, so the simulated browser holds no page (it keeps its last one)."""
    client = await user.open('/')
    client.delete()


def tracked_objects() -> int:
    gc.collect()
    return len(gc.get_objects())


async def footprint_of_one_page(user: User) -> int:
    """How many GC-tracked objects one open Ajukan page with its KTP holds (measured in this run, on this Python)."""
    await leave(user)
    before = tracked_objects()
    client = await open_and_upload(user)
    footprint = tracked_objects() - before
    await close(client)
    return footprint


async def test_two_hundred_closed_ajukan_tabs_leave_none_of_their_pages_in_memory(user: User) -> None:
    await open_upload_and_close(user)  # the first pages warm NiceGUI's and APOK's caches
    page = await footprint_of_one_page(user)
    await leave(user)
    before = tracked_objects()
    kept: list[weakref.ref] = []
    for _ in range(TABS):
        kept += await open_upload_and_close(user)
    await leave(user)
    grown = tracked_objects() - before - len(kept)  # the test's own weak references are tracked objects too
    left = sum(1 for ref in kept if ref() is not None)
    assert left == 0, f'{left} of {len(kept)} pages and elements of closed tabs are still alive'
    # Bounded caches (sqlite3's cursor list, urllib's split cache, requests still unwinding) rise and fall by a few
    # thousand objects whatever the page does; a page that stayed behind, even a tenth of it, costs TABS times.
    assert grown < TABS * page / 10, f'{grown} more objects after {TABS} closed tabs; one open page holds {page}'


async def test_an_upload_to_a_closed_page_asks_for_a_reload(user: User) -> None:
    client = await user.open('/ajukan/SKTM')
    with client:
        url = next(iter(ElementFilter(marker='upload-ktp', local_scope=False))).props['url']
    client.delete()
    ktp = uploads_for('SKTM')[0]
    answer = await user.http_client.post(url, files={'berkas': (ktp.nama_asli, ktp.isi)})
    assert answer.status_code == 404


async def test_open_ajukan_pages_add_no_route_to_the_server(user: User) -> None:
    for _ in range(3):
        await user.open('/ajukan/SKTM')
    uploads = [route.path for route in app.routes if '/upload/' in getattr(route, 'path', '')]
    assert uploads == ['/_nicegui/client/{client_id}/upload/{element_id}']


# --- a slow page ---------------------------------------------------------------------------------------------------


async def test_an_officer_page_waiting_behind_a_full_worker_pool_says_so_in_indonesian_and_then_opens(
    user: User, app_people
) -> None:
    await login(user, app_people.of(Peran.ADMIN).nip)
    release, started = threading.Event(), threading.Semaphore(0)

    def busy() -> None:  # other work holding a worker, as 20 logins at once did before bcrypt had its own pool
        started.release()
        release.wait(60)

    pool = run.thread_pool
    held = [pool.submit(busy) for _ in range(pool._max_workers)]
    try:
        for _ in held:
            assert started.acquire(timeout=30)  # every worker is taken: the page's reads must wait their turn
        await user.open('/admin')
        await seen(user, page_build.NOTICE)
    finally:
        release.set()
    await seen(user, 'Pilih Pengurusan')
    await unseen(user, page_build.NOTICE)


# --- many citizens behind one address -------------------------------------------------------------------------------

SHARED = '114.124.0.7'  # one carrier-grade NAT address, or a kecamatan's public Wi-Fi


def test_thirty_citizens_behind_one_address_all_get_their_application_in_within_one_minute(people) -> None:
    nomor = {submit_directly(seq=seq, ip=SHARED, perangkat=f'hp-{seq}').nomor_pendaftaran for seq in range(1, 31)}
    assert len(nomor) == 30


def test_one_nik_flooding_from_ever_new_devices_is_stopped_after_its_share_of_the_day(people) -> None:
    for n in range(batas.SUBMISSIONS_PER_NIK_PER_DAY):
        submit_directly(ip=SHARED, perangkat=f'hp-{n}')
    with pytest.raises(batas.Dibatasi, match='NIK ini sudah mengajukan 5 permohonan'):
        submit_directly(ip=SHARED, perangkat='hp-baru')


def test_one_device_sending_many_niks_is_stopped_while_its_neighbours_still_get_in(people) -> None:
    for seq in range(1, 1 + batas.SUBMISSIONS_PER_DEVICE_PER_MINUTE):
        submit_directly(seq=seq, ip=SHARED, perangkat='hp-1')
    with pytest.raises(batas.Dibatasi, match='perangkat ini'):
        submit_directly(seq=10, ip=SHARED, perangkat='hp-1')
    assert submit_directly(seq=11, ip=SHARED, perangkat='hp-2').nomor_pendaftaran


def test_an_address_whose_client_drops_its_cookie_every_time_meets_a_ceiling(people) -> None:
    for seq in range(1, 1 + batas.SUBMISSIONS_PER_ADDRESS_PER_MINUTE):
        batas.reserve_submission(SHARED, f'cookie-{seq}', 1000)
    with pytest.raises(batas.Dibatasi, match='Jaringan ini'):
        submit_directly(seq=1, ip=SHARED, perangkat='cookie-baru')
    assert submit_directly(seq=2, ip='36.68.0.9', perangkat='cookie-baru').nomor_pendaftaran  # another address


def test_an_address_may_store_only_so_many_megabytes_a_minute() -> None:
    window = batas.Jendela(limit=10, seconds=60)
    assert window.take(SHARED, cost=6, at=0) and not window.take(SHARED, cost=5, at=1)
    assert window.take(SHARED, cost=4, at=2) and window.take(SHARED, cost=5, at=60.5)


async def test_a_citizen_on_a_busy_shared_network_sends_the_form(user: User) -> None:
    await user.open('/ajukan/SKTM')
    for seq in range(2, 12):  # ten neighbours on the same Wi-Fi sent theirs a moment ago
        submit_directly(seq=seq, ip='127.0.0.1', perangkat=f'hp-{seq}')
    fill(user, citizen('SKTM'))
    await upload_all(user, 'SKTM')
    await send(user)
    await seen(user, 'Permohonan terkirim')


# --- make run on a fresh clone ---------------------------------------------------------------------------------------


def test_demo_seeding_lets_the_officers_in_at_once_and_fills_the_queues_in_the_background(sqlite_url: str) -> None:
    from sqlmodel import func, select

    from apok_ui import db, demo, services
    from models import Pengurusan

    def applications() -> int:
        with db.get().read() as session:
            return session.exec(select(func.count()).select_from(Pengurusan)).one()

    before = applications()
    out = io.StringIO()
    demo.seed_demo_people()
    thread = demo.seed_in_background(per_kecamatan=5, out=out)
    masuk = services.authenticate(nip=demo.demo_logins()[1].nip, password=demo.DEMO_PASSWORD, ip='127.0.0.1')
    assert masuk.petugas_id  # the login works while the applications are still being added
    thread.join(timeout=600)
    assert not thread.is_alive()
    lines = out.getvalue().splitlines()
    assert lines and lines[-1].endswith('(100 %)') and all(line.startswith('APOK: data demo ') for line in lines)
    assert applications() - before == int(lines[-1].split('/')[1].split()[0]) > 0


# --- Ajukan's reads ---------------------------------------------------------------------------------------------------


async def test_ajukan_views_share_one_read_of_the_kecamatan_and_kelurahan(user: User) -> None:
    from sqlalchemy import event

    from apok_ui import db

    statements: list[str] = []

    def note(_conn, _cursor, statement: str, *_args) -> None:
        statements.append(statement)

    engine = db.get().engine
    event.listen(engine, 'before_cursor_execute', note)
    try:
        for _ in range(5):
            await user.open('/ajukan/SKTM')
            await seen(user, marker='kirim')
    finally:
        event.remove(engine, 'before_cursor_execute', note)
    assert sum('FROM kelurahan' in statement for statement in statements) == 1
