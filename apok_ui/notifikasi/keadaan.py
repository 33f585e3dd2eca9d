"""How this process's channels stand, in one Indonesian line each, for the superadmin's Pesan page.

Set when the sender is installed (which channels the settings configure), after the start-up check (can the
server be reached) and after every send (the last answer of a server that is down or refusing us). Each process
keeps its own: with several processes the page shows the state seen by the process serving it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

from models.kabar import Kanal
from models.waktu import format_waktu, now

if TYPE_CHECKING:
    from apok_ui.notifikasi.saluran import Jawaban, Saluran

OFF = (
    'Pengiriman pesan mati: belum ada kanal yang diatur (APOK_SMTP_HOST untuk email, APOK_WA_PRESET atau '
    'APOK_WA_URL untuk WhatsApp). APOK tetap berjalan seperti biasa.'
)
OFF_LOG = 'notifications are off: no channel is configured (APOK_SMTP_HOST for email, APOK_WA_PRESET or APOK_WA_URL)'

_lock = threading.Lock()
_where: dict[Kanal, str] = {}
_lines: dict[Kanal, tuple[bool, str]] = {}  # per configured channel: (working, what is known)


def configure(channels: Mapping[Kanal, Saluran]) -> None:
    """Start over with the channels the settings configure, none of them checked yet."""
    with _lock:
        _where.clear()
        _lines.clear()
        for kanal, channel in channels.items():
            _where[kanal] = channel.describe()
            _lines[kanal] = (True, 'belum diperiksa')


def after_probe(kanal: Kanal, problem: str | None) -> None:
    """Note the start-up check's outcome."""
    with _lock:
        if kanal in _where:
            _lines[kanal] = (problem is None, problem or 'dapat dihubungi')


def after_send(kanal: Kanal, jawaban: Jawaban) -> None:
    """Note a send's outcome: a server that answered, or one that is down or refusing our credentials."""
    if not jawaban.ok and not jawaban.retry:
        return  # this message was refused; the channel itself works
    with _lock:
        if kanal not in _where:
            return  # a sender this process did not install (a test's, a benchmark's)
        if jawaban.ok:
            _lines[kanal] = (True, f'terakhir terkirim {format_waktu(now())}')
        else:
            _lines[kanal] = (False, f'{jawaban.teks} ({format_waktu(now())})')


def lines() -> list[tuple[bool, str]]:
    """Return one (working, line) per channel, or the one line that sending is off."""
    with _lock:
        if not _lines:
            return [(False, OFF)]
        shown = []
        for kanal in Kanal:
            if kanal not in _lines:
                shown.append((False, f'{kanal.label}: tidak diatur'))
                continue
            ok, text = _lines[kanal]
            shown.append((ok, f'{kanal.label}: {"siap" if ok else "bermasalah"} · {_where[kanal]} · {text}'))
        return shown
