"""Dereferenceable IRIs (``/id/…``, ``/graph/…``, ``/def``) and the dumps at stable URLs."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, Response

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
from ..sparql._linked_data import Description, to_rdf
from . import pages

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
    shown_iri = title_iri or (iris[0] if iris else "")
    headers = {"Vary": "Accept"}
    if not description:
        if fmt is HTML:  # a browser gets the site's own not-found page; a client its JSON error body
            response = pages.render(request, "page_not_found.html", title_key="notfound.title", status=404,
                                    message_key="notfound.resource", ident=shown_iri)
            response.headers.update(headers)
            return response
        raise ApiError(f"nothing is known about <{shown_iri}>", status=404, headers=headers)
    prefixes = OUTPUT_PREFIXES
    if fmt is HTML:
        context = _renderer(_base(request)).context(store, description, title_iri=shown_iri, prefixes=prefixes)
        human_key, human_path = _human_page(description, shown_iri)
        response = pages.render(request, "ld_resource.html", title=context["label"] or shown_iri,
                                active="data", human_key=human_key, human_path=human_path, **context)
        response.headers.update(headers)
        return response
    return Response(to_rdf(description, fmt.key, prefixes=prefixes), media_type=fmt.content_type, headers=headers)


# the people's page for a resource: governments and practices have one, found by type and identifier
_HUMAN_PAGES = (("http://data.vlaanderen.be/ns/besluit#Bestuurseenheid", "/bestuur/", "ld.human_government"),
                ("https://w3id.org/kringloop/def#Case", "/praktijk/", "ld.human_case"))
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")


def _human_page(description: Description, iri: str) -> tuple[str | None, str | None]:
    """The label key and path of the HTML page for people about ``iri`` (``/bestuur/24062``), if it has one."""
    subject = ox.NamedNode(iri)
    types = {t.object.value for t in description.triples if t.subject == subject and t.predicate == _RDF_TYPE}
    identifier = next((t.object.value for t in description.triples
                       if t.subject == subject and t.predicate == _IDENTIFIER), None)
    if identifier:
        for type_iri, prefix, key in _HUMAN_PAGES:
            if type_iri in types:
                return key, prefix + quote(identifier, safe="")
    return None, None


@lru_cache(maxsize=4)
def _renderer(base_iri: str) -> HtmlRenderer:
    return HtmlRenderer(base_iri=base_iri)


def _base(request: Request) -> str:
    base = request.app.state.settings.base_iri
    return base if base.endswith("/") else base + "/"


def register(app: FastAPI) -> None:
    app.include_router(router)
