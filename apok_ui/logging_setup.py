"""Logging, configured once at start-up (main.py): one format on stderr, the level from APOK_LOG_LEVEL.

Every record is one line, and an exception is written as its type and where it was raised, never as its message
or a traceback: the text of a database error carries the values of its query (a NIK, a name, a phone number).
A failed request is logged once, by apok_ui/errors_http.py, with the NiceGUI client id; uvicorn's own traceback of
the same exception is dropped. Modules log through `logging.getLogger(__name__)`.
"""

from __future__ import annotations

import contextlib
import logging
import traceback
from pathlib import Path

FORMAT = '%(asctime)s %(levelname)s %(name)s: %(message)s'
ROOT = Path(__file__).resolve().parent.parent  # APOK's own files are named from here
LOGGED_MARK = '_apok_logged'
CHATTY = ('weasyprint.progress', 'fontTools')  # their INFO lines narrate every letter rendered: heard at DEBUG only


class OneLineFormatter(logging.Formatter):
    """Format a record as one line; an exception as its type and place, without its message."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as one line (the record itself is left as it was, for any other handler)."""
        text = FORMAT % {
            'asctime': self.formatTime(record, self.datefmt),
            'levelname': record.levelname,
            'name': record.name,
            'message': record.getMessage().strip(),
        }
        if record.exc_info and record.exc_info[1] is not None:
            text = f'{text} [{describe(record.exc_info[1])}]'
        return ' | '.join(part.strip() for part in text.splitlines() if part.strip())


def describe(error: BaseException) -> str:
    """Return an exception's type and where it was raised (in APOK's code, and deepest), never its message."""
    kind = type(error)
    name = kind.__qualname__ if kind.__module__ == 'builtins' else f'{kind.__module__}.{kind.__qualname__}'
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return name
    ours = [frame for frame in frames if _is_ours(frame.filename)]
    places = [_place(frame) for frame in (ours[-1:] + frames[-1:])]
    return f'{name} at {" via ".join(dict.fromkeys(places))}'


def mark_logged(error: BaseException) -> None:
    """Note that an exception's one line is written: the server's own traceback of it is then dropped."""
    with contextlib.suppress(AttributeError):  # a type without attributes: the server may log it a second time
        setattr(error, LOGGED_MARK, True)


def quiet(*names: str) -> None:
    """Let only errors of these libraries' loggers through (their warnings are about the public's input)."""
    for name in names:
        logging.getLogger(name).setLevel(logging.ERROR)


def configure(level: str) -> None:
    """Write every logger's records from `level` up to stderr, one line each (calling it again replaces it)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h.formatter, OneLineFormatter)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.NOTSET if level == 'DEBUG' else logging.WARNING)
    server = logging.getLogger('uvicorn.error')
    if not any(isinstance(f, _AlreadyLogged) for f in server.filters):
        server.addFilter(_AlreadyLogged())


class _AlreadyLogged(logging.Filter):
    """Drop the server's record of an exception whose one line apok_ui/errors_http.py wrote already."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not getattr(error, LOGGED_MARK, False)


def _is_ours(filename: str) -> bool:
    path = Path(filename)
    return path.is_relative_to(ROOT) and '.venv' not in path.parts and 'site-packages' not in path.parts


def _place(frame: traceback.FrameSummary) -> str:
    path = Path(frame.filename)
    if _is_ours(frame.filename):
        shown = str(path.relative_to(ROOT))
    elif 'site-packages' in path.parts:
        shown = '/'.join(path.parts[path.parts.index('site-packages') + 1 :])
    else:
        shown = path.name
    return f'{shown}:{frame.lineno} in {frame.name}'
