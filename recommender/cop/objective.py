"""What makes a composition good: interest fit, selection criteria, learning and cooperation potential.

The objective is maximised and is a sum of four terms (the weights are ``Weights``):

* **interest fit** ``w_fit * fit(i, g)`` per assignment: how much participant ``i`` cares about the group's
  topics (the best of its interest weights on them, 0..1). A CoP exists to work on its topic, so this term
  carries the largest weight.
* **selection** ``w_sel * (capacity + willingness_to_share + impact) / 3`` per assignment: Lokaal Circulair's
  own selection criteria (internal capacity, willingness to share, possible impact; each 0..1, 0.5 when
  unknown). It is small: it orders otherwise equal candidates when places are limited.
* **learning potential** ``w_learn * fit(i, g)`` for each late-majority member ``i`` that has a front-runner on
  the group's topics in its group. The seed says the late majority (two thirds of governments) needs
  front-runners to learn from; one front-runner can coach only so many, so each topical front-runner covers
  at most ``mentees_per_frontrunner`` late-majority members (count-based, no pair variables).
* **cooperation potential** ``w_coop`` for each small municipality (population under ``small_population``)
  that has a neighbour or a fellow member of an intermunicipal association in its group; the seed says small
  municipalities need nearby partners.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import Group, Participant, Problem


@dataclass(frozen=True)
class Weights:
    """Weights of the objective terms and the two thresholds they depend on."""

    interest_fit: float = 10.0
    selection: float = 2.0
    learning: float = 6.0
    cooperation: float = 4.0
    mentees_per_frontrunner: int = 6
    small_population: int = 20_000
    # a front-runner only teaches what it works on: it must care this much about the group's topics
    frontrunner_topic_threshold: float = 0.5


@dataclass(frozen=True)
class Score:
    """An objective value split into its terms."""

    interest_fit: float
    selection: float
    learning: float
    cooperation: float

    @property
    def total(self) -> float:
        return self.interest_fit + self.selection + self.learning + self.cooperation

    def as_dict(self) -> dict[str, float]:
        return {"interest_fit": round(self.interest_fit, 6), "selection": round(self.selection, 6),
                "learning": round(self.learning, 6), "cooperation": round(self.cooperation, 6),
                "total": round(self.total, 6)}


def fit(participant: Participant, group: Group) -> float:
    """How much the participant cares about the group's topics: its best interest weight on them (0..1).

    >>> from recommender.cop.model import Group, Participant
    >>> g = Group("cop-x", "x", "x", "cop", frozenset({"monitoring", "water"}), 1, 5)
    >>> fit(Participant("1", "A", interests={"water": 0.4, "monitoring": 0.9}), g)
    0.9
    """
    if not group.topics:
        return 0.0
    return max(min(max(float(participant.interests.get(t, 0.0)), 0.0), 1.0) for t in group.topics)


def selection_value(participant: Participant) -> float:
    return (participant.capacity + participant.willingness_to_share + participant.impact) / 3.0


def is_small(participant: Participant, weights: Weights) -> bool:
    return (participant.government_type == "gemeente" and participant.population is not None
            and participant.population < weights.small_population)


def partner_index(problem: Problem) -> dict[str, frozenset[str]]:
    """For each participant, the other participants that are its neighbours or share an association with it."""
    ids = {p.id for p in problem.participants}
    by_association: dict[str, set[str]] = defaultdict(set)
    for p in problem.participants:
        for a in p.associations:
            by_association[a].add(p.id)
    partners: dict[str, set[str]] = {p.id: set() for p in problem.participants}
    for p in problem.participants:
        for n in p.neighbours:
            if n in ids:  # being neighbours is mutual even when only one side lists it
                partners[p.id].add(n)
                partners[n].add(p.id)
        for a in p.associations:
            partners[p.id] |= by_association[a]
    return {pid: frozenset(others - {pid}) for pid, others in partners.items()}


def is_topical_frontrunner(participant: Participant, group: Group, weights: Weights) -> bool:
    """A front-runner that works on the group's topics (any front-runner for a group without topics)."""
    return participant.frontrunner and (not group.topics
                                        or fit(participant, group) >= weights.frontrunner_topic_threshold)


def learning_value(participant: Participant, group: Group, weights: Weights) -> float:
    """What a late-majority member gains from a front-runner in this group (0 for everyone else)."""
    if participant.adoption_group != "late-majority" or participant.frontrunner:
        return 0.0
    return weights.learning * fit(participant, group)


def evaluate(problem: Problem, plan: Mapping[str, Iterable[str]], weights: Weights | None = None) -> Score:
    """The objective value of a plan, computed directly (the MILP optimum must equal this)."""
    weights = weights or Weights()
    partners = partner_index(problem)
    fit_sum = sel_sum = learn_sum = coop_sum = 0.0
    for g in problem.groups:
        members = [problem.participant(pid) for pid in plan.get(g.code, ())]
        ids = {p.id for p in members}
        for p in members:
            fit_sum += weights.interest_fit * fit(p, g)
            sel_sum += weights.selection * selection_value(p)
            if is_small(p, weights) and partners[p.id] & ids:
                coop_sum += weights.cooperation
        mentors = sum(is_topical_frontrunner(p, g, weights) for p in members)
        gains = sorted((learning_value(p, g, weights) for p in members), reverse=True)
        learn_sum += sum(v for v in gains[:mentors * weights.mentees_per_frontrunner] if v > 0)
    return Score(fit_sum, sel_sum, learn_sum, coop_sum)
