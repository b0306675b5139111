"""``/api/v1/curation``: coordinators create, correct and retire cases and organisations.

Records use the fields of ``data/cases/cases*.yaml`` and ``organisations*.yaml``. Each write is checked
(codes, names, SHACL), committed with its source and author, then published to the public graph
before the answer is sent (kg/curation.py). Reading a record is public: it is in the graph anyway.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from kg.build import ONTOLOGY_DIR
from kg.curation import Curator
from kg.errors import StoreMissing
from kg.textfields import Code, Slug, Text, Url
from kg.store_server import ServerEndpoints, StoreServerError
from state.errors import StateError

from ..auth import Coordinator
from ..ratelimit import rate_limit

router = APIRouter(prefix="/api/v1/curation", tags=["curation"])
log = logging.getLogger("kringloop.curation")
CaseId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")]
WRITE_ERRORS = {401: {"description": "no valid coordinator token"}, 404: {"description": "no such record"},
                409: {"description": "conflicts with the current state"}, 413: {"description": "body too large"},
                422: {"description": "a field, code or SHACL shape is violated"}, 429: {"description": "too many writes"}}


class SourceRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: Url
    title: Text(300) | None = None


class CaseFields(BaseModel):
    """A case as in data/cases/cases.yaml; ``lead`` names governments (or gives NIS codes)."""

    model_config = ConfigDict(extra="forbid")
    title_nl: Text(300, min_length=1)
    summary_nl: Text(5000, min_length=1)
    summary_en: Text(5000, min_length=1)
    lead: list[Text(200, min_length=1)] = Field(min_length=1, max_length=20)
    gov_role: Literal["lead", "co-lead", "partner"]
    lead_org: Text(300, min_length=1) | None = None
    partners: list[Text(200, min_length=1)] = Field(default=[], max_length=50)
    partner_ids: list[Slug] = Field(default=[], max_length=50)
    themes: list[Code] = Field(min_length=1, max_length=20)
    instruments: list[Code] = Field(default=[], max_length=20)
    pentagon: list[Code] = Field(default=[], max_length=5)
    year: int | None = Field(default=None, ge=1900, le=2100)
    status: Code
    source_url: Url
    source_title: Text(300, min_length=1) | None = None
    evidence: Text(500, min_length=1)
    extra_sources: list[SourceRef] = Field(default=[], max_length=10)
    notes: Text(2000, min_length=1) | None = None
    change_note: Text(1000, min_length=1) | None = Field(default=None, description="why this change (published with it)")


class CaseIn(CaseFields):
    id: Slug


class OrganisationFields(BaseModel):
    """An organisation as in data/cases/organisations.yaml."""

    model_config = ConfigDict(extra="forbid")
    name: Text(200, min_length=1)
    kind: Code
    url: Url | None = None
    description: Text(2000, min_length=1) | None = None
    source_url: Url
    change_note: Text(1000, min_length=1) | None = Field(default=None, description="why this change (published with it)")


class OrganisationIn(OrganisationFields):
    id: Slug


class RetireIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source_url: Url = Field(description="where the reason to retire is documented")
    change_note: Text(1000, min_length=1) | None = None


class ChangeOut(BaseModel):
    seq: int
    kind: str
    id: str
    action: str
    at: str
    agent: str
    iri: str
    change: str = Field(description="IRI of the change's PROV record in the public graph")
    published: bool = Field(description="false when the store could not be republished yet (done at next start)")


class RecordOut(BaseModel):
    kind: str
    id: str
    origin: Literal["data", "curation"]
    retired: bool
    iri: str
    record: dict[str, Any]
    history: list[dict[str, Any]]


def curator_for(app: FastAPI) -> Curator:
    state = app.state
    if getattr(state, "curator", None) is None:
        s = state.settings
        state.curator = Curator(state_dir=s.state_location, data_dir=s.data_dir, build_dir=s.build_dir,
                                store_path=s.store_path, base_iri=s.base_iri, shapes_file=ONTOLOGY_DIR / "shapes.ttl",
                                sources=getattr(state, "sources", None),
                                server=ServerEndpoints.from_settings(s) if s.store_url else None)
    return state.curator


def get_curator(request: Request) -> Curator:
    return curator_for(request.app)


def _run(request: Request, write: Any) -> ChangeOut:
    """Commit (errors become 4xx), then publish; a commit whose publishing fails is kept and flagged."""
    change = write(get_curator(request))   # CurationError, CurationNotFound, ...: api/errors.py maps them
    try:
        get_curator(request).publish()
        # this process answers from the new generation at once; others build it when they notice it
        request.app.state.services.refresh()
        published = True
    except (OSError, RuntimeError, StoreMissing, StoreServerError, StateError) as exc:   # StateUnavailable too
        log.warning("curation change %s committed but not yet published: %s", change["seq"], type(exc).__name__)
        published = False
    return ChangeOut(**change, published=published)


def _record(request: Request, kind: str, entity_id: str) -> RecordOut:
    return RecordOut(**get_curator(request).record(kind, entity_id))


def _fields(body: BaseModel) -> tuple[dict[str, Any], str | None]:
    record = body.model_dump(exclude_none=True)
    return record, record.pop("change_note", None)


@router.post("/cases", status_code=201, response_model=ChangeOut, responses=WRITE_ERRORS,
             dependencies=[rate_limit("curation")])
def create_case(body: CaseIn, request: Request, coordinator: Coordinator) -> ChangeOut:
    record, note = _fields(body)
    return _run(request, lambda c: c.create("case", record, agent=coordinator, note=note))


@router.put("/cases/{case_id}", response_model=ChangeOut, responses=WRITE_ERRORS, dependencies=[rate_limit("curation")])
def correct_case(case_id: CaseId, body: CaseFields, request: Request, coordinator: Coordinator) -> ChangeOut:
    record, note = _fields(body)
    return _run(request, lambda c: c.correct("case", case_id, record, agent=coordinator, note=note))


@router.post("/cases/{case_id}/retire", response_model=ChangeOut, responses=WRITE_ERRORS,
             dependencies=[rate_limit("curation")])
def retire_case(case_id: CaseId, body: RetireIn, request: Request, coordinator: Coordinator) -> ChangeOut:
    return _run(request, lambda c: c.retire("case", case_id, source_url=body.source_url, agent=coordinator,
                                            note=body.change_note))


@router.get("/cases/{case_id}", response_model=RecordOut, responses={404: {"description": "no such case"}})
def read_case(case_id: CaseId, request: Request) -> RecordOut:
    """The current record (from data/ or curation) with its curation history."""
    return _record(request, "case", case_id)


@router.post("/organisations", status_code=201, response_model=ChangeOut, responses=WRITE_ERRORS,
             dependencies=[rate_limit("curation")])
def create_organisation(body: OrganisationIn, request: Request, coordinator: Coordinator) -> ChangeOut:
    record, note = _fields(body)
    return _run(request, lambda c: c.create("organisation", record, agent=coordinator, note=note))


@router.put("/organisations/{organisation_id}", response_model=ChangeOut, responses=WRITE_ERRORS,
            dependencies=[rate_limit("curation")])
def correct_organisation(organisation_id: CaseId, body: OrganisationFields, request: Request,
                         coordinator: Coordinator) -> ChangeOut:
    record, note = _fields(body)
    return _run(request, lambda c: c.correct("organisation", organisation_id, record, agent=coordinator, note=note))


@router.post("/organisations/{organisation_id}/retire", response_model=ChangeOut, responses=WRITE_ERRORS,
             dependencies=[rate_limit("curation")])
def retire_organisation(organisation_id: CaseId, body: RetireIn, request: Request, coordinator: Coordinator) -> ChangeOut:
    return _run(request, lambda c: c.retire("organisation", organisation_id, source_url=body.source_url,
                                            agent=coordinator, note=body.change_note))


@router.get("/organisations/{organisation_id}", response_model=RecordOut,
            responses={404: {"description": "no such organisation"}})
def read_organisation(organisation_id: CaseId, request: Request) -> RecordOut:
    return _record(request, "organisation", organisation_id)


def _publish_on_start(app: FastAPI) -> None:
    """After a crash between commit and publish, or a rebuild without curation, republish first."""
    try:
        if curator_for(app).publish_if_stale():
            log.info("republished the store with the committed curation")
    except StoreMissing as exc:
        log.warning("curation not published: %s", exc)


def register(app: FastAPI) -> None:
    app.include_router(router)
    app.state.startup_hooks.append(_publish_on_start)
