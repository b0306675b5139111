"""Scorers over cases (practices). Each returns a score per case in [0, 1] and reasons for shown ones."""

from __future__ import annotations

import re


from .explain import Reason, join, population_text, practices_word
from .scorers import LEXICAL_REASON_FLOOR, RequestContext

TEXT_REASON_MIN = 0.6        # normalised text score above which a text match is worth saying
FRONTRUNNER_REASON_MIN = 0.2  # front-runner gap above which "further along" is worth saying


def _case(ctx: RequestContext, position: int):
    return ctx.kb.cases[ctx.index.case_iris[position]]


def _said(weights: dict[str, float], stated: bool, code: str) -> bool:
    """Did the user give this code (weight ≥ 1 when stated), rather than the graph's case history?"""
    return stated and weights.get(code, 0.0) >= 1.0


def shared_concept_reasons(ctx: RequestContext, themes: list[str], instruments: list[str]) -> list[Reason]:
    """Reasons naming the profile's themes and instruments that the given tags cover (exactly or via broader).

    "Een thema van uw profiel" only for what the user gave; a code filled in from the government's own
    cases is called what it is ("waarrond uw bestuur al werkte").
    """
    kb, q, out = ctx.kb, ctx.q, []

    def theme_of_profile(t: str) -> str | None:
        if t in q.themes:
            return t
        parent = kb.concepts.get(("theme", t))
        return parent.broader if parent and parent.broader in q.themes else None

    hit_t = [t for t in themes if theme_of_profile(t)]
    given = [t for t in hit_t if _said(q.themes, q.stated_themes, theme_of_profile(t))]
    said = bool(given)
    hit_t = given or hit_t   # what the user gave comes first; history only where nothing given matches
    if hit_t:
        hit_t = sorted(hit_t, key=lambda t: -q.themes.get(theme_of_profile(t), 0))[:3]
        nl = [kb.concept_label("theme", t, "nl") for t in hit_t]
        en = [kb.concept_label("theme", t, "en") for t in hit_t]
        many = len(hit_t) > 1
        if said:
            tail_nl = "thema's die u opgaf" if many else "een thema dat u opgaf"
        else:
            tail_nl = "thema's waarrond uw bestuur al werkte" if many else "een thema waarrond uw bestuur al werkte"
        tail_en = ("themes you gave" if many else "a theme you gave") if said else \
            ("themes your government already worked on" if many else "a theme your government already worked on")
        out.append(Reason("shared-theme", f"gaat over {join(nl, 'nl')}, {tail_nl}", f"is about {join(en, 'en')}, {tail_en}",
                          {"themes": hit_t, "stated": said}))
    hit_i = [i for i in instruments if i in q.instruments]
    given = [i for i in hit_i if _said(q.instruments, q.stated_instruments, i)]
    said = bool(given)
    hit_i = given or hit_i
    if hit_i:
        hit_i = sorted(hit_i, key=lambda i: -q.instruments.get(i, 0))[:3]
        nl = [kb.concept_label("instrument", i, "nl") for i in hit_i]
        en = [kb.concept_label("instrument", i, "en") for i in hit_i]
        tail_nl = "dat u opgaf" if said else "waarmee uw bestuur al werkte"
        tail_en = "that you gave" if said else "your government already used"
        out.append(Reason("shared-instrument", f"werkt met {join(nl, 'nl')}, {tail_nl}", f"uses {join(en, 'en')}, {tail_en}",
                          {"instruments": hit_i, "stated": said}))
    return out


# What in a case meets a barrier, in the words of the seed (§05): for each barrier the features that
# answer it, most specific first. A feature is read from the graph (participants, instruments) or
# quoted from the case's own summary; nothing is claimed that the case does not show.
BARRIER_FEATURES = {
    "middelen-menskracht": ("intercommunale", "volunteers", "free", "subsidy"),
    "kennis-bestuur": ("regulation", "measured", "intercommunale"),
    "inzicht-voordelen": ("measured", "free"),
    "politiek-draagvlak": ("measured", "council"),
    "regelgeving": ("regulation",),
    "kennis-samenleving": ("campaign", "volunteers"),
    "interne-samenwerking": ("intercommunale",),
    "thematische-focus": ("measured",),
}
_MEASURED = re.compile(r"\b\d[\d.,]*\s?(%|procent|ton|kilo|kg|liter|euro|€)", re.IGNORECASE)
_WORDS = {"volunteers": re.compile(r"\bvrijwillig\w*", re.IGNORECASE),
          "free": re.compile(r"\b(gratis|kosteloos|goedkoop|goedkope)\b", re.IGNORECASE),
          "council": re.compile(r"\bgemeenteraad\w*", re.IGNORECASE)}
_FEATURE_TEXT = {
    "intercommunale": ("gedeeld via intercommunale {x}: u hoeft het niet alleen te dragen",
                       "shared through intercommunale {x}: you need not carry it alone"),
    "volunteers": ("draait mee op vrijwilligers ('{x}')", "runs partly on volunteers ('{x}')"),
    "free": ("kost weinig ('{x}')", "costs little ('{x}')"),
    "subsidy": ("met subsidie of andere financiering", "with a subsidy or other funding"),
    "regulation": ("een reglement dat u kunt overnemen", "a regulation you can copy"),
    "measured": ("met een gemeten resultaat ('{x}')", "with a measured result ('{x}')"),
    "council": ("kwam via de gemeenteraad ('{x}')", "went through the municipal council ('{x}')"),
    "campaign": ("een campagne die u kunt overnemen", "a campaign you can copy"),
}


def _feature(ctx: RequestContext, case, feature: str) -> tuple[str, dict] | None:
    """(the fact shown, its data) when the case shows ``feature``, else None."""
    kb = ctx.kb
    if feature == "intercommunale":
        shared = [g for g in case.participants if g in kb.governments and kb.governments[g].type == "intergemeentelijk"]
        return (kb.governments[shared[0]].name, {"government": shared[0]}) if shared else None
    if feature in ("subsidy", "regulation", "campaign"):
        code = {"subsidy": "subsidies-financiering", "regulation": "regelgeving",
                "campaign": "communicatie-sensibilisering"}[feature]
        return ("", {"instrument": code}) if code in case.instruments else None
    pattern = _MEASURED if feature == "measured" else _WORDS[feature]
    found = pattern.search(case.summary_nl or "")
    return (found.group(0), {"quote": found.group(0)}) if found else None


def barrier_reasons(ctx: RequestContext, case) -> list[Reason]:  # noqa: ANN001 - knowledge.Case
    """For each stated barrier, what in this case meets it (BARRIER_FEATURES), if anything does."""
    kb, out = ctx.kb, []
    for barrier in ctx.q.barriers:
        for feature in BARRIER_FEATURES.get(barrier, ()):
            found = _feature(ctx, case, feature)
            if found is None:
                continue
            x, data = found
            bl = (kb.concept_label("barrier", barrier, "nl").lower(), kb.concept_label("barrier", barrier, "en").lower())
            nl, en = _FEATURE_TEXT[feature]
            out.append(Reason("addresses-barrier", f"voor uw drempel '{bl[0]}': {nl.format(x=x)}",
                              f"for your barrier '{bl[1]}': {en.format(x=x)}",
                              {"barrier": barrier, "feature": feature, "case": case.id, **data}))
            break
    return out


class PracticeTopical:
    """Demonstrated fit: the share of the profile's themes and instruments the case covers."""

    name = "topical"


    def explain(self, ctx: RequestContext, position: int) -> list[Reason]:
        case = _case(ctx, position)
        return shared_concept_reasons(ctx, case.themes, case.instruments)


class PracticeBarrier:
    """Barrier fit: the case applies a documented remedy for the profile's barriers (and is on topic)."""

    name = "barrier"


    def explain(self, ctx: RequestContext, position: int) -> list[Reason]:
        return barrier_reasons(ctx, _case(ctx, position))


class PracticeContext:
    """Who runs it: a neighbour, the profile's intercommunale or a fellow member, its province, similar size."""

    name = "context"

    def explain(self, ctx: RequestContext, position: int) -> list[Reason]:
        case = _case(ctx, position)
        idx = ctx.index
        govs = sorted((g for g in case.participants if g != ctx.q.iri),
                      key=lambda g: -float(ctx.peer_context[idx.gov_pos[g]]))
        if not govs:
            return []
        return context_reasons(ctx, govs[0], about_case=True)


def context_reasons(ctx: RequestContext, gov_iri: str, *, about_case: bool) -> list[Reason]:
    """Why a government is near the profile: border, intercommunale, own province, size (facts in ``data``).

    A practice gets no reason for sharing only the province: that says nothing about the practice.
    """
    idx, kb, q = ctx.index, ctx.kb, ctx.q
    pos = idx.gov_pos[gov_iri]
    name = kb.governments[gov_iri].name
    out: list[Reason] = []
    lead_nl = f"{name} doet mee en " if about_case else ""
    lead_en = f"{name} takes part and " if about_case else ""
    if ctx.neighbour_vector[pos] > 0:
        out.append(Reason("neighbour", f"{lead_nl}grenst aan uw gemeente", f"{lead_en}borders your municipality",
                          {"government": gov_iri}))
    if ctx.intercommunale_vector[pos] > 0:
        if gov_iri in q.memberships:
            out.append(Reason("shared-association", f"{name}, waarvan u lid bent, doet mee" if about_case else
                              f"u bent lid van {name}", f"{name}, of which you are a member, takes part" if about_case
                              else f"you are a member of {name}", {"government": gov_iri, "association": gov_iri}))
        else:
            theirs = {m.org: m.name for m in kb.memberships.get(gov_iri, [])}
            kinds = {m.org: m.association_kind for m in kb.memberships.get(gov_iri, [])}
            # an intercommunale first: that is where circular practices are shared
            shared = sorted((o for o in q.memberships if o in theirs), key=lambda o: kinds[o] != "intercommunale")
            if shared:
                out.append(Reason("shared-association", f"{lead_nl}zit net als u in {theirs[shared[0]]}",
                                  f"{lead_en}is, like you, a member of {theirs[shared[0]]}",
                                  {"government": gov_iri, "association": shared[0]}))
    if ctx.own_province_vector[pos] > 0:
        out.append(Reason("own-province", f"{name} is uw provincie" + (" en doet mee" if about_case else ""),
                          f"{name} is your province" + (" and takes part" if about_case else ""),
                          {"government": gov_iri, "province": q.province}))
    pop = kb.governments[gov_iri].population
    if ctx.size_vector[pos] >= 0.7 and pop:
        out.append(Reason("similar-size", f"{name} heeft een vergelijkbare grootte ({population_text(pop, 'nl')})",
                          f"{name} is of similar size ({population_text(pop, 'en')})",
                          {"government": gov_iri, "population": pop, "profile_population": q.population}))
    if q.type in ("provincie", "intergemeentelijk", "pom") and ctx.kind_vector[pos] > 0:
        kind = kb.concept_label("government_type", q.type, "nl").lower()
        kind_en = kb.concept_label("government_type", q.type, "en").lower()
        out.append(Reason("same-kind", f"{name} is net als u een {kind}" if not about_case else
                          f"{name} doet mee en is net als u een {kind}",
                          f"{name} is, like you, a {kind_en}" if not about_case else
                          f"{name} takes part and is, like you, a {kind_en}",
                          {"government": gov_iri, "government_type": q.type}))
    same_province = ctx.province_vector[pos] > 0 and kb.governments[gov_iri].type != "provincie"
    if not out and not about_case and same_province:
        out.append(Reason("same-province", f"{name} ligt in uw provincie {q.province}",
                          f"{name} is in your province, {q.province}", {"government": gov_iri, "province": q.province}))
    return out


def description_reasons(ctx: RequestContext, position: int) -> list[Reason]:
    """'Sluit aan bij uw omschrijving' only where the words really meet: among the best matches of the
    description, and with a real overlap of word pieces (a nonsense description matches nothing)."""
    if not ctx.has_meaningful_description:
        return []
    lexical = ctx.description_lexical
    semantic = ctx.description_semantic
    best = max(float(lexical.max()), 1e-9), max(float(semantic.max()), 1e-9)
    share = 0.5 * (float(lexical[position]) / best[0] + float(semantic[position]) / best[1])
    if share < TEXT_REASON_MIN or float(lexical[position]) < LEXICAL_REASON_FLOOR:
        return []
    return [Reason("text-match", "sluit aan bij wat u in uw omschrijving vraagt", "matches what your description asks for",
                   {"method": "description", "score": round(share, 3), "lexical": round(float(lexical[position]), 3)})]


class PracticeFrontrunner:
    """Who leads it: an evidence-rich front-runner, counted where the case is on the profile's topic."""

    name = "frontrunner"


    def explain(self, ctx: RequestContext, position: int) -> list[Reason]:
        case = _case(ctx, position)
        leads = case.leads()
        if not leads:
            return []
        best = max(leads, key=lambda g: ctx.profiles[g].frontrunner_score)
        p = ctx.profiles[best]
        if p.cases_led < 2 or ctx.case_frontrunner[position] < FRONTRUNNER_REASON_MIN:
            return []
        return [Reason("frontrunner", f"getrokken door {p.name}, dat al {practices_word(p.cases_led, 'nl')} trok",
                       f"led by {p.name}, which has led {practices_word(p.cases_led, 'en')}",
                       {"government": best, "cases_led": p.cases_led})]


