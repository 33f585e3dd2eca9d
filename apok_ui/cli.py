"""`python main.py <command>`: serve (default), demo, petugas tambah, petugas buka-kunci, migrate, backup, restore.

Bad arguments get one clear line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import ipaddress
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from apok_ui import berkas, data_files, db, services
from apok_ui.config import Settings, SettingsError, load_env_file
from apok_ui.demo import DEMO_PASSWORD, demo_logins, seed_demo
from apok_ui.services import ServiceError
from apok_ui.services.petugas import count_petugas
from models import Peran

ENV_FILE_HELP = 'read the APOK_* settings from this file, as the systemd units do (default: $APOK_ENV_FILE)'


class UsageError(Exception):
    """A command-line mistake: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print the whole usage; one line is enough
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of every command."""
    parser = _Parser(prog='python main.py', description='APOK – Aplikasi Pelayanan Online Kecamatan')
    parser.add_argument('--env-file', type=Path, help=ENV_FILE_HELP)
    commands = parser.add_subparsers(dest='command', parser_class=_Parser)
    commands.add_parser('serve', help='start the web server (the default)')
    commands.add_parser('demo', help='seed demo officers and applications into an empty database')
    commands.add_parser('migrate', help='apply database migrations')
    petugas = commands.add_parser('petugas', help='manage officers').add_subparsers(
        dest='action', required=True, parser_class=_Parser
    )
    tambah = petugas.add_parser('tambah', help='add an officer (password from stdin)')
    tambah.add_argument('--nip', required=True, help='18-digit NIP')
    tambah.add_argument('--nama', required=True)
    tambah.add_argument('--peran', required=True, help='|'.join(r.value for r in Peran))
    tambah.add_argument('--kecamatan', help='kecamatan name (not needed for superadmin)')
    tambah.add_argument('--jabatan', default='')
    buka = petugas.add_parser('buka-kunci', help="forget an officer's failed logins, so every address may try again")
    buka.add_argument('--nip', required=True, help='18-digit NIP')
    buka.add_argument('--alamat', help='also forget every failed login from this address (IP)')
    ttd = commands.add_parser('ttd', help='electronic signatures of letters').add_subparsers(
        dest='action', required=True, parser_class=_Parser
    )
    segel = ttd.add_parser('segel', help="install a kecamatan's segel elektronik (passphrase from stdin)")
    segel.add_argument('--kecamatan', required=True, help='kecamatan name')
    segel.add_argument('--berkas', required=True, type=Path, help='PKCS#12 file (.p12/.pfx)')
    segel.add_argument('--aktifkan', action='store_true', help="also sign the kecamatan's letters with it from now on")
    akar = ttd.add_parser('akar', help='trust a root certificate (PEM or DER) for verifying letters')
    akar.add_argument('file', type=Path)
    backup = commands.add_parser('backup', help='write a consistent copy of the database to FILE')
    backup.add_argument('file', type=Path)
    restore = commands.add_parser('restore', help='replace the database with the backup in FILE')
    restore.add_argument('file', type=Path)
    _env_file_everywhere(parser)
    return parser


def _env_file_everywhere(parser: argparse.ArgumentParser) -> None:
    """Let every command take --env-file after its name too, where operators type it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                command.add_argument('--env-file', type=Path, default=argparse.SUPPRESS, help=ENV_FILE_HELP)
                _env_file_everywhere(command)


def main(argv: Sequence[str], *, serve: Callable[[Settings], None]) -> int:
    """Run one command and return the process exit code."""
    data_files.keep_private()  # first: the database, berkas, session files and backups hold personal data
    try:
        args = build_parser().parse_args(list(argv))
        load_env_file(args.env_file)  # --env-file, else $APOK_ENV_FILE: the database and folders the service uses
        settings = Settings.from_env()
        if args.command in (None, 'serve'):
            serve(settings)
            return 0
        database = open_database(settings)
        print(f'database: {database.engine.url!r}')  # which one it writes to (repr hides a password)
        return COMMANDS[args.command](args, settings)
    except (UsageError, SettingsError, ServiceError) as error:
        print(f'apok: {error}', file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def open_database(settings: Settings) -> db.Database:
    """Open and migrate the database, give a fresh one its reference data, and set the upload folder."""
    database = db.init(settings.database_url)
    try:
        with database.start_lock():  # two processes started at once on an empty database: one migrates and seeds
            database.migrate()
            services.seed_reference()
    except Exception as error:  # a wrong URL or a server that is down: say which, in one line
        raise UsageError(f'cannot open the database {database.engine.url!r}: {str(error).splitlines()[0]}') from None
    berkas.init(settings.data_dir / 'berkas', settings.max_upload_bytes)
    return database


def print_demo_logins(out=sys.stdout, *, address: str = 'http://localhost:8080') -> None:
    """Print the demo officers' logins and where to log in (the server's own address, APOK_BASE_URL)."""
    print(f'\nDemo logins (password for all: {DEMO_PASSWORD}) — open {address}/login', file=out)
    for login in demo_logins():
        print(f'  {login.nip}  {login.peran:<10}  {login.kecamatan}', file=out)


def loopback_warning(settings: Settings) -> str | None:
    """Return the start-up warning of a production server whose APOK_BASE_URL is a loopback address (the letters'
    QR codes would send every phone to itself), or None."""
    host = (urlsplit(settings.base_url).hostname or '').lower()
    loopback = host == 'localhost' or host.endswith('.localhost')
    with contextlib.suppress(ValueError):  # a name, not an address
        loopback = loopback or ipaddress.ip_address(host).is_loopback
    if settings.development or not loopback:
        return None
    return (
        f'warning: APOK_BASE_URL is {settings.base_url}, a loopback address: the QR codes of printed letters will not '
        "open on anyone else's phone; set APOK_BASE_URL to the public address (e.g. https://apok.batam.go.id)"
    )


def warn_at_start(settings: Settings, out=sys.stderr) -> None:
    """Print what an operator should fix before citizens rely on this server (one line each)."""
    warning = loopback_warning(settings)
    if warning:
        print(warning, file=out, flush=True)


def _demo(_args: argparse.Namespace, _settings: Settings) -> int:
    if count_petugas():
        raise UsageError('the database already has officers; demo data goes only into an empty database')
    print('Seeding demo data (about 20 s)…', file=sys.stderr)
    seed_demo()
    print_demo_logins()
    return 0


def _migrate(_args: argparse.Namespace, _settings: Settings) -> int:
    print('database is up to date')
    return 0


def _petugas(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == 'buka-kunci':
        return _buka_kunci(args, settings)
    password = _read_password()
    petugas = services.create_petugas(
        nip=args.nip,
        nama=args.nama,
        peran=args.peran,
        kecamatan=args.kecamatan,
        password=password,
        jabatan=args.jabatan,
    )
    print(f'petugas {petugas.nip} ({petugas.peran}) added')
    return 0


def _ttd(args: argparse.Namespace, _settings: Settings) -> int:
    from apok_ui.services import sertifikat

    try:
        isi = (args.berkas if args.action == 'segel' else args.file).read_bytes()
    except OSError as error:
        raise UsageError(f'cannot read {error.filename}: {error.strerror}') from None
    if args.action == 'akar':
        info = sertifikat.install_root(actor=None, pem=isi)
        print(f'root {info.subjek} trusted for verifying letters')
        return 0
    cara = 'segel' if args.aktifkan else None
    info = sertifikat.install_segel_at_server(kecamatan=args.kecamatan, p12=isi, sandi=_read_password(), cara=cara)
    print(f'segel {info.subjek} installed for Kecamatan {args.kecamatan}' + (' and in use' if cara else ''))
    return 0


def _buka_kunci(args: argparse.Namespace, _settings: Settings) -> int:
    cleared = services.unlock_login(nip=args.nip, ip=args.alamat)
    where = f' and address {args.alamat}' if args.alamat else ''
    print(f'login of petugas {args.nip.strip()} unlocked ({cleared} failed attempts for it{where} forgotten)')
    return 0


def _read_password() -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass('Password: ')
        if getpass.getpass('Password (again): ') != first:
            raise UsageError('the two passwords differ')
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ''
    if not line:
        raise UsageError('no password given on stdin')
    return line.rstrip('\r\n')


def _backup(args: argparse.Namespace, _settings: Settings) -> int:
    database = db.get()
    if not database.is_sqlite:
        raise UsageError(
            'for PostgreSQL use pg_dump: pg_dump --format=custom --file FILE "$DATABASE" '
            '(and pg_restore --clean to restore); see docs/deploy.md'
        )
    target: Path = args.file
    if target.exists():
        raise UsageError(f'{target} exists; choose a new file name')
    if not target.parent.exists():
        raise UsageError(f'folder {target.parent} does not exist')
    # The SQLite backup API copies a consistent snapshot while the server keeps running.
    with sqlite3.connect(database.engine.url.database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    print(f'backup written to {target} (uploads live in the berkas folder; copy it too)')
    return 0


def _restore(args: argparse.Namespace, _settings: Settings) -> int:
    database = db.get()
    if not database.is_sqlite:
        raise UsageError('for PostgreSQL restore with pg_restore --clean --dbname DATABASE FILE')
    source_path: Path = args.file
    if not source_path.is_file():
        raise UsageError(f'{source_path} is not a file')
    try:
        with sqlite3.connect(f'file:{source_path}?mode=ro', uri=True) as source:
            source.execute('SELECT count(*) FROM pengurusan').fetchone()
    except sqlite3.DatabaseError:
        raise UsageError(f'{source_path} is not an APOK backup') from None
    database.dispose()
    with sqlite3.connect(source_path) as source, sqlite3.connect(database.engine.url.database) as live:
        source.backup(live)
    print(f'database restored from {source_path}')
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    'demo': _demo,
    'migrate': _migrate,
    'petugas': _petugas,
    'ttd': _ttd,
    'backup': _backup,
    'restore': _restore,
}
