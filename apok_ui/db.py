"""The database: engine with per-connection pragmas, short read and write sessions, and migrations.

SQLite (the default) runs in WAL mode with foreign keys and a busy timeout; writes take the lock up front with
BEGIN IMMEDIATE so two writers never deadlock halfway. PostgreSQL is used through psycopg 3.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session

from apok_ui import outbox
from apok_ui.errors import TERGANGGU, Terganggu

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / 'migrations'
BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = 'apok_write'
START_LOCK_KEY = 0x41504F4D  # 'APOM': migrating and seeding at start-up (outbox.LOCK_KEY is 'APOK')


class Database:
    """One engine and the sessions APOK opens on it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith('sqlite')
        self.engine = _sqlite_engine(url) if self.is_sqlite else _postgres_engine(url)
        self._write_engine = self.engine.execution_options(**{WRITE_OPTION: True})

    @contextmanager
    def read(self) -> Iterator[Session]:
        """Yield a session for reading; nothing it does is committed. A database out of reach raises Terganggu."""
        with _reachable(), Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """Yield a session whose work is committed together at the end, or rolled back on any error.

        The facts a service recorded for what runs after the commit (apok_ui/outbox.py) are written last, in the
        same transaction; once it committed, this process's relay delivers them. A database out of reach raises
        Terganggu (nothing was written).
        """
        with _reachable(), Session(self._write_engine, expire_on_commit=False) as session:
            with session.begin():
                yield session
                facts = outbox.write_pending(session, postgres=not self.is_sqlite)
            if facts:
                outbox.committed(facts)

    def migrate(self) -> None:
        """Bring the schema to the newest migration (safe to call on every start)."""
        if self.is_sqlite:
            Path(self.engine.url.database or '').parent.mkdir(parents=True, exist_ok=True)
        with self.engine.begin() as connection:
            config = alembic_config()
            config.attributes['connection'] = connection
            command.upgrade(config, 'head')
        self.optimize()

    @contextmanager
    def start_lock(self) -> Iterator[None]:
        """Hold the start-up lock while migrating and seeding: processes started together on one PostgreSQL database
        (two units at boot) then do it one after another, and the second finds the work done. SQLite needs none: one
        process serves a file."""
        if self.is_sqlite:
            yield
            return
        with self.engine.connect() as connection:  # its own connection: the lock is the session's, not a transaction's
            connection.execute(text('SELECT pg_advisory_lock(:key)'), {'key': START_LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(text('SELECT pg_advisory_unlock(:key)'), {'key': START_LOCK_KEY})
                connection.commit()

    def optimize(self) -> None:
        """Give SQLite's planner statistics, without which it picks the kecamatan index over the NIK index."""
        if not self.is_sqlite:
            return  # PostgreSQL's autovacuum keeps its statistics fresh
        with self.engine.begin() as connection:
            analyzed = connection.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
            ).scalar_one()
            connection.exec_driver_sql('PRAGMA optimize' if analyzed else 'ANALYZE')

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def database_down(exception: BaseException) -> bool:
    """Return whether a failure is the database out of reach: PostgreSQL refused, dropped or cancelled the
    connection (psycopg's OperationalError; bad SQL is a ProgrammingError), the pool had no connection in time, or
    SQLite stayed locked past its busy timeout. A damaged SQLite file ("no such table") is not."""
    if isinstance(exception, Terganggu | DisconnectionError | PoolTimeout):
        return True
    if not isinstance(exception, OperationalError):
        return False
    if isinstance(exception.orig, sqlite3.OperationalError):
        return 'locked' in str(exception.orig) or 'busy' in str(exception.orig)
    return True


@contextmanager
def _reachable() -> Iterator[None]:
    """Raise Terganggu, a refusal every screen shows in Indonesian, for a database out of reach; the driver's own
    message (host, port) stays in the cause, for the log."""
    try:
        yield
    except Exception as error:
        if isinstance(error, Terganggu) or not database_down(error):
            raise
        raise Terganggu(TERGANGGU) from error


def alembic_config() -> Config:
    """Return the Alembic configuration that points at migrations/."""
    config = Config()
    config.set_main_option('script_location', str(MIGRATIONS_DIR))
    return config


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={'check_same_thread': False, 'timeout': BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, 'connect')
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit transactions are unreliable).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA journal_mode=WAL')
        cursor.execute('PRAGMA foreign_keys=ON')
        cursor.execute(f'PRAGMA busy_timeout={BUSY_TIMEOUT_MS}')
        cursor.execute('PRAGMA synchronous=NORMAL')
        cursor.close()

    @event.listens_for(engine, 'begin')
    def _on_begin(connection) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql('BEGIN IMMEDIATE' if write else 'BEGIN')

    return engine


def _postgres_engine(url: str) -> Engine:
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


_current: Database | None = None


def init(url: str) -> Database:
    """Open the process's database (closing a previous one) and return it."""
    global _current
    if _current is not None:
        _current.dispose()
    _current = Database(url)
    return _current


def get() -> Database:
    """Return the process's database; init() must have been called."""
    if _current is None:
        raise RuntimeError('database not initialised: call apok_ui.db.init(url) first')
    return _current
