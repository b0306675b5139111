"""Dereferenceable IRIs (``/id/…``, ``/graph/…``, ``/def``) and the dumps at stable URLs."""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from ..deps import get_store
from ..errors import ApiError
from ..sparql import (
    GRAPH_FORMATS,
    HTML,
    OUTPUT_PREFIXES,
    HtmlRenderer,
    describe,
    negotiate,
    subjects_with_prefix,
)
from ..sparql._linked_data import to_rdf

router = APIRouter(tags=["linked data"])

KL_DEF = "https://w3id.org/kringloop/def"
DUMPS = {"kringloop.ttl": "text/turtle", "kringloop.nt": "application/n-triples",
         "kringloop.jsonld": "application/ld+json"}
# HTML is listed second: a browser names text/html explicitly, while */* (curl, scripts) gets Turtle
LD_FORMATS = (GRAPH_FORMATS[0], HTML, *GRAPH_FORMATS[1:])


@router.get("/id/{path:path}")
def resource(path: str, request: Request, format: str | None = None) -> Response:
    """Everything the graph says about ``{base}id/{path}``."""
    return _dereference(request, [_base(request) + "id/" + path], format_override=format)


@router.get("/graph/{path:path}")
def named_graph(path: str, request: Request, format: str | None = None) -> Response:
    """A named graph's own description (from the dataset metadata)."""
    return _dereference(request, [_base(request) + "graph/" + path], format_override=format)


@router.get("/def")
def ontology(request: Request, format: str | None = None) -> Response:
    """The Kringloop vocabulary: every ``kl:`` term with its definition."""
    base = _base(request)
    terms = subjects_with_prefix(get_store(request), f"{base}graph/ontology", KL_DEF)
    return _dereference(request, terms, format_override=format, title_iri=KL_DEF + "#")


@router.get("/dumps/{name}")
def dump(name: str, request: Request) -> Response:
    """The whole public graph, written by the build."""
    path = request.app.state.settings.build_dir / name
    if name not in DUMPS or not path.is_file():
        raise ApiError(f"no dump named {name!r}; available: {', '.join(DUMPS)}", status=404)
    return FileResponse(path, media_type=DUMPS[name], filename=name)


def _dereference(request: Request, iris: list[str], *, format_override: str | None,
                 title_iri: str | None = None) -> Response:
    store = get_store(request)   # follows a newly published generation
    fmt = negotiate(request.headers.get("accept"), LD_FORMATS, override=format_override)
    description = describe(store, iris)
    if not description:
        raise ApiError(f"nothing is known about <{title_iri or (iris[0] if iris else '')}>", status=404)
    prefixes = OUTPUT_PREFIXES
    headers = {"Vary": "Accept"}
    if fmt is HTML:
        renderer = _renderer(_base(request))
        page = renderer.render(store, description, title_iri=title_iri or iris[0], prefixes=prefixes)
        return HTMLResponse(page, headers=headers)
    return Response(to_rdf(description, fmt.key, prefixes=prefixes), media_type=fmt.content_type, headers=headers)


@lru_cache(maxsize=4)
def _renderer(base_iri: str) -> HtmlRenderer:
    return HtmlRenderer(base_iri=base_iri)


def _base(request: Request) -> str:
    base = request.app.state.settings.base_iri
    return base if base.endswith("/") else base + "/"


def register(app: FastAPI) -> None:
    app.include_router(router)
