"""The recommender: composable scorers over a fitted index, following the scikit-learn estimator contract."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .artefacts import VectorCache
from .encoders import Encoder, LazyEncoder
from .explain import Reason, practices_word
from .index import build_index
from .inputs import Profile
from .knowledge import KnowledgeBase
from .peers import (
    PeerBarrier,
    PeerContext,
    PeerFrontrunner,
    PeerLexical,
    PeerSemantic,
    PeerTopical,
)
from .practices import (
    PracticeBarrier,
    PracticeContext,
    PracticeFrontrunner,
    PracticeTopical,
    description_reasons,
)
from .profiles import QueryProfile, derive_profiles, resolve_profile
from .ranking import RankingParams, peer_scores, practice_scores
from .scorers import RequestContext
from .vocabulary import Vocabulary

# What each reason-giver explains, in the order a coordinator would say it: the topic, then the words of
# the description, then who runs it, then the barrier and the front-runner gap.
PRACTICE_EXPLAINERS = (PracticeTopical(), PracticeContext(), PracticeBarrier(), PracticeFrontrunner())
PEER_EXPLAINERS = (PeerTopical(), PeerSemantic(), PeerLexical(), PeerContext(), PeerBarrier(), PeerFrontrunner())

MAX_LIMIT = 100


@dataclass
class Recommendation:
    """One recommended peer or practice, with the reasons shown to the user."""

    iri: str
    score: float
    reasons: list[Reason]
    name: str | None = None          # peers
    nis_code: str | None = None
    type: str | None = None
    id: str | None = None            # practices
    title: str | None = None
    components: dict[str, float] = field(default_factory=dict)
    area_nis_codes: tuple[str, ...] = ()   # peers that are not municipalities: the municipalities they cover


@dataclass
class RecommendationResult:
    peers: list[Recommendation]
    practices: list[Recommendation]
    profile: QueryProfile
    seconds: float = 0.0


def _top(scores: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k best allowed scores, best first (argpartition: linear in the candidates)."""
    allowed = np.flatnonzero(mask)
    if allowed.size == 0:
        return allowed
    vals = scores[allowed]
    k = min(k, allowed.size)
    part = np.argpartition(-vals, k - 1)[:k]
    order = part[np.lexsort((allowed[part], -vals[part]))]
    return allowed[order]


class Recommender(BaseEstimator):
    """Peers and practices for a government profile, each with reasons in Dutch and English.

    Fitted on a knowledge base read from the store: ``Recommender(encoder=...).fit(load_knowledge(store))``;
    ``recommend(nis_code="24062", limit=5)`` then gives peers and practices with their reasons.
    """

    def __init__(self, *, encoder: Encoder | None = None, params: RankingParams | None = None,
                 max_per_lead: int = 2, n_reasons: int = 4, ppr_alpha: float = 0.7, ppr_iter: int = 10,
                 artefact_dir: Path | None = None) -> None:
        self.encoder = encoder
        self.artefact_dir = artefact_dir
        self.params = params
        self.max_per_lead = max_per_lead
        self.n_reasons = n_reasons
        self.ppr_alpha = ppr_alpha
        self.ppr_iter = ppr_iter

    def fit(self, kb: KnowledgeBase, y: None = None) -> Self:
        started = time.perf_counter()
        self.encoder_ = self.encoder if self.encoder is not None else LazyEncoder()
        self.kb_ = kb
        self.profiles_ = derive_profiles(kb)
        self.vocabulary_ = Vocabulary.from_knowledge(kb)   # once per fit, not per request
        # case vectors saved beside the store: a restart, or a generation that changed one case, re-encodes
        # only what is new
        cache = VectorCache(self.artefact_dir) if self.artefact_dir is not None else None
        self.index_ = build_index(kb, self.profiles_, self.encoder_, ppr_alpha=self.ppr_alpha, ppr_iter=self.ppr_iter,
                                  vector_cache=cache)
        self.vectors_reused_ = cache.reused if cache is not None else 0
        self.params_ = self.params if self.params is not None else RankingParams()
        self.areas_ = covered_municipalities(kb, self.profiles_)
        self.fit_seconds_ = time.perf_counter() - started
        return self


    def resolve(self, *, nis_code: str | None = None, government: str | None = None,
                profile: Profile | Mapping[str, Any] | None = None) -> QueryProfile:
        check_is_fitted(self)
        return resolve_profile(self.kb_, self.profiles_, nis_code=nis_code, government=government, profile=profile,
                               vocabulary=self.vocabulary_)

    def recommend(self, *, nis_code: str | None = None, government: str | None = None,
                  profile: Profile | Mapping[str, Any] | None = None, limit: int = 10, peers: bool = True,
                  practices: bool = True) -> RecommendationResult:
        """Validate and resolve the request (API.md), then rank peers and practices."""
        q = self.resolve(nis_code=nis_code, government=government, profile=profile)
        return self.recommend_profile(q, limit=limit, peers=peers, practices=practices)

    def recommend_profile(self, q: QueryProfile, *, limit: int = 10, peers: bool = True,
                          practices: bool = True) -> RecommendationResult:
        check_is_fitted(self)
        started = time.perf_counter()
        limit = max(0, min(int(limit), MAX_LIMIT))
        ctx = RequestContext(q, kb=self.kb_, index=self.index_, profiles=self.profiles_, encoder=self.encoder_)
        peer_list = self._rank_peers(ctx, limit) if peers and limit else []
        practice_list = self._rank_practices(ctx, limit) if practices and limit else []
        return RecommendationResult(peers=peer_list, practices=practice_list, profile=q,
                                    seconds=time.perf_counter() - started)

    # ranking ------------------------------------------------------------------------------------
    def _reasons(self, ctx: RequestContext, explainers: tuple, position: int,
                 first: list[Reason] | None = None) -> list[Reason]:
        """The reasons of the explainers, in order, each kind once; a scorer with nothing true to say says nothing."""
        reasons: list[Reason] = list(first or [])
        kinds = {r.kind for r in reasons}
        for explainer in explainers:
            for r in explainer.explain(ctx, position):
                if r.kind not in kinds:
                    kinds.add(r.kind)
                    reasons.append(r)
        return reasons[: self.n_reasons]

    def _rank_practices(self, ctx: RequestContext, limit: int) -> list[Recommendation]:
        idx, kb = self.index_, self.kb_
        scores, parts = practice_scores(ctx, self.params_)
        mask = ~ctx.own_cases
        pool = _top(scores, mask, max(limit * 5, 50))
        chosen, per_lead = [], {}
        # diversity: at most max_per_lead practices run by the same government (issue 4: not ten of one city)
        for pos in pool:
            case = kb.cases[idx.case_iris[pos]]
            leads = case.leads() or list(case.participants) or [case.iri]
            key = leads[0]
            if per_lead.get(key, 0) >= self.max_per_lead:
                continue
            per_lead[key] = per_lead.get(key, 0) + 1
            chosen.append(pos)
            if len(chosen) == limit:
                break
        out = []
        for pos in chosen:
            case = kb.cases[idx.case_iris[pos]]
            topical = PRACTICE_EXPLAINERS[0].explain(ctx, pos)
            reasons = self._reasons(ctx, PRACTICE_EXPLAINERS[1:], pos, first=topical + description_reasons(ctx, pos))
            if not reasons:
                reasons = [_documented(ctx, case)]
            out.append(Recommendation(iri=case.iri, score=round(float(scores[pos]), 4), reasons=reasons, id=case.id,
                                      title=case.title, components={n: round(float(v[pos]), 4) for n, v in parts.items()}))
        return out

    def _rank_peers(self, ctx: RequestContext, limit: int) -> list[Recommendation]:
        idx, kb = self.index_, self.kb_
        scores, parts = peer_scores(ctx, self.params_)
        mask = idx.peer_candidate.copy()
        if ctx.self_pos is not None:
            mask[ctx.self_pos] = False
        out = []
        for pos in _top(scores, mask, limit):
            gov = kb.governments[idx.gov_iris[pos]]
            reasons = self._reasons(ctx, PEER_EXPLAINERS, pos)
            if not reasons:
                reasons = [_active(ctx, gov.iri)]
            out.append(Recommendation(iri=gov.iri, score=round(float(scores[pos]), 4), reasons=reasons, name=gov.name,
                                      nis_code=gov.nis_code if gov.type in ("gemeente", "centrumstad") else None,
                                      type=gov.type, components={n: round(float(v[pos]), 4) for n, v in parts.items()},
                                      area_nis_codes=self.areas_.get(gov.iri, ())))
        return out


def covered_municipalities(kb: KnowledgeBase, profiles: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """For each government that is not a municipality, the NIS codes of the current municipalities it covers:
    an association's known members (a partial member list gives only those read), a province's
    municipalities, and for a POM those of its province."""
    by_province: dict[str, list[str]] = {}
    members: dict[str, list[str]] = {}
    for g in kb.governments.values():
        if g.nis_code and not g.former and g.type in ("gemeente", "centrumstad"):
            if g.province_iri:
                by_province.setdefault(g.province_iri, []).append(g.nis_code)
            for m in kb.memberships.get(g.iri, []):
                members.setdefault(m.org, []).append(g.nis_code)
    areas: dict[str, tuple[str, ...]] = {}
    for g in kb.governments.values():
        if g.type == "provincie" or g.type == "pom":
            province = profiles[g.iri].province_iri if g.iri in profiles else None
            codes = by_province.get(province or "", [])
        elif g.type == "intergemeentelijk":
            codes = members.get(g.iri, [])
        else:
            continue
        if codes:
            areas[g.iri] = tuple(sorted(set(codes)))
    return areas


def _documented(ctx: RequestContext, case: Any) -> Reason:
    names = [ctx.kb.governments[g].name for g in case.participants]
    who = ", ".join(names[:2]) if names else "een lokaal bestuur"
    return Reason("documented-practice", f"gedocumenteerde praktijk van {who}", f"documented practice of "
                  f"{', '.join(names[:2]) if names else 'a local government'}", {"case": case.id, "governments": list(case.participants)[:2]})


def _active(ctx: RequestContext, gov_iri: str) -> Reason:
    n = ctx.profiles[gov_iri].cases_total
    return Reason("active", f"werkte mee aan {practices_word(n, 'nl')}", f"took part in {practices_word(n, 'en')}",
                  {"government": gov_iri, "count": n})
