"""The HTML pages: Dutch by default, English with ``?lang=en`` (remembered in a cookie).

Pages render what the graph says server-side (from the same functions as ``browse.py``), and call
the JSON endpoints (recommendations, CoP planning, SPARQL) from the browser. Front-end libraries are
served from ``node_modules`` (installed by ``npm ci`` in ``make install``) under ``/vendor``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from ..deps import get_store
from ..search import FACETS, SearchError, SearchRequest
from ..sparql import OUTPUT_PREFIXES
from . import browse

router = APIRouter(include_in_schema=False)

API_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = API_DIR / "static"
TEMPLATE_DIR = API_DIR / "templates"
# npm installs next to package.json at the repository root; the package is installed editable
# (pip install -e), so the repository is two levels above api/
NODE_MODULES = API_DIR.parent / "node_modules"
VENDOR = {"leaflet": "leaflet/dist", "cytoscape": "cytoscape/dist", "chart.js": "chart.js/dist",
          # built by `npm run build` (esbuild) from api/frontend/: the SPARQL editor
          "kringloop": ".kringloop"}
LANGS = ("nl", "en")
LANG_COOKIE = "kringloop_lang"
DOCS = {"provenance": Path("flanders") / "PROVENANCE.md", "sources": Path("cases") / "SOURCES.md"}

templates = Jinja2Templates(directory=str(TEMPLATE_DIR))


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    """Every interface text, keyed by name, in Dutch and English (api/static/i18n.json)."""
    return json.loads((STATIC_DIR / "i18n.json").read_text(encoding="utf-8"))


def choose_lang(request: Request) -> tuple[str, bool]:
    """The page language and whether it was asked for explicitly (then it is remembered)."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked, True
    cookie = request.cookies.get(LANG_COOKIE)
    return (cookie if cookie in LANGS else "nl"), False


def switch_url(request: Request, lang: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", lang)]
    return f"{request.url.path}?{urlencode(params)}"


def render(request: Request, template: str, *, title_key: str | None = None, title: str | None = None,
           active: str = "", status: int = 200, **context: Any) -> HTMLResponse:
    lang, explicit = choose_lang(request)
    table = labels()

    def t(key: str, **values: Any) -> str:
        text = table[key][lang]
        return text.format(**values) if values else text

    other = "en" if lang == "nl" else "nl"
    response = templates.TemplateResponse(request, template, status_code=status, context={
        "lang": lang, "other_lang": other, "t": t, "active": active,
        "title": title if title is not None else t(title_key or "site.name"),
        "switch_url": switch_url(request, other),
        "js_labels": {k: v[lang] for k, v in table.items()},
        "base_iri": _base_iri(request),
        **context})
    if explicit:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def _base_iri(request: Request) -> str:
    base = request.app.state.settings.base_iri
    return base if base.endswith("/") else base + "/"


def _not_found(request: Request, message_key: str, ident: str) -> HTMLResponse:
    return render(request, "page_not_found.html", title_key="notfound.title", status=404,
                  message_key=message_key, ident=ident)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, q: str | None = None, page: int = 1) -> HTMLResponse:
    """Search over governments, cases and organisations, and the map of Flanders.

    The query, facets and page of a shared URL are honoured here too, so the page without JavaScript
    shows the same practices as with it; a facet value or page the index does not know falls back to
    the first page without filters (the JSON API names it as an error).
    """
    query = (q or "").strip()[:200]
    filters = {name: tuple(request.query_params.getlist(name)[:50]) for name in FACETS
               if request.query_params.getlist(name)}
    results = None
    if query:
        try:
            results = browse.search_engine(request).search(SearchRequest(q=query, filters=filters,
                                                                          page=max(page, 1), per_page=25, limit=25))
        except SearchError:
            results = browse.search(request, query, limit=25)
    return render(request, "page_home.html", title_key="home.title", active="home", q=query, results=results)


@router.get("/bestuur/{gov_id}", response_class=HTMLResponse)
def government(request: Request, gov_id: str) -> HTMLResponse:
    """A government's profile, cases and neighbours; peers and practices come from the recommender."""
    doc = browse.government_detail(get_store(request), gov_id)
    if doc is None:
        return _not_found(request, "notfound.government", gov_id)
    ld_path = browse.page_path(doc["iri"], request.app.state.settings.base_iri)
    return render(request, "page_government.html", title=doc["name"], doc=doc, ld_path=ld_path)


@router.get("/praktijk/{case_id}", response_class=HTMLResponse)
def case(request: Request, case_id: str) -> HTMLResponse:
    """A good practice: summary, lead and partners (as a network), themes, instruments, sources."""
    doc = browse.case_detail(get_store(request), case_id, base_iri=request.app.state.settings.base_iri)
    if doc is None:
        return _not_found(request, "notfound.case", case_id)
    ld_path = browse.page_path(doc["iri"], request.app.state.settings.base_iri)
    return render(request, "page_case.html", title=doc["title"], doc=doc, ld_path=ld_path)


def _concepts(request: Request) -> dict[str, Any]:
    store = get_store(request)
    return browse.cached(request, "concepts", lambda: browse.concepts(store))


def _governments(request: Request) -> list[dict[str, Any]]:
    index = browse.governments_index(request)
    return [g for g in index["governments"] if not g["former"]]


@router.get("/vind-peers", response_class=HTMLResponse)
def intake(request: Request) -> HTMLResponse:
    """The survey's questions as a form; the answer is one request to the recommender."""
    return render(request, "page_intake.html", title_key="intake.title", active="intake",
                  concepts=_concepts(request), governments=_governments(request))


@router.get("/cop-planner", response_class=HTMLResponse)
def cop_planner(request: Request) -> HTMLResponse:
    """Choose participants and groups, see the proposed composition, download it."""
    return render(request, "page_cop.html", title_key="cop.title", active="cop",
                  concepts=_concepts(request), governments=_governments(request))


@router.get("/sparql-editor", response_class=HTMLResponse)
def sparql_editor(request: Request) -> HTMLResponse:
    """An editor for the SPARQL endpoint, with the example queries and downloads in every format."""
    return render(request, "page_sparql.html", title_key="sparql.title", active="sparql", prefixes=OUTPUT_PREFIXES)


@lru_cache(maxsize=4)
def _markdown(path: Path, mtime: float) -> Markup:
    # python-markdown comes with pylode (pinned in pyproject.toml); the files are the repository's own
    import markdown

    return Markup(markdown.markdown(path.read_text(encoding="utf-8"), extensions=["tables"]))


@router.get("/data", response_class=HTMLResponse)
def data(request: Request) -> HTMLResponse:
    """The 2022 survey as charts, the ontology, the dumps, and the sources with their licences."""
    data_dir = Path(request.app.state.settings.data_dir)
    docs = {}
    for key, rel in DOCS.items():
        path = data_dir / rel
        docs[key] = _markdown(path, path.stat().st_mtime) if path.is_file() else None
    return render(request, "page_data.html", title_key="data.title", active="data", docs=docs)


def register(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for name, rel in VENDOR.items():
        # check_dir=False: without `npm ci` the pages still load and say the library is missing
        app.mount(f"/vendor/{name}", StaticFiles(directory=NODE_MODULES / rel, check_dir=False), name=f"vendor-{name}")
