"""Per-client rate limits (a token bucket per client IP) and request body size limits.

Use on any expensive route::

    from ..ratelimit import rate_limit

    @router.post("/sparql", dependencies=[rate_limit("sparql")])

The bucket named ``"sparql"`` allows ``DEFAULT_LIMITS["sparql"]`` = (requests per second, burst) per
client IP unless ``KRINGLOOP_RATE_LIMITS`` overrides it (JSON, e.g. ``{"sparql": [50, 100]}``).
Over the limit a client gets 429 with ``Retry-After`` in the canonical error body. The client is
``request.client.host``: behind a reverse proxy run uvicorn with ``--forwarded-allow-ips`` so that
this is the real client and not the proxy.

Where the buckets live follows the state location (``KRINGLOOP_STATE_URL``): with PostgreSQL they are rows
shared by every replica and worker process (state/ratebuckets.py: one atomic statement per request, so a
client gets the configured rate in total, whichever replica answers). With the SQLite state (one machine)
each process keeps its buckets in memory: several worker processes on one machine each count on their own,
so a client may get up to N times the rate from N processes. If the PostgreSQL state cannot be reached the
limiter fails closed: the request is answered 503 (``StateUnavailable`` in api/errors.py, with
``Retry-After``), never let through uncounted.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from typing import Any

from fastapi import Depends, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from state.db import is_postgres
from state.errors import StateUnavailable
from state.ratebuckets import SharedTokenBucket

from .errors import ApiError, error_body

# (sustained requests per second, burst) per client; chosen so a person using the web pages or a
# script that waits for each answer never notices, while one client cannot monopolise the workers
DEFAULT_LIMITS: dict[str, tuple[float, int]] = {
    "registrations": (0.5, 10),     # a form; 30 a minute is already a script
    "curation": (2.0, 20),          # each write runs SHACL and republishes the store
    "sparql": (5.0, 20),
    "recommendations": (5.0, 20),
    "cops": (1.0, 5),
}
log = logging.getLogger("kringloop.ratelimit")
MAX_CLIENTS = 10_000  # buckets kept; the least recently seen are dropped first (a full bucket is the default anyway)


class TokenBucket:
    """``rate`` tokens per second up to ``burst``; each request takes one. Thread-safe."""

    def __init__(self, rate: float, burst: int, *, clock: Any = time.monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate, self.burst, self.clock = float(rate), int(burst), clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0.0 when the request may go ahead, else the seconds until it could."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[key] = (tokens - 1 if wait == 0.0 else tokens, now)
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
        return wait


def _limiter(request: Request, name: str) -> TokenBucket | SharedTokenBucket:
    state = request.app.state
    limiters = getattr(state, "rate_limiters", None)
    if limiters is None:
        limiters = state.rate_limiters = {}
    if name not in limiters:
        overrides = getattr(state.settings, "rate_limits", {}) or {}
        rate, burst = overrides.get(name, DEFAULT_LIMITS.get(name, (5.0, 20)))
        location = state.settings.state_location
        # PostgreSQL: replicas share the state, so they share the buckets too; SQLite: one machine, in memory
        limiter = (SharedTokenBucket(location, name, rate, int(burst)) if is_postgres(location)
                   else TokenBucket(rate, int(burst)))
        limiters.setdefault(name, limiter)
    return limiters[name]


def rate_limit(name: str) -> Any:
    """A route dependency that answers 429 when this client exceeded the ``name`` limit."""

    def check(request: Request) -> None:
        client = request.client.host if request.client else "unknown"
        try:
            wait = _limiter(request, name).take(client)
        except StateUnavailable as exc:   # answered 503 by api/errors.py; the reason goes to the log only
            log.warning("rate limit %s refused a request: %s", name, exc.detail or exc)
            raise
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise ApiError(f"too many requests to {name}; retry in {seconds} s", status=429,
                           headers={"Retry-After": str(seconds)})

    return Depends(check)


class BodyLimit:
    """ASGI middleware: 413 for a request body over the limit of the longest matching path prefix.

    Checks ``Content-Length`` first and counts streamed (chunked) bodies too, so an oversized body is
    refused before it is parsed or buffered whole.
    """

    def __init__(self, app: ASGIApp, *, limits: dict[str, int]) -> None:
        self.app = app
        self.limits = sorted(limits.items(), key=lambda kv: len(kv[0]), reverse=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self._limit(scope)
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(send, limit)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # an HTTPException passes through FastAPI's body parsing and becomes the canonical 413
                    raise _TooLarge(413, f"request body too large (limit {limit} bytes)")
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send, limit)

    def _limit(self, scope: Scope) -> int | None:
        if scope["type"] != "http":
            return None
        path = scope.get("path", "")
        return next((limit for prefix, limit in self.limits if path.startswith(prefix)), None)

    @staticmethod
    async def _refuse(send: Send, limit: int) -> None:
        import json

        body = json.dumps(error_body(f"request body too large (limit {limit} bytes)", 413)).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(StarletteHTTPException):
    pass


__all__ = ["DEFAULT_LIMITS", "BodyLimit", "TokenBucket", "rate_limit"]
