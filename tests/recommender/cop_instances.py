"""Small CoP planning instances and an exhaustive solver that gives their known optimum."""

from __future__ import annotations

from itertools import combinations, product

from recommender.cop.model import Constraints, Group, Participant, Plan, Problem, violations
from recommender.cop.objective import Weights, evaluate

MON = Group("cop-monitoring", "CoP Monitoring", "CoP Monitoring", "cop", frozenset({"monitoring"}), 0, 10)
AANK = Group("cop-circulair-aankopen", "CoP Aankopen", "CoP Procurement", "cop", frozenset({"circulair-aankopen"}),
             0, 10)


def person(pid: str, *, level: int = 2, mon: float = 0.0, aank: float = 0.0, **kw: object) -> Participant:
    interests = {k: v for k, v in (("monitoring", mon), ("circulair-aankopen", aank)) if v}
    return Participant(pid, kw.pop("name", f"P{pid}"), maturity_level=level, interests=interests, **kw)  # type: ignore[arg-type]


def group(base: Group, **sizes: int) -> Group:
    return Group(base.code, base.name_nl, base.name_en, base.kind, base.topics, sizes.get("min_size", base.min_size),
                 sizes.get("max_size", base.max_size))


def problem(people: list[Participant], groups: list[Group] | None = None, **constraints: object) -> Problem:
    return Problem(tuple(people), tuple(groups or [MON, AANK]), Constraints(**constraints))  # type: ignore[arg-type]


def brute_force(p: Problem, weights: Weights | None = None) -> tuple[float, Plan] | None:
    """The best feasible plan by enumerating every assignment (tiny instances only)."""
    codes = [g.code for g in p.groups]
    k = p.constraints.max_groups_per_participant
    options = [frozenset(c) for r in range(k + 1) for c in combinations(codes, r)]
    best: tuple[float, Plan] | None = None
    for choice in product(options, repeat=len(p.participants)):
        plan = {code: frozenset(q.id for q, chosen in zip(p.participants, choice, strict=True) if code in chosen)
                for code in codes}
        if violations(p, plan):
            continue
        value = evaluate(p, plan, weights).total
        if best is None or value > best[0] + 1e-9:
            best = (value, plan)
    return best
