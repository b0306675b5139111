"""Curation: coordinators create, correct and retire cases and organisations; nothing of it is lost.

Each change is checked (fields, codes, names, then SHACL on the rendered triples) *before* it is
committed, in one SQLite transaction (state/db.py), together with its source URL, the coordinator
(token name) and the time. The committed triples are exactly the validated ones.

Publishing: after a commit, ``publish`` writes a new store generation (``kg.store.write_store``) from
the base quads of the last build minus what curation supersedes, plus the named graph ``B graph/curatie``.
The base is ``build/kringloop.nq``, except with a store server: there it is the base the last
``kringloop build --publish`` recorded in the state (state/base_dataset.py), so a replica that is only
code and settings accepts curation too (see ``base_source``). A rebuild from ``data/`` loses nothing: ``apply_curation`` composes
the same way inside ``kg.build.build``, and a server that starts on a store whose curation version
differs from the database republishes first (``publish_if_stale``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import DCTERMS, ORG, OWL, XSD

from state.base_dataset import base_digest, load_base, mark_published, record_base
from state.db import exists, opened, publish_lock, transaction

from . import queries
from .curation_graph import (CURATION_GRAPH, Context, CurationError, change_triples, check_case, check_organisation,
                             check_url, effective_sources, rebase, render, shacl_check, superseded_filter, tombstone,
                             types_of)
from .errors import KgError, StoreMissing
from .namespaces import Iris
from .sources import Sources, load_sources
from .store import GraphStore, write_store
from .store_server import ServerEndpoints, SparqlServerStore, publish_to_server

BASE_NQ = "kringloop.nq"
CHANGE_COLUMNS = "seq, kind, entity_id, action, record, triples, base_iri, source_url, agent, at, note"


class CurationConflict(KgError):
    """The change contradicts the current state (the id exists, is retired, is still referenced)."""


class CurationNotFound(KgError, LookupError):
    """No case or organisation with that id, in data/ or in curation."""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # the xsd:dateTime form Oxigraph keeps as is


def _iri(iris: Iris, kind: str, entity_id: str) -> str:
    return str(iris.case(entity_id) if kind == "case" else iris.organisation(entity_id))


# ---------------------------------------------------------------------------------------------------
# Reading the state database (functions usable without a server: the build calls apply_curation)
# ---------------------------------------------------------------------------------------------------

def _entities(state_dir: Path) -> list[dict[str, Any]]:
    """The latest change of every curated entity."""
    if not exists(state_dir):
        return []
    with opened(state_dir) as conn:
        rows = conn.execute(f"SELECT {', '.join('c.' + c for c in CHANGE_COLUMNS.split(', '))}, e.retired "
                            "FROM curation_entities e JOIN curation_changes c ON c.seq = e.seq "
                            "ORDER BY e.kind, e.entity_id").fetchall()
    return [dict(r) for r in rows]


def _changes(state_dir: Path, *, kind: str | None = None, entity_id: str | None = None) -> list[dict[str, Any]]:
    if not exists(state_dir):
        return []
    where, args = ("WHERE kind = ? AND entity_id = ?", [kind, entity_id]) if kind else ("", [])
    with opened(state_dir) as conn:
        rows = conn.execute(f"SELECT {CHANGE_COLUMNS} FROM curation_changes {where} ORDER BY seq", args).fetchall()
    return [dict(r) for r in rows]


def curation_version(state_dir: Path) -> int:
    """The number of the last committed change (0 when there is none)."""
    changes = _changes(state_dir)
    return changes[-1]["seq"] if changes else 0


def curation_quads(state_dir: Path, base_iri: str) -> bytes:
    """The named graph ``B graph/curatie`` as N-Quads: curated descriptions, tombstones and PROV."""
    iris = Iris(base_iri)
    graph = ox.NamedNode(str(iris.graph(CURATION_GRAPH)))
    triples: list[ox.Triple] = []
    for entity in _entities(state_dir):
        triples += rebase(entity["triples"], entity["base_iri"], iris.base)
    previous: dict[tuple[str, str], int] = {}
    changes = _changes(state_dir)
    for change in changes:
        key = (change["kind"], change["entity_id"])
        triples += change_triples(change, iris=iris, entity_iri=_iri(iris, *key), previous=previous.get(key))
        previous[key] = change["seq"]
    if changes:
        triples.append(ox.Triple(graph, ox.NamedNode(str(OWL.versionInfo)), ox.Literal(str(changes[-1]["seq"]))))
        triples.append(ox.Triple(graph, ox.NamedNode(str(DCTERMS.modified)),
                                 ox.Literal(changes[-1]["at"], datatype=ox.NamedNode(str(XSD.dateTime)))))
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in dict.fromkeys(triples)]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) if quads else b""


def apply_curation(base_nquads: bytes, state_dir: Path | None, base_iri: str) -> bytes:
    """The public dataset: base quads minus what curation supersedes, plus ``B graph/curatie``."""
    if state_dir is None:
        return base_nquads
    entities = _entities(state_dir)
    if not entities:
        return base_nquads
    iris = Iris(base_iri)
    kept = superseded_filter(base_nquads, iris=iris,
                             cases={e["entity_id"] for e in entities if e["kind"] == "case"},
                             organisations={e["entity_id"] for e in entities if e["kind"] == "organisation"})
    return ox.serialize(kept, format=ox.RdfFormat.N_QUADS) + curation_quads(state_dir, base_iri)


def published_version(store_path: Path, base_iri: str, *, server: ServerEndpoints | None = None) -> int:
    """The curation version a published store includes (0: none, or no store)."""
    try:
        store: GraphStore = (SparqlServerStore.connect(server.query_url) if server is not None
                             else GraphStore.open(Path(store_path)))
    except StoreMissing:
        return 0
    try:
        rows = queries.select(store, "curation_version", graph=str(Iris(base_iri).graph(CURATION_GRAPH)))
    finally:
        del store
    return max((int(r["version"]) for r in rows), default=0)


_RECORDED: dict[str, tuple[str, str, bytes]] = {}   # state location -> (SHA-256, base IRI, N-Quads) read last
_RECORDED_LOCK = threading.Lock()


def base_source(state_dir: Any, build_dir: Path, base_iri: str, *,
                server: ServerEndpoints | None) -> tuple[tuple, Callable[[], bytes]]:
    """Which base quads curation composes from: (a key that changes when the base does, a reader of the bytes).

    With a store server, the base the last ``kringloop build --publish`` recorded in the state. Why there
    and not build/: replicas share only the store server and the state, so that is where every replica
    finds the same base without a build/ of its own; and a replica's own build/, if it has one, may be
    older than the build that was published, so composing from it would silently roll the published graph
    back. Without a store server (one machine), or before any build was recorded: ``build/kringloop.nq``.
    """
    if server is not None:
        digest = base_digest(state_dir)
        if digest is not None:
            return ("recorded", digest), lambda: _recorded_base(state_dir, base_iri, digest)
    base = Path(build_dir) / BASE_NQ
    if not base.is_file():
        hint = ("run 'kringloop build --publish' (it records the base in the state for every replica)"
                if server is not None else "run 'kringloop build' first")
        raise StoreMissing(f"no {base} and no published build recorded in the state; {hint}")
    stat = base.stat()
    return ("file", str(base), stat.st_mtime_ns, stat.st_size), base.read_bytes


def _recorded_base(state_dir: Any, base_iri: str, digest: str) -> bytes:
    """The recorded base with SHA-256 ``digest`` (read from the state only when it is not the one cached)."""
    key = str(state_dir)
    with _RECORDED_LOCK:
        cached = _RECORDED.get(key)
        if cached is None or cached[0] != digest:
            record = load_base(state_dir)
            if record is None:
                raise StoreMissing("the recorded base dataset is gone; run 'kringloop build --publish'")
            cached = _RECORDED[key] = (record.sha256, record.base_iri, record.nquads)
    if cached[1] != base_iri:   # its IRIs would not match the curated triples, rebased to this server's
        raise StoreMissing(f"the published build was made for base IRI {cached[1]}, this server is "
                           f"configured for {base_iri}; set KRINGLOOP_BASE_IRI alike or publish again")
    return cached[2]


def publish(*, state_dir: Path, build_dir: Path, store_path: Path, base_iri: str,
            server: ServerEndpoints | None = None, new_base: bool = False) -> int:
    """Write a new store generation with the current curation; returns the version published.

    The generation goes to the store server when one is configured, else to the embedded store at
    ``store_path``. The state is read inside the lock, so whoever publishes last publishes the newest commit.
    ``new_base`` (``kringloop build --publish``): the build in ``build_dir`` becomes the recorded base that
    every curator publishing to the server composes from (:func:`base_source`).
    """
    if new_base:
        base_file = Path(build_dir) / BASE_NQ
        if not base_file.is_file():
            raise StoreMissing(f"no {base_file}; run 'kringloop build' first")
    else:
        base_source(state_dir, build_dir, base_iri, server=server)   # fail before waiting for the lock
    with publish_lock(state_dir):   # one publisher at a time, across processes and replicas
        if new_base:
            base = base_file.read_bytes()
            # recorded before the server is written: if publishing then fails, the next publish (a curation
            # commit, a retry) sends this build; the other order could leave the old base recorded after the
            # new one went out, and the next curation commit would silently put the old build back
            digest = record_base(state_dir, base, base_iri=base_iri)
        else:
            base = base_source(state_dir, build_dir, base_iri, server=server)[1]()
        version = curation_version(state_dir)
        dataset = apply_curation(base, state_dir, base_iri)
        if server is not None:
            generation = publish_to_server(dataset, server)
            if new_base:
                mark_published(state_dir, digest, generation)
        else:
            store = write_store(dataset, Path(store_path))
            del store
    return version


def publish_if_stale(*, state_dir: Path, build_dir: Path, store_path: Path, base_iri: str,
                     server: ServerEndpoints | None = None) -> bool:
    """Republish when the store does not hold the committed curation (after a crash or a rebuild)."""
    if curation_version(state_dir) == published_version(store_path, base_iri, server=server):
        return False
    publish(state_dir=state_dir, build_dir=build_dir, store_path=store_path, base_iri=base_iri, server=server)
    return True


# ---------------------------------------------------------------------------------------------------
# The service used by the API
# ---------------------------------------------------------------------------------------------------

class Curator:
    """Checks, commits and publishes curation changes for one state dir and build."""

    def __init__(self, *, state_dir: Path, data_dir: Path, build_dir: Path, store_path: Path, base_iri: str,
                 shapes_file: Path, sources: Sources | None = None, server: ServerEndpoints | None = None) -> None:
        # the state location: a folder (SQLite) or a postgresql:// URL (state/db.py), never made a Path
        self.state_dir, self.data_dir, self.build_dir = state_dir, Path(data_dir), Path(build_dir)
        self.store_path, self.shapes_file = Path(store_path), Path(shapes_file)
        self.iris = Iris(base_iri)
        self.server = server   # publish to this store server instead of the embedded store
        self._lock = threading.Lock()
        self._sources = sources  # loaded from data_dir on first use unless the caller shares its copy
        self._context: tuple[tuple[int, int], Context] | None = None

    # -- loading ------------------------------------------------------------------------------------
    @property
    def sources(self) -> Sources:
        if self._sources is None:
            self._sources = load_sources(self.data_dir)
        return self._sources

    def _base(self) -> tuple[tuple, Callable[[], bytes]]:
        return base_source(self.state_dir, self.build_dir, self.iris.base, server=self.server)

    def _base_context(self) -> Context:
        key, read = self._base()
        if self._context is None or self._context[0] != key:
            shapes = Graph().parse(self.shapes_file, format="turtle") if self.shapes_file.exists() else Graph()
            self._context = (key, Context.from_base(read(), iris=self.iris, shapes=shapes))
        return self._context[1]

    def _curated(self) -> dict[tuple[str, str], dict[str, Any] | None]:
        return {(e["kind"], e["entity_id"]): (None if e["retired"] else json.loads(e["record"]))
                for e in _entities(self.state_dir)}

    # -- reading ------------------------------------------------------------------------------------
    def record(self, kind: str, entity_id: str) -> dict[str, Any]:
        """The current record (curated or from data/), whether it is retired, and its change history."""
        curated = self._curated()
        history = [{k: c[k] for k in ("seq", "action", "source_url", "agent", "at", "note")}
                   for c in _changes(self.state_dir, kind=kind, entity_id=entity_id)]
        if (kind, entity_id) in curated:
            record = curated[(kind, entity_id)]
            if record is None:  # retired: show the last description it had, curated or from data/
                last = [c["record"] for c in _changes(self.state_dir, kind=kind, entity_id=entity_id) if c["record"]]
                record = json.loads(last[-1]) if last else self._base_record(kind, entity_id) or {}
            return {"kind": kind, "id": entity_id, "origin": "curation", "retired": curated[(kind, entity_id)] is None,
                    "iri": _iri(self.iris, kind, entity_id), "record": record, "history": history}
        base = self._base_record(kind, entity_id)
        if base is None:
            raise CurationNotFound(f"no {kind} with id {entity_id!r}")
        return {"kind": kind, "id": entity_id, "origin": "data", "retired": False,
                "iri": _iri(self.iris, kind, entity_id), "record": base, "history": history}

    def _base_record(self, kind: str, entity_id: str) -> dict[str, Any] | None:
        records = self.sources.cases if kind == "case" else self.sources.organisations
        return next((dict(r) for r in records if r["id"] == entity_id), None)

    # -- writing ------------------------------------------------------------------------------------
    def create(self, kind: str, record: dict[str, Any], *, agent: str, note: str | None = None) -> dict[str, Any]:
        with self._lock:
            curated = self._curated()
            key = (kind, record.get("id", ""))
            if key in curated and curated[key] is not None or key not in curated and self._base_record(*key):
                raise CurationConflict(f"{kind} {key[1]!r} exists; correct it with PUT")
            return self._commit(kind, record, action="create", agent=agent, note=note, curated=curated)

    def correct(self, kind: str, entity_id: str, record: dict[str, Any], *, agent: str,
                note: str | None = None) -> dict[str, Any]:
        with self._lock:
            curated = self._curated()
            key = (kind, entity_id)
            if key in curated and curated[key] is None:
                raise CurationConflict(f"{kind} {entity_id!r} is retired; create it again with POST")
            if key not in curated and self._base_record(*key) is None:
                raise CurationNotFound(f"no {kind} with id {entity_id!r}")
            return self._commit(kind, {**record, "id": entity_id}, action="correct", agent=agent, note=note,
                                curated=curated)

    def retire(self, kind: str, entity_id: str, *, source_url: str, agent: str,
               note: str | None = None) -> dict[str, Any]:
        check_url(source_url, "source_url")
        with self._lock:
            curated = self._curated()
            key = (kind, entity_id)
            if key in curated and curated[key] is None:
                raise CurationConflict(f"{kind} {entity_id!r} is already retired")
            current = curated.get(key) or self._base_record(*key)
            if current is None:
                raise CurationNotFound(f"no {kind} with id {entity_id!r}")
            iri = _iri(self.iris, kind, entity_id)
            self._refuse_if_referenced(kind, iri, {**curated, key: None})
            label = current.get("title_nl") if kind == "case" else current.get("name")
            graph = tombstone(iri, entity_id, label)
            return self._store(kind, entity_id, action="retire", record=None, graph=graph, source_url=source_url,
                               agent=agent, note=note, expected=curated)

    def _refuse_if_referenced(self, kind: str, iri: str, curated_after: dict) -> None:
        """An organisation still named in a case or collaboration cannot be retired (its IRI would dangle)."""
        if kind != "organisation":
            return
        base = self._base()[1]()
        kept = superseded_filter(base, iris=self.iris, cases={i for k, i in curated_after if k == "case"},
                                 organisations={i for k, i in curated_after if k == "organisation"})
        users = {q.subject.value for q in kept if isinstance(q.object, ox.NamedNode) and q.object.value == iri
                 and q.predicate.value != str(ORG.hasMember)}
        for entity in _entities(self.state_dir):
            if not entity["retired"] and f"<{iri}>" in entity["triples"] and entity["entity_id"] != iri.rsplit("/", 1)[-1]:
                users.add(_iri(self.iris, entity["kind"], entity["entity_id"]))
        if users:
            shown = ", ".join(sorted({u.rsplit("/rol/", 1)[0] for u in users})[:5])
            raise CurationConflict(f"organisation still referenced by {len(users)} resource(s), e.g. {shown}; "
                                   "correct or retire those first")

    def _commit(self, kind: str, record: dict[str, Any], *, action: str, agent: str, note: str | None,
                curated: dict[tuple[str, str], dict[str, Any] | None]) -> dict[str, Any]:
        sources = effective_sources(self.sources, {**curated, (kind, record["id"]): record})
        (check_case if kind == "case" else check_organisation)(record, sources)
        iri = _iri(self.iris, kind, record["id"])
        graph = render(kind, record, sources, self.iris)
        curated_types: dict[str, set[str]] = {}
        for entity in _entities(self.state_dir):  # a curated organisation's class replaces the base one
            curated_types.update(types_of(entity["triples"]))
        shacl_check(kind, iri, graph, self._base_context(), curated_types=curated_types)
        return self._store(kind, record["id"], action=action, record=record, graph=graph,
                           source_url=record["source_url"], agent=agent, note=note, expected=curated)

    def _store(self, kind: str, entity_id: str, *, action: str, record: dict[str, Any] | None, graph: Graph,
               source_url: str, agent: str, note: str | None, expected: dict) -> dict[str, Any]:
        at = _now()
        ntriples = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
        with opened(self.state_dir) as conn, transaction(conn):
            # the lock serialises this process; the re-check guards against another process in between
            row = conn.execute("SELECT seq, retired FROM curation_entities WHERE kind = ? AND entity_id = ?",
                               (kind, entity_id)).fetchone()
            before = expected.get((kind, entity_id), "absent")
            now = "absent" if row is None else (None if row["retired"] else "active")
            if (before == "absent") != (now == "absent") or (before is None) != (now is None):
                raise CurationConflict(f"{kind} {entity_id!r} changed meanwhile; reload and retry")
            cursor = conn.execute(
                "INSERT INTO curation_changes (kind, entity_id, action, record, triples, base_iri, source_url, agent, at, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
                (kind, entity_id, action, None if record is None else json.dumps(record, ensure_ascii=False),
                 ntriples, self.iris.base, source_url, agent, at, note))
            seq = cursor.fetchone()[0]
            conn.execute("INSERT INTO curation_entities (kind, entity_id, seq, retired) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (kind, entity_id) DO UPDATE SET seq = excluded.seq, retired = excluded.retired",
                         (kind, entity_id, seq, int(action == "retire")))
        return {"seq": seq, "kind": kind, "id": entity_id, "action": action, "at": at, "agent": agent,
                "iri": _iri(self.iris, kind, entity_id), "change": str(self.iris(f"id/curatie/{seq}"))}

    def publish(self) -> int:
        return publish(state_dir=self.state_dir, build_dir=self.build_dir, store_path=self.store_path,
                       base_iri=self.iris.base, server=self.server)

    def publish_if_stale(self) -> bool:
        return publish_if_stale(state_dir=self.state_dir, build_dir=self.build_dir, store_path=self.store_path,
                                base_iri=self.iris.base, server=self.server)


__all__ = ["CurationConflict", "CurationError", "CurationNotFound", "Curator", "apply_curation", "base_source",
           "curation_quads", "curation_version", "publish", "publish_if_stale", "published_version"]
