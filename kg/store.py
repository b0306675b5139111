"""The store that serves the graph, behind one interface with two backends, chosen by settings.

- ``EmbeddedStore`` (default): an on-disk Oxigraph store written once by the build, then opened
  read-only by every process that reads it (``build/store``, a symlink swapped per generation).
- ``SparqlServerStore`` (kg/store_server.py): a triple-store server reached over the SPARQL 1.1
  Protocol (Oxigraph server, Virtuoso 7; ``KRINGLOOP_STORE_URL``). A replica then needs no local store at all.

Everything that reads the graph (named queries in kg/queries.py, browse, Linked Data, recommender,
CoP planner, the /sparql workers) goes through ``GraphStore``: ``query``, ``quads_for_pattern`` and
``describe_quads``, ``graph_sizes``, and ``moved`` / ``reopen`` to follow a newly published generation.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import StoreMissing

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Substitutions = dict[ox.Variable, ox.NamedNode | ox.Literal]


class GraphStore(ABC):
    """A read-only view of the published graph at one generation."""

    generation: str = ""     # the published generation it was opened on; "" if none

    @classmethod
    def open(cls, path: Path, *, read_only: bool = True) -> EmbeddedStore:
        """The embedded store at ``path`` (kept as the short form most callers and tests use)."""
        return EmbeddedStore.open_path(path, read_only=read_only)

    @abstractmethod
    def query(self, sparql: str, *, substitutions: Substitutions | None = None,
              default_graph: list[ox.NamedNode] | None = None, named_graphs: list[ox.NamedNode] | None = None,
              union_default_graph: bool = True) -> Any:
        """Run a read query: ``ox.QuerySolutions``, ``ox.QueryBoolean`` or an iterator of ``ox.Triple``.

        Without ``default_graph`` the default graph is the union of the named graphs (as MODEL.md says),
        unless ``union_default_graph`` is False (then it is the store's own default graph).
        """

    @abstractmethod
    def quads_for_pattern(self, subject: Term | None, predicate: ox.NamedNode | None, obj: Term | None,
                          graph: ox.NamedNode | None) -> Iterator[ox.Quad]:
        """Quads matching the pattern, in every named graph when ``graph`` is None."""

    @abstractmethod
    def describe_quads(self, subject: ox.NamedNode, *, limit: int) -> list[ox.Triple]:
        """Triples about ``subject`` and the blank nodes it reaches (two levels deep), at most ``limit``."""

    def label_quads(self, subjects: list[ox.NamedNode], properties: tuple[ox.NamedNode, ...]) -> list[ox.Quad]:
        """The quads giving any of ``properties`` of any of ``subjects`` (labels for a page, in one go)."""
        return [q for s in subjects for p in properties for q in self.quads_for_pattern(s, p, None, None)]

    @abstractmethod
    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph."""

    def named_graphs(self) -> list[str]:
        return sorted(self.graph_sizes())

    def default_graph_size(self) -> int:
        """Triples in the store's own default graph (Kringloop keeps none there)."""
        return 0

    @abstractmethod
    def moved(self) -> bool:
        """Whether a newer generation has been published since this one was opened (cheap)."""

    @abstractmethod
    def reopen(self) -> GraphStore:
        """The store at the newest published generation."""

    def close(self) -> None:  # noqa: B027 - most backends hold nothing to close
        """Release what the store holds."""


class EmbeddedStore(GraphStore):
    """A pyoxigraph store on disk whose default graph is the union of its named graphs."""

    def __init__(self, store: ox.Store, *, path: Path | None = None) -> None:
        self.store = store
        self.path = path
        self.generation = ""

    @classmethod
    def open_path(cls, path: Path, *, read_only: bool = True) -> EmbeddedStore:
        """Open a built store; read-only by default so several processes can share it."""
        path = Path(path)
        if not (path / "CURRENT").exists():
            raise StoreMissing(f"no graph store at {path}; run 'kringloop build' first")
        # resolved: ``path`` may be a symlink to a generation that is swapped later
        generation = store_generation(path)
        resolved = os.path.realpath(path)
        store = ox.Store.read_only(resolved) if read_only else ox.Store(resolved)
        opened = cls(store, path=path)
        opened.generation = generation
        return opened

    def query(self, sparql: str, *, substitutions: Substitutions | None = None,
              default_graph: list[ox.NamedNode] | None = None, named_graphs: list[ox.NamedNode] | None = None,
              union_default_graph: bool = True) -> Any:
        kwargs: dict = {"substitutions": substitutions} if substitutions else {}
        if default_graph is not None:
            kwargs["default_graph"] = default_graph
        elif union_default_graph:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = named_graphs
        return self.store.query(sparql, **kwargs)

    def quads_for_pattern(self, subject: Term | None, predicate: ox.NamedNode | None, obj: Term | None,
                          graph: ox.NamedNode | None) -> Iterator[ox.Quad]:
        return (q for q in self.store.quads_for_pattern(subject, predicate, obj, graph)
                if graph is not None or not isinstance(q.graph_name, ox.DefaultGraph))

    def describe_quads(self, subject: ox.NamedNode, *, limit: int) -> list[ox.Triple]:
        triples: list[ox.Triple] = []
        seen: set[ox.Triple] = set()
        pending: list[ox.NamedNode | ox.BlankNode] = [subject]
        visited: set[ox.NamedNode | ox.BlankNode] = set()
        while pending and len(triples) <= limit:
            node = pending.pop(0)
            if node in visited:
                continue
            visited.add(node)
            for quad in self.store.quads_for_pattern(node, None, None, None):
                triple = quad.triple
                if triple in seen:
                    continue
                if len(triples) > limit:
                    break
                seen.add(triple)
                triples.append(triple)
                if isinstance(triple.object, ox.BlankNode):
                    pending.append(triple.object)
        return triples

    def graph_sizes(self) -> dict[str, int]:
        return {g.value: sum(1 for _ in self.store.quads_for_pattern(None, None, None, g))
                for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def default_graph_size(self) -> int:
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def moved(self) -> bool:
        return self.path is not None and store_generation(self.path) != self.generation

    def reopen(self) -> EmbeddedStore:
        if self.path is None:
            return self
        return EmbeddedStore.open_path(self.path, read_only=True)

    def __len__(self) -> int:
        return len(self.store)


def open_store(*, store_url: str | None, store_path: Path, read_timeout_s: float = 60.0) -> GraphStore:
    """The configured backend: the SPARQL server at ``store_url`` when set, else the embedded store."""
    if store_url:
        from .store_server import SparqlServerStore

        return SparqlServerStore.connect(store_url, timeout_s=read_timeout_s)
    return EmbeddedStore.open_path(store_path, read_only=True)


def store_generation(path: Path) -> str:
    """The generation a store path points at; it changes whenever a new store is published there.

    ``path`` is a symlink to ``<path>.generations/<generation>``: readers compare this value before a query and
    reopen when it moved, so a published store never changes under an open reader.
    """
    path = Path(path)
    return os.readlink(path) if path.is_symlink() else ""


def new_generation_name() -> str:
    return f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"


def write_store(nquads: bytes, path: Path, *, keep: int = 2) -> EmbeddedStore:
    """Bulk-load N-Quads into a new store generation and point ``path`` at it atomically.

    Readers of the previous generation keep working; the oldest generations beyond ``keep`` are removed.
    """
    path = Path(path)
    # one generations folder per store name, so two stores side by side never collect each other
    generations = path.with_name(path.name + ".generations")
    generations.mkdir(parents=True, exist_ok=True)
    name = new_generation_name()
    target = generations / name
    store = ox.Store(str(target))
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    del store  # release the RocksDB lock before readers open it
    if path.exists() and not path.is_symlink():
        shutil.rmtree(path)  # a store from before generations existed
    link = path.with_name(path.name + ".link-tmp")
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(Path(generations.name) / name, link)
    os.replace(link, path)  # atomic: readers see the old or the new generation, never a mix
    current = Path(os.readlink(path)).name
    others = sorted((d for d in generations.iterdir() if d.name != current), key=lambda d: d.stat().st_mtime, reverse=True)
    for old in others[max(keep - 1, 0):]:
        shutil.rmtree(old, ignore_errors=True)
    return EmbeddedStore.open_path(path)


def triples_of(result: Iterable[Any]) -> list[ox.Triple]:
    """The triples of a CONSTRUCT / DESCRIBE answer from either backend."""
    return [item.triple if isinstance(item, ox.Quad) else item for item in result]
