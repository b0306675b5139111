"""Infeasible requests are refused with the clashing constraints named in words."""

from __future__ import annotations

import pytest
from cop_instances import AANK, MON, group, person, problem

from recommender.cop.diagnosis import diagnose, minimal_conflict, precheck
from recommender.cop.errors import Infeasible
from recommender.cop.milp import solve
from recommender.cop.model import CountBounds, Group
from recommender.cop.objective import Weights
from recommender.cop.plan import plan_response

TRACK = Group("traject-strategie", "Begeleidingstraject strategie", "Coaching track: strategy", "begeleiding",
              frozenset({"beleidsstrategie"}), 0, 10)


def test_too_few_frontrunners_is_named_with_both_numbers() -> None:
    people = [person("f1", level=5), person("f2", level=4), person("l1"), person("l2"), person("l3")]
    p = problem(people, [MON, AANK, TRACK], min_frontrunners_per_group=1)
    conflicts = precheck(p)
    assert [c.text_en for c in conflicts] == ["3 groups need a front-runner but only 2 front-runners take part"]
    assert conflicts[0].text_nl == "3 groepen vragen een koploper maar er nemen maar 2 koplopers deel"
    assert conflicts[0].families == ("frontrunners", "max_groups_per_participant")
    assert solve(p).status == "infeasible"


def test_more_groups_per_participant_can_lift_the_frontrunner_shortage() -> None:
    people = [person("f1", level=5), person("f2", level=4), person("l1")]
    assert precheck(problem(people, [MON, AANK, TRACK], min_frontrunners_per_group=1,
                            max_groups_per_participant=2)) == []


def test_minimum_sizes_beyond_the_available_places() -> None:
    p = problem([person(str(n)) for n in range(5)], [group(MON, min_size=3), group(AANK, min_size=3)])
    (conflict,) = precheck(p)
    assert conflict.text_en == ("the groups need at least 6 places in all, but the 5 participants can fill only 5 "
                                "(and each participant joins at most 1 group)")
    assert "min_size" in conflict.families


def test_assign_all_beyond_the_maximum_sizes() -> None:
    p = problem([person(str(n)) for n in range(5)], [group(MON, max_size=2), group(AANK, max_size=2)],
                assign_all=True)
    (conflict,) = precheck(p)
    assert conflict.text_en == "5 participants must join a group, but the groups have only 4 places in all"


def test_province_cap_against_minimum_size() -> None:
    people = [person(str(n), province="Limburg") for n in range(4)] + [person("x", province="Antwerpen")]
    (conflict,) = precheck(problem(people, [group(MON, min_size=4)], max_per_province=1))
    assert conflict.text_en == ("CoP Monitoring needs at least 4 members, but with at most 1 participant per "
                                "province and participants from 2 provinces it can get only 2")
    assert conflict.text_nl == ("CoP Monitoring moet minstens 4 leden hebben, maar met hoogstens 1 deelnemer per "
                                "provincie en deelnemers uit 2 provincies kunnen er maar 2 in")
    assert conflict.families == ("max_per_province", "min_size")


def test_a_province_with_more_participants_than_its_places_is_named_with_the_numbers() -> None:
    # 17 from Antwerpen must all be placed; 4 per province per group over 3 groups leaves room for 12
    people = [person(f"a{n}", province="Antwerpen") for n in range(17)] + \
        [person(f"l{n}", province="Limburg") for n in range(10)]
    groups = [group(MON, min_size=0, max_size=20), group(AANK, min_size=0, max_size=20),
              group(TRACK, min_size=0, max_size=20)]
    (conflict,) = precheck(problem(people, groups, max_per_province=4, assign_all=True))
    assert conflict.text_nl == ("Antwerpen heeft 17 deelnemers; met hoogstens 4 deelnemers per provincie per groep "
                                "over 3 groepen kunnen er maar 12 een plaats krijgen")
    assert conflict.text_en == ("Antwerpen has 17 participants; with at most 4 participants per province per group "
                                "over 3 groups only 12 can get a place")
    assert solve(problem(people, groups, max_per_province=4, assign_all=True)).status == "infeasible"
    assert precheck(problem(people, groups, max_per_province=6, assign_all=True)) == []


def test_the_province_conflict_speaks_in_the_singular_for_one() -> None:
    people = [person("a", province="Antwerpen"), person("b", province="Antwerpen", must_participate=True),
              person("c", province="Antwerpen", must_participate=True)]
    (conflict,) = precheck(problem(people, [group(MON, min_size=0)], max_per_province=1))
    assert conflict.text_nl == ("Antwerpen heeft 2 deelnemers die in een groep moeten; met hoogstens 1 deelnemer "
                                "per provincie per groep over 1 groep kan er maar 1 een plaats krijgen")
    assert "hoogstens 1 deelnemers" not in conflict.text_nl and "1 groepen" not in conflict.text_nl
    assert conflict.text_en.endswith("with at most 1 participant per province per group over 1 group only 1 can "
                                     "get a place")


def test_one_group_asking_for_front_runners_is_singular() -> None:
    people = [person("f1", level=5), person("l1"), person("l2")]
    (conflict,) = precheck(problem(people, [MON], min_frontrunners_per_group=2))
    assert conflict.text_nl == "1 groep vraagt 2 koplopers maar er neemt maar 1 koploper deel"
    assert conflict.text_en == "1 group needs 2 front-runners but only 1 front-runner takes part"


def test_must_link_and_cannot_link_on_the_same_pair() -> None:
    people = [person("a", name="Genk"), person("b", name="Hasselt"), person("c", name="As")]
    (conflict,) = precheck(problem(people, must_link=(("a", "b"), ("b", "c")), cannot_link=(("a", "c"),)))
    assert conflict.text_en == "Genk and As must be together (through must-link pairs) and also apart"


def test_fixed_pair_that_cannot_be_together() -> None:
    people = [person("a", name="Genk"), person("b", name="Hasselt")]
    (conflict,) = precheck(problem(people, cannot_link=(("a", "b"),),
                                   fixed={"a": ("cop-monitoring",), "b": ("cop-monitoring",)}))
    assert conflict.text_nl == "Genk en Hasselt mogen niet samen, maar zijn allebei vastgelegd in CoP Monitoring"


def test_mix_minimum_with_too_few_of_that_kind() -> None:
    people = [person("a", level=3), person("b"), person("c")]
    (conflict,) = precheck(problem(people, maturity_mix={"early-majority": CountBounds(min=1)}))
    assert conflict.text_en.startswith("2 groups need an early-majority participant but only 1 early-majority "
                                       "participant takes part")
    assert conflict.text_nl.startswith("2 groepen vragen een deelnemer uit de vroege meerderheid maar er neemt maar "
                                       "1 deelnemer uit de vroege meerderheid deel")


def test_relaxation_names_the_families_that_clash_when_counting_cannot() -> None:
    # one group; at most half late majority, yet everyone must join: no count check sees this
    people = [person("f", level=5), person("l1"), person("l2")]
    p = problem(people, [MON], assign_all=True, maturity_mix={"late-majority": CountBounds(max_share=0.5)})
    assert precheck(p) == []
    assert minimal_conflict(p) == ["assign_all", "maturity_mix"]
    (conflict,) = diagnose(p)
    assert conflict.text_en == ("these constraints cannot hold together: 3 participants must join a group; "
                                "maturity mix per group (late majority ≤ 50%)")
    assert conflict.text_nl.startswith("deze voorwaarden kunnen niet samen: 3 deelnemers moeten in een groep")


def test_feasible_requests_have_no_conflict() -> None:
    p = problem([person("a", mon=1), person("b")])
    assert precheck(p) == [] and minimal_conflict(p) is None and diagnose(p) == []


def test_plan_response_raises_infeasible_with_conflicts() -> None:
    people = [person("f", level=5), person("l1"), person("l2")]
    p = problem(people, [MON], assign_all=True, maturity_mix={"late-majority": CountBounds(max_share=0.5)})
    with pytest.raises(Infeasible) as caught:
        plan_response(p, weights=Weights())
    assert caught.value.conflicts[0].families == ("assign_all", "maturity_mix")


def test_too_few_sign_ups_for_a_group() -> None:
    only_mon = frozenset({"cop-monitoring"})
    people = [person("a", allowed_groups=only_mon), person("b", allowed_groups=only_mon), person("c")]
    (conflict,) = precheck(problem(people, [MON, group(AANK, min_size=2)]))
    assert conflict.text_en == "CoP Procurement needs at least 2 members, but only 1 participant signed up for it"
    assert conflict.text_nl.endswith("moet minstens 2 leden hebben, maar slechts 1 deelnemer gaf zich ervoor op")
    assert conflict.families == ("allowed_groups", "min_size")


def test_the_relaxation_names_groups_by_name_and_counts_pairs_in_words() -> None:
    people = [person("a", name="Genk"), person("b", name="Hasselt"), person("c", name="As")]
    p = problem(people, [group(MON, min_size=3)], cannot_link=(("a", "b"),))
    assert precheck(p) == []
    (conflict,) = diagnose(p)
    assert conflict.text_nl == ("deze voorwaarden kunnen niet samen: minimumgroottes (CoP Monitoring ≥ 3); "
                                "1 paar dat niet samen mag")
    assert conflict.text_en == ("these constraints cannot hold together: minimum group sizes (CoP Monitoring ≥ 3); "
                                "1 pair that must be apart")
