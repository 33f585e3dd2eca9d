"""What a starting server tells its operator: the address it really answers at (its port included), and a warning
when a production server's APOK_BASE_URL is a loopback address (the QR codes of its letters would point at itself)."""

from __future__ import annotations

import re

import pytest

from apok_ui import db
from apok_ui.cli import loopback_warning
from apok_ui.config import Settings
from tests.conftest import start_server, stop_server

SECRET = 'Zq7!pW2#xL9@vB4$nM6%tR8^kD1&hF3*'  # 32 mixed characters: production accepts it


def test_a_production_server_on_a_loopback_base_url_warns_and_prints_its_own_address(sqlite_url, app_people, tmp_path):
    db.get().dispose()
    server = start_server(tmp_path, sqlite_url, APOK_ENV='production', APOK_DEMO='1', APOK_STORAGE_SECRET=SECRET)
    try:
        port = server.url.rsplit(':', 1)[1]
        output = server.output()
        assert f'open http://127.0.0.1:{port}/login' in output and 'localhost:8080' not in output
        assert re.search(r'warning: APOK_BASE_URL is http://127\.0\.0\.1:\d+, a loopback address', output)
    finally:
        stop_server(server)


@pytest.mark.parametrize(
    ('env', 'warns'),
    [
        ({'APOK_ENV': 'production', 'APOK_BASE_URL': 'http://localhost:8080'}, True),
        ({'APOK_ENV': 'production', 'APOK_BASE_URL': 'http://[::1]:8080'}, True),
        ({'APOK_ENV': 'production', 'APOK_BASE_URL': 'https://apok.batam.go.id'}, False),
        ({'APOK_ENV': 'production', 'APOK_BASE_URL': 'http://10.1.2.3:8080'}, False),
        ({'APOK_ENV': 'development', 'APOK_BASE_URL': 'http://localhost:8080'}, False),
    ],
)
def test_only_production_on_a_loopback_address_is_warned_about(env, warns):
    settings = Settings.from_env({**env, 'APOK_STORAGE_SECRET': SECRET})
    assert (loopback_warning(settings) is not None) == warns


def test_make_runs_address_follows_apok_port(tmp_path):
    settings = Settings.from_env({'APOK_ENV': 'development', 'APOK_PORT': '8123', 'APOK_DATA_DIR': str(tmp_path)})
    assert settings.base_url == 'http://localhost:8123'
