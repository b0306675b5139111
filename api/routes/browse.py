"""Read-only JSON for the web pages: search, government and case detail, the map, concepts, survey.

Every query lives in ``kg/queries/browse_*.rq``; this module only shapes rows into documents.
The pages render the same documents server-side (``pages.py``), so a page and its JSON never drift.
Search itself (index, ranking, facets) lives in ``api/search/``; the route only reads parameters.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import Response

from kg import queries
from kg.build_concepts import CONCEPT_KEY
from kg.store import GraphStore

from ..errors import ApiError
from ..search import FACETS, SearchEngine, SearchRequest
from ..services import get_services, get_store

router = APIRouter(prefix="/api/v1/browse", tags=["browse"])

GEOJSON = Path("flanders") / "flanders_municipalities.geojson"
# 4 decimals of a degree is about 7-11 m in Flanders: invisible at any zoom the pages use; with
# gzip the map goes from 1.3 MB to under 0.3 MB, which matters on a phone connection
COORD_DECIMALS = 4
SCHEMES = {slug: CONCEPT_KEY[slug] for slug in ("thema", "instrument", "drempel", "drijfveer", "maturiteit",
                                                "bestuurstype", "cop", "vijfhoek")}   # the ones the pages show


def _pair(nl: str | None, en: str | None) -> dict[str, str | None]:
    return {"nl": nl, "en": en or nl}


def cached(request: Request, key: str, compute: Any) -> Any:
    """A document that depends only on the graph, computed once per store generation (api/services.py)."""
    return get_services(request).cached(f"browse.{key}", compute)


def page_path(iri: str | None, base_iri: str) -> str | None:
    """The local path of a resource's Linked Data page, for IRIs under the configured base."""
    base = base_iri if base_iri.endswith("/") else base_iri + "/"
    if iri and iri.startswith(base):
        return "/" + iri[len(base):]
    return None


# --- search ---------------------------------------------------------------------------------------

def search_index(store: GraphStore) -> dict[str, list[dict[str, Any]]]:
    """Every government (for the participant pickers of the intake and planner pages)."""
    governments = [{"kind": "government", "iri": r["gov"], "id": r["id"], "name": r["name"] or r["id"],
                    "type": r["type"], "type_label": _pair(r["type_nl"], r["type_en"]),
                    "province": r["province_name"], "municipality": r["municipality"], "former": r["former"]}
                   for r in queries.select(store, "browse_search_governments")]
    return {"governments": governments}


def search_engine(request: Request) -> SearchEngine:
    """The search index of the request's store generation (built on first use, rebuilt when it changes)."""
    store = get_store(request)
    return cached(request, "search-engine", lambda: SearchEngine.from_store(store))


def search(request: Request, q: str, *, limit: int = 20) -> dict[str, Any]:
    """The first page of results for ``q`` without filters (the home page renders it server-side)."""
    return search_engine(request).search(SearchRequest(q=q, limit=limit, per_page=limit))


def governments_index(request: Request) -> dict[str, list[dict[str, Any]]]:
    store = get_store(request)
    return cached(request, "search", lambda: search_index(store))


# --- government -----------------------------------------------------------------------------------

def government_detail(store: GraphStore, gov_id: str) -> dict[str, Any] | None:
    """Profile, cases, neighbours, predecessors and memberships of the government ``gov_id``."""
    rows = queries.select(store, "browse_government", id=gov_id)
    if not rows:
        return None
    r = rows[0]
    doc: dict[str, Any] = {
        "id": r["id"], "iri": r["gov"], "name": r["name"] or r["id"], "name_en": r["name_en"] or r["name"],
        "nis_code": r["id"] if r["municipality"] else None,
        "type": r["type"], "type_label": _pair(r["type_nl"], r["type_en"]),
        "province": {"id": r["province_id"], "name": r["province_name"]} if r["province_id"] else None,
        "arrondissement": r["arrondissement"], "population": r["population"],
        "population_date": r["population_date"], "area_km2": r["area"], "centrumstad": bool(r["centrumstad"]),
        "municipality": r["municipality"], "former": r["former"], "end_date": r["end_date"],
        "successor": {"id": r["successor_id"], "name": r["successor_name"]} if r["successor_id"] else None,
    }
    doc["cases"] = [{"id": c["id"], "iri": c["case"], "title": c["title"] or c["id"], "year": c["year"],
                     "role": c["role"], "role_label": _pair(c["role_nl"], c["role_en"]),
                     "themes": (c["themes"] or "").split()}
                    for c in queries.select(store, "browse_government_cases", gov=r["gov"])]
    related: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rel in queries.select(store, "browse_government_related", gov=r["gov"]):
        related[rel["relation"]].append({"id": rel["other_id"], "iri": rel["other"],
                                         "name": rel["name"] or rel["other_id"],
                                         "name_en": rel["name_en"] or rel["name"], "kind": rel["kind"]})
    doc["neighbours"] = related["neighbour"]
    doc["predecessors"] = related["predecessor"]
    doc["memberships"] = related["membership"]
    # "lid van IVVO, met Poperinge, Ieper, ...": the other members of each intercommunale it belongs to
    for membership in doc["memberships"]:
        if membership["kind"] == "intercommunale":
            members = association_members(store, membership["iri"])
            membership["others"] = [m for m in members["members"] if m["iri"] != r["gov"]]
            membership["lists"] = members["lists"]
    members = association_members(store, r["gov"])
    doc["members"], doc["member_lists"] = members["members"], members["lists"]
    doc["contact"] = contacts(store).get(r["gov"])
    return doc


# --- contact --------------------------------------------------------------------------------------

def contacts(store: GraphStore) -> dict[str, dict[str, str]]:
    """The known website of each government or organisation that has one, with the page that gave it."""
    found: dict[str, dict[str, str]] = {}
    for row in queries.select(store, "browse_contacts"):
        found.setdefault(row["agent"], {"website": row["url"], "source": row["source"]})
    return found


def case_leads(store: GraphStore, *, base_iri: str, case: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Each case's (or one case's) leads with how to reach them (``website``/``source`` None when unknown)."""
    known = contacts(store)
    leads: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in queries.select(store, "case_leads", **({"case": case} if case else {})):
        contact = known.get(row["agent"]) if row["agent"] else None
        leads[row["case"]].append({
            "name": row["name"] or row["agent_id"] or row["agent"], "iri": row["agent"], "role": row["role"],
            "government": bool(row["government"]),
            "page": (f"/bestuur/{row['agent_id']}" if row["government"] and row["agent_id"]
                     else page_path(row["agent"], base_iri)),
            "website": contact["website"] if contact else None, "source": contact["source"] if contact else None})
    return dict(leads)


def association_members(store: GraphStore, org_iri: str) -> dict[str, list[dict[str, Any]]]:
    """The members of an association (each once) and the member lists they were read on."""
    members: dict[str, dict[str, Any]] = {}
    lists: dict[str, dict[str, Any]] = {}
    for row in queries.select(store, "browse_government_members", org=org_iri):
        member = members.setdefault(row["member"], {"iri": row["member"], "id": row["member_id"],
                                                    "name": row["name"] or row["member_id"], "names_as_read": []})
        if row["name_as_read"] and row["name_as_read"] != member["name"]:
            member["names_as_read"].append(row["name_as_read"])
        if row["source"]:
            lists[row["source"]] = {"source": row["source"], "complete": bool(row["complete"]),
                                    "date_seen": str(row["date_seen"])}
    return {"members": sorted(members.values(), key=lambda m: m["name"]), "lists": list(lists.values())}


# --- case -----------------------------------------------------------------------------------------

def case_detail(store: GraphStore, case_id: str, *, base_iri: str) -> dict[str, Any] | None:
    """Summary, participants with roles and pentagon places, concepts and sources of a case."""
    rows = queries.select(store, "browse_case", id=case_id)
    if not rows:
        return None
    r = rows[0]
    doc: dict[str, Any] = {
        "id": r["id"], "iri": r["case"], "title": r["title"] or r["id"],
        "abstract": _pair(r["abstract_nl"], r["abstract_en"]), "year": r["year"],
        "status": {"code": r["status"], **_pair(r["status_nl"], r["status_en"])} if r["status"] else None,
        "evidence": r["evidence"], "note": r["note"], "lead_organisation_name": r["lead_organisation_name"],
    }
    participants = []
    for p in queries.select(store, "browse_case_participants", case=r["case"]):
        participants.append({
            "iri": p["agent"], "id": p["agent_id"], "name": p["name"] or p["agent_id"] or p["agent"],
            "government": p["government"], "role": p["role"], "role_label": _pair(p["role_nl"], p["role_en"]),
            "pentagon": p["pentagon"], "pentagon_label": _pair(p["pentagon_nl"], p["pentagon_en"]),
            "page": f"/bestuur/{p['agent_id']}" if p["government"] and p["agent_id"] else page_path(p["agent"], base_iri),
        })
    doc["participants"] = participants
    facets: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in queries.select(store, "browse_case_facets", case=r["case"]):
        if f["facet"] == "source":
            facets["sources"].append({"url": f["url"], "title": f["label_nl"] or f["label_en"] or f["url"]})
        elif f["facet"] == "partnerName":
            facets["unresolved_partners"].append(f["label_nl"])
        else:
            facets[f["facet"] + "s"].append({"code": f["code"], **_pair(f["label_nl"], f["label_en"])})
    for key in ("themes", "instruments", "pentagons", "sources", "unresolved_partners"):
        doc[key] = facets[key]
    doc["pentagon"] = doc.pop("pentagons")
    doc["leads"] = case_leads_of(store, r["case"], base_iri=base_iri)
    return doc


def case_leads_of(store: GraphStore, case_iri: str, *, base_iri: str) -> list[dict[str, Any]]:
    return case_leads(store, base_iri=base_iri, case=case_iri).get(case_iri, [])


# --- map, concepts, survey ------------------------------------------------------------------------

def _round(coords: Any) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        return [round(c, COORD_DECIMALS) for c in coords]
    rounded = [_round(c) for c in coords]
    if rounded and rounded[0] and isinstance(rounded[0][0], (int, float)):
        # a ring: points that became equal after rounding add bytes, not shape
        rounded = rounded[:1] + [b for a, b in zip(rounded, rounded[1:]) if a != b]
    return rounded


def map_geojson(store: GraphStore, data_dir: Path) -> bytes:
    """The 285 municipalities as GeoJSON, each with its case counts and front-runner indicator."""
    counts = {r["nis"]: r for r in queries.select(store, "browse_map")}
    collection = json.loads((Path(data_dir) / GEOJSON).read_text(encoding="utf-8"))
    features = []
    for feature in collection["features"]:
        nis = feature["properties"]["nis_code"]
        row = counts.get(nis, {})
        led, declarations = row.get("cases_led", 0), row.get("declarations", 0)
        features.append({"type": "Feature", "id": nis, "properties": {
            "nis_code": nis, "name": row.get("name") or feature["properties"].get("name_nl"),
            "province": row.get("province_name"), "population": row.get("population"),
            "cases": row.get("cases", 0), "cases_led": led, "declarations": declarations,
            # the same evidence the recommender's front-runner score starts from: leading cases or
            # having signed a circular-economy declaration
            "frontrunner": bool(led or declarations)},
            "geometry": {"type": feature["geometry"]["type"],
                         "coordinates": _round(feature["geometry"]["coordinates"])}})
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()


def concepts(store: GraphStore) -> dict[str, Any]:
    """The codes the forms offer, per scheme (themes, instruments, barriers, ...), plus provinces."""
    schemes: dict[str, list[dict[str, Any]]] = {name: [] for name in SCHEMES.values()}
    for r in queries.select(store, "browse_concepts"):
        schemes[SCHEMES[r["scheme"]]].append({"code": r["code"], **_pair(r["label_nl"], r["label_en"]),
                                              "broader": r["broader"], "level": r["level"]})
    provinces = [{"nis_code": r["nis"], "name": r["name"] or r["label"], "label": r["label"]}
                 for r in queries.select(store, "browse_provinces")]
    return {"schemes": schemes, "provinces": provinces}


def survey(store: GraphStore) -> dict[str, Any]:
    """The 2022 survey's published figures, one per observation."""
    observations = [{"code": r["code"], "iri": r["obs"], "label": _pair(r["label_nl"], r["label_en"]),
                     "measure": r["measure"], "value": r["value"], "n": r["n"], "source": r["source"],
                     "category": {"code": r["category"], **_pair(r["category_nl"], r["category_en"])}
                     if r["category"] else None}
                    for r in queries.select(store, "browse_survey")]
    return {"observations": observations}


# --- routes ---------------------------------------------------------------------------------------

FacetParam = Annotated[list[str] | None, Query(max_length=50)]


@router.get("/search")
def read_search(request: Request, q: Annotated[str, Query(min_length=1, max_length=200)],
                limit: Annotated[int, Query(ge=1, le=100)] = 20,
                page: Annotated[int, Query(ge=1, le=10_000)] = 1,
                per_page: Annotated[int | None, Query(ge=1, le=100)] = None,
                theme: FacetParam = None, instrument: FacetParam = None, province: FacetParam = None,
                size: FacetParam = None, pentagon: FacetParam = None, year: FacetParam = None,
                status: FacetParam = None, lead_type: FacetParam = None) -> dict[str, Any]:
    """Governments, organisations and a page of practices matching ``q`` (typos forgiven), with facets.

    Facet parameters repeat (``theme=a&theme=b``: either), and combine (``theme=a&year=2020``: both).
    """
    given = {"theme": theme, "instrument": instrument, "province": province, "size": size,
             "pentagon": pentagon, "year": year, "status": status, "lead_type": lead_type}
    search_request = SearchRequest(q=q, filters={name: tuple(given[name]) for name in FACETS if given[name]},
                                   page=page, per_page=per_page or limit, limit=limit)
    return search_engine(request).search(search_request)   # SearchError: 422 naming the field (api/errors.py)


@router.get("/governments")
def read_governments(request: Request) -> list[dict[str, Any]]:
    """Every government (for the participant pickers), current municipalities first."""
    index = governments_index(request)
    return [{k: v for k, v in g.items() if not k.startswith("_")} for g in index["governments"]]


@router.get("/governments/{gov_id}")
def read_government(request: Request, gov_id: str) -> dict[str, Any]:
    """A government's profile, its cases, neighbours, predecessors and memberships."""
    doc = government_detail(get_store(request), gov_id)
    if doc is None:
        raise ApiError(f"no government with identifier {gov_id!r}", status=404)
    return doc


@router.get("/cases/{case_id}")
def read_case(request: Request, case_id: str) -> dict[str, Any]:
    """A case with its participants (roles, pentagon places), themes, instruments and sources."""
    doc = case_detail(get_store(request), case_id, base_iri=request.app.state.settings.base_iri)
    if doc is None:
        raise ApiError(f"no case with identifier {case_id!r}", status=404)
    return doc


@router.get("/map")
def read_map(request: Request) -> Response:
    """GeoJSON of the 285 municipalities with case counts and the front-runner indicator."""
    store = get_store(request)
    body = cached(request, "map", lambda: map_geojson(store, request.app.state.settings.data_dir))
    # the graph is read-only while served: let the browser reuse the map across pages; GZipMiddleware
    # (api/app.py) packs it to under 0.3 MB for clients that accept gzip
    return Response(body, media_type="application/geo+json", headers={"Cache-Control": "public, max-age=3600"})


@router.get("/concepts")
def read_concepts(request: Request) -> dict[str, Any]:
    """The codes (with Dutch and English labels) that the intake form and planner offer."""
    store = get_store(request)
    return cached(request, "concepts", lambda: concepts(store))


@router.get("/survey")
def read_survey(request: Request) -> dict[str, Any]:
    """The published figures of the 2022 survey, for the charts on the data page."""
    store = get_store(request)
    return cached(request, "survey", lambda: survey(store))


def register(app: FastAPI) -> None:
    app.include_router(router)
