"""A fixed pool of query worker processes with a deadline per query and a bound on waiting requests.

``run`` blocks the calling thread (scripts, tests, the bench); ``run_async`` waits on the worker's
pipe in the event loop (the route). Both share one thread-safe idle queue and one slot counter. A
worker past the deadline is killed (SIGKILL: Oxigraph has no cancellation) and a replacement
starts in the background, so the other workers keep answering meanwhile.

Fairness (outside probe, finding 3): one client may have at most ``per_client`` queries running
(more get 429); and a client whose queries are slow (one ran longer than ``slow_after_s`` in the last
``slow_memory_s``, or one is running that long now) shares a slow lane of ``workers - 1`` workers with
the other slow clients, so one worker always stays for everyone else's short queries.
"""

from __future__ import annotations

import asyncio
import logging
import math
import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from . import _worker
from ._errors import ClientBusy, Overloaded, QueryAborted, QueryTimeout

log = logging.getLogger(__name__)

# forkserver: workers fork from a clean server that has already imported pyoxigraph and rdflib,
# so a replacement starts in milliseconds, and no thread or lock of the web process is copied.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["api.sparql._worker"])


@dataclass(frozen=True)
class PoolConfig:
    """How the pool runs queries; built from Settings by ``SparqlConfig``."""

    store_path: str
    store_url: str | None = None     # a store server's query endpoint instead of the embedded store
    workers: int = 2
    timeout_s: float = 10.0
    memory_mb: int = 2048
    max_concurrent: int = 8
    default_graph_as_union: bool = True
    isolate_network: bool = True
    start_timeout_s: float = 60.0
    prefixes: dict[str, str] = field(default_factory=dict)
    per_client: int = 2
    slow_after_s: float = 2.0
    slow_memory_s: float = 60.0


class _Worker:
    def __init__(self, config: PoolConfig) -> None:
        self.conn, child = _CONTEXT.Pipe(duplex=True)
        self.process = _CONTEXT.Process(
            target=_worker.serve, name="kringloop-sparql-worker", daemon=True,
            args=(child, config.store_path, config.memory_mb, config.default_graph_as_union,
                  config.isolate_network, dict(config.prefixes), config.store_url))
        self.process.start()
        child.close()  # only the worker holds its end, so its death reads as EOF here
        if not self.conn.poll(config.start_timeout_s):
            self.kill()
            raise RuntimeError(f"a SPARQL worker did not start within {config.start_timeout_s:g} s")
        try:
            kind, self.info = self.conn.recv()
        except EOFError:
            self.kill()
            raise RuntimeError(f"a SPARQL worker could not open the store at {config.store_path} "
                               f"(exit code {self.process.exitcode})") from None
        if kind != "ready":
            self.kill()
            raise RuntimeError(f"a SPARQL worker sent {kind!r} instead of 'ready'")

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(2)
        self.kill()


class WorkerPool:
    """``run(request)`` sends one query to an idle worker and returns its reply tuple."""

    def __init__(self, config: PoolConfig) -> None:
        self.config = config
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(config.max_concurrent)
        self._closed = False
        self.info: dict[str, Any] = {}
        self.replacements = 0
        self._fair = _Fairness(config)

    def start(self) -> WorkerPool:
        for _ in range(self.config.workers):
            self._add(_Worker(self.config))
        return self

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()

    def __enter__(self) -> WorkerPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def worker_pids(self) -> list[int]:
        with self._lock:
            return sorted(w.process.pid for w in self._all if w.process.pid)

    def run(self, request: dict[str, Any], client: str | None = None) -> tuple:
        """The worker's reply to ``request``.

        Raises:
            Overloaded: ``max_concurrent`` requests are already in flight, or none got a worker in time.
            QueryTimeout: the query ran past ``timeout_s``; its worker was killed.
            QueryAborted: the worker died while running it (its memory limit, most likely).
        """
        retry_after = max(1, math.ceil(self.config.timeout_s))
        if not self._slots.acquire(blocking=False):
            raise Overloaded(f"too many SPARQL queries at once (limit {self.config.max_concurrent}); "
                             "try again shortly", retry_after_s=retry_after)
        ticket = None
        try:
            ticket = self._fair.enter(client, retry_after)
            worker = self._take_idle(retry_after, ticket)
            return self._run_on(worker, request)
        finally:
            self._fair.leave(ticket)
            self._slots.release()

    async def run_async(self, request: dict[str, Any], client: str | None = None) -> tuple:
        """``run`` for an event loop: waits on the worker's pipe in the loop itself, not in a thread.

        Under load every hand-over between threads and processes waits for a CPU; skipping the
        thread pool saves two of the six per query (bench/README.md).
        """
        retry_after = max(1, math.ceil(self.config.timeout_s))
        if not self._slots.acquire(blocking=False):
            raise Overloaded(f"too many SPARQL queries at once (limit {self.config.max_concurrent}); "
                             "try again shortly", retry_after_s=retry_after)
        ticket = None
        try:
            ticket = self._fair.enter(client, retry_after)
            worker = await self._take_idle_async(retry_after, ticket)
            return await self._run_on_async(worker, request)
        finally:
            self._fair.leave(ticket)
            self._slots.release()

    def _try_take(self, ticket: _Ticket) -> _Worker | None:
        """An idle worker for this ticket now, or None (all busy, or the slow lane is full)."""
        if not self._fair.may_start(ticket):
            return None
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            self._fair.release(ticket)
            return None

    async def _take_idle_async(self, retry_after: int, ticket: _Ticket) -> _Worker:
        deadline = time.monotonic() + self.config.timeout_s
        while True:
            worker = self._try_take(ticket)
            if worker is None:
                if time.monotonic() >= deadline:
                    raise Overloaded("every SPARQL worker stayed busy; try again shortly", retry_after_s=retry_after)
                # all workers busy is the rare case; a short poll keeps the idle queue thread-safe
                await asyncio.sleep(0.005)
                continue
            if worker.process.is_alive():
                self._fair.started(ticket)
                return worker
            await asyncio.to_thread(self._retire, worker)

    async def _run_on_async(self, worker: _Worker, request: dict[str, Any]) -> tuple:
        timeout = self.config.timeout_s
        loop = asyncio.get_running_loop()
        readable = loop.create_future()

        def wake() -> None:
            if not readable.done():
                readable.set_result(None)

        fd = worker.conn.fileno()
        try:
            worker.conn.send(request)
            loop.add_reader(fd, wake)
            try:
                await asyncio.wait_for(readable, timeout)
                timed_out = False
            except TimeoutError:
                timed_out = True
            finally:
                loop.remove_reader(fd)
            if timed_out:
                await asyncio.to_thread(self._retire, worker)
                raise QueryTimeout(f"the query ran longer than the limit of {timeout:g} s and was stopped",
                                   retry_after_s=max(1, math.ceil(timeout)))
            reply = worker.conn.recv()
        except (EOFError, OSError):
            await asyncio.to_thread(self._retire, worker)
            raise QueryAborted(_aborted_message(worker, self.config.memory_mb)) from None
        except asyncio.CancelledError:
            # the request went away mid-query: the worker is still busy with it, so replace it
            threading.Thread(target=self._retire, args=(worker,), daemon=True).start()
            raise
        self._idle.put(worker)
        return reply

    def _take_idle(self, retry_after: int, ticket: _Ticket) -> _Worker:
        deadline = time.monotonic() + self.config.timeout_s
        while True:
            worker = self._try_take(ticket)
            if worker is None:
                if time.monotonic() >= deadline:
                    raise Overloaded("every SPARQL worker stayed busy; try again shortly", retry_after_s=retry_after)
                time.sleep(0.005)
                continue
            if worker.process.is_alive():
                self._fair.started(ticket)
                return worker
            self._retire(worker)

    def _run_on(self, worker: _Worker, request: dict[str, Any]) -> tuple:
        timeout = self.config.timeout_s
        try:
            worker.conn.send(request)
            if not worker.conn.poll(timeout):
                self._retire(worker)
                raise QueryTimeout(f"the query ran longer than the limit of {timeout:g} s and was stopped",
                                   retry_after_s=max(1, math.ceil(timeout)))
            reply = worker.conn.recv()
        except (EOFError, OSError):
            self._retire(worker)
            raise QueryAborted(_aborted_message(worker, self.config.memory_mb)) from None
        self._idle.put(worker)
        return reply

    def _add(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
            self.info = worker.info
        self._idle.put(worker)

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        if not self._closed:
            self.replacements += 1
            threading.Thread(target=self._replace, name="sparql-worker-replacement", daemon=True).start()

    def _replace(self) -> None:
        for attempt in range(5):
            if self._closed:
                return
            try:
                self._add(_Worker(self.config))
                return
            except (RuntimeError, OSError):
                if self._closed:
                    return
                log.exception("starting a replacement SPARQL worker failed (attempt %d)", attempt + 1)
                time.sleep(0.5 * 2 ** attempt)


def _aborted_message(worker: _Worker, memory_mb: int) -> str:
    """Why a worker died mid-query, as far as its exit tells (a memory limit ends in MemoryError/abort)."""
    code = worker.process.exitcode
    if code is not None and code < 0 and -code in (11, 7):   # SIGSEGV / SIGBUS: the engine itself crashed
        return "the query made the query engine crash (a very deeply nested or unusual query?); it was stopped"
    return (f"the query was stopped: it needed more than the {memory_mb} MB of memory a query may use, "
            "or its worker failed")


@dataclass
class _Ticket:
    client: str | None
    slow: bool
    started_at: float | None = None
    reserved: bool = False      # counted in the slow lane while it looks for an idle worker


class _Fairness:
    """Per-client limits and the slow lane (see the module docstring). Thread-safe; cheap."""

    def __init__(self, config: PoolConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}
        self._slow_until: dict[str, float] = {}
        self._active: list[_Ticket] = []

    def _is_slow(self, client: str, now: float) -> bool:
        if self._slow_until.get(client, 0.0) > now:
            return True
        # a query of this client running past the threshold right now makes it slow already
        return any(t.client == client and t.started_at is not None and now - t.started_at > self.config.slow_after_s
                   for t in self._active)

    def enter(self, client: str | None, retry_after: int) -> _Ticket:
        with self._lock:
            now = time.monotonic()
            if client is not None:
                if self._running.get(client, 0) >= self.config.per_client:
                    raise ClientBusy(f"you already have {self.config.per_client} SPARQL "
                                     f"quer{'y' if self.config.per_client == 1 else 'ies'} running; wait for "
                                     "an answer before sending more", retry_after_s=retry_after)
                self._running[client] = self._running.get(client, 0) + 1
            ticket = _Ticket(client, client is not None and self._is_slow(client, now))
            self._active.append(ticket)
            return ticket

    def may_start(self, ticket: _Ticket) -> bool:
        """A slow client's query starts only while fewer than ``workers - 1`` slow queries run. A yes
        reserves the place (checked and taken under one lock), until ``started`` or ``release``."""
        if not ticket.slow or self.config.workers < 2:
            return True
        with self._lock:
            if ticket.reserved:
                return True
            now = time.monotonic()
            slow_running = sum(1 for t in self._active if t.client is not None and (
                t.reserved or (t.started_at is not None and (t.slow or now - t.started_at > self.config.slow_after_s))))
            if slow_running >= self.config.workers - 1:
                return False
            ticket.reserved = True
            return True

    def release(self, ticket: _Ticket) -> None:
        """Give up a reserved place (no idle worker came in time)."""
        with self._lock:
            ticket.reserved = False

    def started(self, ticket: _Ticket) -> None:
        with self._lock:
            ticket.started_at = time.monotonic()
            ticket.reserved = False

    def leave(self, ticket: _Ticket | None) -> None:
        if ticket is None:
            return
        with self._lock:
            if ticket in self._active:
                self._active.remove(ticket)
            if ticket.client is None:
                return
            self._running[ticket.client] -= 1
            if not self._running[ticket.client]:
                del self._running[ticket.client]
            if ticket.started_at is not None and time.monotonic() - ticket.started_at > self.config.slow_after_s:
                self._slow_until[ticket.client] = time.monotonic() + self.config.slow_memory_s
            if len(self._slow_until) > 10_000:   # forget the oldest marks: memory stays bounded
                now = time.monotonic()
                self._slow_until = {c: t for c, t in self._slow_until.items() if t > now}
