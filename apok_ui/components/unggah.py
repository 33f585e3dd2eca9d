"""ui.upload without a route of its own: every upload of every page arrives through one route, wired once.

NiceGUI 3.18 registers a POST route per ui.upload, a closure over the element. Removing it when the page goes is not
enough: FastAPI 0.165 classifies every route function it is given in `lru_cache`s of 4 096 entries
(fastapi/dependencies/models.py, `_is_coroutine_callable_cached` and siblings), which keep the function and with it
the element, its page and the files it held: about 1 000 closed Ajukan tabs stayed in memory (issue 19). This upload
keeps NiceGUI's element, its props and its address (`/_nicegui/client/{client}/upload/{element}`, so UploadLimit
still guards it), and `receive` finds the element by the address's ids among the open pages.
"""

from __future__ import annotations

from typing import Any, cast

from fastapi import HTTPException, Request
from nicegui import Client, ui
from nicegui.elements.upload_files import create_file_upload
from starlette.datastructures import UploadFile

ROUTE = '/_nicegui/client/{client_id}/upload/{element_id}'


class Upload(ui.upload):
    """A ui.upload (single file) whose requests reach `receive`; NiceGUI's own route is never registered."""

    def __init__(
        self, *, max_file_size: int, auto_upload: bool, on_upload: Any, on_rejected: Any, label: str = ''
    ) -> None:
        # What ui.upload.__init__ does, less its app.post: the element, its props and its handlers.
        super(ui.upload, self).__init__(label=label)
        self._props.set_bool('multiple', False)
        self._props.set_bool('auto-upload', auto_upload)
        self._registered_url = ROUTE.format(client_id=self.client.id, element_id=self.id)
        self._props['url'] = self._registered_url
        self._props.set_optional('max-file-size', max_file_size)
        self._begin_upload_handlers = []
        self._upload_handlers = [on_upload]
        self._multi_upload_handlers = []
        self.on_rejected(on_rejected)

    def _handle_delete(self) -> None:
        super(ui.upload, self)._handle_delete()  # no route of its own to remove (ui.upload's scans every route)


async def receive(client_id: str, element_id: str, request: Request) -> dict[str, str]:
    """Hand the posted files to the upload element of that open page, as NiceGUI's per-element route does."""
    client = Client.instances.get(client_id)
    element = client.elements.get(int(element_id)) if client is not None and element_id.isdigit() else None
    if not isinstance(element, ui.upload):  # a page that went away: UploadLimit says "muat ulang halaman"
        raise HTTPException(status_code=404)
    if element.is_ignoring_events:
        raise HTTPException(status_code=403)
    async with request.form() as form:
        files = [await create_file_upload(cast(UploadFile, data)) for data in form.values()]
    await element.handle_uploads(files)
    return {'upload': 'success'}
