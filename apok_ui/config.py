"""Settings from APOK_* environment variables: the only place that reads them."""

from __future__ import annotations

import json
import os
import re
import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ENVIRONMENTS = ('development', 'production')
WEAK_SECRETS = {'', 'secret', 'changeme', 'change-me', 'apok', 'apok-secret', 'default', 'storage-secret'}
MIN_SECRET_LENGTH = 32
LOG_LEVELS = ('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL')
SMTP_SECURITY = {'starttls': 587, 'tls': 465, 'none': 25}  # each way of securing SMTP and its usual port
WA_FORMATS = ('json', 'form')
WA_PLACEHOLDERS = {'tujuan', 'isi'}  # the number (digits, country code first: 6281…) and the text
# Gateways whose API is known: APOK_WA_PRESET fills in what the operator did not set (docs/deploy.md).
WA_PRESETS = {
    'fonnte': {
        'url': 'https://api.fonnte.com/send',
        'header': 'Authorization',
        'body': '{"target": "{tujuan}", "message": "{isi}"}',
        'format': 'form',
    },
    'waha': {
        'url': 'http://localhost:3000/api/sendText',
        'header': 'X-Api-Key',
        'body': '{"session": "default", "chatId": "{tujuan}@c.us", "text": "{isi}"}',
        'format': 'json',
    },
}


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the variable in one line."""


ENV_LINE = re.compile(r'(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)')


def load_env_file(path: Path | None) -> None:
    """Put the settings of an env file (this one, else $APOK_ENV_FILE's, else none) into the environment, so that a
    command run by hand uses the database and folders the service uses, not ./data."""
    if path is None and os.environ.get('APOK_ENV_FILE'):
        path = Path(os.environ['APOK_ENV_FILE'])
    if path is not None:
        os.environ.update(read_env_file(path.expanduser()))


def read_env_file(path: Path) -> dict[str, str]:
    """Return the variables of an environment file as systemd's EnvironmentFile= reads it (KEY=VALUE lines, # and ;
    comments, values optionally in single or double quotes), or raise SettingsError naming the file and the line."""
    try:
        lines = path.read_text(encoding='utf-8').splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f'cannot read the env file {path}: {getattr(error, "strerror", None) or error}') from None
    variables = {}
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith(('#', ';')):
            continue
        match = ENV_LINE.fullmatch(line)
        if match is None:
            raise SettingsError(f'{path}, line {number}: expected NAME=value')
        name, value = match.groups()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in '\'"':
            value = value[1:-1]
        variables[name] = value
    return variables


@dataclass(frozen=True)
class Smtp:
    """An SMTP server that delivers APOK's email (APOK_SMTP_*)."""

    host: str
    port: int
    user: str
    password: str = field(repr=False)  # never in a log line or a traceback's locals
    sender: str = ''
    security: str = 'starttls'  # a key of SMTP_SECURITY


@dataclass(frozen=True)
class Gateway:
    """A WhatsApp gateway that takes an authenticated HTTP POST of number and text (APOK_WA_*)."""

    url: str
    header: str
    value: str = field(repr=False)  # the gateway's token
    body: str = ''  # a JSON object whose string values may hold {tujuan} and {isi}
    form: bool = False  # send the object's fields form-encoded instead of as JSON


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
    smtp: Smtp | None = None  # None: no email is sent
    whatsapp: Gateway | None = None  # None: no WhatsApp message is sent
    notif_retention_days: int = 90

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
            smtp=_smtp(env),
            whatsapp=_gateway(env),
            notif_retention_days=_int(env, 'APOK_NOTIF_RETENTION_DAYS', 90, 1, 3650),
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


def _smtp(env: Mapping[str, str]) -> Smtp | None:
    host = env.get('APOK_SMTP_HOST', '').strip()
    if not host:
        return None
    security = env.get('APOK_SMTP_SECURITY', '').strip().lower() or 'starttls'
    if security not in SMTP_SECURITY:
        raise SettingsError(f'APOK_SMTP_SECURITY must be one of {", ".join(SMTP_SECURITY)}, not {security!r}')
    sender = env.get('APOK_SMTP_FROM', '').strip()
    if '@' not in sender:
        raise SettingsError(
            f'APOK_SMTP_FROM must be the sender address (e.g. APOK <apok@example.go.id>), not {sender!r}'
        )
    user, password = env.get('APOK_SMTP_USER', '').strip(), env.get('APOK_SMTP_PASSWORD', '')
    if bool(user) != bool(password):
        raise SettingsError('APOK_SMTP_USER and APOK_SMTP_PASSWORD must be set together (or neither)')
    port = _int(env, 'APOK_SMTP_PORT', SMTP_SECURITY[security], 1, 65535)
    return Smtp(host=host, port=port, user=user, password=password, sender=sender, security=security)


def _gateway(env: Mapping[str, str]) -> Gateway | None:
    name = env.get('APOK_WA_PRESET', '').strip().lower()
    if name and name not in WA_PRESETS:
        raise SettingsError(f'APOK_WA_PRESET must be one of {", ".join(WA_PRESETS)}, not {name!r}')
    preset = WA_PRESETS.get(name, {})
    url = env.get('APOK_WA_URL', '').strip() or preset.get('url', '')
    if not url:
        return None
    if not url.startswith(('http://', 'https://')) or len(url.split('://', 1)[1].split('/')[0]) == 0:
        raise SettingsError(f'APOK_WA_URL must be an http:// or https:// address, not {url!r}')
    fmt = env.get('APOK_WA_FORMAT', '').strip().lower() or preset.get('format', 'json')
    if fmt not in WA_FORMATS:
        raise SettingsError(f'APOK_WA_FORMAT must be one of {", ".join(WA_FORMATS)}, not {fmt!r}')
    body = env.get('APOK_WA_BODY', '').strip() or preset.get('body', '')
    _check_wa_body(body, form=fmt == 'form')
    header = env.get('APOK_WA_AUTH_HEADER', '').strip() or preset.get('header', 'Authorization')
    if not header.replace('-', '').isalnum():
        raise SettingsError(f'APOK_WA_AUTH_HEADER must be a header name such as Authorization, not {header!r}')
    value = env.get('APOK_WA_AUTH_VALUE', '').strip()
    return Gateway(url=url, header=header, value=value, body=body, form=fmt == 'form')


def _check_wa_body(body: str, *, form: bool) -> None:
    """Refuse a body template that is not a JSON object using exactly the known placeholders."""
    name = 'APOK_WA_BODY'
    try:
        template = json.loads(body)
    except ValueError:
        raise SettingsError(
            f'{name} must be a JSON object such as {{"target": "{{tujuan}}", "message": "{{isi}}"}}'
        ) from None
    if not isinstance(template, dict) or not template:
        raise SettingsError(f'{name} must be a JSON object of the fields the gateway takes')
    if form and not all(isinstance(v, str) for v in template.values()):
        raise SettingsError(f'{name} must have text values only when APOK_WA_FORMAT=form')
    used: set[str] = set()
    for text in _strings(template):
        try:
            used |= {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
        except ValueError:
            raise SettingsError(f'{name} has an unpaired brace in {text!r}') from None
    unknown = used - WA_PLACEHOLDERS
    if unknown:
        raise SettingsError(f'{name} may use only {{tujuan}} and {{isi}}, not {{{sorted(unknown)[0]}}}')
    if used != WA_PLACEHOLDERS:
        raise SettingsError(f'{name} must use both {{tujuan}} (the number) and {{isi}} (the text)')


def _strings(value: object) -> list[str]:
    """Return every string inside a JSON value (the places a placeholder may be)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
