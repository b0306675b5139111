"""Relevance first, context second: how practices and peers are ranked (issue 11).

1. **Relevance of each case** to the request, in [0, 1]: the description's main interest leads (dense
   multilingual embeddings and character n-grams, each scaled by its best match), the theme and
   instrument codes widen it. Without a description the codes alone decide.
2. **Practices**: relevance × (1 + context lift), where the lift (who runs it: a neighbour, the profile's
   intercommunale or a fellow member, the profile's province, similar size, an organisation of the same
   kind; the front-runner gap; a remedy for a stated barrier) is bounded. Context re-ranks among relevant
   cases and cannot lift a case with half the relevance over the best one.
3. **Peers**: each government's score comes from the relevance of the cases it took part in, weighted by
   role, with diminishing returns (the best case counts fully, the next half, ...), after sharpening, so a
   government with many cases on other subjects does not rise. Then the same bounded context lift, and a
   kind match: a province, intercommunale or POM gets governments of its own kind first.

The defaults below are the parameters every fold of the cross-validation over both development sets
chose (median where folds differ); bench/README.md reports the held-out numbers, not these in-sample ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .scorers import RequestContext

SUPRALOCAL = ("provincie", "intergemeentelijk", "pom")


@dataclass(frozen=True)
class RankingParams:
    text_share: float = 0.8        # with a description: share of relevance from the words (the rest: codes)
    semantic_share: float = 0.25   # within the words: dense embeddings vs character n-grams
    history_share: float = 0.5     # codes only from the graph's history (none stated) count this much less
    context_lift: float = 0.35     # practices: at most +35 % for who runs it
    peer_context_lift: float = 4.0  # peers: at most ×5 for closeness (border, intercommunale, size, province)
    kind_lift: float = 4.0         # supralocal profiles: a government of the same kind counts five times
    frontrunner_lift: float = 0.0  # cross-validation switched the front-runner gap off as a ranking signal
    barrier_lift: float = 0.0      # ... and the barrier fit (both still give reasons where they are true)
    graph_lift: float = 0.2        # personalised PageRank proximity from the profile's concepts and ties
    sharpen: float = 4.0           # relevance^sharpen before summing per peer: weak matches count little
    decay: float = 0.5             # the k-th best case of a peer counts decay^k


def _scaled(x: np.ndarray) -> np.ndarray:
    """x / max(x), keeping zero at zero (a min-max would lift the least bad match to relevance)."""
    top = float(x.max()) if x.size else 0.0
    return (x / top).astype(np.float32) if top > 1e-9 else np.zeros_like(x, dtype=np.float32)


def case_relevance(ctx: RequestContext, p: RankingParams) -> np.ndarray:
    """How well each case answers the request, in [0, 1] (1 for the best match)."""
    n = len(ctx.index.case_iris)
    codes = _scaled(ctx.topical_cases)
    if ctx.has_meaningful_description:
        words = p.semantic_share * _scaled(ctx.description_semantic) + \
            (1 - p.semantic_share) * _scaled(ctx.description_lexical)
        code_share = 1 - p.text_share
        if not (ctx.q.stated_themes or ctx.q.stated_instruments):
            code_share *= p.history_share
        relevance = (1 - code_share) * _scaled(words) + code_share * codes
    elif codes.any():
        relevance = codes
    elif ctx.has_text and not ctx.has_description:   # barriers or drivers only: their labels are all the words
        relevance = _scaled(ctx.text_cases)
    else:
        relevance = np.ones(n, dtype=np.float32)
    return _scaled(relevance)


def practice_scores(ctx: RequestContext, p: RankingParams) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The practice score per case and the components the reasons are chosen from."""
    relevance = ctx.ranking_relevance(p)
    context = ctx.case_context
    frontrunner = ctx.case_frontrunner
    barrier = ctx.case_barrier_fit
    lift = p.context_lift * context + p.frontrunner_lift * frontrunner + p.barrier_lift * barrier
    parts = {"relevance": relevance, "context": context, "frontrunner": frontrunner, "barrier": barrier}
    if p.graph_lift:
        parts["graph"] = ctx.ppr_cases
        lift = lift + p.graph_lift * parts["graph"]
    # divided by the largest possible lift, so a score stays in [0, 1] and comparable between requests
    ceiling = 1.0 + p.context_lift + p.frontrunner_lift + p.barrier_lift + p.graph_lift
    return relevance * (1.0 + lift) / ceiling, parts


def _decayed_sum(matrix: sparse.csr_matrix, decay: float, depth: int = 5) -> np.ndarray:
    """Per row: the largest value + decay × the second + decay² × the third ... (at most ``depth`` terms)."""
    out = np.zeros(matrix.shape[0], dtype=np.float32)
    weights = decay ** np.arange(depth, dtype=np.float32)
    for row in range(matrix.shape[0]):
        values = matrix.data[matrix.indptr[row]:matrix.indptr[row + 1]]
        if values.size:
            top = np.sort(values)[::-1][:depth]
            out[row] = float(top @ weights[:top.size])
    return out


def peer_scores(ctx: RequestContext, p: RankingParams) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The peer score per government and the components the reasons are chosen from."""
    relevance = ctx.ranking_relevance(p) ** p.sharpen
    weighted = ctx.index.participation.multiply(relevance[np.newaxis, :]).tocsr()
    evidence = _scaled(_decayed_sum(weighted, p.decay))
    context = ctx.peer_context
    kind = ctx.kind_vector if ctx.q.type in SUPRALOCAL else np.zeros_like(evidence)
    lift = p.peer_context_lift * context + p.frontrunner_lift * ctx.peer_frontrunner
    parts = {"evidence": evidence, "context": context, "kind": kind, "frontrunner": ctx.peer_frontrunner}
    if p.graph_lift:
        parts["graph"] = ctx.ppr_govs
        lift = lift + p.graph_lift * parts["graph"]
    score = evidence * (1.0 + lift) * (1.0 + p.kind_lift * kind)
    ceiling = (1.0 + p.peer_context_lift + p.frontrunner_lift + p.graph_lift) * (1.0 + p.kind_lift)
    return score / ceiling, parts
