"""A greedy baseline: what a careful coordinator would do by hand, to compare the MILP against.

It places fixed participants, then seeds each group with the front-runners and members its minimum rules
ask for, fills groups to their minimum size, places everyone who must take part, and finally keeps adding
the participant-group pair with the largest gain in objective while that gain is positive. It never undoes
a step, so it can miss the optimum or even fail on a feasible request; ``violations`` then says where.

Gains are cached per group and recomputed only for the group that just changed (a lazy greedy), so a run
over all 285 municipalities takes about as long as the MILP rather than minutes.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from .milp import Solution
from .model import CountBounds, Group, Participant, Problem, bounds_for_size, frontrunners_needed, violations
from .objective import (
    Weights,
    evaluate,
    fit,
    is_small,
    is_topical_frontrunner,
    learning_value,
    partner_index,
    selection_value,
)

Unit = frozenset[str]


def _must_link_units(problem: Problem) -> dict[str, Unit]:
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


def _mixes(problem: Problem) -> list[tuple[str, Callable[[Participant], bool], CountBounds]]:
    c = problem.constraints
    out: list[tuple[str, Callable[[Participant], bool], CountBounds]] = [
        (f"maturity:{ag}", (lambda p, ag=ag: p.adoption_group == ag), b) for ag, b in c.maturity_mix.items()]
    out += [(f"type:{gt}", (lambda p, gt=gt: p.government_type == gt), b) for gt, b in c.government_type_mix.items()]
    return out


class _State:
    """Members per group plus the running counts every feasibility check and gain needs."""

    def __init__(self, problem: Problem, weights: Weights) -> None:
        self.problem, self.weights = problem, weights
        self.members: dict[str, set[str]] = {g.code: set() for g in problem.groups}
        self.count = {p.id: 0 for p in problem.participants}
        self.partners = partner_index(problem)
        self.units = _must_link_units(problem)
        self.mixes = _mixes(problem)
        self.tallies: dict[str, Counter[str]] = {g.code: Counter() for g in problem.groups}
        self.cannot: dict[str, set[str]] = {p.id: set() for p in problem.participants}
        for a, b in problem.constraints.cannot_link:
            self.cannot[a].add(b)
            self.cannot[b].add(a)
        self.cache: dict[str, list[tuple[float, Unit]]] = {}

    def group_value(self, g: Group, ids: set[str] | frozenset[str]) -> float:
        w, people = self.weights, [self.problem.participant(pid) for pid in ids]
        value = sum(w.interest_fit * fit(p, g) + w.selection * selection_value(p) for p in people)
        value += sum(w.cooperation for p in people if is_small(p, w) and self.partners[p.id] & ids)
        mentors = sum(is_topical_frontrunner(p, g, w) for p in people)
        gains = sorted((learning_value(p, g, w) for p in people), reverse=True)
        return value + sum(v for v in gains[:mentors * w.mentees_per_frontrunner] if v > 0)

    def gains(self, g: Group) -> list[tuple[float, Unit]]:
        """Every unit's gain from joining ``g`` now, best first (cached until ``g`` changes)."""
        if g.code not in self.cache:
            current = self.members[g.code]
            single = self._single_gain(g, current)
            base = None
            seen: set[Unit] = set()
            out = []
            for p in self.problem.participants:
                unit = self.units[p.id]
                if unit in seen or unit & current:
                    continue
                seen.add(unit)
                if len(unit) == 1:
                    out.append((single(p), unit))
                else:
                    base = self.group_value(g, current) if base is None else base
                    out.append((self.group_value(g, current | unit) - base, unit))
            out.sort(key=lambda item: (-item[0], sorted(item[1])))
            self.cache[g.code] = out
        return self.cache[g.code]

    def _single_gain(self, g: Group, current: set[str]) -> Callable[[Participant], float]:
        """The gain of adding one participant to ``g``, in O(its partners) rather than O(group size)."""
        w = self.weights
        people = [self.problem.participant(pid) for pid in current]
        uncovered = {p.id for p in people if is_small(p, w) and not self.partners[p.id] & current}
        values = sorted((v for v in (learning_value(p, g, w) for p in people) if v > 0), reverse=True)
        prefix = [0.0]
        for v in values:
            prefix.append(prefix[-1] + v)
        capacity = sum(is_topical_frontrunner(p, g, w) for p in people) * w.mentees_per_frontrunner

        def top(cap: int) -> float:
            return prefix[min(cap, len(values))]

        def gain(p: Participant) -> float:
            value = w.interest_fit * fit(p, g) + w.selection * selection_value(p)
            partners_here = self.partners[p.id] & current
            if is_small(p, w) and partners_here:
                value += w.cooperation
            value += w.cooperation * len(partners_here & uncovered)
            if is_topical_frontrunner(p, g, w):
                value += top(capacity + w.mentees_per_frontrunner) - top(capacity)
            v = learning_value(p, g, w)
            if v > 0 and capacity > 0:
                value += v if len(values) < capacity else max(0.0, v - values[capacity - 1])
            return value

        return gain

    def addable(self, unit: Unit, g: Group, *, keep_shares: bool) -> bool:
        c, current, tally = self.problem.constraints, self.members[g.code], self.tallies[g.code]
        if unit & current or len(current) + len(unit) > g.max_size:
            return False
        people = [self.problem.participant(pid) for pid in unit]
        for p in people:
            if self.count[p.id] >= c.max_groups_per_participant:
                return False
            if p.allowed_groups is not None and g.code not in p.allowed_groups:
                return False
            if self.cannot[p.id] & (current | unit):
                return False
        if c.max_per_province is not None:
            added = Counter(p.province for p in people if p.province)
            if any(tally[f"province:{prov}"] + n > c.max_per_province for prov, n in added.items()):
                return False
        size = len(current) + len(unit)
        for key, has, b in self.mixes:
            n = tally[key] + sum(has(p) for p in people)
            if b.max is not None and n > b.max:
                return False
            if keep_shares and b.max_share is not None and n > b.max_share * size + 1e-9:
                return False
            if keep_shares and n < bounds_for_size(b, size)[0] and not all(has(p) for p in people):
                return False
        if keep_shares:
            frontrunners = tally["frontrunners"] + sum(p.frontrunner for p in people)
            if frontrunners < frontrunners_needed(c, size):
                return False
        return True

    def add(self, unit: Unit, g: Group) -> None:
        tally = self.tallies[g.code]
        for pid in unit:
            p = self.problem.participant(pid)
            self.members[g.code].add(pid)
            self.count[pid] += 1
            tally["frontrunners"] += p.frontrunner
            if p.province:
                tally[f"province:{p.province}"] += 1
            for key, has, _ in self.mixes:
                tally[key] += has(p)
        self.cache.pop(g.code, None)

    def best(self, groups: list[Group], *, keep_shares: bool, among: Callable[[Participant], bool] | None = None
             ) -> tuple[float, Unit, Group] | None:
        """The addable unit-group pair with the largest gain (``among`` limits which participants count)."""
        best: tuple[float, Unit, Group] | None = None
        for g in groups:
            for gain, unit in self.gains(g):
                if best is not None and gain <= best[0]:
                    break
                if among is not None and not any(among(self.problem.participant(pid)) for pid in unit):
                    continue
                if self.addable(unit, g, keep_shares=keep_shares):
                    best = (gain, unit, g)
                    break
        return best


def solve_greedy(problem: Problem, *, weights: Weights | None = None) -> Solution:
    """The greedy plan, scored with the same objective as the MILP."""
    weights = weights or Weights()
    started, cpu_started = time.perf_counter(), time.process_time()
    state = _State(problem, weights)
    c, groups = problem.constraints, list(problem.groups)
    by_code = {g.code: g for g in groups}

    for pid, codes in c.fixed.items():
        for code in codes:
            if pid not in state.members[code]:
                state.add(state.units[pid] - state.members[code], by_code[code])

    def seed(short_of: Callable[[Group], bool], matches: Callable[[Participant], bool]) -> None:
        for g in groups:
            while short_of(g):
                move = state.best([g], keep_shares=False, among=matches)
                if move is None:
                    break
                state.add(move[1], g)

    seed(lambda g: state.tallies[g.code]["frontrunners"]
         < frontrunners_needed(c, max(g.min_size, len(state.members[g.code]))), lambda p: p.frontrunner)
    for key, has, b in state.mixes:
        seed(lambda g, key=key, b=b: state.tallies[g.code][key]
             < bounds_for_size(b, max(g.min_size, len(state.members[g.code])))[0], has)
    while True:
        short = [g for g in groups if len(state.members[g.code]) < g.min_size]
        move = short and (state.best(short, keep_shares=True) or state.best(short, keep_shares=False))
        if not move:
            break
        state.add(move[1], move[2])
    for p in problem.participants:
        if problem.required(p) and state.count[p.id] == 0:
            move = (state.best(groups, keep_shares=True, among=lambda q, p=p: q.id == p.id)
                    or state.best(groups, keep_shares=False, among=lambda q, p=p: q.id == p.id))
            if move:
                state.add(move[1], move[2])
    while True:
        move = state.best(groups, keep_shares=True)
        if move is None or move[0] <= 0:
            break
        state.add(move[1], move[2])

    plan = {code: frozenset(ids) for code, ids in state.members.items()}
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    broken = violations(problem, plan)
    return Solution("feasible" if not broken else "infeasible", plan, evaluate(problem, plan, weights), None, None,
                    seconds, "greedy", {"violations": broken, "cpu_seconds": round(cpu, 4)})
