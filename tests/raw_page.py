"""A page opened the way an attacker would: plain HTTP plus a raw socket.io client that ignores every navigation.

It sends the same `event` messages NiceGUI's JavaScript sends (an element id, its listener id and the arguments),
and records every message the server pushes, so a test can tell what a page whose session ended still receives.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

import httpx
import socketio

ELEMENTS = re.compile(r'parseElements\(String\.raw`(.*?)`\)', re.S)
CLIENT_ID = re.compile(r"'client_id': '([0-9a-f-]+)'")
UNESCAPE = (('&#36;', '$'), ('&#96;', '`'), ('&gt;', '>'), ('&lt;', '<'), ('&amp;', '&'))


class RawPage:
    """One page of APOK held by a client that never follows `navigate` and keeps sending events."""

    def __init__(self, base_url: str, cookies: dict[str, str]) -> None:
        self.base_url = base_url
        self.cookies = cookies
        self.client_id = ''
        self.elements: dict[str, dict] = {}
        self.received: list[tuple[str, object]] = []
        self.sio = socketio.AsyncClient(reconnection=False)
        self.disconnected = asyncio.Event()
        self._arrived = asyncio.Event()
        self.sio.on('*', self._record)
        self.sio.on('disconnect', lambda *_: self.disconnected.set())

    async def open(self, path: str) -> httpx.Response:
        """Load a page over HTTP (no redirects followed) and remember its client and elements."""
        async with httpx.AsyncClient(base_url=self.base_url, cookies=self.cookies) as http:
            response = await http.get(path)
        match = CLIENT_ID.search(response.text)
        if response.status_code == 200 and match:
            self.client_id = match.group(1)
            raw = ELEMENTS.search(response.text).group(1)
            for old, new in UNESCAPE:
                raw = raw.replace(old, new)
            self.elements = json.loads(raw)
        return response

    async def connect(self) -> None:
        """Open the page's socket with NiceGUI's implicit handshake (as its JavaScript does)."""
        query = {
            'client_id': self.client_id,
            'tab_id': str(uuid.uuid4()),
            'document_id': str(uuid.uuid4()),
            'next_message_id': '0',
            'implicit_handshake': 'true',
        }
        header = '; '.join(f'{k}={v}' for k, v in self.cookies.items())
        await self.sio.connect(
            f'{self.base_url}?{urlencode(query)}',
            socketio_path='/_nicegui_ws/socket.io',
            transports=['websocket'],
            headers={'Cookie': header},
            wait_timeout=30,
        )

    def element(self, where: Callable[[dict], bool]) -> str:
        """Return the id of the first element (as first sent, or as updated since) that matches."""
        for element_id, element in self.elements.items():
            if where(element):
                return element_id
        raise AssertionError('no such element on the page')

    async def send(self, element_id: str, event_type: str, *args: object) -> None:
        """Send an element's event, whatever the page shows (the raw client ignores disabled states)."""
        element = self.elements[element_id]
        listener = next((e['listener_id'] for e in element.get('events', []) if e['type'] == event_type), None)
        if listener is None:
            raise KeyError(f'element {element_id} has no {event_type} listener')
        message = {'id': int(element_id), 'client_id': self.client_id, 'listener_id': listener}
        message['args'] = [json.dumps(arg) for arg in args]
        await self.sio.emit('event', message)

    async def set_value(self, element_id: str, value: object) -> None:
        """Send a new value for an element (tabs, input), as its browser widget would."""
        kinds = [e['type'] for e in self.elements[element_id].get('events', []) if e['type'].startswith('update:')]
        if not kinds:
            raise KeyError(f'element {element_id} takes no value')
        await self.send(element_id, kinds[0], value)

    async def wait_for(self, seen: Callable[[str], bool], timeout: float = 60) -> None:
        """Wait until a pushed message's text satisfies `seen` (the failure bound is generous, not a timing)."""

        async def watch() -> None:
            while not any(seen(json.dumps(data)) for _, data in self.received):
                self._arrived.clear()
                await self._arrived.wait()

        await asyncio.wait_for(watch(), timeout)

    def text_since(self, start: int) -> str:
        """Return everything pushed after the first `start` messages, as one text."""
        return '\n'.join(json.dumps(data) for _, data in self.received[start:])

    async def close(self) -> None:
        """Close the socket if it is still open."""
        if self.sio.connected:
            await self.sio.disconnect()

    async def _record(self, event: str, data: object = None) -> None:
        self.received.append((event, data))
        if event == 'update' and isinstance(data, dict):
            for element_id, element in data.items():
                if isinstance(element, dict):
                    self.elements[element_id] = element
        self._arrived.set()


class Background:
    """An event loop in a thread of its own, for async clients in tests that also drive Playwright's sync API."""

    def __init__(self) -> None:
        import threading

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine, timeout: float = 90):  # noqa: ANN001, ANN201 (any coroutine, its result)
        """Run a coroutine on the background loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        """Stop the loop and its thread."""
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
