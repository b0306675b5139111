"""``POST /api/v1/cops/plan`` (API.md): compose CoPs and coaching tracks, as JSON, CSV or XLSX."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import Response

from recommender.cop.context import CopContext
from recommender.cop.export import to_csv, to_xlsx
from recommender.cop.inputs import MAX_TIME_LIMIT_S, PlanRequest
from recommender.cop.model import group_catalogue, group_from_concept

from ..ratelimit import rate_limit
from ..services import get_services

router = APIRouter(prefix="/api/v1/cops", tags=["cops"])

MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def get_cop_context(request: Request) -> CopContext:
    # loaded on first use (servers which never plan pay nothing at start-up), again per new generation
    return get_services(request).cop


CopContextDep = Annotated[CopContext, Depends(get_cop_context)]


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
    result = context.plan(body, time_limit=body.time_limit_s or MAX_TIME_LIMIT_S)
    if format == "json":
        return result
    content = to_csv(result, lang=lang).encode("utf-8") if format == "csv" else to_xlsx(result, lang=lang)
    return Response(content, media_type=MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="cop-plan.{format}"'})


def register(app: FastAPI) -> None:
    app.include_router(router)
