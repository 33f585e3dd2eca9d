"""Oversized uploads are refused before the server reads them."""

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from apok_ui.upload_limit import UploadLimit

LIMIT = 1024 * 1024


async def upload(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f'read {len(await request.body())}')


def client() -> httpx.AsyncClient:
    app = Starlette(
        routes=[
            Route('/_nicegui/client/{c}/upload/{u}', upload, methods=['POST']),
            Route('/other', upload, methods=['POST']),
        ]
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(UploadLimit(app, max_bytes=LIMIT)), base_url='http://t')


async def test_an_upload_over_the_limit_gets_413_without_being_read():
    async with client() as http:
        response = await http.post('/_nicegui/client/abc/upload/1', content=b'x' * (LIMIT * 3))
    assert response.status_code == 413 and response.text == 'Berkas terlalu besar.'


async def test_an_upload_within_the_limit_reaches_the_route_and_other_routes_are_untouched():
    async with client() as http:
        small = await http.post('/_nicegui/client/abc/upload/1', content=b'x' * 1000)
        other = await http.post('/other', content=b'x' * (LIMIT * 3))
    assert small.text == 'read 1000' and other.text == f'read {LIMIT * 3}'
