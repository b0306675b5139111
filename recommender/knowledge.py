"""The slice of the knowledge graph the recommender works on, read once over the named .rq queries.

Everything downstream (profiles, scorers, explanations) reads these plain records, never SPARQL,
so a scorer can be tested on a hand-made :class:`KnowledgeBase` and the whole recommender can be
fitted on a synthetic graph with the same code path.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg import queries
from kg.store import GraphStore

# role weights: a lead carries a case, a co-lead shares it, a partner contributes (issue 4: "weighted by role")
ROLE_WEIGHT = {"trekker": 1.0, "co-trekker": 0.7, "partner": 0.3}
SCHEME_SLUGS = {"thema": "theme", "instrument": "instrument", "drempel": "barrier", "drijfveer": "driver",
                "maturiteit": "maturity", "bestuurstype": "government_type", "vijfhoek": "pentagon"}


@dataclass(frozen=True)
class Concept:
    iri: str
    scheme: str            # "theme", "instrument", "barrier", ... (see SCHEME_SLUGS)
    code: str
    label_nl: str
    label_en: str
    broader: str | None = None
    level: int | None = None


@dataclass
class Government:
    iri: str
    name: str
    type: str                          # bestuurstype code
    nis_code: str | None = None
    province_iri: str | None = None
    population: int | None = None
    area_km2: float | None = None
    centrumstad: bool = False
    former: bool = False
    successor: str | None = None       # a former municipality: the government it is part of since 2025
    synthetic: bool = False


@dataclass
class Case:
    iri: str
    id: str
    title: str
    summary_nl: str = ""
    summary_en: str = ""
    year: int | None = None
    status: str | None = None
    themes: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    pentagon: list[str] = field(default_factory=list)
    participants: dict[str, str] = field(default_factory=dict)   # government IRI -> role code
    synthetic: bool = False

    def leads(self) -> list[str]:
        return [g for g, r in self.participants.items() if r in ("trekker", "co-trekker")]


@dataclass(frozen=True)
class Remedy:
    barrier: str
    remedy: str            # concept code
    remedy_scheme: str     # "instrument" or "theme"
    strength: float
    rationale_nl: str
    rationale_en: str


@dataclass(frozen=True)
class Membership:
    org: str
    name: str
    kind: str              # "government", "cop" or "collaboration"
    association_kind: str | None = None


@dataclass
class KnowledgeBase:
    """Governments, cases, concepts, memberships, borders and barrier remedies, keyed by IRI."""

    governments: dict[str, Government]
    cases: dict[str, Case]
    concepts: dict[tuple[str, str], Concept]          # (scheme, code) -> concept
    neighbours: dict[str, set[str]]
    memberships: dict[str, list[Membership]]          # member IRI -> memberships
    remedies: list[Remedy]
    _by_nis: dict[str, str] | None = field(default=None, repr=False, compare=False)

    def concept_label(self, scheme: str, code: str, lang: str = "nl") -> str:
        c = self.concepts.get((scheme, code))
        if c is None:
            return code
        return c.label_nl if lang == "nl" else (c.label_en or c.label_nl)

    def codes(self, scheme: str) -> list[str]:
        return sorted(code for (s, code) in self.concepts if s == scheme)

    def province_name(self, province_iri: str | None) -> str | None:
        """The bare province name ("Limburg") used in requests, from the label "Provincie Limburg"."""
        if province_iri is None or province_iri not in self.governments:
            return None
        name = self.governments[province_iri].name
        return name.removeprefix("Provincie ").strip()

    def cases_of(self, gov_iri: str) -> list[Case]:
        return [c for c in self.cases.values() if gov_iri in c.participants]

    def by_nis(self) -> dict[str, str]:
        """Municipalities by NIS code (a former code resolves to itself, flagged ``former``); built once."""
        if self._by_nis is None:
            self._by_nis = {g.nis_code: g.iri for g in self.governments.values() if g.nis_code}
        return self._by_nis


def _scheme_slug(scheme_iri: str) -> str:
    slug = scheme_iri.rstrip("/").rsplit("/", 1)[-1]
    return SCHEME_SLUGS.get(slug, slug)


def load_knowledge(store: GraphStore) -> KnowledgeBase:
    """Read every fact the recommender needs from the store (one pass over eight named queries)."""
    concepts: dict[tuple[str, str], Concept] = {}
    for row in queries.select(store, "recommender_concepts"):
        scheme = _scheme_slug(row["scheme"])
        key = (scheme, str(row["code"]))
        if key in concepts:
            continue
        concepts[key] = Concept(iri=row["concept"], scheme=scheme, code=str(row["code"]),
                                label_nl=row["labelNl"] or str(row["code"]), label_en=row["labelEn"] or "",
                                broader=row["broader"], level=row["level"])

    governments: dict[str, Government] = {}
    for row in queries.select(store, "recommender_governments"):
        iri = row["gov"]
        if iri in governments:   # a second label or type row adds nothing the first lacks
            continue
        governments[iri] = Government(
            iri=iri, name=row["name"] or iri.rsplit("/", 1)[-1], type=str(row["type"]),
            nis_code=str(row["nis"]) if row["nis"] is not None else None, province_iri=row["province"],
            population=row["population"], area_km2=row["area"], centrumstad=bool(row["centrumstad"]),
            former=bool(row["former"]), successor=row["successor"], synthetic=bool(row["synthetic"]))

    neighbours: dict[str, set[str]] = defaultdict(set)
    for row in queries.select(store, "recommender_neighbours"):
        neighbours[row["a"]].add(row["b"])
        neighbours[row["b"]].add(row["a"])

    memberships: dict[str, list[Membership]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for row in queries.select(store, "recommender_memberships"):
        if (row["member"], row["org"]) in seen:
            continue
        seen.add((row["member"], row["org"]))
        memberships[row["member"]].append(Membership(org=row["org"], name=row["orgName"] or row["org"].rsplit("/", 1)[-1],
                                                     kind=row["orgKind"], association_kind=row["associationKind"]))

    cases: dict[str, Case] = {}
    for row in queries.select(store, "recommender_cases"):
        if row["case"] in cases:
            continue
        cases[row["case"]] = Case(iri=row["case"], id=str(row["id"]), title=row["title"] or str(row["id"]),
                                  summary_nl=row["abstractNl"] or "", summary_en=row["abstractEn"] or "",
                                  year=row["year"] if isinstance(row["year"], int) else None,
                                  status=row["status"], synthetic=bool(row["synthetic"]))
    for row in queries.select(store, "recommender_case_concepts"):
        case = cases.get(row["case"])
        if case is None:
            continue
        target = {"theme": case.themes, "instrument": case.instruments, "pentagon": case.pentagon}[row["kind"]]
        if row["code"] not in target:
            target.append(str(row["code"]))
    for row in queries.select(store, "recommender_participations"):
        case = cases.get(row["case"])
        if case is None or row["agent"] not in governments:
            continue
        old = case.participants.get(row["agent"])
        # one government with two roles in a case keeps the stronger one
        if old is None or ROLE_WEIGHT.get(row["role"], 0) > ROLE_WEIGHT.get(old, 0):
            case.participants[row["agent"]] = str(row["role"])

    remedies = [Remedy(barrier=str(r["barrier"]), remedy=str(r["remedy"]), remedy_scheme=_scheme_slug(r["remedyScheme"]),
                       strength=float(r["strength"]) if r["strength"] is not None else 1.0,
                       rationale_nl=r["rationaleNl"] or "", rationale_en=r["rationaleEn"] or "")
                for r in queries.select(store, "recommender_barrier_remedies")]
    remedies.sort(key=lambda r: (r.barrier, -r.strength, r.remedy))
    return KnowledgeBase(governments=governments, cases=cases, concepts=concepts, neighbours=dict(neighbours),
                         memberships=dict(memberships), remedies=remedies)
