"""``POST /api/v1/cops/plan`` (API.md): compose CoPs and coaching tracks, as JSON, CSV or XLSX."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from recommender.cop import CopInputError
from recommender.cop.context import CopContext
from recommender.cop.export import DELIMITERS, csv_bytes, file_name, to_xlsx
from recommender.cop.inputs import MAX_TIME_LIMIT_S, PlanRequest
from recommender.cop.model import group_catalogue, group_from_concept
from recommender.cop.names import MAX_ENTRIES, entries

from ..ratelimit import rate_limit
from ..services import get_services

router = APIRouter(prefix="/api/v1/cops", tags=["cops"])

# file names carry the coordinator's date, not the server's UTC one
COORDINATOR_TZ = ZoneInfo("Europe/Brussels")
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class ResolveRequest(BaseModel):
    """A pasted list of names or NIS codes, one per line (tabs and semicolons also separate)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=50_000)


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


@router.post("/participants/resolve")
def resolve_participants(body: ResolveRequest, context: CopContextDep) -> dict[str, Any]:
    """Each entry of a pasted list as a participant, or why not (unknown, ambiguous, merged into another)."""
    queries = entries(body.text)
    if len(queries) > MAX_ENTRIES:
        raise CopInputError("text", f"at most {MAX_ENTRIES} names or codes at once (got {len(queries)})")
    return {"entries": [r.as_dict() for r in context.names.resolve_all(queries)]}


@router.post("/plan", dependencies=[rate_limit("cops")])
def plan_cops(body: PlanRequest, context: CopContextDep,
              format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json",
              lang: Annotated[Literal["nl", "en"], Query()] = "nl",
              sep: Annotated[Literal["semicolon", "comma"],
                             Query(description="CSV separator: ';' for Excel in a Dutch locale, or ','")] = "semicolon",
              ) -> Any:
    """The best composition of the requested groups, proven optimal (or with its gap), explained."""
    result = context.plan(body, time_limit=body.time_limit_s or MAX_TIME_LIMIT_S)
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
    app.include_router(router)
