"""What closed Ajukan tabs leave in a real server (issue 19): open a tab, upload a file into its form, close it, 200
times; then count the objects the server's garbage collector tracks once NiceGUI has deleted every closed tab's client.

    .venv/bin/python bench/closed_tabs.py                       # this checkout
    .venv/bin/python bench/closed_tabs.py --root /tmp/before    # another checkout (git worktree), same venv

A real `main.py` (started through bench/live.py's wrapper, which adds the in-process monitor of bench/floor_app.py)
on a fresh SQLite file with APOK_RECONNECT_TIMEOUT=3. A tab is a GET of /ajukan/SKTM, a socket.io connection as
nicegui.js makes it, one PDF posted to the page's first upload address, then the disconnection. The count is taken
after a full collection: at the start (one tab opened and closed before, to warm the caches), with every tab closed
but not yet deleted, and once the server reports no NiceGUI client left: the deletion itself, not a time, is waited
for.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.live import APOK_WRAPPER, QUERY_CLIENT_ID, QUERY_NEXT_ID, SOCKETIO_PATH  # noqa: E402
from tests.conftest import free_port, stop_server, wait_until_answers  # noqa: E402

UPLOAD = re.compile(r'/_nicegui/client/[0-9a-f-]+/upload/\d+')
PDF = b'%PDF-1.4\n' + b'0' * 20_000 + b'\n%%EOF\n'


class Server:
    def __init__(self, root: Path, work: Path) -> None:
        port = free_port()
        self.url = f'http://127.0.0.1:{port}'
        self.log = work / 'server.log'
        env = {
            'PATH': os.environ.get('PATH', ''),
            'HOME': os.environ.get('HOME', ''),
            'APOK_ENV': 'development',
            'APOK_DEMO': '0',
            'APOK_DATA_DIR': str(work / 'data'),
            'APOK_DATABASE_URL': f'sqlite:///{work / "apok.db"}',
            'APOK_PORT': str(port),
            'APOK_HOST': '127.0.0.1',
            'APOK_BASE_URL': self.url,
            'APOK_RECONNECT_TIMEOUT': '3',
            'NICEGUI_STORAGE_PATH': str(work / 'nicegui'),
        }
        with open(self.log, 'wb') as out:
            self.process = subprocess.Popen(
                [sys.executable, '-c', APOK_WRAPPER], cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        wait_until_answers(self, f'{self.url}/login', name='APOK', timeout=120)

    def output(self) -> str:
        return self.log.read_text(errors='replace')


async def heap(http, server: Server) -> dict:
    response = await http.get(f'{server.url}/__bench/heap', params={'collect': True}, timeout=120)
    return response.json()


async def one_tab(http, server: Server) -> None:
    """Open Ajukan as a browser does (page, socket.io), post a PDF to its first upload, close the tab."""
    import socketio

    page = (await http.get(f'{server.url}/ajukan/SKTM', timeout=60)).text
    client_id = QUERY_CLIENT_ID.search(page).group(1)
    query = {
        'client_id': client_id,
        'next_message_id': QUERY_NEXT_ID.search(page).group(1),
        'implicit_handshake': 'true',
        'document_id': str(uuid.uuid4()),
        'tab_id': str(uuid.uuid4()),
    }
    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(
        f'{server.url}?{urlencode(query)}', transports=['websocket'], socketio_path=SOCKETIO_PATH, wait_timeout=30
    )
    answer = await http.post(
        server.url + UPLOAD.search(page).group(0), files={'berkas': ('ktp.pdf', PDF, 'application/pdf')}, timeout=60
    )
    if answer.status_code != 200:
        raise RuntimeError(f'upload answered {answer.status_code}: {answer.text}')
    await sio.disconnect()


async def run(args: argparse.Namespace) -> None:
    import httpx

    with tempfile.TemporaryDirectory() as folder:
        server = Server(args.root.resolve(), Path(folder))
        try:
            async with httpx.AsyncClient() as http:
                await one_tab(http, server)
                await until_no_clients(http, server)
                start = await heap(http, server)
                began = time.monotonic()
                for start_index in range(0, args.tabs, args.parallel):
                    count = min(args.parallel, args.tabs - start_index)
                    await asyncio.gather(*(one_tab(http, server) for _ in range(count)))
                opened = time.monotonic() - began
                closed = await heap(http, server)
                waited = await until_no_clients(http, server)
                after = await heap(http, server)
        finally:
            stop_server(server)
    tabs = args.tabs
    print(
        f'| {args.root} | {tabs} tabs in {opened:.0f} s | objects at start | all closed, not yet deleted '
        '| clients deleted | kept per tab |'
    )
    print('|---|---|---:|---:|---:|---:|')
    print(
        f'| GC-tracked objects | (deleted after {waited:.0f} s) | {start["objects"]:,} | {closed["objects"]:,} '
        f'| {after["objects"]:,} | {(after["objects"] - start["objects"]) / tabs:.0f} |'
    )


async def until_no_clients(http, server: Server, timeout: float = 300) -> float:
    """Wait until the server has deleted every NiceGUI client (its own count, asked without collecting)."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        response = await http.get(f'{server.url}/__bench/heap', params={'collect': False}, timeout=60)
        if response.json()['clients'] == 0:
            return time.monotonic() - began
        await asyncio.sleep(0.5)
    raise RuntimeError('clients were not deleted')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--tabs', type=int, default=200)
    parser.add_argument('--parallel', type=int, default=4)
    parser.add_argument('--root', type=Path, default=ROOT, help='the checkout whose main.py runs (default: this one)')
    asyncio.run(run(parser.parse_args()))


if __name__ == '__main__':
    main()
