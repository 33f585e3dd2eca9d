"""Start-up to the first 200 (issue 18): `python main.py` on an existing SQLite database beside a bare NiceGUI app
(one page, no APOK code) started the same way, alternated in one run so that a busy machine weighs on both alike.

    .venv/bin/python bench/startup.py [--rounds 5]

The clock starts at the spawn and stops at the first 200 of GET /login (APOK) or GET / (the floor).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = """
from nicegui import ui

@ui.page('/')
def index():
    ui.label('floor')

ui.run(host='127.0.0.1', port={port}, show=False, reload=False, show_welcome_message=False, storage_secret='x')
"""


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def time_to_first_200(command: list[str], url: str, env: dict[str, str]) -> float:
    """Return the seconds from spawning the command to the first 200 of url; stop the process."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f'{command} exited with {process.returncode}')
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    if answer.status == 200:
                        return time.monotonic() - started
            except OSError:
                time.sleep(0.02)
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=5)
    rounds = parser.parse_args().rounds
    data = Path(tempfile.mkdtemp(prefix='apok-startup-'))
    base = {k: v for k, v in os.environ.items() if not k.startswith(('APOK_', 'NICEGUI_'))}
    apok_env = {**base, 'APOK_ENV': 'development', 'APOK_DATA_DIR': str(data), 'APOK_DEMO': '0'}
    floor_file = data / 'floor.py'
    apok, floor = [], []
    subprocess.run([sys.executable, 'main.py', 'migrate'], cwd=ROOT, env=apok_env, check=True, capture_output=True)
    for _ in range(rounds):
        port = free_port()
        apok.append(
            time_to_first_200(
                [sys.executable, 'main.py'], f'http://127.0.0.1:{port}/login', {**apok_env, 'APOK_PORT': str(port)}
            )
        )
        port = free_port()
        floor_file.write_text(FLOOR.replace('{port}', str(port)))
        floor.append(time_to_first_200([sys.executable, str(floor_file)], f'http://127.0.0.1:{port}/', base))
    a, f = statistics.median(apok), statistics.median(floor)
    print(f'start-up to first 200, median of {rounds}: APOK {a:.2f} s, bare NiceGUI {f:.2f} s, ratio {a / f:.1f}x')
    print('APOK  ', ' '.join(f'{t:.2f}' for t in apok))
    print('floor ', ' '.join(f'{t:.2f}' for t in floor))


if __name__ == '__main__':
    main()
