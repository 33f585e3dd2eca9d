"""Refuse oversized uploads before NiceGUI spools them to disk (its upload route reads any body it is sent)."""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

UPLOAD_PATH = re.compile(r'^/_nicegui/client/[^/]+/upload/')
MULTIPART_OVERHEAD = 64 * 1024  # form boundaries and headers around the file itself


class UploadLimit:
    """ASGI middleware: a POST to an upload route larger than the limit gets 413 without being read."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes + MULTIPART_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http' or not UPLOAD_PATH.match(scope.get('path', '')):
            await self.app(scope, receive, send)
            return
        length = dict(scope.get('headers', [])).get(b'content-length')
        if length is None or not length.isdigit() or int(length) > self.max_bytes:
            await _refuse(send)  # no length (chunked) cannot be bounded up front: browsers always send one
            return
        received = 0

        async def counted() -> dict:
            nonlocal received
            message = await receive()
            received += len(message.get('body', b''))
            if received > self.max_bytes:  # a client that lied about the length
                raise ValueError('upload larger than announced')
            return message

        await self.app(scope, counted, send)


async def _refuse(send: Send) -> None:
    body = b'Berkas terlalu besar.'
    await send(
        {
            'type': 'http.response.start',
            'status': 413,
            'headers': [(b'content-type', b'text/plain; charset=utf-8'), (b'content-length', str(len(body)).encode())],
        }
    )
    await send({'type': 'http.response.body', 'body': body})
