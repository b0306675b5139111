"""``/api/v1/registrations`` (API.md): governments register publicly; only coordinators read them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from kg.textfields import Code
from recommender.inputs import Profile
from recommender.profiles import municipality_iri
from state.registry import Registry, plan_input

from ..auth import Coordinator
from ..errors import ApiError
from ..ratelimit import rate_limit
from ..services import Services, get_services

router = APIRouter(prefix="/api/v1/registrations", tags=["registrations"])
PRIVATE = {"Cache-Control": "no-store"}  # coordinator answers hold private data: no shared caches


class RegistrationIn(BaseModel):
    """A government's profile and the groups (CoPs, coaching tracks) it wants to join."""

    model_config = ConfigDict(extra="forbid")
    nis_code: str | None = Field(default=None, pattern=r"^[0-9]{5}$", description="5-digit NIS code of a current municipality")
    profile: Profile = Profile()
    groups: list[Code] = Field(default=[], max_length=10, description="codes from communities_of_practice")

    @model_validator(mode="after")
    def _identified(self) -> RegistrationIn:
        if self.nis_code is None and not (self.profile.name or "").strip():
            raise ValueError("give a nis_code or a profile.name, so coordinators know who registered")
        return self


class RegistrationCreated(BaseModel):
    id: str
    created_at: str


class RegistrationOut(BaseModel):
    id: str
    created_at: str
    nis_code: str | None
    profile: dict[str, Any]
    groups: list[str]


class RegistrationsOut(BaseModel):
    data: list[RegistrationOut]
    count: int


class PlanInputOut(BaseModel):
    request: dict[str, Any] = Field(description="a body for POST /api/v1/cops/plan")
    skipped: int = Field(description="registrations without a NIS code or a name")


def check_registration(body: RegistrationIn, services: Services) -> RegistrationIn:
    """The registration with its province as the graph writes it, if every code and the NIS code are known."""
    if body.nis_code is not None:
        municipality_iri(services.knowledge, body.nis_code)    # a former one names its successor
    for n, code in enumerate(body.groups):
        services.vocabulary.code(f"groups.{n}", "groups", code)
    return body.model_copy(update={"profile": services.vocabulary.check_profile(body.profile)})


def get_registry(request: Request) -> Registry:
    return Registry(request.app.state.settings.state_location)


@router.post("", status_code=201, response_model=RegistrationCreated, dependencies=[rate_limit("registrations")],
             responses={413: {"description": "body too large"}, 422: {"description": "unknown code or bad field"},
                        429: {"description": "too many registrations from this client"}})
def register_government(body: RegistrationIn, request: Request, response: Response) -> RegistrationCreated:
    """Store a registration; answered only after it is durably committed."""
    # unknown codes and NIS codes: InvalidProfile and its kin, answered 422 by api/errors.py
    checked = check_registration(body, get_services(request))
    record = get_registry(request).add({"nis_code": checked.nis_code, "profile": checked.profile.given(),
                                        "groups": checked.groups})
    response.headers["Location"] = f"/api/v1/registrations/{record['id']}"
    return RegistrationCreated(id=record["id"], created_at=record["created_at"])


@router.get("", response_model=RegistrationsOut, responses={401: {"description": "no valid coordinator token"}})
def list_registrations(request: Request, response: Response, coordinator: Coordinator,
                       limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
                       group: Annotated[Code | None, Query(description="only registrations for this group")] = None,
                       ) -> RegistrationsOut:
    """Registrations, oldest first (coordinators only)."""
    response.headers.update(PRIVATE)
    rows, total = get_registry(request).list(limit=limit, offset=offset, group=group)
    return RegistrationsOut(data=[RegistrationOut(**r) for r in rows], count=total)


@router.get("/plan-input", response_model=PlanInputOut, responses={401: {"description": "no valid coordinator token"}})
def registrations_plan_input(request: Request, response: Response, coordinator: Coordinator) -> PlanInputOut:
    """The registrations as a CoP planning request (coordinators only): POST its ``request`` to /api/v1/cops/plan."""
    response.headers.update(PRIVATE)
    body = plan_input(get_registry(request).all())
    skipped = body.pop("skipped")
    return PlanInputOut(request=body, skipped=skipped)


@router.get("/{registration_id}", response_model=RegistrationOut,
            responses={401: {"description": "no valid coordinator token"}, 404: {"description": "no such registration"}})
def get_registration(registration_id: Annotated[str, Path(max_length=64)], request: Request, response: Response,
                     coordinator: Coordinator) -> RegistrationOut:
    response.headers.update(PRIVATE)
    record = get_registry(request).get(registration_id)
    if record is None:
        raise ApiError(f"no registration {registration_id!r}", status=404)
    return RegistrationOut(**record)


def register(app: FastAPI) -> None:
    app.include_router(router)
