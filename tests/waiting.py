"""Waiting in the simulated browser for what a page does in the background: by its events, never by a retry count.

NiceGUI's `User.should_see` looks three times 0.1 s apart (`should_not_see` three times 0.05 s apart). A page that
answers from a worker (bcrypt, a read, an upload check, a render) takes longer than that on a busy machine, and the
test fails though the page is right. These helpers look again each time the page may have changed: an element update
or deletion queued in any client's outbox, a notification, a background task ending. They give up only at DEADLINE,
a net against a hang that a healthy run never comes near, so a slow machine makes a test slower, never red.

    user.find('Masuk').click()
    await seen(user, 'Pilih Pengurusan')          # the login's bcrypt runs in a worker
    await unseen(user, marker='row-123')          # the search answers from a worker
    await settle()                                # every handler the clicks started has finished
    await until(lambda: audit_rows('login') != [], failure='no login in the audit log')
"""

from __future__ import annotations

import asyncio
import functools
import time
import weakref
from collections.abc import Callable
from typing import Any

from nicegui import background_tasks, context, ui
from nicegui.outbox import Outbox
from nicegui.testing import User
from nicegui.testing.user_navigate import UserNavigate
from nicegui.testing.user_notify import UserNotify

DEADLINE = 30.0  # seconds: a net against a hang, never how long anything is expected to take
RECHECK = 0.1  # seconds: a last resort for a change that signals nothing (a commit made in another thread)
NAVIGATION = ('navigate', 'download')  # NiceGUI's simulated navigations and downloads run as tasks of these names

_listeners: set[asyncio.Event] = set()


def _announcing(method: Callable[..., Any]) -> Callable[..., Any]:
    """Return the method, telling every waiter after it ran that the page may have changed."""

    @functools.wraps(method)
    def announce(*args: Any, **kwargs: Any) -> Any:
        result = method(*args, **kwargs)
        for listener in _listeners:
            listener.set()
        return result

    announce.announces = True  # type: ignore[attr-defined]
    return announce


# Every element update, deletion and message of every client passes through the outbox's enqueue signal, and every
# notification through the simulated notifier: both announce, whichever page (after a navigation) the user is on.
for _owner, _name in ((Outbox, '_set_enqueue_event'), (UserNotify, '__call__')):
    if not getattr(getattr(_owner, _name), 'announces', False):
        setattr(_owner, _name, _announcing(getattr(_owner, _name)))


# NiceGUI's simulation has one `ui.notify` / `ui.navigate` for all users: every attribute read of a User points them
# at that user's. With two users, a toast or a navigation of one page could land on whichever user the test touched
# last (seen in CI: user A's success toast was recorded for user B). Each is routed to the user whose page runs it.
_users: weakref.WeakSet[User] = weakref.WeakSet()


def _registering(init: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(init)
    def register(self: User, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        _users.add(self)

    register.registers = True  # type: ignore[attr-defined]
    return register


def _page_owner() -> User | None:
    """Return the simulated user whose page runs the current code (None outside any page). Code running in the slot
    of an element that was deleted meanwhile (a live redraw) raises as in a real server, where ui.notify raises
    there: the simulation must not hide a toast that a real page loses."""
    try:
        client = context.client
    except RuntimeError as error:
        if 'has been deleted' in str(error):
            raise
        return None
    return next((u for u in list(_users) if object.__getattribute__(u, 'client') is client), None)


def _to_page_owner(attribute: str, method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def routed(self: Any, *args: Any, **kwargs: Any) -> Any:
        owner = _page_owner()
        return method(self if owner is None else object.__getattribute__(owner, attribute), *args, **kwargs)

    routed.routes = True  # type: ignore[attr-defined]
    return routed


if not getattr(User.__init__, 'registers', False):
    User.__init__ = _registering(User.__init__)  # type: ignore[method-assign]
for _owner, _attribute, _names in (
    (UserNotify, 'notify', ('__call__',)),
    (UserNavigate, 'navigate', ('to', 'back', 'forward', 'reload')),
):
    for _name in _names:
        if not getattr(getattr(_owner, _name), 'routes', False):
            setattr(_owner, _name, _to_page_owner(_attribute, getattr(_owner, _name)))


async def _next_change() -> None:
    """Return when the page may have changed (something queued or notified, a task ended), or after RECHECK."""
    listener = asyncio.Event()
    _listeners.add(listener)
    heard = asyncio.ensure_future(listener.wait())
    try:
        await asyncio.wait({heard, *_running_here()}, timeout=RECHECK, return_when=asyncio.FIRST_COMPLETED)
    finally:
        _listeners.discard(listener)
        heard.cancel()


async def until(
    condition: Callable[[], object], *, within: float = DEADLINE, failure: str | Callable[[], str] = ''
) -> None:
    """Wait until the condition holds, checking again whenever the page may have changed; fail only at `within`.

    A condition that raises AssertionError (a `user.find` of an element being rebuilt) is not true yet.
    """
    deadline = time.monotonic() + within
    while True:
        try:
            if condition():
                return
            problem = None
        except AssertionError as error:
            problem = error
        if time.monotonic() > deadline:
            message = failure() if callable(failure) else failure
            raise AssertionError(message or f'the condition did not come true within {within:.0f} s') from problem
        await _next_change()


async def seen(
    user: User,
    target: str | type[ui.element] | None = None,
    *,
    kind: type[ui.element] | None = None,
    marker: str | list[str] | None = None,
    content: str | list[str] | None = None,
    within: float = DEADLINE,
) -> None:
    """Wait until the user sees an element or notification matching the filter (what `User.should_see` matches)."""
    try:
        await until(lambda: user._sees(target, kind, marker, content), within=within)
    except AssertionError:
        # NiceGUI's own report of what the page shows (or nothing, if it appeared in this very moment)
        await user.should_see(target, kind=kind, marker=marker, content=content, retries=1)


async def unseen(
    user: User,
    target: str | type[ui.element] | None = None,
    *,
    kind: type[ui.element] | None = None,
    marker: str | list[str] | None = None,
    content: str | list[str] | None = None,
    within: float = DEADLINE,
) -> None:
    """Wait until the user no longer sees any element or notification matching the filter.

    Absent already means done at once: to show that an action never makes something appear, `settle()` first.
    """
    try:
        await until(lambda: not user._sees(target, kind, marker, content), within=within)
    except AssertionError:
        await user.should_not_see(target, kind=kind, marker=marker, content=content, retries=1)


def busy_tasks() -> list[str]:
    """Return the names of the running tasks that pages started: handlers, refreshes, navigations, downloads.

    NiceGUI runs a page's handlers, its unawaited refreshes and the callbacks of its event subscriptions inside the
    page's slot (`background_tasks._await_in_context`); app-wide loops (outboxes, timers, the session sweep) run
    outside any page and never end, so they do not count.
    """
    return sorted(
        task.get_name() for task in _running_here() if _in_page_context(task) or task.get_name().startswith(NAVIGATION)
    )


def _running_here() -> list[asyncio.Task]:
    """Return NiceGUI's background tasks still running on this test's loop (an earlier test's loop is gone)."""
    loop = asyncio.get_running_loop()
    return [task for task in background_tasks.running_tasks if not task.done() and task.get_loop() is loop]


def _in_page_context(task: asyncio.Task) -> bool:
    code = getattr(task.get_coro(), 'cr_code', None)
    return code is not None and code.co_name == '_await_in_context'


async def settle(*, within: float = DEADLINE) -> None:
    """Wait until every handler, refresh, navigation and download the pages started has run to its end."""
    await until(
        lambda: not busy_tasks(),
        within=within,
        failure=lambda: f'the pages are still busy after {within:.0f} s: {busy_tasks()}',
    )
