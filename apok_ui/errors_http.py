"""Errors as people read them: an Indonesian page for a browser, one Indonesian line for anything else.

NiceGUI's own answers are English and its 500 page shows the exception. These handlers take their place: an unknown
address or a page that is not there gets the "tidak ditemukan" page (404), a route that is not a page answers in
plain text, and a page that fails shows an apology without the exception. A failure is logged here, in one line:
the route (its pattern, never the address, which may carry a token), the NiceGUI client id and where the
exception was raised, never its message (apok_ui/logging_setup.py drops uvicorn's traceback of it).
"""

from __future__ import annotations

import logging
from http import HTTPStatus

import nicegui.page
from fastapi.exceptions import RequestValidationError
from nicegui import Client, app, ui
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from apok_ui import db, headers, logging_setup
from apok_ui.components.frame import public_frame

TEXTS = {
    400: 'Permintaan tidak valid.',
    401: 'Silakan masuk terlebih dahulu.',
    403: 'Akses ditolak.',
    404: 'Tidak ditemukan.',
    405: 'Cara permintaan ini tidak didukung.',
    413: 'Permintaan terlalu besar.',
    422: 'Permintaan tidak valid.',
    429: 'Terlalu banyak permintaan. Silakan coba lagi sebentar lagi.',
}
OTHER_CLIENT_ERROR = 'Permintaan tidak dapat diproses.'
SERVER_ERROR = 'Terjadi kesalahan pada server. Silakan coba lagi beberapa saat lagi.'
UNAVAILABLE = 'Layanan sedang terganggu: basis data tidak dapat dihubungi. Data Anda aman; silakan coba lagi sebentar.'
RETRY_AFTER_SECONDS = '30'
log = logging.getLogger(__name__)


def install() -> None:
    """Answer every error of the app in Indonesian (NiceGUI's English handlers are replaced)."""
    app.exception_handler(404)(not_found)
    app.exception_handler(HTTPException)(http_error)
    app.exception_handler(RequestValidationError)(invalid_request)
    app.exception_handler(Exception)(server_error)
    # A page that cannot be served at all (too slow to build, its client deleted meanwhile) gets NiceGUI's terminal
    # error page, with an English explanation: the same Indonesian content instead.
    nicegui.page.error_content = error_content


def text_for(status: int) -> str:
    """Return the Indonesian line for an HTTP error status."""
    if status == HTTPStatus.SERVICE_UNAVAILABLE:
        return UNAVAILABLE
    if status >= 500:
        return SERVER_ERROR
    return TEXTS.get(status, OTHER_CLIENT_ERROR)


def plain(status: int, request: Request, extra: dict[str, str] | None = None) -> Response:
    """Return the one-line Indonesian answer for a status (for routes that are not pages)."""
    response = PlainTextResponse(text_for(status), status_code=status, headers=extra)
    response.headers['Cache-Control'] = 'no-store'
    headers.add_missing(response.headers, request.url.path)
    return response


def _is_page(request: Request) -> bool:
    """Return whether a browser asked for a page: an address no route knows, or one of NiceGUI's pages."""
    endpoint = request.scope.get('endpoint')
    return endpoint is None or endpoint is app or request.scope.get('nicegui_page_path') is not None


def _page(status: int, request: Request, extra: dict[str, str] | None = None) -> Response:
    with Client(nicegui.page.page(''), request=request) as client:
        error_content(status)
    response = client.build_response(request, status)
    response.headers.update(extra or {})
    headers.add_missing(response.headers, request.url.path)
    return response


async def not_found(request: Request, _exception: Exception) -> Response:
    """Answer an unknown address or a missing page with the Indonesian page, anything else with one line."""
    return _page(404, request) if _is_page(request) else plain(404, request)


async def http_error(request: Request, exception: HTTPException) -> Response:
    """Answer any other HTTP error (405, 403, …) with one Indonesian line, keeping its headers (Allow, …)."""
    return plain(exception.status_code, request, exception.headers)


async def invalid_request(request: Request, _exception: RequestValidationError) -> Response:
    """Answer a request whose parameters do not fit its route with one Indonesian line (not FastAPI's JSON)."""
    return plain(HTTPStatus.UNPROCESSABLE_ENTITY, request)


async def server_error(request: Request, exception: Exception) -> Response:
    """Answer a failure with an apology (a 503 when the database is out of reach), never the exception, and log it
    in one line."""
    route = getattr(request.scope.get('route'), 'path', '-')
    log.error('%s %s failed (client %s)', request.method, route, client_id_of(request), exc_info=exception)
    logging_setup.mark_logged(exception)
    down = db.database_down(exception)
    status = HTTPStatus.SERVICE_UNAVAILABLE if down else HTTPStatus.INTERNAL_SERVER_ERROR
    extra = {'Retry-After': RETRY_AFTER_SECONDS} if down else None
    if request.scope.get('nicegui_page_path') is not None:
        return _page(status, request, extra)
    return plain(status, request, extra)


def client_id_of(request: Request) -> str:
    """Return the id of the NiceGUI client a request was building ('-' for a request that is not a page)."""
    for client in list(Client.instances.values()):
        if getattr(client, 'request', None) is not None and client.request.scope is request.scope:
            return client.id
    return '-'


def error_content(status_code: int, exception: str | Exception = '') -> None:
    """Show the Indonesian error page of a status; the exception is never shown (signature of NiceGUI's own)."""
    missing = 400 <= status_code < 500
    down = status_code == HTTPStatus.SERVICE_UNAVAILABLE
    title = 'Halaman tidak ditemukan' if missing else 'Layanan sedang terganggu' if down else 'Terjadi kesalahan'
    with public_frame(title), ui.card().classes('w-full items-start gap-3 p-4').mark(f'galat-{status_code}'):
        ui.label(title).classes('text-xl font-semibold text-primary')
        if missing:
            ui.label('Halaman yang Anda buka tidak ada atau sudah dipindahkan.').classes('text-gray-700')
        elif down:
            ui.label(
                'Basis data APOK sedang tidak dapat dihubungi. Data yang sudah tersimpan tetap aman. '
                'Silakan muat ulang halaman ini beberapa saat lagi.'
            ).classes('text-gray-700')
        else:
            ui.label(
                'Maaf, terjadi kesalahan pada server. Silakan muat ulang halaman ini atau coba lagi beberapa saat lagi.'
            ).classes('text-gray-700')
        ui.link('Ke halaman depan', '/').classes('text-base font-semibold min-h-[44px] flex items-center')
