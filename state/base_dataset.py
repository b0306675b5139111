"""The base dataset of the last published build, kept in the state so that replicas need no build/.

Curation publishes a generation from the build's base quads (``build/kringloop.nq``) minus what it
supersedes, plus its own graph (kg/curation.py). A replica that is only code and settings has no build/,
so ``kringloop build --publish`` records the build's N-Quads here (gzip-compressed, with their SHA-256,
the base IRI they were built for and the store generation they went out as), and a curator that publishes
to a store server composes from this record. One row, replaced by each publishing build: only the last
published build is a base anyone should compose from. Stored as bytes, opaque to this package.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .db import exists, opened, transaction
from .errors import StateError


@dataclass(frozen=True)
class BaseDataset:
    sha256: str
    base_iri: str
    size: int
    recorded_at: str
    generation: str | None
    nquads: bytes


def record_base(location: Any, nquads: bytes, *, base_iri: str) -> str:
    """Record ``nquads`` as the base every curator composes from; returns its SHA-256."""
    digest = hashlib.sha256(nquads).hexdigest()
    packed = gzip.compress(nquads, compresslevel=6, mtime=0)
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with opened(location) as conn, transaction(conn):
        conn.execute("INSERT INTO base_dataset (id, sha256, base_iri, size, recorded_at, generation, nquads_gz) "
                     "VALUES (1, ?, ?, ?, ?, NULL, ?) ON CONFLICT (id) DO UPDATE SET sha256 = excluded.sha256, "
                     "base_iri = excluded.base_iri, size = excluded.size, recorded_at = excluded.recorded_at, "
                     "generation = NULL, nquads_gz = excluded.nquads_gz",
                     (digest, base_iri, len(nquads), at, packed))
    return digest


def mark_published(location: Any, sha256: str, generation: str) -> None:
    """Note the store generation the recorded base went out as (if it is still the recorded one)."""
    with opened(location) as conn, transaction(conn):
        conn.execute("UPDATE base_dataset SET generation = ? WHERE id = 1 AND sha256 = ?", (generation, sha256))


def base_digest(location: Any) -> str | None:
    """The SHA-256 of the recorded base, or None: a cheap check before :func:`load_base`."""
    if not exists(location):
        return None
    with opened(location) as conn:
        row = conn.execute("SELECT sha256 FROM base_dataset WHERE id = 1").fetchone()
    return None if row is None else row[0]


def load_base(location: Any) -> BaseDataset | None:
    if not exists(location):
        return None
    with opened(location) as conn:
        row = conn.execute("SELECT sha256, base_iri, size, recorded_at, generation, nquads_gz "
                           "FROM base_dataset WHERE id = 1").fetchone()
    if row is None:
        return None
    nquads = gzip.decompress(bytes(row["nquads_gz"]))
    if hashlib.sha256(nquads).hexdigest() != row["sha256"]:
        raise StateError("the recorded base dataset does not match its SHA-256; run 'kringloop build --publish' again")
    return BaseDataset(sha256=row["sha256"], base_iri=row["base_iri"], size=row["size"],
                       recorded_at=row["recorded_at"], generation=row["generation"], nquads=nquads)


__all__ = ["BaseDataset", "base_digest", "load_base", "mark_published", "record_base"]
