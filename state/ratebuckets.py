"""Token buckets shared by every app replica: one row per (limit, client) in the PostgreSQL state.

Why in the database: with N replicas behind a balancer, a bucket in each process lets a client through N
times the rate. One ``INSERT ... ON CONFLICT ... DO UPDATE ... RETURNING`` per request refills the bucket
from the time since it was last touched, takes a token if there is a whole one and says whether it did.
PostgreSQL runs it under the row's lock, so two replicas racing for the last token are serialised: the
second sees the first one's update and is refused. The clock is the database's, so replicas whose clocks
differ still agree.

Not growing without bound: a bucket untouched for ``burst / rate`` seconds is full again, exactly as if it
had no row, so :meth:`SharedTokenBucket.prune` deletes such rows (every ``PRUNE_EVERY_S`` per process).

Failing closed: when the database cannot be reached the request is refused with
:class:`~state.errors.StateUnavailable` (the API answers 503 with ``Retry-After``), never let through
uncounted; for ``FAIL_FAST_S`` after a failure further requests are refused without waiting for another
connection attempt, so a database that hangs does not pin every worker thread for the connect timeout.

The SQLite state (one machine) does not use this: there each process keeps its buckets in memory
(api/ratelimit.py), so several worker processes on one machine each count on their own.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from .db import is_postgres, opened
from .errors import StateUnavailable

PRUNE_EVERY_S = 60.0
FAIL_FAST_S = 2.0

# tokens after refilling: at most the burst; a clock that went back (another replica's statement started a little
# earlier but committed later) adds nothing
_REFILLED = ("least(excluded.burst, b.tokens + greatest(0, excluded.updated_at - b.updated_at) * excluded.rate)")
TAKE = f"""
INSERT INTO rate_buckets AS b (name, client, rate, burst, tokens, updated_at, granted)
VALUES (?, ?, ?, ?, ? - 1, coalesce(?::double precision, extract(epoch FROM clock_timestamp())), true)
ON CONFLICT (name, client) DO UPDATE SET
    rate = excluded.rate,
    burst = excluded.burst,
    tokens = CASE WHEN {_REFILLED} >= 1 THEN {_REFILLED} - 1 ELSE {_REFILLED} END,
    granted = {_REFILLED} >= 1,
    updated_at = greatest(b.updated_at, excluded.updated_at)
RETURNING granted, tokens
"""
# a bucket is full again once burst / rate seconds passed since it was last touched: the same as no row
PRUNE = """
DELETE FROM rate_buckets
WHERE updated_at + burst / rate < coalesce(?::double precision, extract(epoch FROM clock_timestamp()))
"""


class SharedTokenBucket:
    """``rate`` tokens per second up to ``burst`` per client, counted in PostgreSQL for every replica.

    Same interface as the in-process ``api.ratelimit.TokenBucket``: :meth:`take` returns 0.0 when the request
    may go ahead, else the seconds until it could.
    """

    def __init__(self, location: str, name: str, rate: float, burst: int) -> None:
        if not is_postgres(location):
            raise ValueError("shared buckets live in the PostgreSQL state")
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.location, self.name, self.rate, self.burst = location, name, float(rate), int(burst)
        self._pruned_at = time.monotonic()
        self._down_until = 0.0
        self._lock = threading.Lock()

    def take(self, client: str, *, now: float | None = None) -> float:
        """Take one token for ``client``; ``now`` (seconds) replaces the database clock in tests."""
        if time.monotonic() < self._down_until:
            raise StateUnavailable("the rate-limit counter (state database) cannot be reached; try again shortly")
        try:
            with opened(self.location) as conn:
                row = conn.execute(TAKE, (self.name, client, self.rate, self.burst, self.burst, now)).fetchone()
                granted, tokens = row["granted"], row["tokens"]
                if self._prune_due():
                    conn.execute(PRUNE, (now,))
        except StateUnavailable:
            self._down_until = time.monotonic() + FAIL_FAST_S
            raise
        except Exception as exc:   # psycopg.Error mid-statement (server restarted, connection dropped)
            if not _is_database_error(exc):
                raise
            self._down_until = time.monotonic() + FAIL_FAST_S
            raise StateUnavailable("the rate-limit counter (state database) cannot be reached; try again shortly",
                                   detail=f"{type(exc).__name__}: {exc}") from None
        return 0.0 if granted else (1 - tokens) / self.rate

    def prune(self, *, now: float | None = None) -> int:
        """Delete every bucket (of any limit) that is full again; returns how many."""
        with opened(self.location) as conn:
            return conn.execute(PRUNE, (now,)).rowcount

    def _prune_due(self) -> bool:
        with self._lock:
            if time.monotonic() - self._pruned_at < PRUNE_EVERY_S:
                return False
            self._pruned_at = time.monotonic()
            return True


def _is_database_error(exc: Any) -> bool:
    import psycopg

    return isinstance(exc, psycopg.Error)


__all__ = ["FAIL_FAST_S", "PRUNE_EVERY_S", "SharedTokenBucket"]
