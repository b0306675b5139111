"""The planning problem: participants, groups (CoPs and coaching tracks) and the coordinator's constraints.

Everything here is plain data; the objective lives in ``objective.py`` and the solvers in ``milp.py``
and ``greedy.py``. A plan is a mapping ``group code -> set of participant ids``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from math import ceil

from .errors import CopInputError

# Levels and adoption groups as in concepts.yaml (`maturity`): 5/4 are koplopers, 3 early majority,
# 2/1 late majority.
ADOPTION_GROUPS = ("koplopers", "early-majority", "late-majority")
MATURITY_CODES = {"strategisch-extern": 5, "strategisch-intern": 4, "actief": 3, "verkennend": 2, "niet-op-agenda": 1}

# A coaching track is about a kind of support rather than a theme; concepts.yaml gives traject-pilootproject no
# topics at all. Counting interest in the matching support form (seed §07) lets profiles that ask for that
# coaching fit the track.
TRACK_SUPPORT_FORMS = {"traject-strategie": "begeleiding-strategie",
                       "traject-pilootproject": "begeleiding-pilootproject"}

DEFAULT_SIZES = {"cop": (6, 20), "begeleiding": (3, 12)}

Plan = dict[str, frozenset[str]]


def adoption_group(level: int) -> str:
    """The adoption group of a maturity level (1-5).

    >>> adoption_group(4), adoption_group(3), adoption_group(1)
    ('koplopers', 'early-majority', 'late-majority')
    """
    return "koplopers" if level >= 4 else "early-majority" if level == 3 else "late-majority"


@dataclass(frozen=True)
class Participant:
    """A government that may join groups, with what the planner needs to know about it."""

    id: str
    name: str
    government_type: str = "gemeente"
    province: str | None = None
    population: int | None = None
    maturity_level: int = 2
    frontrunner_flag: bool | None = None
    capacity: float = 0.5
    willingness_to_share: float = 0.5
    impact: float = 0.5
    interests: Mapping[str, float] = field(default_factory=dict)
    neighbours: frozenset[str] = frozenset()
    associations: frozenset[str] = frozenset()
    allowed_groups: frozenset[str] | None = None
    must_participate: bool = False
    iri: str | None = None
    # where values come from, so reasons can say it: profile fields the request gave ("capacity", "maturity",
    # "topic:<code>", ...), and whether the maturity was estimated from the graph's evidence
    stated: frozenset[str] = frozenset()
    maturity_estimated: bool = False

    @property
    def adoption_group(self) -> str:
        return adoption_group(self.maturity_level)

    @property
    def frontrunner(self) -> bool:
        return self.frontrunner_flag if self.frontrunner_flag is not None else self.adoption_group == "koplopers"


@dataclass(frozen=True)
class Group:
    """A CoP or coaching track with its size limits and the topic codes it is about."""

    code: str
    name_nl: str
    name_en: str
    kind: str
    topics: frozenset[str]
    min_size: int
    max_size: int


@dataclass(frozen=True)
class CountBounds:
    """Bounds on how many members of one kind a group has, as counts and/or shares of the group size."""

    min: int = 0
    max: int | None = None
    min_share: float = 0.0
    max_share: float | None = None


@dataclass(frozen=True)
class Constraints:
    """The coordinator's rules; each field is one constraint family (see ``FAMILIES``)."""

    max_groups_per_participant: int = 1
    assign_all: bool = False
    min_frontrunners_per_group: int = 0
    min_frontrunner_share: float = 0.0
    maturity_mix: Mapping[str, CountBounds] = field(default_factory=dict)
    max_per_province: int | None = None
    government_type_mix: Mapping[str, CountBounds] = field(default_factory=dict)
    must_link: tuple[tuple[str, str], ...] = ()
    cannot_link: tuple[tuple[str, str], ...] = ()
    fixed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


# Constraint families, in the order diagnostics name them. Each MILP row belongs to exactly one.
FAMILIES = ("min_size", "max_size", "max_groups_per_participant", "assign_all", "allowed_groups", "frontrunners",
            "maturity_mix", "max_per_province", "government_type_mix", "must_link", "cannot_link", "fixed")


@dataclass(frozen=True)
class Problem:
    """A validated planning problem."""

    participants: tuple[Participant, ...]
    groups: tuple[Group, ...]
    constraints: Constraints = Constraints()
    _index: dict[str, Participant] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        validate(self)
        object.__setattr__(self, "_index", {p.id: p for p in self.participants})

    def participant(self, pid: str) -> Participant:
        return self._index[pid]

    def required(self, p: Participant) -> bool:
        """Whether this participant must end up in at least one group."""
        return self.constraints.assign_all or p.must_participate or p.id in self.constraints.fixed

    def group_codes(self) -> list[str]:
        return [g.code for g in self.groups]


def validate(problem: Problem) -> None:
    """Refuse requests that name unknown participants or groups or have out-of-range numbers."""
    ids = [p.id for p in problem.participants]
    if len(set(ids)) != len(ids):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        raise CopInputError("participants", f"listed more than once: {', '.join(dupes)}")
    codes = [g.code for g in problem.groups]
    if not codes:
        raise CopInputError("groups", "at least one group is needed")
    if len(set(codes)) != len(codes):
        raise CopInputError("groups", "a group is listed more than once")
    known, groups = set(ids), set(codes)
    for g in problem.groups:
        if g.min_size < 0 or g.max_size < 1:
            raise CopInputError(f"groups.{g.code}", "sizes must be positive")
    for p in problem.participants:
        if not 1 <= p.maturity_level <= 5:
            raise CopInputError(f"participants.{p.id}.maturity", "level must be 1-5")
        if p.allowed_groups is not None and not p.allowed_groups <= groups:
            raise CopInputError(f"participants.{p.id}.groups", f"unknown group {sorted(p.allowed_groups - groups)[0]}")
    c = problem.constraints
    if c.max_groups_per_participant < 1:
        raise CopInputError("constraints.max_groups_per_participant", "must be at least 1")
    if not 0.0 <= c.min_frontrunner_share <= 1.0:
        raise CopInputError("constraints.min_frontrunner_share", "must be between 0 and 1")
    for key in c.maturity_mix:
        if key not in ADOPTION_GROUPS:
            raise CopInputError("constraints.maturity_mix", f"unknown adoption group {key!r}")
    for name, pairs in (("must_link", c.must_link), ("cannot_link", c.cannot_link)):
        for a, b in pairs:
            for pid in (a, b):
                if pid not in known:
                    raise CopInputError(f"constraints.{name}", f"{pid!r} is not a participant")
            if a == b:
                raise CopInputError(f"constraints.{name}", f"a pair needs two different participants ({a})")
    for pid, fixed_groups in c.fixed.items():
        if pid not in known:
            raise CopInputError("constraints.fixed", f"{pid!r} is not a participant")
        for code in fixed_groups:
            if code not in groups:
                raise CopInputError(f"constraints.fixed.{pid}", f"unknown group {code!r}")


def group_from_concept(concept: Mapping[str, object], *, min_size: int | None = None,
                       max_size: int | None = None) -> Group:
    """A group from one ``communities_of_practice`` entry of concepts.yaml."""
    code = str(concept["code"])
    kind = str(concept.get("kind", "cop"))
    topics = set(concept.get("themes") or []) | set(concept.get("instruments") or [])  # type: ignore[arg-type]
    if code in TRACK_SUPPORT_FORMS:
        topics.add(TRACK_SUPPORT_FORMS[code])
    default_min, default_max = DEFAULT_SIZES.get(kind, DEFAULT_SIZES["cop"])
    return Group(code=code, name_nl=str(concept.get("nl", code)), name_en=str(concept.get("en", code)), kind=kind,
                 topics=frozenset(topics), min_size=default_min if min_size is None else min_size,
                 max_size=default_max if max_size is None else max_size)


def group_catalogue(concepts: Mapping[str, object]) -> dict[str, Mapping[str, object]]:
    """The ``communities_of_practice`` entries of a parsed concepts.yaml, keyed by code."""
    return {str(c["code"]): c for c in concepts.get("communities_of_practice", [])}  # type: ignore[union-attr]


def frontrunners_needed(constraints: Constraints, size: int) -> int:
    """How many front-runners a group of ``size`` members needs under the count and share rules."""
    return max(constraints.min_frontrunners_per_group, ceil(constraints.min_frontrunner_share * size - 1e-9))


def bounds_for_size(bounds: CountBounds, size: int) -> tuple[int, int]:
    """The (min, max) member count that ``bounds`` allows in a group of ``size``."""
    lo = max(bounds.min, ceil(bounds.min_share * size - 1e-9))
    hi = size
    if bounds.max is not None:
        hi = min(hi, bounds.max)
    if bounds.max_share is not None:
        hi = min(hi, int(bounds.max_share * size + 1e-9))
    return lo, hi


def violations(problem: Problem, plan: Mapping[str, Iterable[str]]) -> list[str]:
    """Every constraint a plan breaks, one line each (empty when the plan is feasible)."""
    c = problem.constraints
    members = {g.code: set(plan.get(g.code, ())) for g in problem.groups}
    out: list[str] = []
    count = {p.id: 0 for p in problem.participants}
    for g in problem.groups:
        for pid in members[g.code]:
            count[pid] += 1
    for g in problem.groups:
        m = members[g.code]
        people = [problem.participant(pid) for pid in m]
        if len(m) < g.min_size:
            out.append(f"min_size: {g.code} has {len(m)} < {g.min_size}")
        if len(m) > g.max_size:
            out.append(f"max_size: {g.code} has {len(m)} > {g.max_size}")
        fr = sum(p.frontrunner for p in people)
        if fr < frontrunners_needed(c, len(m)):
            out.append(f"frontrunners: {g.code} has {fr}")
        for ag, b in c.maturity_mix.items():
            lo, hi = bounds_for_size(b, len(m))
            n = sum(p.adoption_group == ag for p in people)
            if not lo <= n <= hi:
                out.append(f"maturity_mix: {g.code} has {n} {ag}")
        for gt, b in c.government_type_mix.items():
            lo, hi = bounds_for_size(b, len(m))
            n = sum(p.government_type == gt for p in people)
            if not lo <= n <= hi:
                out.append(f"government_type_mix: {g.code} has {n} {gt}")
        if c.max_per_province is not None:
            for prov in {p.province for p in people if p.province}:
                n = sum(p.province == prov for p in people)
                if n > c.max_per_province:
                    out.append(f"max_per_province: {g.code} has {n} from {prov}")
        for p in people:
            if p.allowed_groups is not None and g.code not in p.allowed_groups:
                out.append(f"allowed_groups: {p.id} in {g.code}")
        for a, b in c.must_link:
            if (a in m) != (b in m):
                out.append(f"must_link: {a} and {b} split over {g.code}")
        for a, b in c.cannot_link:
            if a in m and b in m:
                out.append(f"cannot_link: {a} and {b} both in {g.code}")
    for p in problem.participants:
        if count[p.id] > c.max_groups_per_participant:
            out.append(f"max_groups_per_participant: {p.id} in {count[p.id]} groups")
        if problem.required(p) and count[p.id] == 0:
            out.append(f"assign_all: {p.id} is in no group")
    for pid, codes in c.fixed.items():
        for code in codes:
            if pid not in members[code]:
                out.append(f"fixed: {pid} not in {code}")
    return out
