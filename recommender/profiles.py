"""Government profiles derived from the graph, and request profiles resolved against it.

``load_profiles(store)`` is the public entry point the CoP planner shares: one
:class:`GovernmentProfile` per government, keyed by IRI.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.store import GraphStore

from .errors import InvalidProfile, UnknownGovernment
from .inputs import Profile, parse
from .knowledge import ROLE_WEIGHT, KnowledgeBase, load_knowledge
from .vocabulary import Vocabulary

# evidence behind the front-runner score (issue 4: "cases led, strategy, declarations")
STRATEGY_INSTRUMENT = "beleidsstrategie"
STRATEGY_BONUS = 1.5
DECLARATION_BONUS = 1.0
FRONTRUNNER_SCALE = 3.0      # raw evidence 3 (e.g. three cases led) maps to 1 - 1/e = 0.63
# what a stated maturity says about the front-runner score, for profiles without graph evidence
MATURITY_FRONTRUNNER = {1: 0.0, 2: 0.05, 3: 0.3, 4: 0.6, 5: 0.8}
SMALL_POPULATION = 20_000    # "kleine gemeente" in the seed's sense and in cases_more.yaml's selection


@dataclass
class GovernmentProfile:
    """What the graph says about one government, in the terms a recommender and a CoP planner need."""

    iri: str
    name: str
    type: str
    nis_code: str | None = None
    province: str | None = None
    province_iri: str | None = None
    population: int | None = None
    neighbours: tuple[str, ...] = ()
    memberships: tuple[str, ...] = ()          # IRIs of associations and collaborations it belongs to
    theme_weights: dict[str, float] = field(default_factory=dict)
    instrument_weights: dict[str, float] = field(default_factory=dict)
    cases_led: int = 0
    cases_total: int = 0
    has_strategy: bool = False
    declarations: tuple[str, ...] = ()         # names of collaborations/declarations it signed or joined
    frontrunner_score: float = 0.0
    maturity: str | None = None                # estimated maturity code (concepts.yaml: maturity)
    maturity_from_evidence: bool = False
    former: bool = False


def _frontrunner(raw: float) -> float:
    return 1.0 - math.exp(-raw / FRONTRUNNER_SCALE)


def derive_profiles(kb: KnowledgeBase) -> dict[str, GovernmentProfile]:
    """One profile per government of ``kb``, keyed by IRI."""
    themes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    instruments: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    led: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    weight: dict[str, float] = defaultdict(float)
    strategy: set[str] = set()
    for case in kb.cases.values():
        for gov, role in case.participants.items():
            w = ROLE_WEIGHT.get(role, 0.3)
            total[gov] += 1
            weight[gov] += w
            if role in ("trekker", "co-trekker"):
                led[gov] += 1
                if STRATEGY_INSTRUMENT in case.instruments:
                    strategy.add(gov)
            for t in case.themes:
                themes[gov][t] += w
            for i in case.instruments:
                instruments[gov][i] += w
    provinces = {kb.province_name(g.iri): g.iri for g in kb.governments.values() if g.type == "provincie"}
    member_provinces: dict[str, list[str]] = defaultdict(list)
    for member, ms in kb.memberships.items():
        g = kb.governments.get(member)
        if g is not None and g.province_iri:
            for m in ms:
                member_provinces[m.org].append(g.province_iri)
    profiles = {}
    for iri, g in kb.governments.items():
        province_iri = iri if g.type == "provincie" else g.province_iri
        if province_iri is None:
            # a POM or association: the province in its name ("POM Limburg"), else most of its members'
            named = [p for p in provinces if p and g.name.endswith(p)]
            if named:
                province_iri = provinces[named[0]]
            elif member_provinces.get(iri):
                counts = defaultdict(int)
                for p in member_provinces[iri]:
                    counts[p] += 1
                best = max(counts, key=lambda p: (counts[p], p))
                if counts[best] * 2 > len(member_provinces[iri]):
                    province_iri = best
        mships = kb.memberships.get(iri, [])
        declarations = tuple(sorted(m.name for m in mships if m.kind == "collaboration"))
        raw = weight[iri] + (STRATEGY_BONUS if iri in strategy else 0.0) + DECLARATION_BONUS * len(declarations)
        has_evidence = raw > 0
        if iri in strategy and declarations:
            maturity = "strategisch-extern"
        elif iri in strategy or (declarations and led[iri]):
            maturity = "strategisch-intern"
        elif has_evidence:
            maturity = "actief"
        else:
            maturity = "verkennend"    # the seed's late majority (65 %) is the prior without evidence
        profiles[iri] = GovernmentProfile(
            iri=iri, name=g.name, type=g.type, nis_code=g.nis_code,
            province=kb.province_name(province_iri), province_iri=province_iri, population=g.population,
            neighbours=tuple(sorted(kb.neighbours.get(iri, ()))), memberships=tuple(sorted(m.org for m in mships)),
            theme_weights=dict(themes[iri]), instrument_weights=dict(instruments[iri]),
            cases_led=led[iri], cases_total=total[iri], has_strategy=iri in strategy, declarations=declarations,
            frontrunner_score=round(_frontrunner(raw), 4), maturity=maturity, maturity_from_evidence=has_evidence,
            former=g.former)
    return profiles


def load_profiles(store: GraphStore) -> dict[str, GovernmentProfile]:
    """Profiles of every government in the store, keyed by IRI (shared with the CoP planner)."""
    return derive_profiles(load_knowledge(store))


@dataclass
class QueryProfile:
    """A request's profile, resolved: graph facts (if any) overridden by the request's fields."""

    iri: str | None = None
    nis_code: str | None = None
    name: str | None = None
    type: str | None = None
    province: str | None = None
    population: int | None = None
    maturity: str | None = None
    themes: dict[str, float] = field(default_factory=dict)
    instruments: dict[str, float] = field(default_factory=dict)
    barriers: list[str] = field(default_factory=list)
    drivers: list[str] = field(default_factory=list)
    description: str = ""
    neighbours: tuple[str, ...] = ()
    memberships: tuple[str, ...] = ()
    frontrunner_score: float = 0.0
    stated_themes: bool = False                # the request named themes (they outrank graph history)
    stated_instruments: bool = False

    @property
    def small(self) -> bool:
        return self.population is not None and self.population < SMALL_POPULATION


_CODE_FIELDS = ("themes", "instruments", "barriers", "drivers")


HISTORY_SHARE = 0.3   # with stated interests, the graph's history keeps at most this weight per concept


def _stated_over_history(history: dict[str, float], stated: list[str]) -> dict[str, float]:
    """Stated interests (weight 1) outrank the government's case history (scaled to <= HISTORY_SHARE)."""
    top = max(history.values(), default=0.0) or 1.0
    merged = {c: HISTORY_SHARE * w / top for c, w in history.items()}
    for c in stated:
        merged[c] = 1.0 + merged.get(c, 0.0)
    return merged


def former_code_message(kb: KnowledgeBase, iri: str) -> str:
    """The one message every endpoint gives for a NIS code that ended with the 2025 mergers."""
    former = kb.governments[iri]
    successor = kb.governments.get(former.successor or "")
    then = f"; use {successor.nis_code} ({successor.name})" if successor and successor.nis_code else ""
    return f"NIS code {former.nis_code} ({former.name}) ended on 2025-01-01 with the mergers{then}"


def municipality_iri(kb: KnowledgeBase, nis_code: str, *, field: str = "nis_code") -> str:
    """The IRI of the current municipality with ``nis_code``; UnknownGovernment names a former one's successor."""
    iri = kb.by_nis().get(str(nis_code))
    if iri is None:
        raise UnknownGovernment(field, f"no municipality with NIS code {nis_code!r}")
    if kb.governments[iri].former:
        raise UnknownGovernment(field, former_code_message(kb, iri))
    return iri


def _named_organisation(kb: KnowledgeBase, profiles: dict[str, GovernmentProfile], name: str,
                        government_type: str | None) -> GovernmentProfile | None:
    """A province, intercommunale or POM named exactly as in the graph is that government: its own
    practices are known to it and it is not its own peer. Municipalities are named by NIS code instead."""
    wanted = name.strip().casefold()
    for g in kb.governments.values():
        if g.type in ("provincie", "intergemeentelijk", "pom") and g.name.casefold() == wanted \
                and government_type in (None, g.type) and g.iri in profiles:
            return profiles[g.iri]
    return None


def resolve_profile(kb: KnowledgeBase, profiles: dict[str, GovernmentProfile], *, nis_code: str | None = None,
                    government: str | None = None, profile: Profile | Mapping[str, Any] | None = None,
                    vocabulary: Vocabulary | None = None) -> QueryProfile:
    """Validate a request (API.md) and merge it over the graph's profile of ``nis_code``/``government``.

    ``vocabulary``: the codes of ``kb`` when already derived (a fitted recommender keeps them).
    """
    vocabulary = vocabulary if vocabulary is not None else Vocabulary.from_knowledge(kb)
    fields = vocabulary.check_profile(parse(Profile, profile, field="profile")).given()
    base: GovernmentProfile | None = None
    if nis_code is not None:
        base = profiles[municipality_iri(kb, nis_code)]
    elif government is not None:
        if government not in profiles:
            raise UnknownGovernment("government", f"no government {government!r}")
        base = profiles[government]
    elif fields.get("name"):
        base = _named_organisation(kb, profiles, str(fields["name"]), fields.get("government_type"))
    informative = set(fields) - {"name"}
    if base is None and not informative:
        raise InvalidProfile("profile", "empty profile: give a nis_code, codes (themes, instruments, barriers, "
                                        "drivers), context (province, population, government_type) or a description")
    q = QueryProfile()
    if base is not None:
        q = QueryProfile(iri=base.iri, nis_code=base.nis_code, name=base.name, type=base.type, province=base.province,
                         population=base.population, maturity=base.maturity, themes=dict(base.theme_weights),
                         instruments=dict(base.instrument_weights), neighbours=base.neighbours,
                         memberships=base.memberships, frontrunner_score=base.frontrunner_score)
    if "government_type" in fields:
        q.type = fields["government_type"]
    if "province" in fields:
        q.province = fields["province"]
    if "population" in fields:
        q.population = fields["population"]
    if "maturity" in fields:
        q.maturity = fields["maturity"]
        if base is None or not base.frontrunner_score:
            level = kb.concepts[("maturity", q.maturity)].level or 2
            q.frontrunner_score = MATURITY_FRONTRUNNER.get(int(level), 0.05)
    for fieldname in _CODE_FIELDS:
        if fieldname not in fields:
            continue
        codes = list(dict.fromkeys(fields[fieldname]))
        if fieldname == "themes":
            q.themes = _stated_over_history(q.themes, codes)
            q.stated_themes = True
        elif fieldname == "instruments":
            q.instruments = _stated_over_history(q.instruments, codes)
            q.stated_instruments = True
        elif fieldname == "barriers":
            q.barriers = codes
        else:
            q.drivers = codes
    if "description" in fields:
        q.description = fields["description"]
    if "name" in fields:
        q.name = fields["name"]
    return q
