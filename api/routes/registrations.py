"""``/api/v1/registrations`` (API.md): governments register publicly; only coordinators read them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from kg.sources import load_sources
from state.registry import RegistrationError, Registry, Vocabulary, plan_input

from ..auth import Coordinator
from ..errors import ApiError
from ..ratelimit import rate_limit
from kg.textfields import Code, Text

router = APIRouter(prefix="/api/v1/registrations", tags=["registrations"])
PRIVATE = {"Cache-Control": "no-store"}  # coordinator answers hold private data: no shared caches


class RegistrationProfile(BaseModel):
    """The profile object of API.md; codes from concepts.yaml."""

    model_config = ConfigDict(extra="forbid")
    name: Text(200, min_length=1) | None = None
    government_type: Code | None = None
    province: Text(60, min_length=1) | None = None
    population: int | None = Field(default=None, ge=0, le=10_000_000)
    maturity: Code | None = None
    themes: list[Code] = Field(default=[], max_length=30)
    instruments: list[Code] = Field(default=[], max_length=30)
    barriers: list[Code] = Field(default=[], max_length=30)
    drivers: list[Code] = Field(default=[], max_length=30)
    description: Text(5000) | None = None


class RegistrationIn(BaseModel):
    """A government's profile and the groups (CoPs, coaching tracks) it wants to join."""

    model_config = ConfigDict(extra="forbid")
    nis_code: str | None = Field(default=None, pattern=r"^[0-9]{5}$", description="5-digit NIS code of a current municipality")
    profile: RegistrationProfile = RegistrationProfile()
    groups: list[Code] = Field(default=[], max_length=10, description="codes from communities_of_practice")

    @model_validator(mode="after")
    def _identified(self) -> RegistrationIn:
        if self.nis_code is None and self.profile.name is None:
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


def _load_vocabulary(app: FastAPI) -> Vocabulary:
    """The codes, from the sources (kept on app.state.sources, which curation reuses)."""
    state = app.state
    if getattr(state, "registration_vocabulary", None) is None:
        if getattr(state, "sources", None) is None:
            state.sources = load_sources(state.settings.data_dir)
        state.registration_vocabulary = Vocabulary.from_sources(state.sources)
    return state.registration_vocabulary


def get_vocabulary(request: Request) -> Vocabulary:
    return _load_vocabulary(request.app)


def get_registry(request: Request) -> Registry:
    return Registry(request.app.state.settings.state_location)


@router.post("", status_code=201, response_model=RegistrationCreated, dependencies=[rate_limit("registrations")],
             responses={413: {"description": "body too large"}, 422: {"description": "unknown code or bad field"},
                        429: {"description": "too many registrations from this client"}})
def register_government(body: RegistrationIn, request: Request, response: Response) -> RegistrationCreated:
    """Store a registration; answered only after it is durably committed."""
    try:
        record = get_registry(request).add(body.model_dump(exclude_unset=True, exclude_none=True),
                                           vocabulary=get_vocabulary(request))
    except RegistrationError as exc:
        raise ApiError(str(exc), status=422, extra={"errors": [{"field": exc.field, "message": exc.problem}]}) from None
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


def _load_codes(app: FastAPI) -> None:
    """Load the codes at start-up, so the first registration is answered as fast as the others.

    The state database itself is created on the first write: an app started only to read (tests,
    a read-only mirror) leaves no ``var/`` behind.
    """
    _load_vocabulary(app)


def register(app: FastAPI) -> None:
    app.include_router(router)
    app.state.startup_hooks.append(_load_codes)
