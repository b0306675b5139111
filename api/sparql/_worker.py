"""A query worker: a child process that opens the store read-only and answers one query at a time.

The store is whichever backend the settings choose (kg/store.py): the embedded store on disk, or a
store server's query endpoint. The checks, limits and serialisation here are the same for both.

Oxigraph cannot be interrupted in-process and aborts the whole process when an allocation fails
(../shared/research/sparql/REPORT.md §3), so queries never run in the web process: the parent
kills a worker at the deadline, and a worker that hits its address-space limit dies alone.
Messages on the pipe (all plain tuples and dicts, so nothing but builtins is unpickled):

    parent -> worker   {"query", "format", "max_rows", "has_dataset_clause", "default_graphs",
                        "named_graphs"} | None (stop)
    worker -> parent   ("ready", info) once, then per query one of
                       ("ok", body: bytes, format, truncated: bool, rows: int)
                       ("refused" | "syntax" | "unsupported" | "error", message)
"""

from __future__ import annotations

import ctypes
import os
import re
import resource
from functools import lru_cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib.plugins.sparql
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from kg import queries
from kg.errors import StoreMissing
from kg.store import GraphStore, open_store
from kg.store_server import StorePublishing, StoreServerError, StoreServerTimeout

from ._guard import unescape_codepoints
from ._serializers import GRAPH_RDF_FORMATS, write_boolean, write_solutions, write_triples

# rdflib only parses here, but a stray evaluation must never fetch FROM graphs (REPORT.md §3)
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def serve(conn: Connection, store_path: str, memory_mb: int, default_graph_as_union: bool,
          isolate_network: bool, prefixes: dict[str, str], store_url: str | None = None) -> None:
    """Entry point of a worker process; returns when the parent sends None or goes away."""
    network_isolated = _leave_network() if isolate_network else False
    _limit_memory(memory_mb)
    store = open_store(store_url=store_url, store_path=Path(store_path))
    graphs = store.graph_sizes()
    local_graphs = frozenset(graphs)
    conn.send(("ready", {"graphs": graphs, "default_graph_triples": store.default_graph_size(),
                         "network_isolated": network_isolated, "pid": os.getpid()}))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            if store.moved():
                # a new store was published (rebuild or curation commit): answer from it from now on
                fresh = store.reopen()
                store.close()
                store = fresh
                local_graphs = frozenset(store.named_graphs())
        except StorePublishing:
            pass   # the newest generation is still being switched in: answer from the one this worker has
        except (StoreMissing, StoreServerError) as exc:
            conn.send(("error", f"the graph store cannot be reached: {exc}"))
            continue
        conn.send(answer(store, request, local_graphs=local_graphs,
                         default_graph_as_union=default_graph_as_union, prefixes=prefixes))


def answer(store: GraphStore, request: dict[str, Any], *, local_graphs: frozenset[str],
           default_graph_as_union: bool, prefixes: dict[str, str]) -> tuple:
    """Run one checked query and serialise at most ``max_rows`` rows (or triples)."""
    text: str = request["query"]
    refusal = rdflib_verdict(text, local_graphs)
    if refusal:
        return ("refused", refusal)
    kwargs: dict[str, Any] = {"union_default_graph": False}
    if request.get("default_graphs") is not None or request.get("named_graphs") is not None:
        # SPARQL Protocol §2.1.4: protocol graphs replace the query's FROM / FROM NAMED entirely
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request.get("default_graphs") or []]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.get("named_graphs") or []]
    elif default_graph_as_union and not request.get("has_dataset_clause"):
        # with a FROM clause the union flag would override it, so it is set only without one
        kwargs["union_default_graph"] = True
    fmt: str = request["format"]
    max_rows: int = request["max_rows"]
    max_bytes: int = request.get("max_bytes") or DEFAULT_MAX_BYTES
    try:
        result = store.query(text, **kwargs)
        if isinstance(result, ox.QueryBoolean):
            return ("ok", write_boolean(bool(result), fmt if fmt not in GRAPH_RDF_FORMATS else "json"),
                    fmt, False, 1)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows, truncated = _take(result, max_rows, list, max_bytes)
            fmt = fmt if fmt not in GRAPH_RDF_FORMATS else "json"
            return ("ok", write_solutions(variables, rows, fmt, truncated=truncated), fmt, truncated, len(rows))
        triples, truncated = _take(result, max_rows, lambda t: t, max_bytes)
        fmt = fmt if fmt in GRAPH_RDF_FORMATS else "turtle"
        return ("ok", write_triples(triples, fmt, prefixes=prefixes), fmt, truncated, len(triples))
    except SyntaxError as exc:
        return ("syntax", f"syntax error: {exc}")
    except StoreServerTimeout as exc:
        return ("timeout", str(exc))
    except (StoreServerError, StoreMissing) as exc:
        return ("error", f"the query could not be evaluated: {exc}")
    except RuntimeError as exc:
        if "not supported" in str(exc):
            return ("unsupported", f"the query uses something this endpoint does not support: {exc}")
        return ("error", f"the query could not be evaluated: {exc}")
    except (ValueError, TypeError, OSError) as exc:
        return ("error", f"the query could not be evaluated: {exc}")


_RISKY_WORDS = re.compile(r"\b(service|from|load)\b", re.IGNORECASE)


def _warm_up() -> None:
    """Build rdflib's SPARQL grammar now: done lazily it costs a new worker seconds on its first query.
    Run at import, so under the forkserver every worker inherits the built grammar."""
    rdflib_verdict(queries.load("stats_classes"), frozenset())   # any named query builds the whole grammar


def _unchecked(text: str) -> str | None:
    """Where the second parser has no opinion: refuse if a risky word appears anywhere, else let it run."""
    risky = _RISKY_WORDS.search(unescape_codepoints(text))
    if risky is None:
        return None
    return (f"this query could not be checked (the second parser cannot read it) and it contains "
            f"{risky.group(0).upper()!r}; queries that mention SERVICE, FROM or LOAD must parse as SPARQL 1.1")


@lru_cache(maxsize=1024)
def rdflib_verdict(text: str, local_graphs: frozenset[str]) -> str | None:
    """A second opinion from rdflib's parser: a refusal message, or None to let the query run.

    rdflib's grammar is not the reference (it rejects some valid queries, and SPARQL 1.2 functions
    such as ADJUST), so a query it cannot parse may still run, but only when none of the words this
    check exists for (SERVICE, FROM, LOAD) appears anywhere in it, not even in a string or IRI: where
    it cannot give an opinion it fails closed. Cached by text: parsing costs 5-50 ms.
    """
    try:
        parsed = parseQuery(text)
    except Exception:  # noqa: BLE001 - rdflib cannot read it: no opinion, so refuse anything risky
        return _unchecked(text)
    if _contains(parsed, "ServiceGraphPattern"):
        return "SERVICE (federated query) is not allowed: this endpoint never contacts other servers"
    try:
        algebra = translateQuery(parsed).algebra
    except Exception:  # noqa: BLE001 - as above
        return _unchecked(text)
    for clause in algebra.get("datasetClause") or []:
        iri = clause.get("default") or clause.get("named")
        if iri is not None and str(iri) not in local_graphs:
            return f"FROM <{iri}> is not one of this endpoint's graphs; only local graphs can be queried"
    return None


def _contains(node: Any, name: str, depth: int = 0) -> bool:
    if depth > 500:  # deeper than any sane query; treat as suspicious rather than recurse forever
        return True
    if getattr(node, "name", None) == name:
        return True
    if isinstance(node, dict):
        return any(_contains(v, name, depth + 1) for v in node.values())
    if isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        return any(_contains(v, name, depth + 1) for v in node)
    return False


DEFAULT_MAX_BYTES = 8_000_000
_TERM_OVERHEAD = 64   # bytes a serialised term adds to its value (JSON keys, datatype IRI, quoting), roughly


def _size(item: Any) -> int:
    """Bytes an answer row or triple takes when serialised, estimated from its terms' values."""
    terms = [item.subject, item.predicate, item.object] if isinstance(item, ox.Triple) else list(item)
    total = 0
    for term in terms:
        if term is None:
            continue
        if isinstance(term, ox.Triple):
            total += _size(term)
        else:
            total += len(term.value) + _TERM_OVERHEAD
    return total


def _take(iterator: Any, limit: int, convert: Any, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list, bool]:
    """At most ``limit`` items and about ``max_bytes`` of answer; True when something was left out.

    The byte cap bounds what crosses the pipe into the web process (a 200-character GROUP_CONCAT can
    make one row of hundreds of MB): a row that would pass the cap is left out, like rows past the limit.
    """
    taken = []
    size = 0
    for item in iterator:
        if len(taken) == limit:
            return taken, True
        size += _size(item)
        if size > max_bytes:
            return taken, True
        taken.append(convert(item))
    return taken, False


def _limit_memory(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _leave_network() -> bool:
    """Move this process into a new, empty network namespace, if the kernel lets an ordinary user.

    Defence in depth behind the guard: even a SERVICE that slipped through would find no network.
    Needs a single-threaded process, so it runs first thing. Returns whether it worked.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        return False


_warm_up()
