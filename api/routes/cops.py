"""``POST /api/v1/cops/plan`` (API.md): compose CoPs and coaching tracks, as JSON, CSV or XLSX."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from recommender.cop import CopInputError, Infeasible, PlanTimeout, concept_labels, plan_response, problem_from_request
from recommender.cop.catalogue import concepts_from_graph
from recommender.cop.export import DELIMITERS, csv_bytes, file_name, to_xlsx
from recommender.cop.model import group_catalogue, group_from_concept
from recommender.cop.names import MAX_ENTRIES, NameIndex, entries
from recommender.cop.partners import partner_rows, suggest_partners
from kg.store import GraphStore
from recommender.knowledge import load_knowledge
from recommender.profiles import GovernmentProfile, derive_profiles

from ..deps import FollowsGraph, get_store
from ..errors import ApiError
from ..ratelimit import rate_limit

router = APIRouter(prefix="/api/v1/cops", tags=["cops"])

# a request may ask for less time, never more: one plan must not hold a server worker for minutes
MAX_TIME_LIMIT_S = 60.0
# file names carry the coordinator's date, not the server's UTC one
COORDINATOR_TZ = ZoneInfo("Europe/Brussels")
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class PlanRequest(BaseModel):
    """The body of a planning request; nested fields are checked by ``recommender.cop.request``."""

    model_config = ConfigDict(extra="forbid")
    # Flanders has about 530 governments; bounds make absurd bodies fail fast (outside probe, finding 8)
    participants: list[dict[str, Any] | str] = Field(max_length=2000)
    groups: list[dict[str, Any] | str] | None = Field(default=None, max_length=50)
    constraints: dict[str, Any] | None = None
    weights: dict[str, float] | None = None
    time_limit_s: float | None = Field(default=None, gt=0, le=MAX_TIME_LIMIT_S)


class ResolveRequest(BaseModel):
    """A pasted list of names or NIS codes, one per line (tabs and semicolons also separate)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=50_000)


class CopContext:
    """What planning needs from the graph, loaded once: profiles, concepts and partner evidence."""

    def __init__(self, *, profiles: dict[str, GovernmentProfile], concepts: dict[str, Any],
                 partner_rows: list[dict[str, object]], successors: dict[str, str] | None = None) -> None:
        self.profiles, self.concepts, self.partner_rows = profiles, concepts, partner_rows
        self.names = NameIndex(profiles, successors or {})
        # topic codes, and the names of intermunicipal associations (a reason names the one two members share)
        self.labels = concept_labels(concepts) | {iri: (p.name, p.name) for iri, p in profiles.items()
                                                  if p.type == "intergemeentelijk"}


def get_cop_context(request: Request) -> CopContext:
    # loaded on first use (servers which never plan pay nothing at start-up), again per new generation
    return request.app.state.cop_context.get(get_store(request))


def _cop_context(store: GraphStore) -> CopContext:
    kb = load_knowledge(store)
    successors = {iri: g.successor for iri, g in kb.governments.items() if g.former and g.successor}
    return CopContext(profiles=derive_profiles(kb), concepts=concepts_from_graph(store),
                      partner_rows=partner_rows(store), successors=successors)


CopContextDep = Annotated[CopContext, Depends(get_cop_context)]


def plan(body: PlanRequest, context: CopContext) -> dict[str, Any]:
    """Plan a request or raise the API error that says why not."""
    try:
        problem, weights = problem_from_request(body.model_dump(exclude_none=True, exclude={"time_limit_s"}),
                                                profiles=context.profiles, concepts=context.concepts)
        return plan_response(problem, weights=weights, labels=context.labels,
                             partner_finder=lambda g: [s.as_dict() for s in suggest_partners(context.partner_rows, g)],
                             time_limit=body.time_limit_s or MAX_TIME_LIMIT_S)
    except CopInputError as exc:
        raise ApiError(str(exc), status=422, extra={"errors": [{"field": str(exc).split(":")[0],
                                                                "message": str(exc)}]}) from exc
    except Infeasible as exc:
        raise ApiError(f"infeasible: {exc}", status=422,
                       extra={"plan_status": "infeasible",
                              "conflicts": [c.text_en for c in exc.conflicts],
                              "conflicts_nl": [c.text_nl for c in exc.conflicts],
                              "conflict_details": [c.as_dict() for c in exc.conflicts]}) from exc
    except PlanTimeout as exc:
        raise ApiError(str(exc), status=503) from exc


@router.get("")
def list_groups(context: CopContextDep) -> dict[str, Any]:
    """The groups a plan may compose, with their topics and default sizes."""
    groups = [group_from_concept(c) for c in group_catalogue(context.concepts).values()]
    return {"groups": [{"code": g.code, "name_nl": g.name_nl, "name_en": g.name_en, "kind": g.kind,
                        "topics": sorted(g.topics), "min_size": g.min_size, "max_size": g.max_size} for g in groups]}


@router.post("/participants/resolve")
def resolve_participants(body: ResolveRequest, context: CopContextDep) -> dict[str, Any]:
    """Each entry of a pasted list as a participant, or why not (unknown, ambiguous, merged into another)."""
    queries = entries(body.text)
    if len(queries) > MAX_ENTRIES:
        raise ApiError(f"text: at most {MAX_ENTRIES} names or codes at once (got {len(queries)})", status=422,
                       extra={"errors": [{"field": "text", "message": f"at most {MAX_ENTRIES} entries"}]})
    return {"entries": [r.as_dict() for r in context.names.resolve_all(queries)]}


@router.post("/plan", dependencies=[rate_limit("cops")])
def plan_cops(body: PlanRequest, context: CopContextDep,
              format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json",
              lang: Annotated[Literal["nl", "en"], Query()] = "nl",
              sep: Annotated[Literal["semicolon", "comma"],
                             Query(description="CSV separator: ';' for Excel in a Dutch locale, or ','")] = "semicolon",
              ) -> Any:
    """The best composition of the requested groups, proven optimal (or with its gap), explained."""
    result = plan(body, context)
    if format == "json":
        return result
    if format == "csv":
        content = csv_bytes(result, lang=lang, labels=context.labels, delimiter=DELIMITERS[sep])
    else:
        content = to_xlsx(result, lang=lang, labels=context.labels)
    name = file_name(format, lang=lang, day=dt.datetime.now(COORDINATOR_TZ).date())
    return Response(content, media_type=MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def register(app: FastAPI) -> None:
    app.state.cop_context = FollowsGraph(_cop_context)
    app.include_router(router)
