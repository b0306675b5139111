"""The durable state beside the graph: registrations, curation changes and coordinator tokens.

Storage choice: one SQLite database (``{state_dir}/kringloop.sqlite``) rather than the Oxigraph store.

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

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DB_NAME = "kringloop.sqlite"
SCHEMA_VERSION = 1

_SCHEMA = """
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
"""


def db_path(state_dir: Path) -> Path:
    return Path(state_dir) / DB_NAME


def connect(state_dir: Path) -> sqlite3.Connection:
    """A connection with the durability settings above; the schema is created on first use."""
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    # autocommit off at the driver level: we issue BEGIN IMMEDIATE / COMMIT ourselves
    conn = sqlite3.connect(db_path(state_dir), timeout=30.0, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
        # one transaction, so two processes starting together cannot see a half-made schema
        conn.executescript(f"BEGIN IMMEDIATE;\n{_SCHEMA}\nPRAGMA user_version={SCHEMA_VERSION};\nCOMMIT;")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One atomic write: BEGIN IMMEDIATE takes the write lock up front, so no deadlock on upgrade."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def opened(state_dir: Path) -> Iterator[sqlite3.Connection]:
    conn = connect(state_dir)
    try:
        yield conn
    finally:
        conn.close()


def backup(state_dir: Path, target: Path) -> Path:
    """A consistent copy of the state database, taken online (writers may keep going)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    with opened(state_dir) as source:
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        finally:
            dest.close()
    _fsync(tmp)
    os.replace(tmp, target)
    return target


def restore(state_dir: Path, source: Path) -> Path:
    """Replace the state database with a backup (stop the server first); the old one is kept aside."""
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


__all__ = ["backup", "connect", "db_path", "opened", "restore", "transaction"]
