"""The files APOK writes hold the kecamatan's personal data: the server and the command line create them for their own
user only (files 0600, folders 0700), and NiceGUI's storage lives under APOK_DATA_DIR, not in the working
directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PHONE, start_server, stop_server
from tests.test_browser_portal import fill_form
from tests.test_cli import ROOT, add_officer, run

STORAGE_PROBE = """
import sys
from pathlib import Path

from nicegui import app

from apok_ui import data_files

data_files.keep_private()
data_files.place_storage(Path(sys.argv[1]))
app.storage.general['dicoba'] = 'ya'  # written at once: no event loop runs here
"""


def modes_that_others_can_read(folder: Path) -> dict[str, str]:
    """Return every path under folder (itself included) whose mode is not 0700 (folders) or 0600 (files)."""
    wrong = {}
    for path in (folder, *folder.rglob('*')):
        mode = path.stat().st_mode & 0o777
        if mode != (0o700 if path.is_dir() else 0o600):
            wrong[str(path.relative_to(folder.parent))] = oct(mode)
    return wrong


def test_a_citizens_application_leaves_only_private_files_in_the_data_dir(chromium, tmp_path: Path):
    data = tmp_path / 'data'
    nicegui_in_workdir = set((ROOT / '.nicegui').glob('*'))
    server = start_server(tmp_path, f'sqlite:///{data / "apok.db"}', APOK_DATA_DIR=str(data))
    context = chromium.new_context(viewport=PHONE, locale='id-ID')
    try:
        page = context.new_page()
        page.goto(f'{server.url}/ajukan/SKTM')
        page.get_by_text('Berkas Persyaratan').wait_for()
        fill_form(page, tmp_path)
        page.get_by_role('checkbox', name='Saya menyatakan').click()
        page.get_by_role('button', name='Kirim Permohonan').click()
        page.get_by_text('Permohonan terkirim').wait_for()
    finally:
        context.close()
        stop_server(server)
    assert len([path for path in (data / 'berkas').rglob('*') if path.is_file()]) == 5
    assert (data / 'apok.db').is_file()
    assert (data / 'nicegui').is_dir()
    assert modes_that_others_can_read(data) == {}
    assert set((ROOT / '.nicegui').glob('*')) == nicegui_in_workdir  # nothing new in the working directory


def test_nicegui_storage_is_written_under_the_data_dir_for_its_own_user_only(tmp_path: Path):
    workdir, storage = tmp_path / 'workdir', tmp_path / 'data' / 'nicegui'
    workdir.mkdir()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(('APOK_', 'NICEGUI_', 'PYTEST_'))}
    environment['PYTHONPATH'] = str(ROOT)
    subprocess.run(
        [sys.executable, '-c', STORAGE_PROBE, str(storage)], cwd=workdir, env=environment, check=True, timeout=120
    )
    assert list(workdir.iterdir()) == []
    assert (storage / 'storage-general.json').read_text(encoding='utf-8') == '{"dicoba":"ya"}'
    assert modes_that_others_can_read(storage) == {}


def test_the_command_line_creates_the_database_and_backups_for_its_own_user_only(tmp_path: Path):
    assert add_officer(tmp_path, 'camat', '--kecamatan', 'batam kota').returncode == 0
    backup = run(tmp_path, 'backup', str(tmp_path / 'data' / 'cadangan.db'))
    assert backup.returncode == 0, backup.stderr
    assert (tmp_path / 'data' / 'cadangan.db').is_file()
    assert modes_that_others_can_read(tmp_path / 'data') == {}
