"""The on-disk Oxigraph store that serves the graph: written once by the build, then opened read-only."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

import pyoxigraph as ox

from .errors import StoreMissing


class GraphStore:
    """A pyoxigraph store whose default graph is the union of its named graphs."""

    def __init__(self, store: ox.Store, *, path: Path | None = None) -> None:
        self.store = store
        self.path = path
        self.generation = ""    # the published generation it was opened on (store_generation), "" if none

    @classmethod
    def open(cls, path: Path, *, read_only: bool = True) -> GraphStore:
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


    def query(self, sparql: str, *, substitutions: dict[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
              default_graph: list[ox.NamedNode] | None = None, named_graphs: list[ox.NamedNode] | None = None):
        """Run a read query; the default graph is the union of all graphs unless one is given."""
        kwargs: dict = {"substitutions": substitutions} if substitutions else {}
        if default_graph is not None:
            kwargs["default_graph"] = default_graph
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = named_graphs
        return self.store.query(sparql, **kwargs)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def __len__(self) -> int:
        return len(self.store)


def store_generation(path: Path) -> str:
    """The generation a store path points at; it changes whenever a new store is published there.

    ``path`` is a symlink to ``<path>.generations/<generation>``: readers compare this value before a query and
    reopen when it moved, so a published store never changes under an open reader.
    """
    path = Path(path)
    return os.readlink(path) if path.is_symlink() else ""


def write_store(nquads: bytes, path: Path, *, keep: int = 2) -> GraphStore:
    """Bulk-load N-Quads into a new store generation and point ``path`` at it atomically.

    Readers of the previous generation keep working; the oldest generations beyond ``keep`` are removed.
    """
    path = Path(path)
    # one generations folder per store name, so two stores side by side never collect each other
    generations = path.with_name(path.name + ".generations")
    generations.mkdir(parents=True, exist_ok=True)
    name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
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
    return GraphStore.open(path)
