"""The fitted, request-independent state of the recommender: matrices over governments and cases.

Built once at fit time so that a request is a handful of vector operations (issue 4: under a
second per request, <= 2x one encoder pass at Flanders scale).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .artefacts import VectorCache
from .encoders import Encoder
from .graph import PersonalisedPageRank, build_graph
from .knowledge import ROLE_WEIGHT, KnowledgeBase
from .profiles import GovernmentProfile
from .text import LexicalIndex, case_text, case_text_en, case_words

BROADER_SHARE = 0.5   # a case on 'textiel' is half a match for an interest in 'consumentengoederen'


def row_max(matrix: sparse.csr_matrix, values: np.ndarray) -> np.ndarray:
    """For each row of a 0/1 sparse matrix, the max of ``values`` over its non-zero columns (0 if none)."""
    out = np.zeros(matrix.shape[0], dtype=np.float32)
    if matrix.nnz == 0:
        return out
    data = values[matrix.indices]
    nonempty = np.diff(matrix.indptr) > 0
    starts = matrix.indptr[:-1][nonempty]
    out[nonempty] = np.maximum.reduceat(data, starts)
    return out


def _concept_matrix(items: list[list[str]], codes: list[str], broader: dict[str, str]) -> np.ndarray:
    pos = {c: i for i, c in enumerate(codes)}
    m = np.zeros((len(items), len(codes)), dtype=np.float32)
    for r, tags in enumerate(items):
        for t in tags:
            if t in pos:
                m[r, pos[t]] = 1.0
            parent = broader.get(t)
            if parent in pos:
                m[r, pos[parent]] = max(m[r, pos[parent]], BROADER_SHARE)
    return m


@dataclass
class RecommenderIndex:
    gov_iris: list[str]
    gov_pos: dict[str, int]
    case_iris: list[str]
    case_pos: dict[str, int]
    themes: list[str]
    instruments: list[str]
    barriers: list[str]
    theme_broader: dict[str, str]
    case_themes: np.ndarray          # cases x themes (broader concepts at BROADER_SHARE)
    case_instruments: np.ndarray     # cases x instruments
    case_barrier: np.ndarray         # cases x barriers: strongest remedy the case applies
    participation: sparse.csr_matrix  # governments x cases, role weights
    participation_bin: sparse.csr_matrix
    participation_bin_t: sparse.csr_matrix
    lead_bin_t: sparse.csr_matrix     # cases x governments, 1 where the government leads or co-leads
    gov_themes: np.ndarray           # governments x themes, role-weighted activity
    gov_instruments: np.ndarray
    lead_theme_counts: np.ndarray    # governments x themes: cases led tagged with the theme or a narrower one
    lead_instrument_counts: np.ndarray
    frontrunner: np.ndarray
    log_population: np.ndarray       # NaN where unknown
    province: np.ndarray             # province name index, -1 where unknown
    province_names: list[str]
    gov_type: np.ndarray             # index into type_names
    type_names: list[str]
    neighbours: sparse.csr_matrix    # governments x governments
    membership: sparse.csr_matrix    # governments x organisations (associations and collaborations)
    membership_t: sparse.csr_matrix  # organisations x governments (row slices are cheap, column slices are not)
    org_iris: list[str]
    org_pos: dict[str, int]
    org_tie: np.ndarray              # per organisation: 1.0 for an intercommunale, 0.3 for other associations
    province_iris: dict[str, str]    # province name ("Limburg") -> the province's IRI
    peer_candidate: np.ndarray       # bool: current, with evidence of circular activity
    case_vectors: np.ndarray         # cases x d, L2-normalised
    lexical: LexicalIndex
    lexical_en: LexicalIndex | None  # over English summaries, for English queries (None if none exist)
    lexical_words: LexicalIndex      # char 3-5-grams across words, over title + both summaries: descriptions
    ppr: PersonalisedPageRank
    ppr_case_pos: np.ndarray
    ppr_gov_pos: np.ndarray


def build_index(kb: KnowledgeBase, profiles: dict[str, GovernmentProfile], encoder: Encoder, *,
                batch_size: int = 256, ppr_alpha: float = 0.7, ppr_iter: int = 10,
                vector_cache: VectorCache | None = None) -> RecommenderIndex:
    gov_iris = list(kb.governments)
    gov_pos = {g: i for i, g in enumerate(gov_iris)}
    case_iris = list(kb.cases)
    case_pos = {c: i for i, c in enumerate(case_iris)}
    cases = [kb.cases[c] for c in case_iris]
    themes, instruments, barriers = kb.codes("theme"), kb.codes("instrument"), kb.codes("barrier")
    broader = {code: c.broader for (s, code), c in kb.concepts.items() if s == "theme" and c.broader}
    ct = _concept_matrix([c.themes for c in cases], themes, broader)
    ci = _concept_matrix([c.instruments for c in cases], instruments, {})

    cb = np.zeros((len(cases), len(barriers)), dtype=np.float32)
    bpos = {b: i for i, b in enumerate(barriers)}
    tpos, ipos = {t: i for i, t in enumerate(themes)}, {t: i for i, t in enumerate(instruments)}
    for r in kb.remedies:
        if r.barrier not in bpos:
            continue
        col = ci[:, ipos[r.remedy]] if r.remedy_scheme == "instrument" and r.remedy in ipos else \
            ct[:, tpos[r.remedy]] if r.remedy_scheme == "theme" and r.remedy in tpos else None
        if col is not None:
            cb[:, bpos[r.barrier]] = np.maximum(cb[:, bpos[r.barrier]], (col >= 1.0) * r.strength)

    rows, cols, vals, lead_rows, lead_cols = [], [], [], [], []
    for j, case in enumerate(cases):
        for gov, role in case.participants.items():
            i = gov_pos[gov]
            rows.append(i), cols.append(j), vals.append(ROLE_WEIGHT.get(role, 0.3))
            if role in ("trekker", "co-trekker"):
                lead_rows.append(j), lead_cols.append(i)
    shape = (len(gov_iris), len(cases))
    part = sparse.csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=shape)
    part_bin = part.copy()
    part_bin.data[:] = 1.0
    lead_t = sparse.csr_matrix((np.ones(len(lead_rows), dtype=np.float32), (lead_rows, lead_cols)),
                               shape=(len(cases), len(gov_iris)))

    province_names = sorted({p.province for p in profiles.values() if p.province})
    prov_pos = {p: i for i, p in enumerate(province_names)}
    type_names = sorted({g.type for g in kb.governments.values()})
    type_pos = {t: i for i, t in enumerate(type_names)}
    profs = [profiles[g] for g in gov_iris]
    nrows, ncols = [], []
    for a, bs in kb.neighbours.items():
        for b in bs:
            if a in gov_pos and b in gov_pos:
                nrows.append(gov_pos[a]), ncols.append(gov_pos[b])
    neigh = sparse.csr_matrix((np.ones(len(nrows), dtype=np.float32), (nrows, ncols)), shape=(len(gov_iris),) * 2)
    org_iris = sorted({m.org for ms in kb.memberships.values() for m in ms})
    opos = {o: i for i, o in enumerate(org_iris)}
    mrows, mcols = [], []
    for member, ms in kb.memberships.items():
        if member in gov_pos:
            for m in ms:
                mrows.append(gov_pos[member]), mcols.append(opos[m.org])
    memb = sparse.csr_matrix((np.ones(len(mrows), dtype=np.float32), (mrows, mcols)), shape=(len(gov_iris), len(org_iris)))
    # an intercommunale is where circular practices are shared; a police zone or housing association is a
    # tie, but not one that runs them
    kinds = {m.org: m.association_kind for ms in kb.memberships.values() for m in ms}
    org_tie = np.array([1.0 if kinds[o] == "intercommunale" else 0.3 for o in org_iris], dtype=np.float32)
    province_iris = {p.province: iri for iri, p in profiles.items() if p.type == "provincie" and p.province}

    texts = [case_text(c, kb) for c in cases]
    if vector_cache is not None:
        vectors = vector_cache.vectors(texts, encoder, batch_size=batch_size)
    else:
        vectors = np.vstack([encoder.encode(texts[k:k + batch_size]) for k in range(0, len(texts), batch_size)]) \
            if texts else np.zeros((0, 1), dtype=np.float32)
    lexical = LexicalIndex(min_df=1 if len(texts) < 5000 else 2).fit(texts)
    texts_en = [case_text_en(c) for c in cases]
    lexical_en = LexicalIndex(min_df=1 if len(texts) < 5000 else 2).fit(texts_en) if any(texts_en) else None
    lexical_words = LexicalIndex(min_df=1 if len(texts) < 5000 else 2, analyzer="char").fit(
        [case_words(c) for c in cases])
    ppr = PersonalisedPageRank(build_graph(kb), alpha=ppr_alpha, n_iter=ppr_iter)
    return RecommenderIndex(
        gov_iris=gov_iris, gov_pos=gov_pos, case_iris=case_iris, case_pos=case_pos, themes=themes,
        instruments=instruments, barriers=barriers, theme_broader=broader, case_themes=ct, case_instruments=ci,
        case_barrier=cb, participation=part, participation_bin=part_bin,
        participation_bin_t=sparse.csr_matrix(part_bin.T), lead_bin_t=lead_t,
        gov_themes=np.asarray(part @ ct, dtype=np.float32), gov_instruments=np.asarray(part @ ci, dtype=np.float32),
        lead_theme_counts=np.rint(np.asarray(lead_t.T @ (ct > 0).astype(np.float32))).astype(np.int32),
        lead_instrument_counts=np.rint(np.asarray(lead_t.T @ (ci > 0).astype(np.float32))).astype(np.int32),
        frontrunner=np.array([p.frontrunner_score for p in profs], dtype=np.float32),
        log_population=np.array([math.log10(p.population) if p.population else np.nan for p in profs], dtype=np.float32),
        province=np.array([prov_pos.get(p.province, -1) if p.province else -1 for p in profs], dtype=np.int32),
        province_names=province_names, gov_type=np.array([type_pos[p.type] for p in profs], dtype=np.int32),
        type_names=type_names, neighbours=neigh, membership=memb, membership_t=sparse.csr_matrix(memb.T), org_iris=org_iris,
        org_pos=opos, org_tie=org_tie, province_iris=province_iris,
        peer_candidate=np.array([(not p.former) and (p.cases_total > 0 or bool(p.declarations)) for p in profs]),
        case_vectors=np.ascontiguousarray(vectors, dtype=np.float32), lexical=lexical, lexical_en=lexical_en, lexical_words=lexical_words, ppr=ppr,
        ppr_case_pos=ppr.positions(case_iris), ppr_gov_pos=ppr.positions(gov_iris))
