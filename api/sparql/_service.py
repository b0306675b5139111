"""The SPARQL service: guard, negotiation and the worker pool behind one ``execute`` call."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

from kg.namespaces import BESLUIT, GEO, KL, QB, SCHEMA

from ._errors import QueryFailed, QueryRefused, QuerySyntaxError, QueryTimeout
from ._guard import CheckedQuery, check_query
from ._negotiation import GRAPH_FORMATS, RESULT_FORMATS, Format, negotiate
from ._pool import PoolConfig, WorkerPool

# prefixes written into Turtle and RDF/XML answers, so CONSTRUCT results read like MODEL.md
OUTPUT_PREFIXES = {
    "kl": str(KL), "skos": str(SKOS), "dcterms": str(DCTERMS), "prov": str(PROV),
    "org": "http://www.w3.org/ns/org#", "besluit": str(BESLUIT), "geo": str(GEO), "qb": str(QB),
    "schema": str(SCHEMA), "dcat": str(DCAT), "void": str(VOID), "rdf": str(RDF), "rdfs": str(RDFS),
    "owl": str(OWL), "xsd": str(XSD),
}


@dataclass(frozen=True)
class SparqlConfig:
    """Limits and wiring of the endpoint. ``from_settings`` is the production path; tests replace fields."""

    store_path: Path
    base_iri: str
    store_url: str | None = None
    timeout_s: float = 10.0
    max_rows: int = 10_000
    max_bytes: int = 8_000_000
    max_query_length: int = 20_000
    workers: int = 3
    max_concurrent: int = 8
    per_client: int = 2
    worker_memory_mb: int = 2048
    # the Kringloop store keeps every triple in a named graph (MODEL.md); test suites that load a
    # real default graph (the W3C one) switch this off
    default_graph_as_union: bool = True
    isolate_network: bool = True
    prefixes: dict[str, str] = field(default_factory=lambda: dict(OUTPUT_PREFIXES))

    @classmethod
    def from_settings(cls, settings: Any) -> SparqlConfig:
        # a worker in its own network namespace could not reach a store server: with one, the guard's
        # refusals (SERVICE, LOAD, remote FROM) are the wall, and the server sits on a private network
        return cls(store_path=Path(settings.store_path), base_iri=settings.base_iri,
                   store_url=settings.store_url, isolate_network=not settings.store_url,
                   timeout_s=settings.sparql_timeout_s, max_rows=settings.sparql_max_rows,
                   max_bytes=settings.sparql_max_bytes, per_client=settings.sparql_per_client,
                   max_query_length=settings.sparql_max_query_length, workers=settings.sparql_workers,
                   max_concurrent=settings.sparql_max_concurrent,
                   worker_memory_mb=settings.sparql_worker_memory_mb)

    def with_changes(self, **changes: Any) -> SparqlConfig:
        return replace(self, **changes)

    def pool_config(self) -> PoolConfig:
        return PoolConfig(store_path=str(self.store_path), store_url=self.store_url, workers=self.workers, timeout_s=self.timeout_s,
                          memory_mb=self.worker_memory_mb, max_concurrent=self.max_concurrent,
                          default_graph_as_union=self.default_graph_as_union,
                          isolate_network=self.isolate_network, prefixes=self.prefixes, per_client=self.per_client)


@dataclass(frozen=True)
class SparqlResult:
    """A serialised answer and how it was cut off."""

    body: bytes
    format: Format
    truncated: bool
    rows: int


class SparqlService:
    """Checks, dispatches and answers queries; owns the worker pool."""

    def __init__(self, config: SparqlConfig) -> None:
        self.config = config
        self.pool = WorkerPool(config.pool_config())

    def start(self) -> SparqlService:
        self.pool.start()
        return self

    def close(self) -> None:
        self.pool.close()

    @property
    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph, as counted by the first worker."""
        return dict(self.pool.info.get("graphs", {}))

    @property
    def local_graphs(self) -> frozenset[str]:
        return frozenset(self.graph_sizes)

    def check(self, query: str) -> CheckedQuery:
        return check_query(query, max_length=self.config.max_query_length, local_graphs=self.local_graphs)

    def execute(self, query: str, *, accept: str | None = None, format_override: str | None = None,
                default_graph_uris: list[str] | None = None,
                named_graph_uris: list[str] | None = None) -> SparqlResult:
        """Answer one query, or raise a ``SparqlError`` saying why not (blocks; for scripts and tests)."""
        request, _ = self._prepare(query, accept=accept, format_override=format_override,
                                             default_graph_uris=default_graph_uris, named_graph_uris=named_graph_uris)
        return self._result(self.pool.run(request))

    async def execute_async(self, query: str, *, accept: str | None = None, format_override: str | None = None,
                            default_graph_uris: list[str] | None = None,
                            named_graph_uris: list[str] | None = None, client: str | None = None) -> SparqlResult:
        """``execute`` for the web server's event loop; ``client`` (its address) is what fairness counts."""
        request, _ = self._prepare(query, accept=accept, format_override=format_override,
                                   default_graph_uris=default_graph_uris, named_graph_uris=named_graph_uris)
        return self._result(await self.pool.run_async(request, client=client))

    def _prepare(self, query: str, *, accept: str | None, format_override: str | None,
                 default_graph_uris: list[str] | None,
                 named_graph_uris: list[str] | None) -> tuple[dict[str, Any], Format]:
        checked = self.check(query)
        offered = GRAPH_FORMATS if checked.returns_graph else RESULT_FORMATS
        fmt = negotiate(accept, offered, override=format_override)
        request: dict[str, Any] = {"query": query, "format": fmt.key, "max_rows": self.config.max_rows,
                                   "max_bytes": self.config.max_bytes, "has_dataset_clause": checked.has_dataset_clause}
        if default_graph_uris or named_graph_uris:
            for iri in (*(default_graph_uris or []), *(named_graph_uris or [])):
                if iri not in self.local_graphs:
                    raise QueryRefused(f"<{iri}> is not one of this endpoint's graphs; default-graph-uri and "
                                       "named-graph-uri may only name local graphs")
            request["default_graphs"] = list(default_graph_uris or [])
            request["named_graphs"] = list(named_graph_uris or [])
        return request, fmt

    @staticmethod
    def _result(reply: tuple) -> SparqlResult:
        kind = reply[0]
        if kind == "ok":
            _, body, key, truncated, rows = reply
            used = next(f for f in (*RESULT_FORMATS, *GRAPH_FORMATS) if f.key == key)
            return SparqlResult(body=body, format=used, truncated=truncated, rows=rows)
        if kind in ("refused", "unsupported"):
            raise QueryRefused(reply[1])
        if kind == "timeout":
            raise QueryTimeout(reply[1], retry_after_s=1)
        if kind == "syntax":
            raise QuerySyntaxError(reply[1])
        raise QueryFailed(reply[1])
