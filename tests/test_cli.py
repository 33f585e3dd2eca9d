"""`python main.py …` as an operator types it: clear one-line errors with exit code 2, backups that restore."""

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, inspect, text

from apok_ui import db, services
from apok_ui.security import BLOCK_AFTER_FAILURES
from apok_ui.services import LoginRefused
from models.akses import CAMAT_SUDAH_ADA
from models.waktu import now
from tests.conftest import PG_ADMIN, _postgres_available, submit

ROOT = Path(__file__).resolve().parent.parent
NIP = '197002022000031005'


def environment(data_dir: Path, **env: str) -> dict[str, str]:
    """An operator's shell: production settings, nothing of the test run's own APOK_/NICEGUI_/PYTEST_ variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(('APOK_', 'NICEGUI_', 'PYTEST_'))}
    return {**clean, 'APOK_ENV': 'production', 'APOK_DATA_DIR': str(data_dir), **env}


def run(tmp_path: Path, *args: str, stdin: str = '', **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, 'main.py', *args],
        cwd=ROOT,
        env=environment(tmp_path / 'data', **env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def start(data_dir: Path, *args: str, **env: str) -> subprocess.Popen:
    """Start `python main.py …` without waiting for it (as systemd starts a unit); stderr is kept for the test."""
    return subprocess.Popen(
        [sys.executable, 'main.py', *args],
        cwd=ROOT,
        env=environment(data_dir, **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def add_officer(tmp_path: Path, peran: str, *args: str) -> subprocess.CompletedProcess:
    """Run `petugas tambah` for Raja Hamzah (NIP) with the password Rahasia2026 typed at the prompt."""
    command = ('petugas', 'tambah', '--nip', NIP, '--nama', 'Raja Hamzah', '--peran', peran, *args)
    return run(tmp_path, *command, stdin='Rahasia2026\n')


def test_petugas_tambah_adds_an_officer_who_can_then_log_in(tmp_path):
    result = add_officer(tmp_path, 'camat', '--kecamatan', 'batam kota')
    assert result.returncode == 0, result.stderr
    assert f'petugas {NIP} (camat) added' in result.stdout
    db.init(f'sqlite:///{tmp_path / "data" / "apok.db"}')
    assert services.authenticate(nip=NIP, password='Rahasia2026').petugas_id == 1


def test_petugas_tambah_with_the_services_env_file_writes_into_its_database_and_says_which(tmp_path):
    service_db = tmp_path / 'srv' / 'apok.db'
    env_file = tmp_path / 'apok.env'
    env_file.write_text(
        '# /etc/apok/apok.env\n'
        f'APOK_DATA_DIR="{tmp_path / "srv"}"\n'
        f"APOK_DATABASE_URL='sqlite:///{service_db}'\n"
        '\n'
        'APOK_ENV=production\n'
    )
    command = ('petugas', 'tambah', '--nip', NIP, '--nama', 'Raja Hamzah', '--peran', 'superadmin')
    result = run(tmp_path, *command, '--env-file', str(env_file), stdin='Rahasia2026\n')
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f'database: sqlite:///{service_db}'
    assert service_db.exists() and not (tmp_path / 'data').exists()  # not ./data, the shell's default
    again = run(tmp_path, 'petugas', 'buka-kunci', '--nip', NIP, APOK_ENV_FILE=str(env_file))  # the same, by variable
    assert again.returncode == 0 and again.stdout.startswith(f'database: sqlite:///{service_db}\n'), again.stderr


@pytest.mark.parametrize(
    ('content', 'message'),
    [(None, 'cannot read the env file'), ('APOK_ENV=production\nAPOK DEMO=1\n', 'line 2: expected NAME=value')],
)
def test_a_missing_or_malformed_env_file_is_one_line_and_exit_code_2(tmp_path, content, message):
    env_file = tmp_path / 'apok.env'
    if content is not None:
        env_file.write_text(content)
    result = run(tmp_path, '--env-file', str(env_file), 'migrate')
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / 'data').exists()


def test_petugas_tambah_refuses_a_second_active_definitive_camat_as_the_admin_page_does(tmp_path):
    assert add_officer(tmp_path, 'camat', '--kecamatan', 'Batam Kota').returncode == 0
    second = ('petugas', 'tambah', '--nip', '197002022000031006', '--nama', 'Tengku Said', '--peran', 'camat')
    refused = run(tmp_path, *second, '--kecamatan', 'Batam Kota', stdin='Rahasia2026\n')
    assert refused.returncode == 2
    assert refused.stderr.strip() == f'apok: {CAMAT_SUDAH_ADA}'
    acting = run(tmp_path, *second, '--kecamatan', 'Batam Kota', '--jabatan', 'Plt. Camat', stdin='Rahasia2026\n')
    assert acting.returncode == 0, acting.stderr


@pytest.mark.parametrize(
    ('args', 'stdin', 'message'),
    [
        (['--nip', '12345678901234567', '--peran', 'admin', '--kecamatan', 'Nongsa'], 'Rahasia2026\n', '18 angka'),
        (['--nip', NIP, '--peran', 'lurah', '--kecamatan', 'Nongsa'], 'Rahasia2026\n', 'Peran tidak dikenal'),
        (['--nip', NIP, '--peran', 'admin', '--kecamatan', 'Atlantis'], 'Rahasia2026\n', 'Kecamatan tidak dikenal'),
        (['--nip', NIP, '--peran', 'admin', '--kecamatan', 'Nongsa'], 'pendek\n', 'minimal 8'),
        (['--nip', NIP, '--peran', 'admin', '--kecamatan', 'Nongsa'], 'a1' + 'é' * 40 + '\n', 'maksimal 72 karakter'),
        (['--nip', NIP, '--peran', 'admin', '--kecamatan', 'Nongsa'], '', 'no password given'),
        (['--peran', 'admin'], '', 'required'),
    ],
)
def test_petugas_tambah_refuses_bad_arguments_in_one_line_with_exit_code_2(tmp_path, args, stdin, message):
    result = run(tmp_path, 'petugas', 'tambah', '--nama', 'Raja Hamzah', *args, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert 'Traceback' not in result.stderr


def test_petugas_buka_kunci_lets_a_blocked_superadmin_in_again(tmp_path):
    assert add_officer(tmp_path, 'superadmin').returncode == 0
    db.init(f'sqlite:///{tmp_path / "data" / "apok.db"}')
    start = now()
    for n in range(BLOCK_AFTER_FAILURES):  # an attacker, a minute apart, from the superadmin's own office address
        with pytest.raises(LoginRefused):
            services.authenticate(nip=NIP, password='salah12345', ip='10.0.0.9', at=start + timedelta(minutes=n))
    later = start + timedelta(minutes=BLOCK_AFTER_FAILURES)
    with pytest.raises(LoginRefused, match='Coba lagi dalam'):
        services.authenticate(nip=NIP, password='Rahasia2026', ip='10.0.0.9', at=later)
    db.get().dispose()
    result = run(tmp_path, 'petugas', 'buka-kunci', '--nip', NIP)  # another process: the counts live in the database
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f'database: sqlite:///{tmp_path / "data" / "apok.db"}',
        f'login of petugas {NIP} unlocked ({BLOCK_AFTER_FAILURES} failed attempts for it forgotten)',
    ]
    assert services.authenticate(nip=NIP, password='Rahasia2026', ip='10.0.0.9', at=later).petugas_id == 1
    with db.get().engine.connect() as conn:
        detail = conn.execute(text("SELECT detail FROM auditlog WHERE aksi = 'buka_kunci'")).scalar_one()
    assert detail == f'oleh baris perintah: {BLOCK_AFTER_FAILURES} percobaan gagal untuk NIP ini dihapus'


@pytest.mark.parametrize(
    ('args', 'message'),
    [
        (['--nip', '12345'], '18 angka'),
        (['--nip', '199901012020011999'], 'Tidak ada petugas dengan NIP 199901012020011999'),
        ([], 'required'),
    ],
)
def test_petugas_buka_kunci_refuses_bad_input_in_one_line_with_exit_code_2(tmp_path, args, message):
    assert add_officer(tmp_path, 'superadmin').returncode == 0
    result = run(tmp_path, 'petugas', 'buka-kunci', *args)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ('args', 'env', 'message'),
    [
        (['terbang'], {}, 'invalid choice'),
        (['backup'], {}, 'required'),
        (['migrate'], {'APOK_PORT': 'delapan'}, 'APOK_PORT must be a whole number'),
        (['migrate'], {'APOK_DATABASE_URL': 'postgres://x@y/z'}, 'postgresql+psycopg://'),
        (['migrate'], {'APOK_DEMO': 'mungkin'}, 'APOK_DEMO must be 1 or 0'),
        ([], {}, 'APOK_STORAGE_SECRET must be set'),
        ([], {'APOK_STORAGE_SECRET': 'secret'}, 'APOK_STORAGE_SECRET must be set'),
    ],
)
def test_bad_commands_and_settings_get_one_line_and_exit_code_2(tmp_path, args, env, message):
    result = run(tmp_path, *args, **env)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_backup_then_restore_gives_back_the_same_rows(sqlite_url, app_people, tmp_path):
    for n in range(3):
        submit(seq=n)
    database_file = sqlite_url.removeprefix('sqlite:///')
    env = {'APOK_DATABASE_URL': sqlite_url}
    backup = tmp_path / 'cadangan.db'
    assert run(tmp_path, 'backup', str(backup), **env).returncode == 0
    before = rows(database_file)
    submit(seq=9)
    db.get().dispose()
    assert rows(database_file) != before
    result = run(tmp_path, 'restore', str(backup), **env)
    assert result.returncode == 0, result.stderr
    assert rows(database_file) == before
    assert run(tmp_path, 'backup', str(backup), **env).returncode == 2  # never overwrites an existing file


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / 'bukan.db'
    junk.write_text('hello')
    result = run(tmp_path, 'restore', str(junk))
    assert result.returncode == 2 and 'is not an APOK backup' in result.stderr


def rows(database_file: str) -> list[tuple]:
    engine = create_engine(f'sqlite:///{database_file}')
    with engine.connect() as conn:
        result = conn.execute(text('SELECT nomor_pendaftaran, status, version FROM pengurusan ORDER BY id')).all()
        result += conn.execute(text('SELECT pengurusan_id, aksi FROM riwayat ORDER BY id')).all()
    engine.dispose()
    return [tuple(r) for r in result]


def test_migrate_upgrades_an_empty_sqlite_database(tmp_path):
    url = f'sqlite:///{tmp_path / "kosong.db"}'
    result = run(tmp_path, 'migrate', APOK_DATABASE_URL=url)
    assert result.returncode == 0 and 'up to date' in result.stdout
    assert {'pengurusan', 'riwayat', 'pengurusan_nama'} <= set(inspect(create_engine(url)).get_table_names())


@pytest.fixture
def empty_postgres(request: pytest.FixtureRequest) -> Iterator[str]:
    """Yield the URL of a new, empty PostgreSQL database (dropped afterwards)."""
    if not _postgres_available():
        pytest.skip('PostgreSQL is not reachable')
    name = f'apok_cli_{os.getpid()}'
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        conn.execute(f'CREATE DATABASE {name}')
    try:
        yield f'postgresql+psycopg://postgres@127.0.0.1:5432/{name}'
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')


def counts(url: str, *tables: str) -> list[int]:
    """Return how many rows each table holds."""
    engine = create_engine(url)
    with engine.connect() as conn:
        found = [conn.execute(text(f'SELECT count(*) FROM {table}')).scalar_one() for table in tables]
    engine.dispose()
    return found


def test_migrate_upgrades_an_empty_postgresql_database(tmp_path, empty_postgres):
    assert run(tmp_path, 'migrate', APOK_DATABASE_URL=empty_postgres).returncode == 0
    engine = create_engine(empty_postgres)
    assert {'pengurusan', 'riwayat', 'kecamatan'} <= set(inspect(engine).get_table_names())
    engine.dispose()
    assert counts(empty_postgres, 'kelurahan') == [64]


def test_two_processes_started_together_on_an_empty_postgresql_database_both_start_and_seed_it_once(
    tmp_path, empty_postgres
):
    both = [start(tmp_path / f'data-{n}', 'migrate', APOK_DATABASE_URL=empty_postgres) for n in (1, 2)]  # two units
    results = [(process.wait(timeout=120), process.stderr.read()) for process in both]
    assert results == [(0, ''), (0, '')]
    assert counts(empty_postgres, 'kecamatan', 'kelurahan') == [12, 64]


def test_demo_refuses_a_database_that_already_has_officers(tmp_path):
    add_officer(tmp_path, 'superadmin')
    result = run(tmp_path, 'demo')
    assert result.returncode == 2 and 'already has officers' in result.stderr
