"""The exact planner: a mixed-integer programme solved by HiGHS through ``scipy.optimize.milp``.

Variables (N participants, K groups):

* ``x[i,g]`` binary: participant ``i`` is in group ``g``.
* ``y[i,g]`` in [0,1], only for late-majority ``i`` with interest in ``g``: ``i`` learns from a front-runner in ``g``.
  ``y[i,g] <= x[i,g]`` and, per group, ``sum_i y[i,g] <= r * (number of topical front-runners in g)``. The
  individual ``y[i,g] <= (number of topical front-runners in g)`` is implied for integral ``x`` but tightens the
  LP relaxation; it cut the CPU time of the 285-municipality "seats" benchmark from 4.6 s to 3.3 s.
* ``z[i,g]`` in [0,1], only for small municipalities with partners: ``i`` has a partner in ``g``.
  ``z[i,g] <= x[i,g]`` and ``z[i,g] <= sum_{j partner of i} x[j,g]``.

Every constraint family is a count over ``x`` (group sizes, front-runners, adoption groups, types,
provinces), so the model has N*K binaries plus at most 2*N*K bounded continuous variables and
O(N + K*(provinces + kinds)) rows besides the linking ones. No pair variables: the learning and cooperation
terms need no product of two assignments because ``y`` and ``z`` are pushed up by the objective and held
down by counts, and a count of binaries is integral whenever ``x`` is.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from .model import FAMILIES, Plan, Problem
from .objective import (
    Score,
    Weights,
    evaluate,
    fit,
    is_small,
    is_topical_frontrunner,
    learning_value,
    partner_index,
    selection_value,
)

DEFAULT_TIME_LIMIT_S = 60.0
# HiGHS's default relative gap (1e-4) can stop before the best plan when many plans score almost alike; a
# tighter gap costs little on instances of a few hundred participants.
DEFAULT_MIP_REL_GAP = 1e-6


@dataclass(frozen=True)
class Solution:
    """A plan with its objective and how good it provably is."""

    status: str  # "optimal" | "feasible" | "infeasible"
    plan: Plan
    score: Score | None
    gap: float | None
    bound: float | None
    solve_seconds: float
    solver: str
    detail: dict[str, object] = field(default_factory=dict)

    @property
    def objective(self) -> float | None:
        return None if self.score is None else self.score.total


class _Model:
    """Rows and variables of the MILP, each row tagged with its constraint family."""

    def __init__(self) -> None:
        self.n_vars = 0
        self.cost: list[float] = []
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.integer: list[int] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.row_lb: list[float] = []
        self.row_ub: list[float] = []
        self.row_family: list[str] = []

    def var(self, *, cost: float, lb: float, ub: float, integer: bool) -> int:
        self.cost.append(cost)
        self.lb.append(lb)
        self.ub.append(ub)
        self.integer.append(1 if integer else 0)
        self.n_vars += 1
        return self.n_vars - 1

    def row(self, coeffs: dict[int, float], lb: float, ub: float, family: str) -> None:
        r = len(self.row_lb)
        for col, val in coeffs.items():
            if val:
                self.rows.append(r)
                self.cols.append(col)
                self.vals.append(val)
        self.row_lb.append(lb)
        self.row_ub.append(ub)
        self.row_family.append(family)

    def solve(self, *, time_limit: float, mip_rel_gap: float, maximise: bool = True):
        c = -np.asarray(self.cost) if maximise else np.asarray(self.cost)
        kwargs = {}
        if self.row_lb:
            a = coo_matrix((self.vals, (self.rows, self.cols)), shape=(len(self.row_lb), self.n_vars)).tocsr()
            kwargs["constraints"] = LinearConstraint(a, np.asarray(self.row_lb), np.asarray(self.row_ub))
        return milp(c, integrality=np.asarray(self.integer), bounds=Bounds(np.asarray(self.lb), np.asarray(self.ub)),
                    options={"time_limit": time_limit, "mip_rel_gap": mip_rel_gap, "disp": False}, **kwargs)


def _build(problem: Problem, weights: Weights, *, families: Collection[str], with_objective: bool
           ) -> tuple[_Model, dict[tuple[int, int], int]]:
    c = problem.constraints
    people, groups = problem.participants, problem.groups
    m = _Model()
    x: dict[tuple[int, int], int] = {}
    for i, p in enumerate(people):
        fixed_here = set(c.fixed.get(p.id, ())) if "fixed" in families else set()
        for k, g in enumerate(groups):
            allowed = "allowed_groups" not in families or p.allowed_groups is None or g.code in p.allowed_groups
            cost = weights.interest_fit * fit(p, g) + weights.selection * selection_value(p) if with_objective else 0.0
            x[i, k] = m.var(cost=cost, lb=1.0 if g.code in fixed_here else 0.0, ub=1.0 if allowed else 0.0,
                            integer=True)
    n, big = len(people), float(len(people))

    for k, g in enumerate(groups):
        members = {x[i, k]: 1.0 for i in range(n)}
        if "min_size" in families:
            m.row(members, g.min_size, big, "min_size")
        if "max_size" in families:
            m.row(members, 0.0, g.max_size, "max_size")
        if "frontrunners" in families:
            if c.min_frontrunners_per_group:
                m.row({x[i, k]: 1.0 for i, p in enumerate(people) if p.frontrunner},
                      c.min_frontrunners_per_group, big, "frontrunners")
            if c.min_frontrunner_share:
                m.row({x[i, k]: float(p.frontrunner) - c.min_frontrunner_share for i, p in enumerate(people)},
                      0.0, big, "frontrunners")
        mixes = [("maturity_mix", ag, b, lambda p, ag=ag: p.adoption_group == ag) for ag, b in c.maturity_mix.items()]
        mixes += [("government_type_mix", gt, b, lambda p, gt=gt: p.government_type == gt)
                  for gt, b in c.government_type_mix.items()]
        for family, _, b, has in mixes:
            if family not in families:
                continue
            if b.min:
                m.row({x[i, k]: 1.0 for i, p in enumerate(people) if has(p)}, b.min, big, family)
            if b.max is not None:
                m.row({x[i, k]: 1.0 for i, p in enumerate(people) if has(p)}, 0.0, b.max, family)
            if b.min_share:
                m.row({x[i, k]: float(has(p)) - b.min_share for i, p in enumerate(people)}, 0.0, big, family)
            if b.max_share is not None:
                m.row({x[i, k]: float(has(p)) - b.max_share for i, p in enumerate(people)}, -big, 0.0, family)
        if "max_per_province" in families and c.max_per_province is not None:
            provinces: dict[str, list[int]] = {}
            for i, p in enumerate(people):
                if p.province:
                    provinces.setdefault(p.province, []).append(i)
            for members_of_province in provinces.values():
                if len(members_of_province) > c.max_per_province:
                    m.row({x[i, k]: 1.0 for i in members_of_province}, 0.0, c.max_per_province, "max_per_province")

    for i, p in enumerate(people):
        if "max_groups_per_participant" in families and len(groups) > c.max_groups_per_participant:
            m.row({x[i, k]: 1.0 for k in range(len(groups))}, 0.0, c.max_groups_per_participant,
                  "max_groups_per_participant")
        if "assign_all" in families and (c.assign_all or p.must_participate):
            m.row({x[i, k]: 1.0 for k in range(len(groups))}, 1.0, big, "assign_all")

    index = {p.id: i for i, p in enumerate(people)}
    if "must_link" in families:
        for a, b in c.must_link:
            for k in range(len(groups)):
                m.row({x[index[a], k]: 1.0, x[index[b], k]: -1.0}, 0.0, 0.0, "must_link")
    if "cannot_link" in families:
        for a, b in c.cannot_link:
            for k in range(len(groups)):
                m.row({x[index[a], k]: 1.0, x[index[b], k]: 1.0}, 0.0, 1.0, "cannot_link")

    if with_objective:
        _add_learning(m, problem, weights, x)
        _add_cooperation(m, problem, weights, x)
    return m, x


def _add_learning(m: _Model, problem: Problem, weights: Weights, x: dict[tuple[int, int], int]) -> None:
    for k, g in enumerate(problem.groups):
        mentors = {x[i, k]: -1.0 for i, p in enumerate(problem.participants) if is_topical_frontrunner(p, g, weights)}
        mentees = {}
        for i, p in enumerate(problem.participants):
            value = learning_value(p, g, weights)
            if value > 0:
                y = m.var(cost=value, lb=0.0, ub=1.0, integer=False)
                m.row({y: 1.0, x[i, k]: -1.0}, -np.inf, 0.0, "objective")
                m.row({y: 1.0} | mentors, -np.inf, 0.0, "objective")
                mentees[y] = 1.0
        if mentees:
            m.row(mentees | {col: v * weights.mentees_per_frontrunner for col, v in mentors.items()}, -np.inf, 0.0,
                  "objective")


def _add_cooperation(m: _Model, problem: Problem, weights: Weights, x: dict[tuple[int, int], int]) -> None:
    partners = partner_index(problem)
    index = {p.id: i for i, p in enumerate(problem.participants)}
    for i, p in enumerate(problem.participants):
        if not is_small(p, weights) or not partners[p.id]:
            continue
        for k in range(len(problem.groups)):
            z = m.var(cost=weights.cooperation, lb=0.0, ub=1.0, integer=False)
            m.row({z: 1.0, x[i, k]: -1.0}, -np.inf, 0.0, "objective")
            m.row({z: 1.0} | {x[index[j], k]: -1.0 for j in partners[p.id]}, -np.inf, 0.0, "objective")


def _plan(problem: Problem, x: dict[tuple[int, int], int], values: np.ndarray) -> Plan:
    return {g.code: frozenset(p.id for i, p in enumerate(problem.participants) if values[x[i, k]] > 0.5)
            for k, g in enumerate(problem.groups)}


def solve(problem: Problem, *, weights: Weights | None = None, time_limit: float = DEFAULT_TIME_LIMIT_S,
          mip_rel_gap: float = DEFAULT_MIP_REL_GAP) -> Solution:
    """The best plan HiGHS finds within the time limit, with its proven gap.

    The returned objective is recomputed from the plan with ``objective.evaluate`` so that the MILP and the
    greedy baseline are scored by the same code.
    """
    weights = weights or Weights()
    started, cpu_started = time.perf_counter(), time.process_time()
    model, x = _build(problem, weights, families=FAMILIES, with_objective=True)
    res = model.solve(time_limit=time_limit, mip_rel_gap=mip_rel_gap)
    seconds = time.perf_counter() - started
    # CPU time as well as wall time: on a shared machine the wall clock mostly measures the neighbours
    detail: dict[str, object] = {"cpu_seconds": round(time.process_time() - cpu_started, 4),
                                 "variables": model.n_vars, "binaries": len(x), "rows": len(model.row_lb),
                                 "highs_status": int(res.status), "highs_message": str(res.message)}
    if res.x is None:
        status = "infeasible" if res.status == 2 else "unknown"
        return Solution(status, {}, None, None, None, seconds, "milp", detail)
    plan = _plan(problem, x, res.x)
    gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    bound = getattr(res, "mip_dual_bound", None)
    return Solution("optimal" if res.status == 0 else "feasible", plan, evaluate(problem, plan, weights),
                    max(gap, 0.0), None if bound is None else -float(bound), seconds, "milp", detail)


def is_feasible(problem: Problem, families: Collection[str], *, time_limit: float = 10.0) -> bool | None:
    """Whether some plan satisfies the given constraint families (None when HiGHS could not decide in time)."""
    model, _ = _build(problem, Weights(), families=families, with_objective=False)
    res = model.solve(time_limit=time_limit, mip_rel_gap=1.0)
    if res.x is not None:
        return True
    return False if res.status == 2 else None
