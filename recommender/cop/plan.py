"""Plan a request end to end: solve, compare with the greedy baseline, explain, suggest partners."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .diagnosis import diagnose, precheck
from .errors import CopError, Infeasible
from .explain import Labels, composition, group_report, reasons, why_unassigned
from .greedy import solve_greedy
from .milp import DEFAULT_TIME_LIMIT_S, Solution, solve
from .model import Group, Problem
from .objective import Weights, evaluate, partner_index
from .partners import partner_topics

PartnerFinder = Callable[[Group], list[dict[str, object]]]


class PlanTimeout(CopError, TimeoutError):
    """HiGHS found no plan within the time limit, although it could not prove there is none."""


def concept_labels(concepts: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """code -> (Dutch, English) label for the topic schemes and government types of a parsed concepts.yaml."""
    out = {}
    for scheme in ("themes", "instruments", "support_forms", "government_types"):
        for c in concepts.get(scheme, []):
            out[str(c["code"])] = (str(c.get("nl", c["code"])), str(c.get("en", c["code"])))
    return out


def solve_or_explain(problem: Problem, *, weights: Weights, time_limit: float = DEFAULT_TIME_LIMIT_S) -> Solution:
    """The MILP solution, or Infeasible with the conflicting constraints in words."""
    conflicts = precheck(problem)
    if conflicts:
        raise Infeasible(conflicts)
    solution = solve(problem, weights=weights, time_limit=time_limit)
    if solution.status == "infeasible":
        raise Infeasible(diagnose(problem, time_limit=min(time_limit, 10.0)))
    if solution.status not in ("optimal", "feasible"):
        raise PlanTimeout(f"no plan found within {time_limit:g} s; allow more time or relax the constraints")
    return solution


def plan_response(problem: Problem, *, weights: Weights | None = None, labels: Labels | None = None,
                  partner_finder: PartnerFinder | None = None, time_limit: float = DEFAULT_TIME_LIMIT_S,
                  with_baseline: bool = True) -> dict[str, Any]:
    """The API response body (API.md, plus ``score``, ``baseline`` and per-group ``composition``)."""
    weights = weights or Weights()
    solution = solve_or_explain(problem, weights=weights, time_limit=time_limit)
    plan = solution.plan
    partners = partner_index(problem)
    assignments = []
    for g in problem.groups:
        for pid in sorted(plan[g.code]):
            p = problem.participant(pid)
            assignments.append({"participant": pid, "name": p.name, "group": g.code, "province": p.province,
                                "government_type": p.government_type, "adoption_group": p.adoption_group,
                                "frontrunner": p.frontrunner,
                                "reasons": reasons(problem, plan, p, g, weights=weights, labels=labels,
                                                   partners=partners)})
    assigned = {pid for members in plan.values() for pid in members}
    groups = []
    for g in problem.groups:
        groups.append({"code": g.code, "name_nl": g.name_nl, "name_en": g.name_en, "members": sorted(plan[g.code]),
                       "size": len(plan[g.code]), "report": group_report(problem, plan, g),
                       "composition": composition(problem, plan, g),
                       "score": evaluate(problem, {g.code: plan[g.code]}, weights).as_dict()})
    body: dict[str, Any] = {
        "status": solution.status, "objective": round(solution.objective or 0.0, 6),
        "gap": round(solution.gap or 0.0, 9), "solve_seconds": round(solution.solve_seconds, 4),
        "assignments": assignments, "groups": groups,
        "partners": [{"group": g.code, "organisations": partner_finder(
            partner_topics(g, (problem.participant(pid) for pid in plan[g.code]))) if partner_finder else []}
                     for g in problem.groups],
        "unassigned": [{"participant": p.id, "name": p.name, "reasons": why_unassigned(problem, plan, p)}
                       for p in sorted(problem.participants, key=lambda p: p.id) if p.id not in assigned],
        "score": solution.score.as_dict() if solution.score else None,
        "bound": solution.bound, "solver": {"name": "scipy.optimize.milp (HiGHS)", **solution.detail},
        "weights": {k: getattr(weights, k) for k in weights.__dataclass_fields__},
    }
    if with_baseline:
        greedy = solve_greedy(problem, weights=weights)
        body["baseline"] = {"solver": "greedy", "status": greedy.status,
                            "objective": round(greedy.objective or 0.0, 6),
                            "solve_seconds": round(greedy.solve_seconds, 4),
                            "violations": greedy.detail.get("violations", [])}
    return body
