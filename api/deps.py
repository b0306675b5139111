"""Typed dependencies: shared resources live on app.state, loaded in the lifespan.

Everything derived from the graph follows it: when a build or a curation commit publishes a new store
generation (in this process or another one), the next request opens it (``get_store``), and values
computed from the graph (the recommender, the CoP planner's context) are recomputed from it
(``FollowsGraph``), so curated data reaches every answer without a restart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Request

from kg.store import GraphStore

from .config import Settings

T = TypeVar("T")
_REOPEN = threading.Lock()


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> GraphStore:
    """The store at the newest published generation (reopened when a build or curation moved it)."""
    state = request.app.state
    store: GraphStore = state.store
    if store.moved():
        with _REOPEN:
            if state.store is store:
                state.store = store.reopen()
        store = state.store
    return store


class FollowsGraph(Generic[T]):
    """A value computed from the store, recomputed once per published generation (thread-safe)."""

    def __init__(self, compute: Callable[[GraphStore], T]) -> None:
        self._compute = compute
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._value: T | None = None

    def get(self, store: GraphStore) -> T:
        with self._lock:
            if self._value is None or self._generation != store.generation:
                self._value = self._compute(store)
                self._generation = store.generation
            return self._value


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
