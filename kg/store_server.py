"""The graph in a triple-store server, reached over the SPARQL 1.1 Protocol and Graph Store Protocol.

Reading (``SparqlServerStore``) uses only the query endpoint (``KRINGLOOP_STORE_URL``), so a replica
needs read-only access and nothing on disk. The default graph is never taken on trust: unless a query
names its own dataset, every request lists the published graphs as ``default-graph-uri`` and
``named-graph-uri``, so the answers are the same whether the server's default graph is the union of its
named graphs (``oxigraph serve --union-default-graph``, Virtuoso) or not, and bookkeeping graphs
(the publication record, staged graphs) never show.

Publishing (``publish_to_server``) writes with the Graph Store Protocol and SPARQL Update, with the
credentials of the write endpoints only (Basic, or Digest for Virtuoso): every named graph is first loaded
under a fresh staging name, then ONE update operation (kg/queries/store_switch.ru) moves them all into
place and rewrites the publication record with the generation and each graph's size. Oxigraph runs it as
one transaction, so readers see the old graphs or the new ones, never a half-loaded graph. Virtuoso shows
a large update before it completes, so a reader opens a generation only once the record is whole and the
graphs hold the sizes it gives (``SparqlServerStore.connect``).
"""

from __future__ import annotations

import http.client
import re
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pyoxigraph as ox

from . import queries
from .errors import KgError, StoreMissing
from .store import GraphStore, Substitutions, Term, new_generation_name

PUBLICATION_GRAPH = "urn:kringloop:publication"
STAGING_PREFIX = "urn:kringloop:staging:"
GENERATION_CHECK_S = 1.0     # how often a reader asks the server whether a new generation was published
RESULTS_JSON = "application/sparql-results+json"
ACCEPT = f"{RESULTS_JSON}, application/n-triples;q=0.9, text/plain;q=0.1"
# CONSTRUCT / DESCRIBE ask for triples only: Virtuoso answers a graph query that accepts results JSON with a
# table of s/p/o bindings instead of the graph
ACCEPT_GRAPH = "application/n-triples, text/plain;q=0.9"
# Virtuoso's lexical quirks, undone before parsing so every backend reads the same terms: blank nodes labelled
# nodeID://b123 (not a valid label), and xsd:boolean values written 1 / 0 (valid, but not the canonical form
# every other backend and Kringloop's own code use)
_VIRTUOSO_BNODE_JSON = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
_VIRTUOSO_BOOLEAN_JSON = re.compile(
    rb'("datatype"\s*:\s*"http://www\.w3\.org/2001/XMLSchema#boolean"\s*,\s*"value"\s*:\s*")([01])"')
_VIRTUOSO_BNODE_NT = re.compile(rb"(^|\s)_:nodeID://", re.MULTILINE)
_VIRTUOSO_BOOLEAN_NT = re.compile(rb'(?<!\\)"([01])"\^\^<http://www\.w3\.org/2001/XMLSchema#boolean>')
_BOOLEAN_WORDS = {b"1": b"true", b"0": b"false"}
# Virtuoso stores every geo:wktLiteral as its own virtrdf:Geometry (single-precision coordinates; it cannot be
# turned off: openlink/virtuoso-opensource#456, #808); the reader gives the standard datatype back. The
# coordinates stay as Virtuoso rounded them (within 1e-5 degree, about a metre: docs/deploy.md)
_VIRTUOSO_GEOMETRY = b"http://www.openlinksw.com/schemas/virtrdf#Geometry"
_WKT_LITERAL = b"http://www.opengis.net/ont/geosparql#wktLiteral"
_VIRTUOSO_GEOMETRY_JSON = re.compile(rb'("datatype"\s*:\s*")' + re.escape(_VIRTUOSO_GEOMETRY) + rb'"')
_VIRTUOSO_GEOMETRY_NT = re.compile(rb'(?<!\\)"\^\^<' + re.escape(_VIRTUOSO_GEOMETRY) + rb'>')
_EMPTY = ox.Store()          # parses queries locally, so a syntax error reads the same on every backend


class StoreServerError(KgError):
    """The store server answered with an error, or could not be reached."""


class StoreServerTimeout(StoreServerError, TimeoutError):
    """The server stopped the query at its own time limit."""


class StorePublishing(StoreServerError):
    """The generation published last is still being switched in (its graphs are not all there yet)."""


@dataclass(frozen=True)
class Credentials:
    """Who publishes: sent to the write endpoints only, with the HTTP scheme the server asks for
    (Oxigraph behind a proxy: Basic; Virtuoso's ``/sparql-auth`` and ``/sparql-graph-crud-auth``: Digest)."""

    user: str | None = None
    password: str | None = None
    scheme: str = "basic"    # or "digest" (KRINGLOOP_STORE_AUTH)

    def auth(self) -> httpx.Auth | None:
        if not self.user:
            return None
        if self.scheme == "digest":
            return httpx.DigestAuth(self.user, self.password or "")
        return httpx.BasicAuth(self.user, self.password or "")


def _http(url: str, *, data: bytes | None, headers: dict[str, str], timeout_s: float, method: str = "POST",
          credentials: Credentials = Credentials()) -> tuple[str, bytes]:
    """One write request (publishing); errors become StoreServerError / StoreServerTimeout / StoreMissing."""
    try:
        response = httpx.request(method, url, content=data, headers=headers, timeout=timeout_s,
                                 auth=credentials.auth())
    except httpx.TimeoutException:
        raise StoreServerTimeout(f"the store server did not answer within {timeout_s:g} s") from None
    except httpx.HTTPError as exc:
        raise StoreMissing(f"the store server at {url} cannot be reached ({exc})") from None
    if response.status_code == 401:
        asked = response.headers.get("WWW-Authenticate", "").split(" ")[0] or "other credentials"
        given = f"{credentials.scheme.title()} credentials of {credentials.user!r}" if credentials.user else "no credentials"
        raise StoreServerError(f"the store server refused {given} at {url}: it asks for {asked} "
                               "(KRINGLOOP_STORE_USER, KRINGLOOP_STORE_PASSWORD, KRINGLOOP_STORE_AUTH=basic|digest)")
    if response.status_code >= 400:
        body = response.text[:500]
        if "timeout" in body.lower() or response.status_code in (408, 504):
            raise StoreServerTimeout(f"the store server stopped the request at its time limit: {body}")
        raise StoreServerError(f"the store server answered {response.status_code}: {body}")
    return response.headers.get("Content-Type", ""), response.content


_KEPT = threading.local()   # one open connection per thread and server: a new one per query costs milliseconds


def _read(url: str, *, data: bytes, headers: dict[str, str], timeout_s: float) -> tuple[str, bytes]:
    """POST a query over a kept-alive connection; a connection the server closed meanwhile is replaced
    once (queries are safe to resend)."""
    parts = urllib.parse.urlsplit(url)
    key = (parts.scheme, parts.netloc)
    kept: dict = getattr(_KEPT, "connections", None) or {}
    _KEPT.connections = kept
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    for attempt in (1, 2):
        conn = kept.pop(key, None)
        fresh = conn is None
        if conn is None:
            kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            conn = kind(parts.netloc, timeout=timeout_s)
        elif conn.sock is not None:
            conn.sock.settimeout(timeout_s)
        try:
            conn.request("POST", target, body=data, headers=headers)
            response = conn.getresponse()
            body = response.read()
        except TimeoutError:
            conn.close()
            raise StoreServerTimeout(f"the store server did not answer within {timeout_s:g} s") from None
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
            conn.close()
            if fresh or attempt == 2:
                raise StoreMissing(f"the store server at {url} cannot be reached ({exc})") from None
            continue
        except (http.client.HTTPException, OSError) as exc:
            conn.close()
            raise StoreMissing(f"the store server at {url} cannot be reached ({exc})") from None
        if response.status >= 400:
            conn.close()
            text = body.decode("utf-8", "replace")[:500]
            if "timeout" in text.lower() or response.status in (408, 504):
                raise StoreServerTimeout(f"the store server stopped the query at its time limit: {text}")
            raise StoreServerError(f"the store server answered {response.status}: {text}")
        if not response.will_close:
            kept[key] = conn
        else:
            conn.close()
        return response.getheader("Content-Type", ""), body
    raise StoreMissing(f"the store server at {url} cannot be reached")


def with_values(sparql: str, substitutions: Substitutions) -> str:
    """The query with its bound variables as a VALUES block opening its outermost WHERE group.

    Pre-binding (what the embedded store's ``substitutions`` do) is not in the protocol; a VALUES row at
    the start of the group gives the same answers for Kringloop's named queries, which bind only
    variables they also project and use in that group.
    """
    if not substitutions:
        return sparql
    return with_rows(sparql, list(substitutions), [list(substitutions.values())])


def with_rows(sparql: str, variables: list[ox.Variable], rows: list[list[Term]]) -> str:
    """The query with a VALUES block of several rows opening its outermost WHERE group."""
    names = " ".join(f"?{v.value}" for v in variables)
    block = f" VALUES ({names}) {{ {' '.join('(' + ' '.join(str(t) for t in row) + ')' for row in rows)} }} "
    body = "\n".join("" if line.lstrip().startswith("#") else line for line in sparql.splitlines())
    match = re.search(r"\bWHERE\s*\{", body, re.IGNORECASE) or re.search(r"\b(ASK|SELECT[^{]*)\{", body, re.IGNORECASE)
    if match is None:
        raise ValueError("cannot bind variables: the query has no WHERE group")
    return body[: match.end()] + block + body[match.end():]


def _parse(content_type: str, body: bytes) -> Any:
    kind = content_type.split(";")[0].strip().lower()
    if kind in (RESULTS_JSON, "application/json"):
        if not body.strip():
            raise StoreServerError("the store server sent an empty answer")
        body = _VIRTUOSO_BNODE_JSON.sub(rb"\1", body)
        body = _VIRTUOSO_BOOLEAN_JSON.sub(lambda m: m.group(1) + _BOOLEAN_WORDS[m.group(2)] + b'"', body)
        body = _VIRTUOSO_GEOMETRY_JSON.sub(lambda m: m.group(1) + _WKT_LITERAL + b'"', body)
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if kind == "application/sparql-results+xml":
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
    formats = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
               "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML}
    if kind in formats:
        body = _VIRTUOSO_BNODE_NT.sub(rb"\1_:", body)
        body = _VIRTUOSO_GEOMETRY_NT.sub(b'"^^<' + _WKT_LITERAL + b'>', body)
        body = _VIRTUOSO_BOOLEAN_NT.sub(lambda m: b'"' + _BOOLEAN_WORDS[m.group(1)] + b'"^^<http://www.w3.org/2001/XMLSchema#boolean>', body)
        return iter([q.triple for q in ox.parse(body, format=formats[kind])])
    raise StoreServerError(f"the store server answered in an unexpected format {content_type!r}")


class SparqlServerStore(GraphStore):
    """A triple-store server's query endpoint, at the generation published last."""

    def __init__(self, url: str, *, timeout_s: float, generation: str, graphs: list[str]) -> None:
        self.url = url
        self.timeout_s = timeout_s
        self.generation = generation
        self.graphs = graphs
        self._checked_at = time.monotonic()
        self._moved = False
        self._lock = threading.Lock()
        self.sizes_at_open: dict[str, int] = {}   # the graph sizes counted and checked by ``connect``

    @classmethod
    def connect(cls, url: str, *, timeout_s: float = 60.0, settle_s: float = 30.0) -> SparqlServerStore:
        """The generation published last, once the server holds all of it.

        The graphs are counted against the sizes the publication record gives: on a server that shows an
        update to readers before it is complete (Virtuoso does), a generation still being switched is
        waited for (up to ``settle_s``), then refused with ``StorePublishing``; the caller keeps what it has.
        """
        deadline = time.monotonic() + settle_s
        while True:
            record = _publication(url, timeout_s)
            store = cls(url, timeout_s=timeout_s, generation=record.generation, graphs=record.graphs)
            if not record.recorded:
                return store   # a server loaded by hand: its graphs as they are
            counted = store.graph_sizes() if record.whole else {}
            if record.whole and counted == record.sizes:
                store.sizes_at_open = counted
                return store
            if time.monotonic() >= deadline:
                raise StorePublishing(f"generation {record.generation} at {url} is not complete yet "
                                      f"({sum(counted.values())} of {sum(record.sizes.values())} triples), or its "
                                      "record is from an older Kringloop: run 'kringloop build --publish' again")
            time.sleep(0.2)

    # -- reading ------------------------------------------------------------------------------------
    def request(self, sparql: str, *, default_graphs: list[str] | None, named_graphs: list[str] | None,
                timeout_s: float | None = None) -> Any:
        """POST one query (the protocol's form encoding) and parse the answer."""
        form = _EMPTY.query(sparql)   # raises SyntaxError here, before the server is asked
        accept = ACCEPT_GRAPH if isinstance(form, ox.QueryTriples) else ACCEPT
        fields = [("query", sparql)]
        fields += [("default-graph-uri", g) for g in default_graphs or []]
        fields += [("named-graph-uri", g) for g in named_graphs or []]
        content_type, body = _read(self.url, data=urllib.parse.urlencode(fields).encode("utf-8"),
                                   headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
                                   timeout_s=timeout_s or self.timeout_s)
        return _parse(content_type, body)

    def query(self, sparql: str, *, substitutions: Substitutions | None = None,
              default_graph: list[ox.NamedNode] | None = None, named_graphs: list[ox.NamedNode] | None = None,
              union_default_graph: bool = True, timeout_s: float | None = None) -> Any:
        text = with_values(sparql, substitutions) if substitutions else sparql
        if default_graph is not None or named_graphs is not None:
            defaults = [g.value for g in default_graph] if default_graph is not None else self.graphs
            named = [g.value for g in named_graphs] if named_graphs is not None else self.graphs
            if not defaults and not named:
                defaults = [PUBLICATION_GRAPH + "#nothing"]   # an empty dataset, as asked
            return self.request(text, default_graphs=defaults, named_graphs=named, timeout_s=timeout_s)
        if union_default_graph and self.graphs:
            return self.request(text, default_graphs=self.graphs, named_graphs=self.graphs, timeout_s=timeout_s)
        return self.request(text, default_graphs=None, named_graphs=None, timeout_s=timeout_s)

    def quads_for_pattern(self, subject: Term | None, predicate: ox.NamedNode | None, obj: Term | None,
                          graph: ox.NamedNode | None) -> Iterator[ox.Quad]:
        if isinstance(subject, ox.BlankNode) or isinstance(obj, ox.BlankNode):
            return iter(())   # a blank node cannot be named in a query; describe_quads follows them
        bound = {ox.Variable(k): v for k, v in (("s", subject), ("p", predicate), ("o", obj), ("g", graph))
                 if v is not None}
        solutions = self.query(queries.load("store_quads"), substitutions=bound)
        return (ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in solutions)

    def describe_quads(self, subject: ox.NamedNode, *, limit: int) -> list[ox.Triple]:
        solutions = self.query(queries.load("store_describe"), substitutions={ox.Variable("root"): subject})
        triples: list[ox.Triple] = []
        for row in solutions:
            triple = ox.Triple(row["s"], row["p"], row["o"])
            if triple not in triples:
                triples.append(triple)
            if len(triples) > limit:
                break
        return triples

    def label_quads(self, subjects: list[ox.NamedNode], properties: tuple[ox.NamedNode, ...]) -> list[ox.Quad]:
        if not subjects:
            return []
        text = with_rows(queries.load("store_labels"), [ox.Variable("s"), ox.Variable("p")],
                         [[s, p] for s in subjects for p in properties])
        return [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in self.query(text)]

    def graph_sizes(self) -> dict[str, int]:
        if self.sizes_at_open:   # counted and checked against the record when this generation was opened
            return dict(self.sizes_at_open)
        rows = self.query(queries.load("store_graph_sizes"), union_default_graph=False,
                          named_graphs=[ox.NamedNode(g) for g in self.graphs], default_graph=[])
        return {row["g"].value: int(row["triples"].value) for row in rows}

    def named_graphs(self) -> list[str]:
        return sorted(self.graphs)

    def default_graph_size(self) -> int:
        return 0   # every request names its graphs; the server's own default graph is never read

    def moved(self) -> bool:
        """Asks the server at most once per GENERATION_CHECK_S (each request would otherwise cost one more)."""
        with self._lock:
            if self._moved:
                return True
            now = time.monotonic()
            if now - self._checked_at < GENERATION_CHECK_S:
                return False
            self._checked_at = now
        generation = _publication(self.url, self.timeout_s).generation
        with self._lock:
            self._moved = generation != self.generation
            return self._moved

    def reopen(self) -> SparqlServerStore:
        """The newest generation if it is whole now (else ``StorePublishing`` at once: the caller keeps the
        generation it has rather than hold a request while a switch completes)."""
        return SparqlServerStore.connect(self.url, timeout_s=self.timeout_s, settle_s=0)


@dataclass(frozen=True)
class Publication:
    """What the publication record says: the generation, its graphs and their sizes."""

    generation: str
    graphs: list[str]
    sizes: dict[str, int]
    recorded: bool        # False: no record (a server loaded by hand); ``graphs`` are then all but bookkeeping
    whole: bool = True    # False: the record itself is being rewritten (seen half-way on Virtuoso)


def _publication(url: str, timeout_s: float) -> Publication:
    """The publication record; without one, every graph but the bookkeeping ones, as published.

    A record is whole when it names one generation, as many graphs as its count says, and one size for
    each: a server that shows an update before it is complete (Virtuoso) can show the old and the new
    record mixed, and a reader must not take that for a generation.
    """
    probe = SparqlServerStore(url, timeout_s=timeout_s, generation="", graphs=[])
    rows = list(probe.request(queries.load("store_publication"), default_graphs=None,
                              named_graphs=[PUBLICATION_GRAPH]))
    if rows:
        generations = {r["generation"].value for r in rows}
        counts = {int(r["graphCount"].value) for r in rows if r["graphCount"] is not None}
        graphs = sorted({r["graph"].value for r in rows if r["graph"] is not None})
        sizes: dict[str, set[int]] = defaultdict(set)
        for r in rows:
            if r["graph"] is not None and r["triples"] is not None:
                sizes[r["graph"].value].add(int(r["triples"].value))
        whole = (len(generations) == 1 and counts == {len(graphs)}
                 and all(len(sizes[g]) == 1 for g in graphs))
        return Publication(min(generations), graphs, {g: min(sizes[g]) for g in graphs if sizes[g]},
                           recorded=True, whole=whole)
    rows = probe.request(queries.load("store_named_graphs"), default_graphs=None, named_graphs=None)
    graphs = sorted(g for g in (r["g"].value for r in rows)
                    if g != PUBLICATION_GRAPH and not g.startswith(STAGING_PREFIX))
    return Publication("", graphs, {}, recorded=False)


# ---------------------------------------------------------------------------------------------------
# Publishing
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ServerEndpoints:
    """Where a publication writes: query (to read the current record), update and Graph Store endpoints."""

    query_url: str
    update_url: str
    graph_store_url: str
    credentials: Credentials = Credentials()
    timeout_s: float = 600.0

    @classmethod
    def from_settings(cls, settings: Any) -> ServerEndpoints:
        """From ``store_url`` (query), ``store_update_url`` and ``store_graph_store_url``; the write URLs
        default to Oxigraph's layout beside the query endpoint (``/update``, ``/store``)."""
        query_url = settings.store_url
        if not query_url:
            raise StoreMissing("no store server configured (KRINGLOOP_STORE_URL)")
        root = query_url.rsplit("/", 1)[0]
        return cls(query_url=query_url, update_url=settings.store_update_url or f"{root}/update",
                   graph_store_url=settings.store_graph_store_url or f"{root}/store",
                   credentials=Credentials(settings.store_user, settings.store_password, settings.store_auth))


def publish_to_server(nquads: bytes, endpoints: ServerEndpoints) -> str:
    """Load the dataset into the server as a new generation; returns the generation name.

    Staged first (each graph under ``urn:kringloop:staging:<generation>:<n>``, invisible to readers, who
    only ever query the published graphs), then switched in one update request.
    """
    by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise StoreServerError("the dataset has triples outside a named graph; Kringloop publishes named graphs only")
        by_graph[quad.graph_name.value].append(quad.triple)
    generation = new_generation_name()
    # only what the record published is replaced: a server loaded by hand, or Virtuoso's own system graphs,
    # are never touched
    current = _publication(endpoints.query_url, endpoints.timeout_s)
    previous = current.graphs if current.recorded else []
    staged: dict[str, str] = {}
    for index, (graph, triples) in enumerate(sorted(by_graph.items())):
        staging = f"{STAGING_PREFIX}{generation}:{index}"
        target = f"{endpoints.graph_store_url}?{urllib.parse.urlencode({'graph': staging})}"
        _http(target, data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"",
              headers={"Content-Type": "application/n-triples"}, timeout_s=endpoints.timeout_s, method="PUT",
              credentials=endpoints.credentials)
        staged[graph] = staging
    sizes = {graph: len(set(triples)) for graph, triples in by_graph.items()}
    _http(endpoints.update_url,
          data=urllib.parse.urlencode({"update": switch_update(staged, previous, generation, sizes)}).encode(),
          headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout_s=endpoints.timeout_s,
          credentials=endpoints.credentials)
    return generation


def switch_update(staged: dict[str, str], previous: list[str], generation: str, sizes: dict[str, int]) -> str:
    """The one update operation (kg/queries/store_switch.ru) that moves the staged graphs into place, empties
    the graphs published before and rewrites the publication record. IRIs are written through
    ``ox.NamedNode`` and literals through ``ox.Literal`` (checked, escaped)."""
    record = ox.NamedNode(PUBLICATION_GRAPH)
    facts = [(record, ox.NamedNode("urn:kringloop:generation"), ox.Literal(generation))]
    facts.append((record, ox.NamedNode("urn:kringloop:graphCount"),
                  ox.Literal(str(len(staged)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))
    facts += [(record, ox.NamedNode("urn:kringloop:graph"), ox.NamedNode(g)) for g in sorted(staged)]
    facts += [(ox.NamedNode(g), ox.NamedNode("urn:kringloop:triples"),
               ox.Literal(str(sizes.get(g, 0)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
              for g in sorted(staged)]
    text = queries.load_update("store_switch")
    text = fill_values(text, ("staged", "target"), [(ox.NamedNode(s), ox.NamedNode(g)) for g, s in sorted(staged.items())])
    text = fill_values(text, ("old",), [(ox.NamedNode(g),) for g in sorted({*previous, *staged, PUBLICATION_GRAPH})])
    return fill_values(text, ("s", "p", "o"), facts)


def fill_values(text: str, variables: tuple[str, ...], rows: list[tuple[Term, ...]]) -> str:
    """Fill the empty ``VALUES (?a ?b) { }`` (``VALUES ?a { }`` for one variable) block of ``text``."""
    names = " ".join(f"?{v}" for v in variables)
    head = f"VALUES ({names})" if len(variables) > 1 else f"VALUES {names}"
    block = re.compile(re.escape(head) + r"\s*\{\s*\}")
    if len(block.findall(text)) != 1:
        raise ValueError(f"expected one empty block '{head} {{ }}'")
    cells = " ".join(("(" + " ".join(map(str, row)) + ")") if len(variables) > 1 else str(row[0]) for row in rows)
    return block.sub(lambda _: f"{head} {{ {cells} }}", text)


__all__ = ["Credentials", "Publication", "ServerEndpoints", "SparqlServerStore", "StorePublishing", "StoreServerError",
           "StoreServerTimeout", "fill_values", "publish_to_server", "switch_update", "with_values"]
