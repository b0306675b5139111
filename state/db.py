"""The durable state beside the graph: registrations, curation changes and coordinator tokens.

Where it lives (the *state location*): a folder, holding one SQLite database
(``{state_dir}/kringloop.sqlite``, the default), or a ``postgresql://`` URL (``KRINGLOOP_STATE_URL``), so
that several app replicas share one state. Both get the same schema from the same numbered migrations
(``MIGRATIONS``); callers write SQL once with ``?`` placeholders, and a connection here adapts it.

PostgreSQL: every write transaction first takes one transaction-level advisory lock, so writers are
serialised exactly as SQLite's ``BEGIN IMMEDIATE`` serialises them (the curation re-check relies on
it); commits are durable with PostgreSQL's defaults (``synchronous_commit=on``, fsync of the WAL).

Storage choice for the default: one SQLite database rather than the Oxigraph store.

- Atomicity: every write is one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``). SQLite's WAL journal
  makes a crash at any moment (SIGKILL, power loss) leave either the state before or after that
  transaction: a half-written transaction is never visible after recovery.
- Durability: ``synchronous=FULL`` fsyncs the WAL at every commit, so an acknowledged write (the HTTP
  answer is sent after ``COMMIT`` returns) survives a crash of the process *and* of the machine. The
  WAL default ``NORMAL`` could lose the last commits on power loss; the cost of FULL is one fsync per
  write, which is nothing next to the rates a registration form sees.
- Why not the Oxigraph store: the public store is rebuilt from ``data/`` and republished as a new
  generation (``kg.store.write_store``); private registrations must never enter it, and curation must
  survive a rebuild, so both live outside it. SQLite also gives online backups (``backup``) for free.
- Concurrency: WAL lets readers run while one writer commits; ``busy_timeout`` makes a second writer
  (another thread or process) wait instead of failing.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import StateUnavailable

DB_NAME = "kringloop.sqlite"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
WRITE_LOCK = 7_355_001          # the advisory lock id every PostgreSQL write transaction takes
PUBLISH_LOCK = 7_355_002        # one curation publisher at a time, across replicas
CONNECT_TIMEOUT_S = 10          # a PostgreSQL that does not answer within this is reported unavailable

# (version, SQLite DDL, PostgreSQL DDL): applied in order, each in one transaction, never edited once released
MIGRATIONS: list[tuple[int, str, str]] = [
    (1, """
CREATE TABLE IF NOT EXISTS registrations (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    nis_code TEXT,
    profile TEXT NOT NULL,
    n_groups INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS registration_groups (
    registration_id TEXT NOT NULL REFERENCES registrations(id),
    group_code TEXT NOT NULL,
    PRIMARY KEY (registration_id, group_code)
);
CREATE TABLE IF NOT EXISTS curation_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('case', 'organisation')),
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'correct', 'retire')),
    record TEXT,
    triples TEXT NOT NULL,
    base_iri TEXT NOT NULL,
    source_url TEXT NOT NULL,
    agent TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT
);
CREATE TABLE IF NOT EXISTS curation_entities (
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES curation_changes(seq),
    retired INTEGER NOT NULL,
    PRIMARY KEY (kind, entity_id)
);
CREATE TABLE IF NOT EXISTS tokens (
    token_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    salt BLOB NOT NULL,
    hash BLOB NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS tokens_active_name ON tokens(name) WHERE revoked_at IS NULL;
""", """
CREATE TABLE IF NOT EXISTS registrations (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    nis_code TEXT,
    profile TEXT NOT NULL,
    n_groups INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS registration_groups (
    registration_id TEXT NOT NULL REFERENCES registrations(id),
    group_code TEXT NOT NULL,
    PRIMARY KEY (registration_id, group_code)
);
CREATE TABLE IF NOT EXISTS curation_changes (
    seq BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('case', 'organisation')),
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'correct', 'retire')),
    record TEXT,
    triples TEXT NOT NULL,
    base_iri TEXT NOT NULL,
    source_url TEXT NOT NULL,
    agent TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT
);
CREATE TABLE IF NOT EXISTS curation_entities (
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    seq BIGINT NOT NULL REFERENCES curation_changes(seq),
    retired INTEGER NOT NULL,
    PRIMARY KEY (kind, entity_id)
);
CREATE TABLE IF NOT EXISTS tokens (
    token_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    salt BYTEA NOT NULL,
    hash BYTEA NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS tokens_active_name ON tokens(name) WHERE revoked_at IS NULL;
"""),
    # a registration's groups keep the order they were given in (SQLite's rowid did that implicitly)
    (2, """
ALTER TABLE registration_groups ADD COLUMN position INTEGER;
UPDATE registration_groups SET position = rowid;
""", """
ALTER TABLE registration_groups ADD COLUMN IF NOT EXISTS position INTEGER;
"""),
    # token buckets shared by app replicas (state/ratebuckets.py): one row per limit and client, holding the
    # limit in force so that pruning knows when a bucket is full again. Only the PostgreSQL state uses it (with
    # SQLite, one machine, each process keeps its buckets in memory); SQLite gets it too so both schemas match.
    (3, """
CREATE TABLE IF NOT EXISTS rate_buckets (
    name TEXT NOT NULL,
    client TEXT NOT NULL,
    rate REAL NOT NULL,
    burst REAL NOT NULL,
    tokens REAL NOT NULL,
    updated_at REAL NOT NULL,
    granted INTEGER NOT NULL,
    PRIMARY KEY (name, client)
);
""", """
CREATE TABLE IF NOT EXISTS rate_buckets (
    name TEXT NOT NULL,
    client TEXT NOT NULL,
    rate DOUBLE PRECISION NOT NULL,
    burst DOUBLE PRECISION NOT NULL,
    tokens DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL,
    granted BOOLEAN NOT NULL,
    PRIMARY KEY (name, client)
);
"""),
    # the base dataset of the last published build (state/base_dataset.py): a replica with no build/ composes
    # curation's generations from it; one row, replaced by each `kringloop build --publish`
    (4, """
CREATE TABLE IF NOT EXISTS base_dataset (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    sha256 TEXT NOT NULL,
    base_iri TEXT NOT NULL,
    size INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    generation TEXT,
    nquads_gz BLOB NOT NULL
);
""", """
CREATE TABLE IF NOT EXISTS base_dataset (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    sha256 TEXT NOT NULL,
    base_iri TEXT NOT NULL,
    size BIGINT NOT NULL,
    recorded_at TEXT NOT NULL,
    generation TEXT,
    nquads_gz BYTEA NOT NULL
);
"""),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def is_postgres(location: Any) -> bool:
    return isinstance(location, str) and location.startswith(POSTGRES_SCHEMES)


def db_path(state_dir: Path) -> Path:
    return Path(state_dir) / DB_NAME


def describe(location: Any) -> str:
    """The location for messages, without a password."""
    if not is_postgres(location):
        return str(db_path(location))
    scheme, _, rest = location.partition("://")
    credentials, at, host = rest.rpartition("@")
    return f"{scheme}://{credentials.split(':')[0]}{'@' if at else ''}{host}"


def exists(location: Any) -> bool:
    """Whether any state was ever written there (a read-only app leaves no empty database behind)."""
    if is_postgres(location):
        return True
    return db_path(location).exists()


class Row(dict):
    """A row readable by column name and by position (as ``sqlite3.Row`` is)."""

    def __init__(self, names: list[str], values: tuple) -> None:
        super().__init__(zip(names, values))
        self._values = tuple(values)

    def __getitem__(self, key: Any) -> Any:
        return self._values[key] if isinstance(key, int) else super().__getitem__(key)


class Connection:
    """One database connection, SQLite or PostgreSQL, taking SQL with ``?`` placeholders."""

    def __init__(self, raw: Any, *, postgres: bool) -> None:
        self.raw = raw
        self.postgres = postgres

    def _sql(self, sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s") if self.postgres else sql

    def execute(self, sql: str, params: Any = ()) -> Any:
        if not self.postgres:
            return self.raw.execute(sql, params)
        cursor = self.raw.cursor()
        cursor.execute(self._sql(sql), tuple(params))
        return cursor

    def executemany(self, sql: str, rows: Any) -> None:
        rows = list(rows)
        if not rows:
            return
        if not self.postgres:
            self.raw.executemany(sql, rows)
            return
        with self.raw.cursor() as cursor:
            cursor.executemany(self._sql(sql), rows)

    def close(self) -> None:
        self.raw.close()


def _row_factory(cursor: Any) -> Any:
    names = [c.name for c in cursor.description or []]
    return lambda values: Row(names, values)


def _migrate(conn: Connection) -> None:
    """Bring the schema to SCHEMA_VERSION, one migration per transaction (safe when replicas start together)."""
    if conn.postgres:
        with transaction(conn):
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
            for version, _, ddl in MIGRATIONS:
                if version > current:
                    conn.raw.execute(ddl)
                    conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
        return
    if conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
        return
    for version, ddl, _ in MIGRATIONS:
        # one transaction each, re-checked inside, so two processes starting together cannot both apply it
        conn.raw.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] < version:
                for statement in filter(str.strip, ddl.split(";")):
                    conn.raw.execute(statement)
                conn.raw.execute(f"PRAGMA user_version={int(version)}")
        except BaseException:
            conn.raw.execute("ROLLBACK")
            raise
        conn.raw.execute("COMMIT")


_POSTGRES = threading.local()   # one open connection per thread and URL: connecting costs milliseconds
_MIGRATED: set[str] = set()


def connect(location: Any) -> Connection:
    """A connection with the durability settings above; the schema is brought up to date on first use."""
    if is_postgres(location):
        import psycopg

        try:
            raw = psycopg.connect(location, autocommit=True, row_factory=_row_factory, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.OperationalError as exc:   # down, unreachable, refusing: the caller answers 503, not 500
            raise StateUnavailable("the state database cannot be reached; try again shortly",
                                   detail=f"{describe(location)}: {' '.join(str(exc).split())}") from None
        conn = Connection(raw, postgres=True)
        if location not in _MIGRATED:
            _migrate(conn)
            _MIGRATED.add(location)
        return conn
    state_dir = Path(location)
    state_dir.mkdir(parents=True, exist_ok=True)
    # autocommit off at the driver level: we issue BEGIN IMMEDIATE / COMMIT ourselves
    raw = sqlite3.connect(db_path(state_dir), timeout=30.0, isolation_level=None, check_same_thread=False)
    raw.row_factory = sqlite3.Row
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    raw.execute("PRAGMA foreign_keys=ON")
    raw.execute("PRAGMA busy_timeout=30000")
    conn = Connection(raw, postgres=False)
    _migrate(conn)
    return conn


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """One atomic write, serialised with every other writer (SQLite: BEGIN IMMEDIATE takes the write lock
    up front, so no deadlock on upgrade; PostgreSQL: the advisory write lock, held until COMMIT)."""
    if conn.postgres:
        conn.raw.execute("BEGIN")
        conn.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
    else:
        conn.raw.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.raw.execute("ROLLBACK")
        raise
    conn.raw.execute("COMMIT")


@contextmanager
def opened(location: Any) -> Iterator[Connection]:
    if is_postgres(location):
        cached = getattr(_POSTGRES, "connections", None)
        if cached is None:
            cached = _POSTGRES.connections = {}
        conn = cached.pop(location, None)
        if conn is None or conn.raw.closed or conn.raw.info.transaction_status != 0:
            conn = connect(location)
        try:
            yield conn
        except BaseException:
            conn.close()   # a failed connection is not reused
            raise
        cached[location] = conn
        return
    conn = connect(location)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def publish_lock(location: Any) -> Iterator[None]:
    """One publisher at a time, across processes (SQLite: a lock file beside the database) and across
    replicas (PostgreSQL: a session advisory lock); the loser then publishes the newer state."""
    if is_postgres(location):
        conn = connect(location)
        try:
            conn.raw.execute("SELECT pg_advisory_lock(%s)", (PUBLISH_LOCK,))
            yield
        finally:
            conn.close()   # ends the session, which releases the lock even if unlocking was never reached
        return
    Path(location).mkdir(parents=True, exist_ok=True)
    with open(Path(location) / "publish.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def backup(state_dir: Path, target: Path) -> Path:
    """A consistent copy of the state database, taken online (writers may keep going)."""
    _sqlite_only(state_dir, "backup", "pg_dump")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    with opened(state_dir) as source:
        dest = sqlite3.connect(tmp)
        try:
            source.raw.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        finally:
            dest.close()
    _fsync(tmp)
    os.replace(tmp, target)
    return target


def restore(state_dir: Path, source: Path) -> Path:
    """Replace the state database with a backup (stop the server first); the old one is kept aside."""
    _sqlite_only(state_dir, "restore", "pg_restore")
    source = Path(source)
    if not source.is_file():
        raise FileNotFoundError(f"no backup file at {source}")
    check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise ValueError(f"{source} is damaged (integrity check failed)")
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{source} is not a Kringloop backup ({exc})") from None
    finally:
        check.close()
    if not {"registrations", "curation_changes", "tokens"} <= tables:
        raise ValueError(f"{source} is not a Kringloop backup (tables missing)")
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    live = db_path(state_dir)
    if live.exists():  # kept beside it, in case the wrong backup was restored
        backup(state_dir, live.with_name(live.name + ".before-restore"))
    tmp = live.with_name(live.name + ".restore-tmp")
    dest = sqlite3.connect(tmp)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()
    _fsync(tmp)
    for suffix in ("-wal", "-shm"):  # a stale WAL must not be replayed onto the restored file
        live.with_name(live.name + suffix).unlink(missing_ok=True)
    os.replace(tmp, live)
    return live


class StateLocationError(ValueError):
    """A command that only works for one kind of state location."""


def _sqlite_only(location: Any, what: str, tool: str) -> None:
    if is_postgres(location):
        raise StateLocationError(f"{what} works on the SQLite state; for PostgreSQL ({describe(location)}) use {tool}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


__all__ = ["MIGRATIONS", "Connection", "StateLocationError", "backup", "connect", "db_path", "describe", "exists",
           "is_postgres", "opened", "publish_lock", "restore", "transaction"]
