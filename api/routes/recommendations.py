"""``POST /api/v1/recommendations`` (API.md) and the per-government peers and practices endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from recommender import Recommendation, Recommender
from recommender.inputs import RecommendationRequest

from ..ratelimit import rate_limit
from ..services import get_services, get_store
from . import browse

router = APIRouter(prefix="/api/v1", tags=["recommendations"])
# websites by agent IRI, and the leads (with their contact) by case IRI: see contact_index
ContactIndex = tuple[dict[str, dict[str, str]], dict[str, list[dict[str, Any]]]]


class ReasonOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    kind: str
    text_nl: str
    text_en: str
    data: dict[str, Any] = {}


class ContactOut(BaseModel):
    """A website from a public source (``source``); absent when none is known: never a guessed address."""

    website: str
    source: str


class LeadContactOut(BaseModel):
    name: str
    iri: str | None = Field(description="The lead in the graph; null for a lead named only in the source's text")
    role: str = Field(description="trekker (lead) or co-trekker (co-lead)")
    contact: ContactOut | None = None


class PeerOut(BaseModel):
    iri: str
    nis_code: str | None
    name: str
    type: str | None = None
    score: float
    reasons: list[ReasonOut]
    area_nis_codes: list[str] = Field(
        default_factory=list,
        description="For a peer that is not a municipality: the NIS codes of the municipalities it covers "
                    "(an intercommunale's known members, the municipalities of a province or of a POM's province).")
    contact: ContactOut | None = Field(default=None, description="How to reach the peer; null when no contact is known")


class PracticeOut(BaseModel):
    iri: str
    id: str
    title: str
    score: float
    reasons: list[ReasonOut]
    leads: list[LeadContactOut] = Field(default_factory=list,
                                        description="Who leads the practice and how to reach them")


class RecommendationsOut(BaseModel):
    peers: list[PeerOut]
    practices: list[PracticeOut]

    @classmethod
    def from_domain(cls, peers: list[Recommendation], practices: list[Recommendation],
                    contacts: ContactIndex | None = None) -> RecommendationsOut:
        known, leads = contacts or ({}, {})
        return cls(peers=[PeerOut(iri=p.iri, nis_code=p.nis_code, name=p.name or "", type=p.type, score=p.score,
                                  reasons=[ReasonOut(**r.as_dict()) for r in p.reasons],
                                  area_nis_codes=list(p.area_nis_codes), contact=known.get(p.iri)) for p in peers],
                   practices=[PracticeOut(iri=p.iri, id=p.id or "", title=p.title or "", score=p.score,
                                          reasons=[ReasonOut(**r.as_dict()) for r in p.reasons],
                                          leads=[_lead_out(lead) for lead in leads.get(p.iri, [])])
                              for p in practices])


def _lead_out(lead: dict[str, Any]) -> LeadContactOut:
    contact = ContactOut(website=lead["website"], source=lead["source"]) if lead["website"] else None
    return LeadContactOut(name=lead["name"], iri=lead["iri"], role=lead["role"], contact=contact)


def contact_index(request: Request) -> ContactIndex:
    """Websites by agent and leads by case, computed once per published store."""
    store = get_store(request)
    base_iri = request.app.state.settings.base_iri

    def compute() -> ContactIndex:
        return browse.contacts(store), browse.case_leads(store, base_iri=base_iri)

    return browse.cached(request, "contact_index", compute)


def get_recommender(request: Request) -> Recommender:
    return get_services(request).recommender


RecommenderDep = Annotated[Recommender, Depends(get_recommender)]


@router.post("/recommendations", response_model=RecommendationsOut, dependencies=[rate_limit("recommendations")])
def recommend(body: RecommendationRequest, rec: RecommenderDep, request: Request) -> RecommendationsOut:
    """Peers and practices for a government profile, each with reasons in Dutch and English."""
    result = rec.recommend(nis_code=body.nis_code, profile=body.profile, limit=body.limit)
    return RecommendationsOut.from_domain(result.peers, result.practices, contact_index(request))


@router.get("/governments/{nis_code}/peers", response_model=list[PeerOut], dependencies=[rate_limit("recommendations")])
def read_peers(nis_code: str, rec: RecommenderDep, request: Request,
               limit: Annotated[int, Query(ge=1, le=100)] = 10) -> list[PeerOut]:
    """Peers a municipality can learn from or cooperate with."""
    result = rec.recommend(nis_code=nis_code, limit=limit, practices=False)
    return RecommendationsOut.from_domain(result.peers, [], contact_index(request)).peers


@router.get("/governments/{nis_code}/practices", response_model=list[PracticeOut],
             dependencies=[rate_limit("recommendations")])
def read_practices(nis_code: str, rec: RecommenderDep, request: Request,
                   limit: Annotated[int, Query(ge=1, le=100)] = 10) -> list[PracticeOut]:
    """Practices a municipality could take up, excluding its own."""
    result = rec.recommend(nis_code=nis_code, limit=limit, peers=False)
    return RecommendationsOut.from_domain([], result.practices, contact_index(request)).practices


def register(app: FastAPI) -> None:
    app.include_router(router)
    # fitted before a generation is served, so no request waits for it
    app.state.services.warm += ("recommender",)

