"""``POST /api/v1/cops/plan`` (API.md): compose CoPs and coaching tracks, as JSON, CSV or XLSX."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import Response

from kg.store import GraphStore
from recommender.cop import concept_labels, plan_response, problem_from_request
from recommender.cop.catalogue import concepts_from_graph
from recommender.cop.export import to_csv, to_xlsx
from recommender.cop.inputs import MAX_TIME_LIMIT_S, PlanRequest
from recommender.cop.model import group_catalogue, group_from_concept
from recommender.cop.partners import partner_rows, suggest_partners
from recommender.profiles import GovernmentProfile, load_profiles

from ..deps import FollowsGraph, get_store
from ..ratelimit import rate_limit

router = APIRouter(prefix="/api/v1/cops", tags=["cops"])

MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class CopContext:
    """What planning needs from the graph, loaded once: profiles, concepts and partner evidence."""

    def __init__(self, *, profiles: dict[str, GovernmentProfile], concepts: dict[str, Any],
                 partner_rows: list[dict[str, object]]) -> None:
        self.profiles, self.concepts, self.partner_rows = profiles, concepts, partner_rows
        # topic codes, and the names of intermunicipal associations (a reason names the one two members share)
        self.labels = concept_labels(concepts) | {iri: (p.name, p.name) for iri, p in profiles.items()
                                                  if p.type == "intergemeentelijk"}


def get_cop_context(request: Request) -> CopContext:
    # loaded on first use (servers which never plan pay nothing at start-up), again per new generation
    return request.app.state.cop_context.get(get_store(request))


def _cop_context(store: GraphStore) -> CopContext:
    return CopContext(profiles=load_profiles(store), concepts=concepts_from_graph(store),
                      partner_rows=partner_rows(store))


CopContextDep = Annotated[CopContext, Depends(get_cop_context)]


def plan(body: PlanRequest, context: CopContext) -> dict[str, Any]:
    """The plan for a request; CopInputError, Infeasible or PlanTimeout say why not (api/errors.py maps them)."""
    problem, weights = problem_from_request(body, profiles=context.profiles, concepts=context.concepts)
    return plan_response(problem, weights=weights, labels=context.labels,
                         partner_finder=lambda g: [s.as_dict() for s in suggest_partners(context.partner_rows, g)],
                         time_limit=body.time_limit_s or MAX_TIME_LIMIT_S)


@router.get("")
def list_groups(context: CopContextDep) -> dict[str, Any]:
    """The groups a plan may compose, with their topics and default sizes."""
    groups = [group_from_concept(c) for c in group_catalogue(context.concepts).values()]
    return {"groups": [{"code": g.code, "name_nl": g.name_nl, "name_en": g.name_en, "kind": g.kind,
                        "topics": sorted(g.topics), "min_size": g.min_size, "max_size": g.max_size} for g in groups]}


@router.post("/plan", dependencies=[rate_limit("cops")])
def plan_cops(body: PlanRequest, context: CopContextDep,
              format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json",
              lang: Annotated[Literal["nl", "en"], Query()] = "nl") -> Any:
    """The best composition of the requested groups, proven optimal (or with its gap), explained."""
    result = plan(body, context)
    if format == "json":
        return result
    content = to_csv(result, lang=lang).encode("utf-8") if format == "csv" else to_xlsx(result, lang=lang)
    return Response(content, media_type=MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="cop-plan.{format}"'})


def register(app: FastAPI) -> None:
    app.state.cop_context = FollowsGraph(_cop_context)
    app.include_router(router)
