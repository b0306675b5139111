"""The request context: every signal a ranking or a reason needs, computed once per request.

``recommender.ranking`` combines the signals into scores; the explainers in ``practices`` and ``peers``
turn them into reasons for the few candidates that are shown. Signals (query embedding, character
n-gram similarity, PageRank, closeness) are computed on first use and cached on the context.
"""

from __future__ import annotations

import math
from functools import cached_property

import numpy as np

from .encoders import Encoder
from .index import BROADER_SHARE, RecommenderIndex, row_max
from .knowledge import KnowledgeBase
from .profiles import GovernmentProfile, QueryProfile
from .text import is_english, query_text

SIZE_DECAY = 2.0            # a tenfold population difference keeps e^-2 = 0.14 of the size similarity
LEXICAL_REASON_FLOOR = 0.08  # character n-gram cosine below which words do not really meet (nonsense input)


def minmax(x: np.ndarray) -> np.ndarray:
    if x.size == 0:
        return x
    lo, hi = float(x.min()), float(x.max())
    if hi - lo <= 1e-9:
        return np.zeros_like(x)
    return (x - lo) / (hi - lo)


class RequestContext:
    """One request against a fitted index; expensive signals are computed on first use."""

    def __init__(self, q: QueryProfile, *, kb: KnowledgeBase, index: RecommenderIndex,
                 profiles: dict[str, GovernmentProfile], encoder: Encoder) -> None:
        self.q, self.kb, self.index, self.profiles, self.encoder = q, kb, index, profiles, encoder
        self.self_pos = index.gov_pos.get(q.iri) if q.iri else None

    def _concept_vector(self, weights: dict[str, float], codes: list[str], narrower: bool) -> np.ndarray:
        v = np.zeros(len(codes), dtype=np.float32)
        pos = {c: i for i, c in enumerate(codes)}
        for code, w in weights.items():
            if code in pos:
                v[pos[code]] += w
        if narrower:
            # an interest in a broad theme is partly an interest in its narrower themes
            for child, parent in self.index.theme_broader.items():
                if parent in weights and child in pos:
                    v[pos[child]] = max(v[pos[child]], BROADER_SHARE * weights[parent])
        return v

    @cached_property
    def theme_vector(self) -> np.ndarray:
        v = self._concept_vector(self.q.themes, self.index.themes, narrower=True)
        return v / v.sum() if v.sum() > 0 else v

    @cached_property
    def instrument_vector(self) -> np.ndarray:
        v = self._concept_vector(self.q.instruments, self.index.instruments, narrower=False)
        return v / v.sum() if v.sum() > 0 else v

    @cached_property
    def barrier_positions(self) -> list[int]:
        pos = {b: i for i, b in enumerate(self.index.barriers)}
        return [pos[b] for b in self.q.barriers if b in pos]

    @cached_property
    def text(self) -> str:
        return query_text(self.q, self.kb)

    @cached_property
    def has_text(self) -> bool:
        return bool(self.text.strip())

    @cached_property
    def query_vector(self) -> np.ndarray:
        return self.encoder.encode([self.text])[0]

    @cached_property
    def semantic_cases(self) -> np.ndarray:
        if not self.has_text or self.index.case_vectors.shape[0] == 0:
            return np.zeros(len(self.index.case_iris), dtype=np.float32)
        return np.clip(self.index.case_vectors @ self.query_vector, 0.0, 1.0)

    @cached_property
    def lexical_cases(self) -> np.ndarray:
        # an English description is matched on the English summaries: Dutch n-grams would only add noise
        if self.q.description and self.index.lexical_en is not None and is_english(self.q.description):
            return self.index.lexical_en.similarity(self.q.description)
        return self.index.lexical.similarity(self.text)

    @cached_property
    def ppr(self) -> np.ndarray:
        from .graph import concept_node

        seeds: dict[str, float] = {}
        for code, w in self.q.themes.items():
            seeds[concept_node("theme", code)] = w
        for code, w in self.q.instruments.items():
            seeds[concept_node("instrument", code)] = w
        for b in self.q.barriers:
            seeds[concept_node("barrier", b)] = 1.0
        if self.q.iri:
            seeds[self.q.iri] = max(1.0, sum(seeds.values()) * 0.5)
        for org in self.q.memberships:
            seeds[org] = 0.3
        for n in self.q.neighbours:
            seeds[n] = 0.2
        return self.index.ppr.run(seeds)

    def _ppr_at(self, positions: np.ndarray) -> np.ndarray:
        vals = np.where(positions >= 0, self.ppr[np.maximum(positions, 0)], 0.0).astype(np.float32)
        return vals / vals.max() if vals.size and vals.max() > 0 else vals

    @cached_property
    def ppr_cases(self) -> np.ndarray:
        # the profile's own cases hold most of the walk's mass; scale by what can be recommended
        return self._ppr_at(np.where(self.own_cases, -1, self.index.ppr_case_pos))

    @cached_property
    def ppr_govs(self) -> np.ndarray:
        positions = self.index.ppr_gov_pos.copy()
        if self.self_pos is not None:
            positions[self.self_pos] = -1
        return self._ppr_at(positions)

    # topical fit and relevance ----------------------------------------------------------------
    @cached_property
    def topical_cases(self) -> np.ndarray:
        """Share of the profile's themes (0.6) and instruments (0.4) a case covers."""
        t, i = self.theme_vector, self.instrument_vector
        out = np.zeros(len(self.index.case_iris), dtype=np.float32)
        if t.any():
            out += (0.6 if i.any() else 1.0) * (self.index.case_themes @ t)
        if i.any():
            out += (0.4 if t.any() else 1.0) * (self.index.case_instruments @ i)
        return out

    @cached_property
    def topical_govs(self) -> np.ndarray:
        """Demonstrated activity on the profile's themes and instruments (role-weighted, saturating)."""
        t, i = self.theme_vector, self.instrument_vector
        act = np.zeros(len(self.index.gov_iris), dtype=np.float32)
        if t.any():
            act += (0.6 if i.any() else 1.0) * (self.index.gov_themes @ t)
        if i.any():
            act += (0.4 if t.any() else 1.0) * (self.index.gov_instruments @ i)
        return 1.0 - np.exp(-act)

    @cached_property
    def text_cases(self) -> np.ndarray:
        if not self.has_text:
            return np.zeros(len(self.index.case_iris), dtype=np.float32)
        return 0.5 * (minmax(self.semantic_cases) + minmax(self.lexical_cases))

    @cached_property
    def relevance_cases(self) -> np.ndarray:
        """How on-topic each case is for this profile (topics or words), in [0, 1].

        Front-runner and barrier evidence only count where the case is on the profile's topic:
        a coordinator points to someone further along *on what you asked about*.
        """
        if not self.theme_vector.any() and not self.instrument_vector.any() and not self.has_text:
            return np.ones(len(self.index.case_iris), dtype=np.float32)
        return np.maximum(self.topical_cases, self.text_cases)

    # context similarity -------------------------------------------------------------------------
    @cached_property
    def neighbour_vector(self) -> np.ndarray:
        v = np.zeros(len(self.index.gov_iris), dtype=np.float32)
        for n in self.q.neighbours:
            if n in self.index.gov_pos:
                v[self.index.gov_pos[n]] = 1.0
        return v

    @cached_property
    def size_vector(self) -> np.ndarray:
        if not self.q.population:
            return np.zeros(len(self.index.gov_iris), dtype=np.float32)
        diff = np.abs(self.index.log_population - math.log10(self.q.population))
        return np.nan_to_num(np.exp(-SIZE_DECAY * diff), nan=0.0).astype(np.float32)

    @cached_property
    def province_vector(self) -> np.ndarray:
        if not self.q.province or self.q.province not in self.index.province_names:
            return np.zeros(len(self.index.gov_iris), dtype=np.float32)
        return (self.index.province == self.index.province_names.index(self.q.province)).astype(np.float32)

    @cached_property
    def type_vector(self) -> np.ndarray:
        if not self.q.type or self.q.type not in self.index.type_names:
            return np.zeros(len(self.index.gov_iris), dtype=np.float32)
        return (self.index.gov_type == self.index.type_names.index(self.q.type)).astype(np.float32)

    # signals of the relevance-first ranking (recommender/ranking.py) ------------------------------
    @cached_property
    def has_description(self) -> bool:
        return bool(self.q.description and self.q.description.strip())

    @cached_property
    def has_meaningful_description(self) -> bool:
        """A description whose word pieces occur in some case ('asdfgh qwerty' does not): only then do
        the words rank anything."""
        return self.has_description and float(self.description_lexical.max(initial=0.0)) >= LEXICAL_REASON_FLOOR

    @cached_property
    def description_semantic(self) -> np.ndarray:
        """Dense similarity of the description alone (the main interest) to each case."""
        if not self.has_description or self.index.case_vectors.shape[0] == 0:
            return np.zeros(len(self.index.case_iris), dtype=np.float32)
        if self.q.description.strip() == self.text.strip():
            return self.semantic_cases
        vector = self.encoder.encode([self.q.description])[0]
        return np.clip(self.index.case_vectors @ vector, 0.0, 1.0)

    @cached_property
    def description_lexical(self) -> np.ndarray:
        """Character n-gram similarity of the description alone to each case's words, Dutch and English."""
        if not self.has_description:
            return np.zeros(len(self.index.case_iris), dtype=np.float32)
        return self.index.lexical_words.similarity(self.q.description)

    def ranking_relevance(self, params) -> np.ndarray:  # noqa: ANN001 - ranking.RankingParams (import cycle)
        from .ranking import case_relevance

        cache = self.__dict__.setdefault("_relevance", {})
        if params not in cache:
            cache[params] = case_relevance(self, params)
        self.__dict__["last_relevance"] = cache[params]
        return cache[params]

    @cached_property
    def last_relevance(self) -> np.ndarray:
        """The case relevance of the last ranking (explanations pick a peer's most relevant cases by it)."""
        return self.relevance_cases

    @cached_property
    def intercommunale_vector(self) -> np.ndarray:
        """1 for the intercommunales the profile belongs to and their fellow members; 0.3 for a shared
        police zone or housing association (``index.org_tie``). Sparse rows only: no scan per request."""
        idx = self.index
        v = np.zeros(len(idx.gov_iris), dtype=np.float32)
        if not self.q.memberships:
            return v
        for org in self.q.memberships:
            col = idx.org_pos.get(org)
            if col is not None:
                row = idx.membership_t.getrow(col)
                v[row.indices] = np.maximum(v[row.indices], idx.org_tie[col])
            if org in idx.gov_pos:
                v[idx.gov_pos[org]] = 1.0
        return v

    @cached_property
    def own_province_vector(self) -> np.ndarray:
        """1 for the profile's own province as a government (it runs provincial support programmes)."""
        v = np.zeros(len(self.index.gov_iris), dtype=np.float32)
        if self.q.province and self.q.type != "provincie":
            iri = self.index.province_iris.get(self.q.province)
            if iri in self.index.gov_pos:
                v[self.index.gov_pos[iri]] = 1.0
        return v

    @cached_property
    def kind_vector(self) -> np.ndarray:
        """1 for governments of the profile's own kind (a province for a province, a POM for a POM)."""
        return self.type_vector

    @cached_property
    def peer_context(self) -> np.ndarray:
        """Closeness of each government to the profile, in [0, 1]: for a small municipality its neighbours,
        intercommunale and province first (seed §07); for a larger one size and province count more."""
        if self.q.type in ("provincie", "intergemeentelijk", "pom"):
            return self.province_vector * 1.0
        if self.q.population is None or self.q.small:
            w = {"neighbour": 0.3, "intercommunale": 0.3, "own_province": 0.2, "size": 0.1, "province": 0.1}
        else:
            w = {"neighbour": 0.2, "intercommunale": 0.15, "own_province": 0.1, "size": 0.35, "province": 0.2}
        return np.clip(w["neighbour"] * self.neighbour_vector + w["intercommunale"] * self.intercommunale_vector
                       + w["own_province"] * self.own_province_vector + w["size"] * self.size_vector
                       + w["province"] * self.province_vector, 0.0, 1.0)

    @cached_property
    def case_context(self) -> np.ndarray:
        """Per case, the closest government that takes part (for a supralocal profile: half kind, half place)."""
        govs = self.peer_context
        if self.q.type in ("provincie", "intergemeentelijk", "pom"):
            govs = 0.5 * self.kind_vector + 0.5 * govs
        if self.self_pos is not None:
            govs = govs.copy()
            govs[self.self_pos] = 0.0
        return row_max(self.index.participation_bin_t, govs.astype(np.float32))

    @cached_property
    def peer_frontrunner(self) -> np.ndarray:
        """How much further along each government is than the profile (the front-runner gap), in [0, 1]."""
        return np.clip(self.index.frontrunner - self.q.frontrunner_score, 0.0, 1.0).astype(np.float32)

    @cached_property
    def case_frontrunner(self) -> np.ndarray:
        return row_max(self.index.lead_bin_t, self.peer_frontrunner)

    @cached_property
    def case_barrier_fit(self) -> np.ndarray:
        cols = self.barrier_positions
        if not cols:
            return np.zeros(len(self.index.case_iris), dtype=np.float32)
        return self.index.case_barrier[:, cols].mean(axis=1).astype(np.float32)

    @cached_property
    def own_cases(self) -> np.ndarray:
        """Cases the profile's own government takes part in: known already, so never recommended."""
        mask = np.zeros(len(self.index.case_iris), dtype=bool)
        if self.self_pos is not None:
            row = self.index.participation_bin.getrow(self.self_pos)
            mask[row.indices] = True
        return mask

    def case_positions(self, gov_iri: str) -> np.ndarray:
        """Positions of the cases a government takes part in (a view on the index, no scan)."""
        pos = self.index.gov_pos.get(gov_iri)
        if pos is None:
            return np.zeros(0, dtype=np.int32)
        m = self.index.participation_bin
        return m.indices[m.indptr[pos]:m.indptr[pos + 1]]

    def cases_of(self, gov_iri: str) -> list:
        """The cases a government takes part in."""
        return [self.kb.cases[self.index.case_iris[j]] for j in self.case_positions(gov_iri)]

    def gov_max(self, case_values: np.ndarray) -> np.ndarray:
        """Per government, the best value over the cases it takes part in."""
        return row_max(self.index.participation_bin, case_values.astype(np.float32))
