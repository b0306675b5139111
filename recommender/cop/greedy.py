"""A greedy baseline: what a careful coordinator would do by hand, to compare the MILP against.

It places fixed participants, then seeds each group with the front-runners and members its minimum rules
ask for, fills groups to their minimum size, places everyone who must take part, and finally keeps adding
the participant-group pair with the largest gain in objective while that gain is positive. It never undoes
a step, so it can miss the optimum or even fail on a feasible request; ``violations`` then says where.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .milp import Solution
from .model import Group, Participant, Problem, bounds_for_size, frontrunners_needed, violations
from .objective import (Weights, evaluate, fit, is_small, is_topical_frontrunner, learning_value, partner_index,
                        selection_value)


class _State:
    def __init__(self, problem: Problem, weights: Weights) -> None:
        self.problem, self.weights = problem, weights
        self.members: dict[str, set[str]] = {g.code: set() for g in problem.groups}
        self.count = {p.id: 0 for p in problem.participants}
        self.partners = partner_index(problem)
        self.units = _must_link_units(problem)

    def group_value(self, g: Group, ids: set[str]) -> float:
        w, people = self.weights, [self.problem.participant(pid) for pid in ids]
        value = sum(w.interest_fit * fit(p, g) + w.selection * selection_value(p) for p in people)
        value += sum(w.cooperation for p in people if is_small(p, w) and self.partners[p.id] & ids)
        mentors = sum(is_topical_frontrunner(p, g, w) for p in people)
        gains = sorted((learning_value(p, g, w) for p in people), reverse=True)
        return value + sum(v for v in gains[:mentors * w.mentees_per_frontrunner] if v > 0)

    def gain(self, unit: frozenset[str], g: Group) -> float:
        current = self.members[g.code]
        return self.group_value(g, current | unit) - self.group_value(g, current)

    def addable(self, unit: frozenset[str], g: Group, *, keep_shares: bool) -> bool:
        c, current = self.problem.constraints, self.members[g.code]
        if unit & current or len(current) + len(unit) > g.max_size:
            return False
        after = [self.problem.participant(pid) for pid in current | unit]
        for pid in unit:
            p = self.problem.participant(pid)
            if self.count[pid] >= c.max_groups_per_participant:
                return False
            if p.allowed_groups is not None and g.code not in p.allowed_groups:
                return False
        for a, b in c.cannot_link:
            if (a in unit and b in current | unit) or (b in unit and a in current | unit):
                return False
        if c.max_per_province is not None:
            for prov in {self.problem.participant(pid).province for pid in unit} - {None}:
                if sum(p.province == prov for p in after) > c.max_per_province:
                    return False
        for has, b in _mixes(self.problem):
            n = sum(has(p) for p in after)
            if b.max is not None and n > b.max:
                return False
            if keep_shares and b.max_share is not None and n > b.max_share * len(after) + 1e-9:
                return False
            if keep_shares and n < bounds_for_size(b, len(after))[0] and any(not has(p) for p in
                                                                            map(self.problem.participant, unit)):
                return False
        if keep_shares and sum(p.frontrunner for p in after) < frontrunners_needed(c, len(after)):
            return False
        return True

    def add(self, unit: frozenset[str], g: Group) -> None:
        self.members[g.code] |= unit
        for pid in unit:
            self.count[pid] += 1

    def best(self, candidates: list[Participant], groups: list[Group], *, keep_shares: bool
             ) -> tuple[frozenset[str], Group] | None:
        best_move, best_gain = None, float("-inf")
        for g in groups:
            for p in candidates:
                unit = self.units[p.id]
                if self.addable(unit, g, keep_shares=keep_shares):
                    gain = self.gain(unit, g)
                    if gain > best_gain:
                        best_move, best_gain = (unit, g), gain
        return best_move


def _mixes(problem: Problem) -> list[tuple[Callable[[Participant], bool], object]]:
    c = problem.constraints
    out: list = [((lambda p, ag=ag: p.adoption_group == ag), b) for ag, b in c.maturity_mix.items()]
    out += [((lambda p, gt=gt: p.government_type == gt), b) for gt, b in c.government_type_mix.items()]
    return out


def _must_link_units(problem: Problem) -> dict[str, frozenset[str]]:
    """Participants joined by must-link pairs move together; each maps to its whole component."""
    parent = {p.id: p.id for p in problem.participants}

    def root(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b in problem.constraints.must_link:
        parent[root(a)] = root(b)
    components: dict[str, set[str]] = {}
    for pid in parent:
        components.setdefault(root(pid), set()).add(pid)
    return {pid: frozenset(components[root(pid)]) for pid in parent}


def solve_greedy(problem: Problem, *, weights: Weights | None = None) -> Solution:
    """The greedy plan, scored with the same objective as the MILP."""
    weights = weights or Weights()
    started = time.perf_counter()
    state = _State(problem, weights)
    c, groups, people = problem.constraints, list(problem.groups), list(problem.participants)
    by_code = {g.code: g for g in groups}

    for pid, codes in c.fixed.items():
        for code in codes:
            unit = state.units[pid]
            if not unit & state.members[code]:
                state.add(unit, by_code[code])

    def seed(needs: Callable[[Group], bool], matches: Callable[[Participant], bool]) -> None:
        for g in groups:
            while needs(g):
                move = state.best([p for p in people if matches(p)], [g], keep_shares=False)
                if move is None:
                    break
                state.add(*move)

    seed(lambda g: sum(problem.participant(pid).frontrunner for pid in state.members[g.code])
         < frontrunners_needed(c, max(g.min_size, len(state.members[g.code]))), lambda p: p.frontrunner)
    for has, b in _mixes(problem):
        seed(lambda g, has=has, b=b: sum(has(problem.participant(pid)) for pid in state.members[g.code])
             < bounds_for_size(b, max(g.min_size, len(state.members[g.code])))[0], has)
    while True:
        short = [g for g in groups if len(state.members[g.code]) < g.min_size]
        move = short and (state.best(people, short, keep_shares=True) or state.best(people, short, keep_shares=False))
        if not move:
            break
        state.add(*move)
    for p in people:
        if problem.required(p) and state.count[p.id] == 0:
            move = state.best([p], groups, keep_shares=True) or state.best([p], groups, keep_shares=False)
            if move:
                state.add(*move)
    while True:
        move = state.best(people, groups, keep_shares=True)
        if move is None or state.gain(*move) <= 0:
            break
        state.add(*move)

    plan = {code: frozenset(ids) for code, ids in state.members.items()}
    seconds = time.perf_counter() - started
    broken = violations(problem, plan)
    return Solution("feasible" if not broken else "infeasible", plan, evaluate(problem, plan, weights), None, None,
                    seconds, "greedy", {"violations": broken})
