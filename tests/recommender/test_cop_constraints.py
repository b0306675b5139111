"""Every constraint family binds on a small instance whose optimum is known by hand and by enumeration.

Each case gives the same people twice: without the constraint the optimal plan breaks it; with it the MILP
finds a plan that keeps it, worth exactly the hand-computed value, which exhaustive enumeration confirms.
Default weights: interest fit 10, selection 2 x 0.5 = 1 per place, learning 6 x fit, cooperation 4.
"""

from __future__ import annotations

import random

import pytest
from cop_instances import AANK, MON, brute_force, group, person, problem

from recommender.cop.greedy import solve_greedy
from recommender.cop.milp import solve
from recommender.cop.model import CountBounds, Participant, violations
from recommender.cop.objective import Weights

F = 5  # maturity level of a koploper
E = 3  # early majority
L = 2  # late majority

CASES = {
    "max_size": (
        {"people": [person("a", mon=1), person("b", mon=1), person("c", mon=1)]},
        {"groups": [group(MON, max_size=2), AANK]},
        2 * 11 + 1,
    ),
    "min_size": (
        {"people": [person("a", mon=1), person("b", mon=1), person("c", mon=1)]},
        {"groups": [MON, group(AANK, min_size=2)]},
        11 + 2 * 1,
    ),
    "max_groups_per_participant": (
        {"people": [person("a", mon=1, aank=1), person("b", mon=1, aank=1)], "max_groups_per_participant": 2},
        {"max_groups_per_participant": 1},
        2 * 11,
    ),
    # E can only sit with A, away from B and C; places are two per group, so taking E in costs B's or C's fit
    "assign_all": (
        {"people": [person("a", mon=1, aank=1), person("b", mon=1), person("c", aank=1), person("e")],
             "groups": [group(MON, max_size=2), group(AANK, max_size=2)], "cannot_link": (("e", "b"), ("e", "c"))},
        {"assign_all": True},
        11 + 1 + 1 + 11,
    ),
    # the second front-runner cares only about monitoring, so moving it to procurement loses its fit and
    # the learning of the late-majority member there (it is no front-runner on that topic)
    "must_participate": (
        {"people": [person("a", mon=1, aank=1), person("b", mon=1), person("c", aank=1), person("e")],
             "groups": [group(MON, max_size=2), group(AANK, max_size=2)], "cannot_link": (("e", "b"), ("e", "c"))},
        {"people": [person("a", mon=1, aank=1), person("b", mon=1), person("c", aank=1),
                     person("e", must_participate=True)]},
        11 + 1 + 1 + 11,
    ),
    "maturity_mix_min_share": (
        {"people": [person("e1", level=E, mon=1), person("l1", mon=1), person("l2", mon=1)]},
        {"maturity_mix": {"early-majority": CountBounds(min_share=0.5)}},
        2 * 11,
    ),
    "min_frontrunners_per_group": (
        {"people": [person("f1", level=F, mon=1), person("f2", level=F, mon=1), person("l1", aank=1),
                     person("l2", mon=1)]},
        {"min_frontrunners_per_group": 1},
        (10 + 10 + 2 + 6) + (0 + 10 + 2),
    ),
    "min_frontrunner_share": (
        {"people": [person("f1", level=F, mon=1), person("l1", mon=1), person("l2", mon=1), person("l3", mon=1)]},
        {"min_frontrunner_share": 0.5},
        10 + 10 + 2 + 6,
    ),
    "maturity_mix_max": (
        {"people": [person("f1", level=F, mon=1), person("l1", mon=1), person("l2", mon=1)]},
        {"maturity_mix": {"late-majority": CountBounds(max=1)}},
        (10 + 10 + 2 + 6) + 1,
    ),
    "maturity_mix_min": (
        {"people": [person("e1", level=E, mon=1), person("e2", level=E, mon=1), person("l1", aank=1)]},
        {"maturity_mix": {"early-majority": CountBounds(min=1)}},
        11 + (11 + 1),
    ),
    "max_per_province": (
        {"people": [person("a", mon=1, province="Limburg"), person("b", mon=1, province="Limburg"),
                     person("c", mon=1, province="Limburg"), person("d", mon=1, province="Antwerpen")]},
        {"max_per_province": 2},
        3 * 11 + 1,
    ),
    "government_type_mix_max": (
        {"people": [person("a", mon=1, government_type="centrumstad"),
                     person("b", mon=1, government_type="centrumstad"), person("c", mon=1)]},
        {"government_type_mix": {"centrumstad": CountBounds(max=1)}},
        2 * 11 + 1,
    ),
    # a lone centrumstad in the other group would be 100 % centrumstad, so b stays out
    "government_type_mix_share": (
        {"people": [person("a", mon=1, government_type="centrumstad"),
                     person("b", mon=1, government_type="centrumstad"), person("c", mon=1)]},
        {"government_type_mix": {"centrumstad": CountBounds(max_share=0.5)}},
        2 * 11,
    ),
    "government_type_mix_min": (
        {"people": [person("a", mon=1, government_type="centrumstad"), person("b", mon=1), person("d", mon=1),
                     person("c", aank=1, government_type="centrumstad")]},
        {"government_type_mix": {"gemeente": CountBounds(min=1)}},
        2 * 11 + (11 + 1),
    ),
    "must_link": (
        {"people": [person("a", mon=1), person("b", aank=1)]},
        {"must_link": (("a", "b"),)},
        11 + 1,
    ),
    "cannot_link": (
        {"people": [person("a", mon=1), person("b", mon=1)]},
        {"cannot_link": (("a", "b"),)},
        11 + 1,
    ),
    "fixed": (
        {"people": [person("a", mon=1), person("b", mon=1)]},
        {"fixed": {"a": ("cop-circulair-aankopen",)}},
        1 + 11,
    ),
    "allowed_groups": (
        {"people": [person("a", mon=1), person("b", mon=1)]},
        {"people": [person("a", mon=1, allowed_groups=frozenset({"cop-circulair-aankopen"})), person("b", mon=1)]},
        1 + 11,
    ),
}


def _build(free: dict, extra: dict):
    args = {**free, **extra}
    people, groups = args.pop("people"), args.pop("groups", None)
    return problem(people, groups, **args)


@pytest.mark.parametrize("name", sorted(CASES))
def test_constraint_binds_and_milp_finds_the_known_optimum(name: str) -> None:
    free_args, extra, expected = CASES[name]
    free, constrained = _build(free_args, {}), _build(free_args, extra)
    unconstrained = solve(free)
    assert unconstrained.status == "optimal"
    assert violations(constrained, unconstrained.plan), "the constraint must cut off the unconstrained optimum"
    result = solve(constrained)
    assert result.status == "optimal"
    assert violations(constrained, result.plan) == []
    assert result.objective == pytest.approx(expected)
    assert result.objective < unconstrained.objective - 1e-6
    assert brute_force(constrained)[0] == pytest.approx(expected)


def test_the_learning_term_is_capped_by_mentees_per_frontrunner() -> None:
    people = [person("f1", level=F, mon=1), person("l1", mon=1), person("l2", mon=0.5)]
    p = problem(people, [MON])
    capped = Weights(mentees_per_frontrunner=1)
    assert solve(p).score.learning == pytest.approx(6 + 3)
    assert solve(p, weights=capped).score.learning == pytest.approx(6)  # the keener learner takes the one place


def test_cooperation_pulls_a_small_neighbour_into_the_same_group() -> None:
    a = person("a", mon=1, population=5000, neighbours=frozenset({"b"}))
    b = person("b", mon=0.5, aank=0.7, population=5000)
    without = solve(problem([a, b]), weights=Weights(cooperation=0))
    assert "b" in without.plan["cop-circulair-aankopen"]
    together = solve(problem([a, b]))
    assert together.plan["cop-monitoring"] == {"a", "b"}
    assert together.score.cooperation == pytest.approx(8)


def test_association_members_count_as_partners_but_large_ones_get_no_cooperation_bonus() -> None:
    a = person("a", mon=1, population=5000, associations=frozenset({"igs1"}))
    b = person("b", mon=1, population=90000, associations=frozenset({"igs1"}))
    result = solve(problem([a, b]))
    assert result.plan["cop-monitoring"] == {"a", "b"}
    assert result.score.cooperation == pytest.approx(4)


def _random_instance(seed: int) -> tuple:
    rng = random.Random(seed)
    people = []
    for n in range(6):
        people.append(Participant(
            f"p{n}", f"P{n}", province=rng.choice(["Limburg", "Antwerpen"]), population=rng.choice([4000, 30000]),
            maturity_level=rng.choice([1, 2, 3, 4, 5]), interests={"monitoring": rng.random(),
                                                                   "circulair-aankopen": rng.random()},
            capacity=rng.random(), willingness_to_share=rng.random(),
            neighbours=frozenset({f"p{(n + 1) % 6}"}) if rng.random() < 0.5 else frozenset(),
            government_type=rng.choice(["gemeente", "gemeente", "centrumstad"])))
    constraints = {"min_frontrunners_per_group": rng.choice([0, 1]), "max_per_province": rng.choice([None, 2, 3]),
                       "max_groups_per_participant": rng.choice([1, 1, 2]),
                       "cannot_link": (("p0", "p1"),) if rng.random() < 0.5 else (),
                       "maturity_mix": {"late-majority": CountBounds(max_share=0.67)} if rng.random() < 0.5 else {}}
    groups = [group(MON, min_size=1, max_size=rng.choice([2, 3, 4])), group(AANK, min_size=1, max_size=3)]
    return people, groups, constraints


@pytest.mark.parametrize("seed", range(8))
def test_milp_matches_exhaustive_search_and_beats_or_ties_greedy(seed: int) -> None:
    people, groups, constraints = _random_instance(seed)
    p = problem(people, groups, **constraints)
    best = brute_force(p)
    result = solve(p)
    if best is None:
        assert result.status == "infeasible"
        return
    assert result.status == "optimal"
    assert result.objective == pytest.approx(best[0], abs=1e-6)
    greedy = solve_greedy(p)
    if greedy.status == "feasible":
        assert violations(p, greedy.plan) == []
        assert greedy.objective <= result.objective + 1e-6
