"""What the app serves from one store generation, built whole and swapped whole.

A build or a curation commit publishes a new store generation (``kg.store.write_store``). The next
request that notices it starts building the next :class:`Services` in a background thread and is
itself answered from the current one; when the new one is ready (store opened, recommender fitted)
it replaces the old in one assignment. A request takes its ``Services`` once (``get_services``), so
everything it reads (store, recommender, CoP context, page documents) belongs to one generation, and
requests in flight finish on the generation they started with. The process that published waits for
the swap (``refresh``), so its own next answer already shows the change.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI, Request

from kg.store import GraphStore, open_store
from kg.store_server import StorePublishing
from recommender import KnowledgeBase, LazyEncoder, Recommender, load_knowledge
from recommender.cop.context import CopContext
from recommender.vocabulary import Vocabulary

from .config import Settings

log = logging.getLogger("kringloop.services")
T = TypeVar("T")


def artefact_dir(store_path: Path) -> Path:
    """Where fitted artefacts (case vectors and their manifest) are saved: beside the store."""
    return Path(store_path).with_name(Path(store_path).name + ".artefacts")


class Services:
    """The store of one generation and everything computed from it, each computed once, when first needed."""

    def __init__(self, store: GraphStore, *, encoder: LazyEncoder, settings: Settings) -> None:
        self.store = store
        self._encoder, self._settings = encoder, settings
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        self._values: dict[str, Any] = {}

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once for this generation (page documents, indexes); one lock per key, so a slow
        value never holds up a quick one."""
        if key in self._values:
            return self._values[key]
        with self._locks_lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._values:
                self._values[key] = compute()
            return self._values[key]

    @property
    def knowledge(self) -> KnowledgeBase:
        return self.cached("knowledge", lambda: load_knowledge(self.store))

    @property
    def vocabulary(self) -> Vocabulary:
        """The codes a request may use: the graph's concept schemes."""
        return self.cached("vocabulary", lambda: Vocabulary.from_knowledge(self.knowledge))

    @property
    def recommender(self) -> Recommender:
        return self.cached("recommender", lambda: Recommender(
            encoder=self._encoder, artefact_dir=artefact_dir(self._settings.store_path)).fit(self.knowledge))

    @property
    def cop(self) -> CopContext:
        return self.cached("cop", lambda: CopContext.from_store(self.store, kb=self.knowledge))


class ServiceSwitch:
    """The current :class:`Services`, and the building of the next when a new generation is published."""

    def __init__(self, settings: Settings, *, warm: tuple[str, ...] = ()) -> None:
        self.settings = settings
        # one model for every generation: loaded once, on first use ("hashing" is the model-free test encoder)
        self.encoder = LazyEncoder(settings.embedding_model)
        self.warm = warm    # what is computed before a generation is swapped in (routers add theirs)
        self._lock = threading.Lock()
        self._building: threading.Thread | None = None
        self._current: Services | None = None

    def _build(self, *, warm: bool = True) -> Services:
        store = open_store(store_url=self.settings.store_url, store_path=self.settings.store_path)
        services = Services(store, encoder=self.encoder, settings=self.settings)
        for name in self.warm if warm else ():   # computed before the swap, so no request waits for them
            getattr(services, name)
        return services

    def start(self) -> Services:
        """Open the published generation (at start-up)."""
        self._current = self._build()
        return self._current

    def current(self) -> Services:
        """The services to answer from; starts building the next generation's when one was published."""
        services = self._current if self._current is not None else self.start()
        if services.store.moved():
            with self._lock:
                if self._building is None or not self._building.is_alive():
                    self._building = threading.Thread(target=self._swap, name="kringloop-next-generation", daemon=True)
                    self._building.start()
        return services

    def _swap(self, *, warm: bool = True) -> None:
        try:
            if self._current is None or self._current.store.moved():
                self._current = self._build(warm=warm)
                log.info("serving store generation %s", self._current.store.generation or "(unversioned)")
        except StorePublishing as exc:   # still being switched in: the old generation serves until it is whole
            log.info("%s; serving the previous generation meanwhile", exc)
        except Exception:   # the old generation keeps serving; the next request tries again
            log.exception("could not build the services of the new store generation")

    def refresh(self) -> Services:
        """Swap in the published generation now (after this process published one); what it computes is
        computed when first asked, so the write that published is answered without waiting for a refit."""
        with self._lock:
            building = self._building
        if building is not None:
            building.join()
        self._swap(warm=False)
        return self.current()


def get_services(request: Request) -> Services:
    """The services this request is answered from: taken once, so one request sees one generation."""
    services = getattr(request.state, "services", None)
    if services is None:
        services = request.state.services = request.app.state.services.current()
    return services


def get_store(request: Request) -> GraphStore:
    return get_services(request).store


def install(app: FastAPI, settings: Settings) -> None:
    app.state.services = ServiceSwitch(settings)


__all__ = ["ServiceSwitch", "Services", "artefact_dir", "get_services", "get_store", "install"]
