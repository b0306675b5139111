"""``/sparql`` (SPARQL 1.1 Protocol), the example queries and ``/.well-known/void``."""

from __future__ import annotations

import logging
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from rdflib import Graph

from ..ratelimit import rate_limit
from ..services import get_store
from ..sparql import (
    GRAPH_FORMATS,
    HTML,
    RESULT_FORMATS,
    ExampleQuery,
    QueryRefused,
    QueryTooLong,
    SparqlConfig,
    SparqlResult,
    SparqlService,
    load_examples,
    negotiate,
    service_description,
    void_description,
)

log = logging.getLogger(__name__)

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
_RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def get_sparql(request: Request) -> SparqlService:
    return request.app.state.sparql


SparqlDep = Annotated[SparqlService, Depends(get_sparql)]


@router.head("/sparql", include_in_schema=False)
def sparql_head(request: Request) -> Response:
    """What a GET would answer with (its media type), without running anything: link checkers and clients probing."""
    fmt = negotiate(request.headers.get("accept"), GRAPH_FORMATS if "query" not in request.query_params
                    else RESULT_FORMATS)
    return Response(status_code=200, media_type=fmt.content_type, headers={"Vary": "Accept"})


@router.options("/sparql", include_in_schema=False)
def sparql_options() -> Response:
    return Response(status_code=204, headers={"Allow": "GET, HEAD, POST, OPTIONS"})


@router.get("/sparql", name="sparql_get", dependencies=[rate_limit("sparql")])
async def sparql_get(request: Request, service: SparqlDep, query: str | None = None,
                     format: str | None = None) -> Response:
    """Run ``query``; without one, answer with the service description."""
    params = request.query_params
    if len(params.getlist("query")) > 1:
        raise QueryRefused("give exactly one query parameter")
    # every format parameter counts (SPARQLWrapper sends a name and a list of media types)
    format = ",".join(params.getlist("format")) or None
    if query is None:
        if format is None and negotiate(request.headers.get("accept"), (*GRAPH_FORMATS, HTML)) is HTML:
            # a person in a browser: the editor, not an RDF/XML download of the service description
            return RedirectResponse("/sparql-editor", status_code=303, headers={"Vary": "Accept"})
        return _graph_response(request, _describe_service(request, service), format_override=format)
    return await _answer(request, service, query, format_override=format,
                         default_graphs=params.getlist("default-graph-uri"),
                         named_graphs=params.getlist("named-graph-uri"))


@router.post("/sparql", dependencies=[rate_limit("sparql")])
async def sparql_post(request: Request, service: SparqlDep) -> Response:
    """``query=`` as a form field, or the query itself as ``application/sparql-query``."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    _refuse_huge_body(request, service.config)
    params = request.query_params
    if content_type == SPARQL_QUERY:
        if "query" in params:
            raise QueryRefused("a POST with application/sparql-query carries the query in the body, not the URL")
        query = _decode(await request.body())
        default_graphs, named_graphs = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    elif content_type == FORM:
        form = await request.form()
        if "update" in form:
            raise QueryRefused("updates are not accepted: this endpoint is read-only")
        queries = form.getlist("query")
        if len(queries) != 1 or "query" in params:
            raise QueryRefused("give exactly one query field in the form body")
        query = str(queries[0])
        default_graphs = [str(v) for v in form.getlist("default-graph-uri")]
        named_graphs = [str(v) for v in form.getlist("named-graph-uri")]
    elif content_type == "application/sparql-update":
        # an update is refused for what it is (400, as the form's update field), not for its media type
        raise QueryRefused("updates are not accepted: this endpoint is read-only")
    else:
        raise QueryRefused(f"POST needs Content-Type {FORM} or {SPARQL_QUERY}, not {content_type[:60] or 'none'!r}",
                           status=415)
    return await _answer(request, service, query, format_override=",".join(params.getlist("format")) or None,
                         default_graphs=default_graphs, named_graphs=named_graphs)


@router.get("/api/v1/sparql/examples")
def sparql_examples(request: Request) -> list[dict]:
    """The named example queries: what each answers, and its text."""
    return [_example_json(e) for e in request.app.state.sparql_examples]


@router.get("/.well-known/void")
def void(request: Request, service: SparqlDep, format: str | None = None) -> Response:
    """VoID description of the dataset, with the SPARQL endpoint, dumps and per-graph sizes."""
    config: SparqlConfig = service.config
    site = str(request.base_url).rstrip("/")
    meta = _meta_graph(request, f"{config.base_iri}graph/meta")
    graph = void_description(dataset_iri=f"{config.base_iri}id/dataset/kringloop", endpoint=f"{site}/sparql",
                             site=site, graph_sizes=service.graph_sizes, meta=meta)
    return _graph_response(request, graph, format_override=format)


async def _answer(request: Request, service: SparqlService, query: str, *, format_override: str | None,
                  default_graphs: list[str], named_graphs: list[str]) -> Response:
    result: SparqlResult = await service.execute_async(
        query, accept=request.headers.get("accept"), format_override=format_override,
        default_graph_uris=default_graphs or None, named_graph_uris=named_graphs or None,
        client=request.client.host if request.client else None)
    return Response(result.body, media_type=result.format.content_type,
                    headers={"X-Kringloop-Truncated": "true" if result.truncated else "false",
                             "X-Kringloop-Rows": str(result.rows), "Vary": "Accept"})


def _describe_service(request: Request, service: SparqlService) -> Graph:
    site = str(request.base_url).rstrip("/")
    return service_description(endpoint=f"{site}/sparql",
                               dataset_iri=f"{service.config.base_iri}id/dataset/kringloop",
                               graph_sizes=service.graph_sizes,
                               union_default_graph=service.config.default_graph_as_union,
                               examples=request.app.state.sparql_examples)


def _graph_response(request: Request, graph: Graph, *, format_override: str | None) -> Response:
    fmt = negotiate(request.headers.get("accept"), GRAPH_FORMATS, override=format_override)
    body = graph.serialize(format=_RDFLIB_FORMATS[fmt.key], encoding="utf-8")
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


def _meta_graph(request: Request, graph_iri: str) -> Graph | None:
    store = get_store(request)
    quads = list(store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)))
    if not quads:
        return None
    return Graph().parse(data=ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES), format="nt")


def _refuse_huge_body(request: Request, config: SparqlConfig) -> None:
    # a form body percent-encodes, so allow up to 3 bytes per query character plus the other fields
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > 3 * config.max_query_length + 8192:
        raise QueryTooLong(f"the request body is {declared} bytes; queries may be at most "
                           f"{config.max_query_length} characters")


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryRefused("the query is not valid UTF-8") from None


def _example_json(example: ExampleQuery) -> dict:
    return {"name": example.name, "title": example.title, "title_en": example.title_en,
            "description": example.description, "description_en": example.description_en, "query": example.query}


def _start(app: FastAPI) -> None:
    app.state.sparql_examples = load_examples()
    app.state.sparql = SparqlService(app.state.sparql_config).start()
    if app.state.sparql_config.isolate_network and not app.state.sparql.pool.info.get("network_isolated"):
        # the guard still refuses SERVICE and remote FROM; only the second wall is missing: say so
        log.warning("SPARQL workers could not leave the network (no unprivileged user namespaces on this "
                    "kernel): remote access is refused by the query checks alone")


def _stop(app: FastAPI) -> None:
    service = getattr(app.state, "sparql", None)
    if service is not None:
        service.close()


def register(app: FastAPI) -> None:
    """Add the routes; the worker pool starts with the app (``app.state.sparql_config`` may be replaced first)."""
    app.state.sparql_config = SparqlConfig.from_settings(app.state.settings)
    app.state.startup_hooks.append(_start)
    app.state.shutdown_hooks.append(_stop)
    app.include_router(router)
