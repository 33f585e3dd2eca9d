"""The notifier's work after the commit, run with the app: changes → citizens' messages (kabar), officers'
presence and digests (kehadiran, ringkasan); the sender (pengirim) delivers what they queue."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from apok_ui import events
from apok_ui.notifikasi import kabar, kehadiran, pengirim, ringkasan

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0  # changes whose wake-up was missed (another process's, or one before a crash) are seen this soon
# After a wake-up, wait this long for the changes that come with it: a burst of approvals becomes one round (one
# write transaction) instead of one per approval, so the notifier never takes the write lock from the officers.
COALESCE_SECONDS = 0.5

_wanted: list[asyncio.Event] = []  # the running app's (an asyncio.Event belongs to one event loop)


def install() -> None:
    """Start the notifier's rounds with the app and stop them with it."""
    from nicegui import app

    tasks: list[asyncio.Task] = []

    async def begin() -> None:
        _wanted[:] = [asyncio.Event()]
        if not _subscribed:
            events.pengurusan_changed.subscribe(_wake, unsubscribe_on_delete=False)
            _subscribed.append(True)
        tasks.append(asyncio.create_task(_messages_forever(), name='apok-kabar'))
        tasks.append(asyncio.create_task(_digests_forever(), name='apok-kabar-ringkasan'))

    async def end() -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        tasks.clear()

    app.on_startup(begin)
    app.on_shutdown(end)


_subscribed: list[bool] = []


def _wake(_change: object = None) -> None:
    if _wanted:
        _wanted[0].set()


async def _messages_forever() -> None:
    wanted = _wanted[0]
    while True:
        wanted.clear()  # before the round: a change committed during it wakes the next one at once
        try:
            if await asyncio.to_thread(_catch_up):
                pengirim.wake()
        except Exception as error:  # the next round retries from the same position: nothing is lost
            log.warning('could not turn changes into messages yet (%s); trying again', type(error).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wanted.wait(), POLL_SECONDS)
            await asyncio.sleep(COALESCE_SECONDS)


def _catch_up() -> int:
    handled = total = kabar.catch_up()
    while handled:
        handled = kabar.catch_up()
        total += handled
    return total


async def _digests_forever() -> None:
    while True:
        try:
            await asyncio.to_thread(kehadiran.seen, kehadiran.present())
            if await asyncio.to_thread(ringkasan.digest_round):
                pengirim.wake()
        except Exception as error:  # a digest is due again next round
            log.warning("could not prepare the officers' digests yet (%s); trying again", type(error).__name__)
        await asyncio.sleep(kehadiran.HEARTBEAT_SECONDS)
