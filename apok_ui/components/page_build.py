"""A page that is slow to build says so in Indonesian and finishes over the socket, instead of failing.

NiceGUI waits `response_timeout` for a page's function and then serves an English error page with a 500. A page's
reads run in the shared worker pool; when a login flood or a busy machine makes them wait their turn, the page was
lost (9 of 20 officer pages after 20 logins at once, issue 19). `patient` sends what is built after NOTICE_AFTER with
a notice on top, lets the build go on and draws the rest through the socket, and says so if it never finishes.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import Client, background_tasks, context, ui
from nicegui.client import ClientConnectionTimeout
from starlette.responses import Response

NOTICE_AFTER = 2.0  # seconds: a normal page is built in well under 0.2 s (docs/BENCHMARKS.md)
GIVE_UP_AFTER = 60.0  # seconds for the browser to connect, then as many for the build to finish
NOTICE = 'Server sedang sibuk, halaman sedang disiapkan…'
FAILED = 'Halaman belum dapat dimuat karena server sedang sibuk. Muat ulang sebentar lagi.'

logger = logging.getLogger(__name__)


def patient(build: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """Return the page function `build`, which tells the person when it takes long and never times out in NiceGUI."""

    @functools.wraps(build)  # NiceGUI reads the page's parameters from the signature
    async def page(*args: Any, **kwargs: Any) -> Any:
        client = context.client
        # Its failure is NiceGUI's to log (fast) or ours (slow), once: not also background_tasks'.
        task = background_tasks.create(
            _build(client, build, args, kwargs), name=f'build {client.page.path}', handle_exceptions=False
        )
        done, _ = await asyncio.wait({task}, timeout=NOTICE_AFTER)
        if done:
            return task.result()  # what failed fails as before: NiceGUI's error page
        notice = _notice()
        try:
            await client.connected(timeout=GIVE_UP_AFTER)  # NiceGUI serves the page now, the notice on top
            result = await asyncio.wait_for(asyncio.shield(task), timeout=GIVE_UP_AFTER)
        except (TimeoutError, ClientConnectionTimeout):
            task.cancel()
            _failed(notice)
            return None
        except Exception:
            if client.is_deleted:  # the tab went away while its page was built: nobody left to tell
                return None
            logger.exception('APOK: halaman %s gagal dibangun', client.page.path)
            _failed(notice)
            return None
        if not notice.is_deleted:
            notice.delete()
        if isinstance(result, Response) and 'location' in result.headers:
            ui.navigate.to(result.headers['location'])  # a redirect decided late travels as a navigation
        return None

    return page


async def _build(client: Client, build: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
    """Build the page in its own task, into the page's content, as NiceGUI's page task would."""
    with client:
        result = build(*args, **kwargs)
        return await result if asyncio.iscoroutine(result) else result


def _notice() -> ui.element:
    with ui.row().classes('w-full items-center gap-3 rounded bg-amber-50 p-4').props('role=status') as notice:
        ui.spinner(size='md')
        ui.label(NOTICE).classes('text-base').mark('halaman-sibuk')
    notice.move(target_index=0)
    return notice


def _failed(notice: ui.element) -> None:
    if notice.is_deleted:
        return
    notice.clear()
    with notice:
        ui.label(FAILED).classes('text-base text-negative').props('role=alert')
        ui.button('Muat ulang', icon='refresh', on_click=lambda: ui.navigate.reload()).props('no-caps')
