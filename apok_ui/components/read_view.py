"""A part of a page drawn from a read made in a worker thread: the event loop never waits for the database.

    daftar = ReadView(lambda: queries_admin.kecamatan_list(), draw_rows)  # placed here, empty until read
    await daftar.show()  # read in a worker, then drawn; call it again after every change

Only the answer to the latest read asked for is drawn: when the officer changes a filter twice quickly, the slower
first answer never replaces the second.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from nicegui import run, ui

T = TypeVar('T')
_NOTHING_YET = object()


class ReadView(Generic[T]):
    """What a read answered, drawn where the view was placed."""

    def __init__(self, read: Callable[[], T], draw: Callable[[T], None]) -> None:
        self._read = read
        self._draw = draw
        self._asked = 0
        self._body = ui.refreshable(self._draw_answer)  # per page: a class-level one scans every page's targets
        self._body(_NOTHING_YET)

    async def show(self) -> None:
        """Read in a worker and draw the answer, unless a newer read was asked for meanwhile."""
        self._asked += 1
        asked = self._asked
        answer = await run.io_bound(self._read)
        if asked == self._asked:
            await self._body.refresh(answer)  # now, not in a task of its own: the caller may go on drawing

    def _draw_answer(self, answer: object) -> None:
        if answer is not _NOTHING_YET:
            self._draw(answer)  # type: ignore[arg-type]
