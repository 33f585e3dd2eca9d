"""Images wait here for a worker process (apok_ui/berkas_gambar.py): WORKERS drawn at a time, at most MAX_WAITING
waiting, each in a fresh process that is started ahead and exits after its one image.

The waiting happens in WORKERS threads of our own: an async caller awaits its image without holding a thread of
NiceGUI's, so logins and page reads never queue behind images. A form has its images drawn when they are uploaded
and keeps the drawings; Kirim's check in the service then recognises them by digest instead of drawing them again.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor

from apok_ui import berkas_gambar
from apok_ui.berkas_gambar import Ditolak
from models.jenis_berkas import TANDA

# A core stays with the event loop. A worker peaks at 80 MB for the largest PNG and 220 MB for the worst image
# allowed (a 16 MP progressive CMYK JPEG), so two at most keep an upload attack within a few hundred MB.
WORKERS = max(1, min(2, (os.cpu_count() or 1) - 1))
MAX_WAITING = 32  # images waiting or being drawn: about 20 s of work; beyond that it is an attack, not a queue
WORKER_TIMEOUT = berkas_gambar.SECONDS * 2  # wall time; the worker's own CPU cap stops it first
CAPPED = (-signal.SIGXCPU, -signal.SIGKILL)  # a worker stopped by its CPU cap or the kernel's OOM killer
REFUSED = ('besar', 'rusak')  # what a worker may answer
MEMO_SIZE = 256
MEMO_SMALL = 16 * 1024

logger = logging.getLogger(__name__)
_workers = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix='apok-gambar')
_lock = threading.Lock()
_waiting = 0
_spares: list[subprocess.Popen] = []
_memo: OrderedDict[str, bytes | None] = OrderedDict()


def draw(isi: bytes, jenis: str) -> tuple[bytes, str]:
    """Return the image drawn anew by a worker and the drawing's SHA-256, waiting for it; call from a thread.

    Kirim's check: the form's bytes are a drawing already, found by the one digest that is also stored with it.
    """
    digest = hashlib.sha256(isi).hexdigest()
    known = _recall(isi, digest)
    if known is isi:
        return isi, digest
    clean = known or _queue(isi, jenis).result()
    return clean, hashlib.sha256(clean).hexdigest()


async def draw_async(isi: bytes, jenis: str) -> bytes:
    """Return the image drawn anew by a worker; the event loop serves everyone else meanwhile.

    An upload is looked up by its digest only when small (a big one is never a drawing remembered by its bytes):
    a photo is hashed once on its way in, when its drawing is remembered.
    """
    known = _recall(isi, hashlib.sha256(isi).hexdigest()) if len(isi) <= MEMO_SMALL else None
    return known or await asyncio.wrap_future(_queue(isi, jenis))


def _queue(isi: bytes, jenis: str) -> Future[bytes]:
    """Queue one image for a worker, or refuse it when the queue is full (each waiting image holds its bytes)."""
    global _waiting
    with _lock:
        if _waiting >= MAX_WAITING:
            raise Ditolak('sibuk')
        _waiting += 1
    future = _workers.submit(_draw_in_worker, isi, jenis)
    future.add_done_callback(_leave_queue)
    return future


def _leave_queue(_: Future) -> None:
    global _waiting
    with _lock:
        _waiting -= 1


def _draw_in_worker(isi: bytes, jenis: str) -> bytes:
    """Hand the image to a worker process and return its drawing; raise Ditolak for what it refused or lost."""
    worker = _take_worker()
    try:
        out, _ = worker.communicate(json.dumps({'jenis': jenis}).encode() + b'\n' + isi, timeout=WORKER_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as error:
        worker.kill()
        worker.wait()
        logger.warning('APOK: pemeriksa gambar tidak selesai (%s)', type(error).__name__)
        raise Ditolak('gagal') from None
    head, _, clean = out.partition(b'\n')
    answer = _json_object(head)
    if worker.returncode != 0 or answer is None:
        logger.warning('APOK: pemeriksa gambar berhenti dengan kode %s', worker.returncode)
        # stopped by a signal: its CPU or memory cap (SIGXCPU, the OOM killer) or a crash on a crafted file
        raise Ditolak('besar' if worker.returncode in CAPPED else 'gagal')
    if answer.get('kode') in REFUSED:
        raise Ditolak(answer['kode'])
    if answer.get('kode') or not clean.startswith(TANDA[jenis]):
        raise Ditolak('gagal')
    _remember(isi, clean)
    return clean


def _take_worker() -> subprocess.Popen:
    """Return a worker started beforehand (Python and Pillow loaded, waiting for its image) and start the next.

    Each worker draws one image and exits; the spare makes that cost nothing to the citizen who waits.
    """
    with _lock:
        ready = _spares.pop() if _spares else None
        _spares.append(_start_worker())
    return ready if ready is not None and ready.poll() is None else _start_worker()


def _start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, '-I', berkas_gambar.__file__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={'PATH': os.environ.get('PATH', ''), 'LC_ALL': 'C.UTF-8'},  # no secrets where hostile bytes go
    )


def warm_up() -> None:
    """Start the first image worker now, so the first upload does not wait for a Python to start."""
    with _lock:
        if not _spares:
            _spares.append(_start_worker())


@atexit.register
def _stop_spares() -> None:
    """Let the waiting workers go: a closed stdin ends them."""
    with _lock:
        for worker in _spares:
            with contextlib.suppress(OSError):
                worker.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.wait(timeout=2)
        _spares.clear()


def _json_object(line: bytes) -> dict | None:
    try:
        answer = json.loads(line)
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


def _recall(isi: bytes, digest: str) -> bytes | None:
    """Return what a worker drew from these bytes (their SHA-256 `digest`) before: the same bytes when they are a
    worker's own drawing.

    A form has each image drawn when it is uploaded and keeps the drawing; Kirim's check in the service finds it
    here instead of decoding it a second time. Only digests are kept, and the drawings of tiny images.
    """
    with _lock:
        if digest not in _memo:
            return None
        _memo.move_to_end(digest)
        kept = _memo[digest]
    return isi if kept is None else kept


def _remember(isi: bytes, clean: bytes) -> None:
    with _lock:
        _memo[hashlib.sha256(clean).hexdigest()] = None
        if len(isi) <= MEMO_SMALL and len(clean) <= MEMO_SMALL:
            _memo[hashlib.sha256(isi).hexdigest()] = clean
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
