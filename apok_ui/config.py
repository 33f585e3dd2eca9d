"""Settings from APOK_* environment variables: the only place that reads them."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENVIRONMENTS = ('development', 'production')
WEAK_SECRETS = {'', 'secret', 'changeme', 'change-me', 'apok', 'apok-secret', 'default', 'storage-secret'}
MIN_SECRET_LENGTH = 32
LOG_LEVELS = ('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL')


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the variable in one line."""


@dataclass(frozen=True)
class Settings:
    """Everything APOK can be configured with."""

    env: str
    data_dir: Path
    database_url: str
    host: str
    port: int
    storage_secret: str
    base_url: str
    demo: bool
    max_upload_mb: int
    session_idle_minutes: float
    session_max_hours: int
    reconnect_timeout: float
    log_level: str = 'WARNING'

    @property
    def development(self) -> bool:
        """Return whether this is a developer's machine (generated secret allowed)."""
        return self.env == 'development'

    @property
    def max_upload_bytes(self) -> int:
        """Return the upload limit in bytes."""
        return self.max_upload_mb * 1024 * 1024

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Return the settings from the environment, or raise SettingsError naming the first bad variable."""
        env = os.environ if environ is None else environ
        mode = env.get('APOK_ENV', 'production').strip().lower()
        if mode not in ENVIRONMENTS:
            raise SettingsError(f'APOK_ENV must be one of {", ".join(ENVIRONMENTS)}, not {mode!r}')
        data_dir = Path(env.get('APOK_DATA_DIR', 'data')).expanduser().resolve()
        port = _int(env, 'APOK_PORT', 8080, 1, 65535)
        return cls(
            env=mode,
            data_dir=data_dir,
            database_url=_database_url(env, data_dir),
            host=env.get('APOK_HOST', '0.0.0.0' if mode == 'production' else '127.0.0.1'),
            port=port,
            storage_secret=env.get('APOK_STORAGE_SECRET', ''),
            base_url=_base_url(env, port),
            demo=_bool(env, 'APOK_DEMO', False),
            max_upload_mb=_int(env, 'APOK_MAX_UPLOAD_MB', 5, 1, 50),
            session_idle_minutes=_idle_minutes(env, mode),
            session_max_hours=_int(env, 'APOK_SESSION_MAX_HOURS', 12, 1, 72),
            reconnect_timeout=float(_int(env, 'APOK_RECONNECT_TIMEOUT', 60, 3, 600)),
            log_level=_log_level(env),
        )

    def resolve_storage_secret(self) -> str:
        """Return the secret that signs sessions: refused if missing or weak outside development."""
        secret = self.storage_secret.strip()
        if secret and secret.lower() not in WEAK_SECRETS and len(secret) >= MIN_SECRET_LENGTH:
            return secret
        if not self.development:
            raise SettingsError(
                f'APOK_STORAGE_SECRET must be set to a random value of at least {MIN_SECRET_LENGTH} characters '
                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        return self._development_secret()

    def _development_secret(self) -> str:
        """Return the generated secret kept under data/ on a developer's machine."""
        path = self.data_dir / 'storage-secret'
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(48)
        path.write_text(secret)
        path.chmod(0o600)
        return secret


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == '':
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f'{name} must be a whole number, not {raw!r}') from None
    if not low <= value <= high:
        raise SettingsError(f'{name} must be between {low} and {high}, not {value}')
    return value


def _idle_minutes(env: Mapping[str, str], mode: str) -> float:
    """Return the idle limit; a developer may set fractions of a minute (the tests watch a session go idle)."""
    name, raw = 'APOK_SESSION_IDLE_MINUTES', env.get('APOK_SESSION_IDLE_MINUTES', '').strip()
    if mode == 'production' or not raw:
        return _int(env, name, 120, 5, 24 * 60)
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f'{name} must be a number of minutes, not {raw!r}') from None
    if not 0.05 <= value <= 24 * 60:
        raise SettingsError(f'{name} must be between 0.05 and {24 * 60} in development, not {raw}')
    return value


def _log_level(env: Mapping[str, str]) -> str:
    raw = env.get('APOK_LOG_LEVEL', '').strip()
    if raw == '':
        return 'WARNING'
    if raw.upper() not in LOG_LEVELS:
        raise SettingsError(f'APOK_LOG_LEVEL must be one of {", ".join(LOG_LEVELS)}, not {raw!r}')
    return raw.upper()


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, '').strip().lower()
    if raw == '':
        return default
    if raw in {'1', 'true', 'yes', 'ya'}:
        return True
    if raw in {'0', 'false', 'no', 'tidak'}:
        return False
    raise SettingsError(f'{name} must be 1 or 0, not {raw!r}')


def _database_url(env: Mapping[str, str], data_dir: Path) -> str:
    url = env.get('APOK_DATABASE_URL', '').strip()
    if not url:
        return f'sqlite:///{data_dir / "apok.db"}'
    if url.startswith(('postgres://', 'postgresql://')):
        raise SettingsError(
            'APOK_DATABASE_URL must start with postgresql+psycopg:// (psycopg 3), not ' + url.split(':')[0]
        )
    if not url.startswith(('sqlite:///', 'postgresql+psycopg://')):
        raise SettingsError('APOK_DATABASE_URL must start with sqlite:/// or postgresql+psycopg://')
    return url


def _base_url(env: Mapping[str, str], port: int) -> str:
    url = env.get('APOK_BASE_URL', f'http://localhost:{port}').strip().rstrip('/')
    if not url.startswith(('http://', 'https://')):
        raise SettingsError(f'APOK_BASE_URL must start with http:// or https://, not {url!r}')
    return url
