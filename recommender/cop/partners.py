"""Outside partners for a group: organisations of the societal pentagon active in cases on its topics.

The graph query (``kg/queries/cop_partners.rq``) returns every non-government organisation with the cases it
takes part in and those cases' topics; here they are matched to a group's topics, ranked by how many such
cases they share (a case they lead counts double) and picked round-robin over the pentagon roles, so a group
hears of companies, knowledge institutions, civil society and financiers alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from kg import queries
from kg.store import GraphStore

from .model import TRACK_SUPPORT_FORMS, Group, Participant

PENTAGON_ROLES = ("bedrijven", "kennisinstellingen", "middenveld-burgers", "financiers")
LEAD_ROLES = {"trekker", "co-trekker"}
MEMBER_TOPICS = 3


@dataclass(frozen=True)
class CaseEvidence:
    iri: str
    id: str
    title: str


@dataclass(frozen=True)
class PartnerSuggestion:
    """An organisation suggested to a group, with the cases on the group's topics that show its work."""

    iri: str
    name: str
    pentagon_role: str
    cases: tuple[CaseEvidence, ...]
    topics: tuple[str, ...]
    score: float

    def as_dict(self) -> dict[str, object]:
        return {"iri": self.iri, "name": self.name, "pentagon_role": self.pentagon_role,
                "cases": [c.id for c in self.cases], "topics": list(self.topics), "score": self.score,
                "case_details": [{"iri": c.iri, "id": c.id, "title": c.title} for c in self.cases]}


def partner_topics(group: Group, members: Iterable[Participant]) -> Group:
    """The group with the topics its partners should work on.

    A coaching track is about a kind of support, not a theme (no case is tagged with a support form), so its
    partners are sought on the ``MEMBER_TOPICS`` themes and instruments its members care most about.
    """
    if group.kind != "begeleiding":
        return group
    support_forms = set(TRACK_SUPPORT_FORMS.values())
    totals: dict[str, float] = defaultdict(float)
    for p in members:
        for code, weight in p.interests.items():
            if code not in support_forms:
                totals[code] += weight
    shared = sorted(totals, key=lambda code: (-totals[code], code))[:MEMBER_TOPICS]
    return replace(group, topics=group.topics | frozenset(shared))


def partner_rows(store: GraphStore) -> list[dict[str, object]]:
    """Organisation x case x topic rows from the graph."""
    return queries.select(store, "cop_partners")


def suggest_partners(rows: Iterable[Mapping[str, object]], group: Group, *, limit: int = 8) -> list[PartnerSuggestion]:
    """Up to ``limit`` organisations active in cases on ``group``'s topics, spread over the pentagon roles."""
    names: dict[str, str] = {}
    roles: dict[str, str] = {}
    cases: dict[str, dict[str, CaseEvidence]] = defaultdict(dict)
    led: dict[str, set[str]] = defaultdict(set)
    topics: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        topic = row.get("topic")
        if topic not in group.topics:
            continue
        org = str(row["org"])
        names[org] = str(row.get("name") or org.rsplit("/", 1)[-1])
        roles.setdefault(org, str(row["role"]))
        case_id = str(row["caseId"])
        cases[org][case_id] = CaseEvidence(str(row["case"]), case_id, str(row.get("caseTitle") or case_id))
        topics[org].add(str(topic))
        if row.get("caseRole") in LEAD_ROLES:
            led[org].add(case_id)
    ranked: dict[str, list[PartnerSuggestion]] = defaultdict(list)
    for org in cases:
        score = float(len(cases[org]) + len(led[org]))
        ranked[roles[org]].append(PartnerSuggestion(
            org, names[org], roles[org], tuple(sorted(cases[org].values(), key=lambda c: c.id)),
            tuple(sorted(topics[org])), score))
    for suggestions in ranked.values():
        suggestions.sort(key=lambda s: (-s.score, s.name))
    picked: list[PartnerSuggestion] = []
    depth = 0
    while len(picked) < limit and any(len(ranked[r]) > depth for r in PENTAGON_ROLES):
        for role in PENTAGON_ROLES:
            if len(ranked[role]) > depth and len(picked) < limit:
                picked.append(ranked[role][depth])
        depth += 1
    return picked
