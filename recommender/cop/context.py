"""What planning needs from the graph, read once per store generation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg.store import GraphStore

from ..knowledge import KnowledgeBase, load_knowledge
from ..profiles import GovernmentProfile, derive_profiles
from .catalogue import concepts_from_graph
from .inputs import PlanRequest
from .names import NameIndex
from .partners import partner_rows, suggest_partners
from .plan import concept_labels, plan_response
from .request import problem_from_request


class CopContext:
    """Profiles, concepts and partner evidence of one graph, and plans made with them."""

    def __init__(self, *, profiles: Mapping[str, GovernmentProfile] | None, concepts: Mapping[str, Any],
                 partner_rows: list[dict[str, object]], successors: Mapping[str, str] | None = None) -> None:
        self.profiles, self.concepts, self.partner_rows = profiles or {}, concepts, partner_rows
        # names and NIS codes as a coordinator pastes them; a former municipality points to its successor
        self.names = NameIndex(self.profiles, dict(successors or {}))
        # topic codes, and the names of intermunicipal associations (a reason names the one two members share)
        self.labels = concept_labels(concepts) | {iri: (p.name, p.name) for iri, p in self.profiles.items()
                                                  if p.type == "intergemeentelijk"}

    @classmethod
    def from_store(cls, store: GraphStore, *, kb: KnowledgeBase | None = None) -> CopContext:
        """The context of ``store``; ``kb`` when its knowledge is already read (the app's per-generation one)."""
        kb = kb if kb is not None else load_knowledge(store)
        successors = {iri: g.successor for iri, g in kb.governments.items() if g.former and g.successor}
        return cls(profiles=derive_profiles(kb), concepts=concepts_from_graph(store), partner_rows=partner_rows(store),
                   successors=successors)

    def plan(self, request: PlanRequest | Mapping[str, Any], *, time_limit: float) -> dict[str, Any]:
        """The plan for a request; CopInputError, Infeasible or PlanTimeout say why there is none."""
        problem, weights = problem_from_request(request, profiles=self.profiles or None, concepts=self.concepts)
        return plan_response(problem, weights=weights, labels=self.labels, time_limit=time_limit,
                             partner_finder=lambda g: [s.as_dict() for s in suggest_partners(self.partner_rows, g)])


__all__ = ["CopContext"]
