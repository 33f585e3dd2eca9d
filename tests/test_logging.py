"""Logging, configured once: levels from APOK_LOG_LEVEL, one logger name style, and a failed request logged in one
line with its NiceGUI client id, never the data it carried."""

from __future__ import annotations

import io
import logging
import re
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from apok_ui import logging_setup
from apok_ui.config import Settings, SettingsError
from apok_ui.logging_setup import OneLineFormatter
from tests.conftest import start_server, stop_server
from tests.test_cli import run

ROOT = Path(__file__).resolve().parent.parent
APP_CODE = [*sorted((ROOT / 'apok_ui').rglob('*.py')), *sorted((ROOT / 'pages').glob('*.py')), ROOT / 'main.py']
NIK = '2171011708900002'


@pytest.fixture
def root_logging() -> Iterator[None]:
    """Put the root logger back as it was after a test configures it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def line_of(logger: logging.Logger, message: str, *args: object, exc_info: object = None) -> str:
    """Return what the one-line formatter makes of one record."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(OneLineFormatter())
    logger.addHandler(handler)
    try:
        logger.error(message, *args, exc_info=exc_info)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_the_log_level_is_warning_unless_apok_log_level_says_otherwise_in_any_case():
    assert Settings.from_env({'APOK_ENV': 'development'}).log_level == 'WARNING'
    assert Settings.from_env({'APOK_ENV': 'development', 'APOK_LOG_LEVEL': ' info '}).log_level == 'INFO'


@pytest.mark.parametrize('value', ['loud', 'verbose', '10', 'WARN'])
def test_a_bad_log_level_is_refused_in_one_line_naming_the_setting_and_its_choices(value):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({'APOK_ENV': 'development', 'APOK_LOG_LEVEL': value})
    assert str(refused.value) == f'APOK_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not {value!r}'


def test_the_server_refuses_to_start_with_a_bad_log_level_in_one_line(tmp_path):
    result = run(tmp_path, 'migrate', APOK_LOG_LEVEL='loud')
    assert result.returncode == 2 and 'APOK_LOG_LEVEL must be one of' in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_exception_is_one_line_with_its_type_and_place_and_never_its_message():
    def check_nik() -> None:
        raise ValueError(f'NIK {NIK} sudah terdaftar\nbaris kedua')

    try:
        check_nik()
    except ValueError as error:
        line = line_of(logging.getLogger('apok_ui.percobaan'), 'GET %s failed', '/ajukan/{kode}', exc_info=error)
    assert NIK not in line and 'baris kedua' not in line and 'Traceback' not in line
    assert line.count('\n') == 1, line
    expected = r'ERROR apok_ui\.percobaan: GET /ajukan/\{kode\} failed \[ValueError at tests/test_logging\.py:\d+ in '
    expected += r'check_nik\]'
    assert re.search(expected, line), line


def test_configure_writes_from_the_chosen_level_up_and_replaces_itself_when_called_again(root_logging, capsys):
    logging_setup.configure('ERROR')
    logging_setup.configure('WARNING')  # the test suite runs main.py once per test: still one handler
    logger = logging.getLogger('apok_ui.percobaan')
    logger.info('tidak terdengar')
    logger.warning('terdengar')
    written = capsys.readouterr().err.splitlines()
    assert len(written) == 1 and written[0].endswith('WARNING apok_ui.percobaan: terdengar'), written
    logging_setup.configure('INFO')
    assert logging.getLogger('fontTools').getEffectiveLevel() == logging.WARNING  # quiet renders, even at INFO


def test_every_module_names_its_logger_after_itself():
    calls = [
        (path.relative_to(ROOT), call)
        for path in [*APP_CODE, *sorted((ROOT / 'bench').glob('*.py'))]
        for call in re.findall(r'getLogger\([^)]*\)', path.read_text())
        if path.name != 'logging_setup.py'  # configures the root and uvicorn's loggers
    ]
    assert calls and all(call == 'getLogger(__name__)' for _, call in calls), calls


def test_only_the_settings_read_apok_variables():
    readers = [
        path.relative_to(ROOT)
        for path in APP_CODE
        if path.name != 'config.py' and re.search(r'(environ|getenv)[^\n]*APOK_', path.read_text())
    ]
    assert readers == []


def test_a_failing_page_is_logged_once_with_its_route_and_client_id_never_its_address_or_query_values(tmp_path):
    database = tmp_path / 'apok.db'
    server = start_server(tmp_path, f'sqlite:///{database}')
    try:
        with sqlite3.connect(database) as connection:  # a damaged database: the form cannot read its layanan
            connection.execute('ALTER TABLE layanan RENAME TO layanan_rusak')
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(f'{server.url}/ajukan/SKTM', timeout=30)
    finally:
        stop_server(server)
    assert failed.value.code == 500
    log = server.output()
    errors = [line for line in log.splitlines() if ' ERROR ' in line]
    assert len(errors) == 1, log
    client = re.search(
        r'ERROR apok_ui\.errors_http: GET /ajukan/\{kode\} failed \(client ([0-9a-f-]{36})\) ', errors[0]
    )
    assert client, errors[0]
    assert 'sqlalchemy.exc.OperationalError at apok_ui/queries/publik.py' in errors[0]
    # The query's values (the code in the address stands in for a NIK), its SQL and any traceback stay out.
    assert not any(word in log for word in ('SKTM', 'layanan_rusak', 'no such table', 'SELECT', 'Traceback')), log
