"""NiceGUI's upload routes, guarded: oversized bodies refused before they are read (the route reads any body it is
sent), malformed requests answered 400 instead of a 500 with a traceback in the log, every error one Indonesian line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

UPLOAD_PATH = re.compile(r'^/_nicegui/client/[^/]+/upload/')
MULTIPART_OVERHEAD = 64 * 1024  # form boundaries and headers around the file itself
TOO_LARGE = 413
ANSWERS = {
    400: 'Permintaan unggah tidak sah.',
    403: 'Unggahan ini sedang tidak dibuka.',
    404: 'Halaman unggah tidak ditemukan; muat ulang halaman.',
    TOO_LARGE: 'Berkas terlalu besar.',
}
OTHER_ANSWER = 'Unggahan tidak dapat diterima.'

logger = logging.getLogger(__name__)


class _Oversized(Exception):
    """The client sent more than its Content-Length announced."""


class UploadLimit:
    """ASGI middleware for the upload routes: 413 for too much, 400 for malformed, Indonesian text for every error."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes + MULTIPART_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http' or not UPLOAD_PATH.match(scope.get('path', '')):
            await self.app(scope, receive, send)
            return
        length = dict(scope.get('headers', [])).get(b'content-length')
        if length is None or not length.isdigit() or int(length) > self.max_bytes:
            await _answer(send, TOO_LARGE)  # no length (chunked) cannot be bounded up front: browsers always send one
            return
        await self._guarded(scope, _counted(receive, self.max_bytes), _Indonesian(send))

    async def _guarded(self, scope: Scope, receive: Receive, send: _Indonesian) -> None:
        """Run the route; what it raises before answering is the request's fault (NiceGUI's route only parses the
        form it was sent: a text field where a file belongs raised AttributeError), so it gets a 4xx, not a 500."""
        try:
            await self.app(scope, receive, send)
        except Exception as error:
            if send.started:
                raise
            if not isinstance(error, _Oversized):
                # one line, no traceback and nothing the client wrote: what failed is named by its type
                logger.warning('APOK: permintaan unggah tidak sah ditolak (%s)', type(error).__name__)
            await _answer(send.send, TOO_LARGE if isinstance(error, _Oversized) else 400)


def _counted(receive: Receive, limit: int) -> Receive:
    """Return a receive that stops a client which sends more than it announced."""
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        received += len(message.get('body', b''))
        if received > limit:
            raise _Oversized
        return message

    return counted


class _Indonesian:
    """An ASGI send that replaces the body of an error response (English JSON from FastAPI) with ANSWERS' line."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False
        self.error: Message | None = None

    async def __call__(self, message: Message) -> None:
        if message['type'] == 'http.response.start':
            self.started = True
            if message['status'] >= 400:
                self.error = message
                return
        elif message['type'] == 'http.response.body' and self.error is not None:
            if not message.get('more_body', False):
                await _answer(self.send, self.error['status'], self.error.get('headers', []))
            return
        await self.send(message)


async def _answer(send: Send, status: int, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    """Answer with the status and its Indonesian line, keeping the headers others set (security headers)."""
    body = ANSWERS.get(status, OTHER_ANSWER).encode()
    kept = [(name, value) for name, value in headers if name.lower() not in (b'content-type', b'content-length')]
    await send(
        {
            'type': 'http.response.start',
            'status': status,
            'headers': [
                *kept,
                (b'content-type', b'text/plain; charset=utf-8'),
                (b'content-length', str(len(body)).encode()),
            ],
        }
    )
    await send({'type': 'http.response.body', 'body': body})
