"""The ways a message leaves APOK: email over SMTP (stdlib smtplib) and WhatsApp through an HTTP gateway (httpx).

A channel sends one message and says how it went: delivered, worth another try later (the server is down, busy or
refused our credentials: nothing is wrong with the message), or refused for good (the server rejected this message
or recipient: SMTP 5xx, HTTP 4xx). Every call blocks; the sender (pengirim.py) calls them in its worker thread,
never on the event loop. Nothing here touches the database.
"""

from __future__ import annotations

import hashlib
import json
import smtplib
import socket
import ssl
import string
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from apok_ui.config import Gateway, Settings, Smtp
from models.kabar import Kanal

TIMEOUT_SECONDS = 20.0  # one attempt at most this long; the sender's lease allows for two of them
ANSWER_MAX = 500  # as much of a server's answer as the queue keeps (Pesan.jawaban)
SMTP_AUTH_CODES = {530, 534, 535, 538}  # our login was refused: the setting is wrong, not the message
HTTP_RETRY_CODES = {401, 403, 408, 425, 429}  # our token, a timeout, too many requests: try again later


@dataclass(frozen=True)
class Kiriman:
    """One claimed message, as a channel needs it."""

    id: int
    kunci: str
    kanal: Kanal
    tujuan: str
    subjek: str
    isi: str


@dataclass(frozen=True)
class Jawaban:
    """How one attempt went: `ok`, or a failure that is worth another try (`retry`) or final; `teks` is the
    server's own answer, shown to the superadmin."""

    ok: bool
    retry: bool
    teks: str

    @classmethod
    def delivered(cls, teks: str) -> Jawaban:
        """Return a delivery."""
        return cls(True, False, teks[:ANSWER_MAX])

    @classmethod
    def later(cls, teks: str) -> Jawaban:
        """Return a failure worth another attempt after the backoff."""
        return cls(False, True, teks[:ANSWER_MAX])

    @classmethod
    def refused(cls, teks: str) -> Jawaban:
        """Return a failure that no retry will change."""
        return cls(False, False, teks[:ANSWER_MAX])


class Saluran(Protocol):
    """A channel: blocking calls, made from the sender's worker thread."""

    kanal: Kanal

    def send(self, kiriman: Kiriman) -> Jawaban:
        """Send one message and return how it went (never raise for a server's or network's failure)."""

    def probe(self) -> str | None:
        """Return why the channel cannot work now (one line), or None when it can; sends nothing."""

    def describe(self) -> str:
        """Return where the channel sends, without secrets (e.g. 'smtp.example.go.id:587, starttls')."""

    def close(self) -> None:
        """Let go of any open connection (the sender calls it when the queue is empty)."""


def from_settings(settings: Settings) -> dict[Kanal, Saluran]:
    """Return the channels the settings configure (none: APOK sends nothing)."""
    channels: dict[Kanal, Saluran] = {}
    if settings.smtp is not None:
        channels[Kanal.EMAIL] = Email(settings.smtp)
    if settings.whatsapp is not None:
        channels[Kanal.WHATSAPP] = WhatsApp(settings.whatsapp)
    return channels


class Email:
    """Email over SMTP: one connection for a run of messages, closed when the queue is empty."""

    kanal = Kanal.EMAIL

    def __init__(self, smtp: Smtp, *, timeout: float = TIMEOUT_SECONDS) -> None:
        self.smtp = smtp
        self.timeout = timeout
        self._conn: smtplib.SMTP | None = None

    def describe(self) -> str:
        """Return the server and how the connection is secured."""
        return f'{self.smtp.host}:{self.smtp.port}, {self.smtp.security}'

    def send(self, kiriman: Kiriman) -> Jawaban:
        """Send one email; the answer is the server's reply (its code and text) or why it could not be reached."""
        message = self._message(kiriman)
        try:
            refused = self._connection().send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            return _smtp_reply(code, reply)
        except smtplib.SMTPResponseException as error:
            self.close()
            return _smtp_reply(error.smtp_code, error.smtp_error)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            return Jawaban.later(f'Tidak dapat terhubung ke server email {self.describe()}: {_reason(error)}')
        if refused:  # only one recipient: a refusal raises above; kept for completeness
            code, reply = next(iter(refused.values()))
            return _smtp_reply(code, reply)
        return Jawaban.delivered('Diterima server email')

    def probe(self) -> str | None:
        """Connect, secure and log in as sending would, then leave; return the problem or None."""
        try:
            self._connection()
        except smtplib.SMTPResponseException as error:
            return f'server email {self.describe()} menolak: {error.smtp_code} {_text(error.smtp_error)}'
        except (smtplib.SMTPException, OSError) as error:
            return f'tidak dapat terhubung ke server email {self.describe()}: {_reason(error)}'
        finally:
            self.close()
        return None

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (smtplib.SMTPException, OSError):
                conn.close()

    def _connection(self) -> smtplib.SMTP:
        if self._conn is not None:
            return self._conn
        s = self.smtp
        if s.security == 'tls':
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                s.host, s.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
        try:
            if s.security == 'starttls':
                conn.starttls(context=ssl.create_default_context())
            if s.user:
                conn.login(s.user, s.password)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return conn

    def _message(self, kiriman: Kiriman) -> EmailMessage:
        message = EmailMessage()
        message['From'] = self.smtp.sender
        message['To'] = kiriman.tujuan
        message['Subject'] = kiriman.subjek or 'APOK'
        message['Date'] = formatdate(localtime=True)
        # The queue's key names the message: a copy sent again after a crash carries the same id, so mail
        # programs that look at it show one message.
        digest = hashlib.sha256(kiriman.kunci.encode()).hexdigest()[:20]
        message['Message-ID'] = f'<apok.{kiriman.id}.{digest}@{self.smtp.sender.split("@")[-1].strip("> ")}>'
        message['X-APOK-Kunci'] = kiriman.kunci
        message.set_content(kiriman.isi)
        return message


class WhatsApp:
    """WhatsApp through a gateway: one authenticated POST of the body template filled with number and text."""

    kanal = Kanal.WHATSAPP

    def __init__(self, gateway: Gateway, *, timeout: float = TIMEOUT_SECONDS) -> None:
        self.gateway = gateway
        self.timeout = timeout
        self._template = json.loads(gateway.body)  # checked by apok_ui.config
        headers = {'User-Agent': 'APOK'}
        if gateway.value:
            headers[gateway.header] = gateway.value
        self._client = httpx.Client(timeout=timeout, headers=headers)

    def describe(self) -> str:
        """Return the gateway's address without its query (which may hold a token)."""
        parts = urlsplit(self.gateway.url)
        return f'{parts.scheme}://{parts.netloc}{parts.path}'

    def send(self, kiriman: Kiriman) -> Jawaban:
        """Post one message; the answer is the gateway's status and body, or why it could not be reached."""
        fields = fill(self._template, tujuan=digits(kiriman.tujuan), isi=kiriman.isi)
        try:
            if self.gateway.form:
                response = self._client.post(self.gateway.url, data=fields)
            else:
                response = self._client.post(self.gateway.url, json=fields)
        except httpx.TimeoutException:
            return Jawaban.later(f'Gateway WhatsApp {self.describe()} tidak menjawab dalam {self.timeout:.0f} detik')
        except httpx.HTTPError as error:
            return Jawaban.later(f'Tidak dapat terhubung ke gateway WhatsApp {self.describe()}: {_reason(error)}')
        return http_verdict(response.status_code, response.text)

    def probe(self) -> str | None:
        """Check that the gateway's host answers a TCP connection (a probe must not send a message)."""
        parts = urlsplit(self.gateway.url)
        port = parts.port or (443 if parts.scheme == 'https' else 80)
        try:
            socket.create_connection((parts.hostname or '', port), timeout=self.timeout).close()
        except OSError as error:
            return f'tidak dapat terhubung ke gateway WhatsApp {self.describe()}: {_reason(error)}'
        return None

    def close(self) -> None:
        """Nothing to let go of: httpx keeps its pool, which closes idle connections itself."""


def http_verdict(status: int, body: str) -> Jawaban:
    """Return how a gateway's answer counts: 2xx delivered, unless its JSON says `"status": false` (Fonnte answers
    200 with a reason); 4xx refused for good, except our token or too many requests; the rest later."""
    text = ' '.join(body.split())
    answer = f'HTTP {status}: {text}' if text else f'HTTP {status}'
    if 200 <= status < 300:
        reason = _status_false(body)
        return Jawaban.delivered(answer) if reason is None else Jawaban.later(f'HTTP {status}: {reason}')
    if 400 <= status < 500 and status not in HTTP_RETRY_CODES:
        return Jawaban.refused(answer)
    return Jawaban.later(answer)


def fill(template: object, *, tujuan: str, isi: str) -> object:
    """Return the body template with {tujuan} and {isi} filled into its strings (the values are data, never
    read as a template themselves)."""
    if isinstance(template, str):
        return string.Formatter().vformat(template, (), {'tujuan': tujuan, 'isi': isi})
    if isinstance(template, dict):
        return {key: fill(value, tujuan=tujuan, isi=isi) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(value, tujuan=tujuan, isi=isi) for value in template]
    return template


def digits(tujuan: str) -> str:
    """Return a number as gateways take it: digits only, the country code first ('+62812…' → '62812…')."""
    return ''.join(ch for ch in tujuan if ch.isdigit())


def _status_false(body: str) -> str | None:
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    if isinstance(answer, dict) and answer.get('status') is False:
        return str(answer.get('reason') or answer.get('detail') or answer.get('message') or 'status false')
    return None


def _smtp_reply(code: int, reply: bytes | str) -> Jawaban:
    answer = f'{code} {_text(reply)}'
    if 500 <= code < 600 and code not in SMTP_AUTH_CODES:
        return Jawaban.refused(answer)
    return Jawaban.later(answer)


def _text(reply: bytes | str) -> str:
    text = reply.decode('utf-8', 'replace') if isinstance(reply, bytes) else str(reply)
    return ' '.join(text.split())


def _reason(error: BaseException) -> str:
    """Return an error's own words in one line (a socket error's strerror, not its repr)."""
    text = getattr(error, 'strerror', None) or str(error) or type(error).__name__
    return ' '.join(str(text).split())
