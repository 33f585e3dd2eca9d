"""Security headers on every answer APOK gives, set by APOK itself so they hold without a proxy in front.

A header a route has already set is kept: the berkas route's stricter Referrer-Policy (no-referrer) and its
frame rules (an officer's page previews a PDF in an <object> of its own origin) win over the defaults here.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No script-src: NiceGUI's pages need inline scripts and eval. What stays out: framing by any other page
# (clickjacking), plugins, a <base> that moves relative URLs, and forms sent elsewhere.
POLICY = "frame-ancestors 'none'; object-src {objects}; base-uri 'self'; form-action 'self'"
# The officers' pages show PDF berkas in an <object> from /admin/berkas/…; everywhere else no object at all.
OBJECTS_ALLOWED = '/admin'
HSTS = 'max-age=31536000'  # a year; no includeSubDomains: other sites of the city may share the domain


_https = False  # set by install(): whether APOK is reached over https (its base URL)


def install(app: Starlette, *, https: bool) -> None:
    """Put the security headers on every HTTP answer of app (HSTS too when https)."""
    global _https
    _https = https
    app.add_middleware(SecurityHeaders)


def security_headers(path: str) -> dict[str, str]:
    """Return the headers an answer to path gets."""
    officer_area = path == OBJECTS_ALLOWED or path.startswith(OBJECTS_ALLOWED + '/')
    headers = {
        'Content-Security-Policy': POLICY.format(objects="'self'" if officer_area else "'none'"),
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'same-origin',
        'X-Frame-Options': 'DENY',
    }
    if _https:
        headers['Strict-Transport-Security'] = HSTS
    return headers


def add_missing(headers: MutableHeaders, path: str) -> None:
    """Add the security headers that an answer does not set itself (the error handlers call this too: a 500
    answer is sent by Starlette's outermost layer, outside every middleware)."""
    for name, value in security_headers(path).items():
        if name not in headers:
            headers[name] = value


class SecurityHeaders:
    """ASGI middleware: every HTTP answer gets the security headers it does not already carry."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        path = scope.get('path', '')

        async def send_with_headers(message: Message) -> None:
            if message['type'] == 'http.response.start':
                message['headers'] = list(message.get('headers', []))
                add_missing(MutableHeaders(scope=message), path)
            await send(message)

        await self.app(scope, receive, send_with_headers)
