"""Calling a service from a screen: off the event loop, with a spinning button, refusals as Indonesian messages."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from nicegui import Client, run, ui

from apok_ui import theme
from apok_ui.hashing import run_hashing
from apok_ui.services import ServiceError, Stale

T = TypeVar('T')


@contextmanager
def busy(*buttons: ui.button) -> Iterator[None]:
    """Show the buttons as loading and keep them from a second tap while the work runs."""
    for button in buttons:
        button.props('loading').disable()
    try:
        yield
    finally:
        for button in buttons:
            if not button.is_deleted:
                button.props(remove='loading').enable()


async def perform(call: Callable[..., T], /, **kwargs: Any) -> tuple[T | None, ServiceError | None]:
    """Run a service in a worker thread; return its result, or the refusal it raised."""
    try:
        return await run.io_bound(call, **kwargs), None
    except ServiceError as error:
        return None, error


async def perform_hashing(call: Callable[..., T], /, **kwargs: Any) -> tuple[T | None, ServiceError | None]:
    """Run a service that checks or hashes a password in the bcrypt pool (a login flood never delays other pages);
    return its result, or the refusal it raised ("Server sedang sibuk" when the pool is full)."""
    try:
        return await run_hashing(call, **kwargs), None
    except ServiceError as error:
        return None, error


def announce(client: Client, message: str) -> None:
    """Show a success toast on the page, also when the button that asked for it was redrawn meanwhile."""
    with client:  # the caller's own slot may be gone: a redraw of the table or the dialog deletes it
        ui.notify(message, type='positive')


def tell(error: ServiceError, client: Client | None = None) -> None:
    """Show a refusal: 'someone acted first' as a warning, anything else as an error. Give the page's client where
    the element that asked may have been redrawn meanwhile: ui.notify raises in a deleted element's slot, and a stale
    decision is exactly the one whose page another officer's change redrew."""
    with client if client is not None else contextlib.nullcontext():
        ui.notify(str(error), type='warning' if isinstance(error, Stale) else 'negative', multi_line=True)


def dispose_on_close(dialog: ui.dialog) -> ui.dialog:
    """Delete a dialog as soon as it closes, so its data (and its buttons) do not linger on the page."""

    def closed(event) -> None:
        if not event.value and not dialog.is_deleted:
            dialog.delete()

    dialog.on_value_change(closed)
    return dialog


def show_error(element: ui.element, message: str | None) -> None:
    """Show a message under an input (or clear it with None), as Quasar fields do."""
    element.props['error'] = message is not None
    element.props['error-message'] = message or ''


def dialog_buttons(dialog: ui.dialog, label: str, icon: str, marker: str, *, color: str = 'primary') -> ui.button:
    """Show a form dialog's Batal and its main button (returned: the form wires its click), right-aligned."""
    with ui.row().classes('w-full justify-end gap-2'):
        ui.button('Batal', on_click=dialog.close).props('flat no-caps').classes(theme.TAP)
        main = ui.button(label, icon=icon).props(f'unelevated no-caps color={color}').classes(theme.TAP)
    return main.mark(marker)
