"""The one way a berkas reaches a browser: an officer of its kecamatan, logged in, each view in the audit log."""

from __future__ import annotations

import os
import re

from nicegui import run
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from apok_ui import auth
from apok_ui.ids import parse_id
from apok_ui.services import Forbidden, NotFound
from apok_ui.services.audit import open_berkas
from models.jenis_berkas import CONTENT_TYPE

# Personal data: never cached by a shared proxy or the browser, never sniffed into another type. Framed only by APOK's
# own pages (Lihat Data previews a PDF in an <object>), so these replace the app-wide frame-ancestors 'none' / DENY.
HEADERS = {
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': "frame-ancestors 'self'; base-uri 'none'",
    'X-Frame-Options': 'SAMEORIGIN',
}
NOT_FOUND = 'Berkas tidak ditemukan.'
EXTENSION = {content_type: f'.{jenis}' for jenis, content_type in CONTENT_TYPE.items()}


def safe_name(nama_asli: str, content_type: str) -> str:
    """Return a file name that is safe in a header: letters, digits, dot, dash, underscore, with the right suffix."""
    stem = re.sub(r'[^A-Za-z0-9._-]+', '_', nama_asli.rsplit('.', 1)[0]).strip('._')[:60] or 'berkas'
    return stem + EXTENSION.get(content_type, '')


def _ip(request: Request) -> str:
    forwarded = request.headers.get('x-forwarded-for', '')
    if forwarded:
        return forwarded.split(',')[0].strip()
    return request.client.host if request.client else ''


async def serve(berkas_id: str, request: Request) -> Response:
    """Send one berkas inline to an officer of its kecamatan; anyone else gets 401, 403 or 404.

    The id is taken as text and parsed here: FastAPI would answer a malformed one in English JSON, and a number
    beyond the database's integers would fail in the query.
    """
    officer = await auth.read_request_officer(request)
    if officer is None:
        return PlainTextResponse('Silakan masuk sebagai petugas.', status_code=401, headers=HEADERS)
    parsed = parse_id(berkas_id)
    if parsed is None:
        return PlainTextResponse(NOT_FOUND, status_code=404, headers=HEADERS)
    try:
        found = await run.io_bound(open_berkas, auth.actor(officer), parsed, _ip(request))
    except NotFound as error:
        return PlainTextResponse(str(error), status_code=404, headers=HEADERS)
    except Forbidden as error:
        return PlainTextResponse(str(error), status_code=403, headers=HEADERS)
    if not os.path.isfile(found.path):
        return PlainTextResponse('Berkas tidak ditemukan di penyimpanan.', status_code=404, headers=HEADERS)
    return FileResponse(
        found.path,
        media_type=found.content_type,
        headers=HEADERS,
        filename=safe_name(found.nama_asli, found.content_type),
        content_disposition_type='inline',
    )
