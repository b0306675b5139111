"""Scorers over governments (peers). Each returns a score per government in [0, 1] and reasons."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from .explain import Reason, join, practices_word
from .practices import FRONTRUNNER_REASON_MIN, barrier_reasons, context_reasons, description_reasons
from .scorers import RequestContext, minmax


def _lead_cases_on(ctx: RequestContext, gov_iri: str, scheme: str, code: str, *, first: int = 5) -> list[str]:
    """Ids of (up to ``first``) cases the government leads that carry ``code`` or a narrower theme of it."""
    kb, out = ctx.kb, []
    for j in ctx.case_positions(gov_iri):
        case = kb.cases[ctx.index.case_iris[j]]
        if case.participants.get(gov_iri) not in ("trekker", "co-trekker"):
            continue
        tags = case.themes if scheme == "theme" else case.instruments
        if code in tags or (scheme == "theme" and any(
                kb.concepts.get(("theme", t)) and kb.concepts[("theme", t)].broader == code for t in tags)):
            out.append(case.id)
            if len(out) == first:
                break
    return out


class PeerTopical:
    """Demonstrated activity on the profile's themes and instruments (role-weighted, saturating)."""

    name = "topical"


    def explain(self, ctx: RequestContext, position: int) -> list[Reason]:
        gov = ctx.index.gov_iris[position]
        idx, kb, out = ctx.index, ctx.kb, []
        for scheme, weights, kind, codes, counts in (
                ("theme", ctx.q.themes, "shared-theme", idx.themes, idx.lead_theme_counts),
                ("instrument", ctx.q.instruments, "shared-instrument", idx.instruments, idx.lead_instrument_counts)):
            pos = {c: i for i, c in enumerate(codes)}
            top = [c for c in sorted(weights, key=lambda c: -weights[c])[:6] if c in pos]
            if not top:
                continue
            # counts come from the fitted lead x concept matrix: no scan over a front-runner's cases
            code = max(top, key=lambda c: int(counts[position, pos[c]]))
            n = int(counts[position, pos[code]])
            if n:
                out.append(Reason(kind, f"trok {practices_word(n, 'nl')} rond '{kb.concept_label(scheme, code, 'nl').lower()}'",
                                  f"led {practices_word(n, 'en')} on '{kb.concept_label(scheme, code, 'en').lower()}'",
                                  {"scheme": scheme, "code": code, "count": n,
                                   "cases": _lead_cases_on(ctx, gov, scheme, code)}))
        return out


class PeerFrontrunner:
    """The front-runner gap: how much further along the peer is than the profile, on the profile's topics."""

    name = "frontrunner"


    def explain(self, ctx: RequestContext, position: int) -> list[Reason]:
        p = ctx.profiles[ctx.index.gov_iris[position]]
        if ctx.peer_frontrunner[position] < FRONTRUNNER_REASON_MIN or (p.cases_led < 2 and not p.declarations):
            return []
        nl = [f"trok {practices_word(p.cases_led, 'nl')}"] if p.cases_led else []
        en = [f"led {practices_word(p.cases_led, 'en')}"] if p.cases_led else []
        if p.has_strategy:
            nl.append("werkt met een circulaire strategie")
            en.append("works with a circular strategy")
        if p.declarations:
            nl.append(f"is lid van {join(list(p.declarations[:2]), 'nl')}")
            en.append(f"is a member of {join(list(p.declarations[:2]), 'en')}")
        return [Reason("frontrunner", "is verder gevorderd: " + ", ".join(nl), "is further along: " + ", ".join(en),
                       {"government": p.iri, "cases_led": p.cases_led, "has_strategy": p.has_strategy,
                        "declarations": list(p.declarations[:2])})]


class PeerContext:
    """Cooperation potential: shared border, shared association, similar size, same province and type."""

    name = "context"


    def explain(self, ctx: RequestContext, position: int) -> list[Reason]:
        return context_reasons(ctx, ctx.index.gov_iris[position], about_case=False)


class PeerBarrier:
    """The peer runs a case that applies a remedy for one of the profile's barriers."""

    name = "barrier"


    def explain(self, ctx: RequestContext, position: int) -> list[Reason]:
        gov = ctx.index.gov_iris[position]
        cols = ctx.barrier_positions
        positions = ctx.case_positions(gov)
        if not cols or positions.size == 0:
            return []
        # the government's most relevant cases (a front-runner may have thousands: look at the best few)
        fit = ctx.last_relevance[positions]
        best = positions[np.argsort(-fit, kind="stable")[:10]]
        cases = [ctx.kb.cases[ctx.index.case_iris[j]] for j in best]
        cases.sort(key=lambda c: c.participants[gov] not in ("trekker", "co-trekker"))
        for case in cases[:3]:
            reasons = barrier_reasons(ctx, case)
            if reasons:
                r = reasons[0]
                return [Reason(r.kind, f"{r.text_nl}, in '{case.title}'", f"{r.text_en}, in '{case.title}'", r.data)]
        return []


class _PeerText(ABC):
    name = "text"

    @abstractmethod
    def case_scores(self, ctx: RequestContext) -> np.ndarray:
        """The per-case signal this scorer aggregates per government."""

    def normalised(self, ctx: RequestContext) -> np.ndarray:
        key = f"_peer_text_{self.name}"
        if key not in ctx.__dict__:
            ctx.__dict__[key] = minmax(self.case_scores(ctx))
        return ctx.__dict__[key]


    def explain(self, ctx: RequestContext, position: int) -> list[Reason]:
        """Names the peer's practice that best answers the description, where the words really meet."""
        gov = ctx.index.gov_iris[position]
        positions = ctx.case_positions(gov)
        if not ctx.has_description or positions.size == 0:
            return []
        top = int(positions[int(np.argmax(self.normalised(ctx)[positions]))])
        matches = description_reasons(ctx, top)
        if not matches:
            return []
        best = ctx.kb.cases[ctx.index.case_iris[top]]
        return [Reason("text-match", f"praktijk '{best.title}' sluit aan bij wat u in uw omschrijving vraagt",
                       f"practice '{best.title}' matches what your description asks for",
                       {"case": best.id, "method": self.name, **matches[0].data})]


class PeerSemantic(_PeerText):
    """Dense similarity of the profile's words to the peer's best-matching case."""

    name = "semantic"

    def case_scores(self, ctx: RequestContext) -> np.ndarray:
        return ctx.description_semantic


class PeerLexical(_PeerText):
    """Lexical similarity of the profile's words to the peer's best-matching case."""

    name = "lexical"

    def case_scores(self, ctx: RequestContext) -> np.ndarray:
        return ctx.description_lexical
