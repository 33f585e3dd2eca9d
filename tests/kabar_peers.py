"""Real protocol peers on loopback for the notification tests and bench/notifikasi.py: an SMTP server (aiosmtpd)
and an HTTP server standing in for a WhatsApp gateway. Each records what it received and lets a test wait for
the n-th message (an event, never a time), and each can hold one message's answer to leave it "in flight".
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from aiosmtpd.controller import Controller

DEADLINE = 60.0  # seconds: a net against a hang, never how long anything is expected to take


def free_port() -> int:
    """Return a loopback port nobody listens on (yet), below the ephemeral range: a connection to a closed port
    there can never be given that same port as its own and connect to itself."""
    while True:
        port = random.randrange(20_000, 32_000)
        with socket.socket() as probe:
            try:
                probe.bind(('127.0.0.1', port))
            except OSError:
                continue
            return port


@dataclass
class Received:
    """What a peer received, in order, with the moment each arrived (time.perf_counter)."""

    items: list[dict] = field(default_factory=list)
    at: list[float] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    hold_at: int | None = None  # the answer to this message (1-based) waits until `release` is set
    held: threading.Event = field(default_factory=threading.Event)  # set once that message arrived
    release: threading.Event = field(default_factory=threading.Event)

    def add(self, item: dict) -> bool:
        """Record one message; return whether its answer must wait for `release`."""
        with self.changed:
            self.items.append(item)
            self.at.append(time.perf_counter())
            count = len(self.items)
            self.changed.notify_all()
        if count == self.hold_at:
            self.held.set()
            return True
        return False

    def wait_for(self, count: int, *, deadline: float = DEADLINE) -> list[dict]:
        """Block until at least `count` messages arrived; fail after the deadline."""
        with self.changed:
            if not self.changed.wait_for(lambda: len(self.items) >= count, timeout=deadline):
                raise AssertionError(f'the peer received {len(self.items)} messages, not {count}')
            return list(self.items)

    def keys(self) -> list[str]:
        """Return the APOK keys of what arrived, in order."""
        with self.changed:
            return [item['kunci'] for item in self.items]


class SmtpPeer:
    """A real SMTP server (aiosmtpd) on loopback, in its own thread."""

    def __init__(
        self, *, port: int | None = None, reject: Callable[[str], str | None] | None = None, meet: int = 1
    ) -> None:
        self.received = Received()
        self.reject = reject  # recipient → an SMTP reply ('550 …') to refuse it with, or None
        self.meet = meet  # no answer to any message until this many connections have sent one
        self.peers: set[tuple] = set()
        self._met: asyncio.Event | None = None
        self.port = port or free_port()
        self.controller = Controller(self, hostname='127.0.0.1', port=self.port)

    def __enter__(self) -> SmtpPeer:
        self.controller.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.received.release.set()
        self.controller.stop()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        refusal = self.reject(address) if self.reject else None
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content)
        item = {
            'kunci': message['X-APOK-Kunci'],
            'to': envelope.rcpt_tos[0],
            'subject': str(message['Subject']),
            'body': message.get_payload(decode=True).decode(),
            'peer': session.peer,
        }
        self.peers.add(session.peer)
        if self.meet > 1:
            self._met = self._met or asyncio.Event()
            if len(self.peers) >= self.meet:
                self._met.set()
            await asyncio.wait_for(self._met.wait(), DEADLINE)
        if self.received.add(item):
            await asyncio.get_running_loop().run_in_executor(None, self.received.release.wait, DEADLINE)
        return '250 2.0.0 Ok: queued'


class GatewayPeer:
    """A WhatsApp gateway stand-in: an HTTP server on loopback answering each POST with `answer(n)` (status,
    body) for the n-th request; it records the fields of the ones it answers with 2xx."""

    def __init__(self, *, port: int | None = None, answer: Callable[[int], tuple[int, str]] | None = None) -> None:
        self.received = Received()
        self.requests = 0
        self.headers: list[dict[str, str]] = []
        self.answer = answer or (lambda n: (200, '{"status": true, "detail": "success! message in queue"}'))
        self.port = port or free_port()
        self.url = f'http://127.0.0.1:{self.port}/send'
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    def start(self) -> GatewayPeer:
        """Start listening (a gateway that was down comes back)."""
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                raw = self.rfile.read(int(self.headers.get('Content-Length', 0))).decode()
                if self.headers.get('Content-Type', '').startswith('application/json'):
                    fields = json.loads(raw)
                else:
                    fields = {k: v[0] for k, v in parse_qs(raw).items()}
                with peer._lock:
                    peer.requests += 1
                    n = peer.requests
                    peer.headers.append(dict(self.headers))
                status, body = peer.answer(n)
                if 200 <= status < 300 and peer.received.add({**fields, 'kunci': _key_of(fields)}):
                    peer.received.release.wait(DEADLINE)
                encoded = body.encode()
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(encoded)))
                self.end_headers()
                self.wfile.write(encoded)

            def log_message(self, *_: object) -> None:
                pass

        self._server = ThreadingHTTPServer(('127.0.0.1', self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening (the gateway goes down)."""
        self.received.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> GatewayPeer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def _key_of(fields: dict) -> str:
    """Return the APOK key a test wrote at the start of the text ('[kunci] …'), or the whole text."""
    text = str(fields.get('message') or fields.get('text') or '')
    return text[1 : text.index(']')] if text.startswith('[') and ']' in text else text
