"""Why a request has no plan, in words a coordinator can act on.

First cheap counting checks catch the common clashes and name the numbers ("3 groups need a front-runner but
only 2 front-runners take part"). When none of them fires yet the MILP is infeasible, a deletion filter over
constraint families finds a minimal set of families that cannot hold together: drop one family at a time and
keep it out whenever the rest stays infeasible (Chinneck's deletion filter, at family granularity).
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import Conflict
from .milp import is_feasible
from .model import FAMILIES, Participant, Problem, bounds_for_size, frontrunners_needed
from .words import ADOPTION_LABELS, count, kind_nouns, verb


def _groups_nl(n: int) -> str:
    return count(n, "groep", "groepen")


def _groups_en(n: int) -> str:
    return count(n, "group", "groups")


def _k_clause(k: int) -> tuple[str, str]:
    return (f" (en elke deelnemer zit in hoogstens {_groups_nl(k)})",
            f" (and each participant joins at most {_groups_en(k)})")


def _seats(problem: Problem, who: Callable[[Participant], bool]) -> int:
    """How many group places the participants matching ``who`` can fill at most."""
    k = problem.constraints.max_groups_per_participant
    total = 0
    for p in problem.participants:
        if who(p):
            allowed = len(problem.groups) if p.allowed_groups is None else len(p.allowed_groups)
            total += min(k, allowed)
    return total


def _demand_conflict(problem: Problem, family: str, who: Callable[[Participant], bool], need: dict[str, int],
                     noun_nl: tuple[str, str], noun_en: tuple[str, str]) -> Conflict | None:
    """At least ``need[g]`` members matching ``who`` per group, but too few such participants."""
    k = problem.constraints.max_groups_per_participant
    asking = {g: n for g, n in need.items() if n > 0}
    demand = sum(asking.values())
    supply = _seats(problem, who)
    if demand <= supply:
        return None
    available = sum(who(p) for p in problem.participants)
    n = len(asking)
    each = set(asking.values())
    one_nl, many_nl = noun_nl
    one_en, many_en = noun_en
    article_en = "an" if one_en[0] in "aeiou" else "a"
    if each == {1}:
        ask_nl = f"{_groups_nl(n)} {verb(n, 'vraagt', 'vragen')} een {one_nl}"
        ask_en = f"{_groups_en(n)} {verb(n, 'needs', 'need')} {article_en} {one_en}"
    elif n == 1:
        ask_nl, ask_en = f"1 groep vraagt {count(demand, one_nl, many_nl)}", f"1 group needs {count(demand, one_en, many_en)}"
    else:
        ask_nl = f"{_groups_nl(n)} vragen samen {count(demand, one_nl, many_nl)}"
        ask_en = f"{_groups_en(n)} need {count(demand, one_en, many_en)} in all"
    have_nl = f"maar er neemt maar {available} {one_nl} deel" if available == 1 else \
        f"maar er nemen maar {available} {many_nl} deel"
    have_en = f"but only {available} {one_en if available == 1 else many_en} take{'s' if available == 1 else ''} part"
    extra_nl, extra_en = _k_clause(k) if k > 1 else ("", "")
    families: tuple[str, ...] = (family, "max_groups_per_participant")
    if supply < available * min(k, len(problem.groups)):
        extra_nl += " (en niet elk zit in een groep waarvoor die zich opgaf)"
        extra_en += " (and not all signed up for every group)"
        families += ("allowed_groups",)
    return Conflict(families, f"{ask_nl} {have_nl}{extra_nl}", f"{ask_en} {have_en}{extra_en}")


def precheck(problem: Problem) -> list[Conflict]:
    """Clashes that simple counting proves; an empty list proves nothing."""
    c, groups = problem.constraints, problem.groups
    out: list[Conflict] = []
    for g in groups:
        if g.min_size > g.max_size:
            out.append(Conflict(("min_size", "max_size"),
                                f"{g.name_nl}: de minimumgrootte ({g.min_size}) is groter dan de maximumgrootte "
                                f"({g.max_size})",
                                f"{g.name_en}: the minimum size ({g.min_size}) exceeds the maximum size "
                                f"({g.max_size})"))
    k = c.max_groups_per_participant
    demand = sum(g.min_size for g in groups)
    seats = _seats(problem, lambda p: True)
    if demand > seats:
        nl, en = _k_clause(k)
        out.append(Conflict(("min_size", "max_groups_per_participant"),
                            f"de groepen vragen samen minstens {demand} plaatsen, maar de {len(problem.participants)} "
                            f"deelnemers kunnen er samen maar {seats} innemen{nl}",
                            f"the groups need at least {demand} places in all, but the {len(problem.participants)} "
                            f"participants can fill only {seats}{en}"))
    for g in groups:
        candidates = sum(p.allowed_groups is None or g.code in p.allowed_groups for p in problem.participants)
        if candidates < g.min_size:
            out.append(Conflict(("allowed_groups", "min_size"),
                                f"{g.name_nl} moet minstens {count(g.min_size, 'lid', 'leden')} hebben, maar slechts "
                                f"{count(candidates, 'deelnemer', 'deelnemers')} "
                                f"{verb(candidates, 'gaf', 'gaven')} zich ervoor op",
                                f"{g.name_en} needs at least {count(g.min_size, 'member', 'members')}, but only "
                                f"{count(candidates, 'participant', 'participants')} signed up for it"))
    required = [p for p in problem.participants if problem.required(p)]
    capacity = sum(g.max_size for g in groups)
    if len(required) > capacity:
        out.append(Conflict(("assign_all", "max_size"),
                            f"{len(required)} deelnemers moeten in een groep, maar de groepen hebben samen maar "
                            f"{capacity} plaatsen",
                            f"{len(required)} participants must join a group, but the groups have only {capacity} "
                            f"places in all"))
    need = {g.code: frontrunners_needed(c, g.min_size) for g in groups}
    conflict = _demand_conflict(problem, "frontrunners", lambda p: p.frontrunner, need, ("koploper", "koplopers"),
                                ("front-runner", "front-runners"))
    if conflict:
        out.append(conflict)
    for family, mix, attr in (("maturity_mix", c.maturity_mix, "adoption_group"),
                              ("government_type_mix", c.government_type_mix, "government_type")):
        for value, bounds in mix.items():
            need = {g.code: bounds_for_size(bounds, g.min_size)[0] for g in groups}
            nouns = kind_nouns(family, value)
            conflict = _demand_conflict(problem, family, lambda p, a=attr, v=value: getattr(p, a) == v, need,
                                        nouns[:2], nouns[2:])
            if conflict:
                out.append(conflict)
    if c.max_per_province is not None:
        out.extend(_province_conflicts(problem, c.max_per_province))
    out.extend(_fixed_conflicts(problem))
    out.extend(_link_conflicts(problem))
    return out


def _province_conflicts(problem: Problem, cap: int) -> list[Conflict]:
    """The per-province cap against group minimums, and against the participants that must be placed."""
    out = []
    m_nl, m_en = count(cap, "deelnemer", "deelnemers"), count(cap, "participant", "participants")
    provinces = {p.province for p in problem.participants if p.province}
    unplaced = sum(1 for p in problem.participants if not p.province)
    reachable = cap * len(provinces) + unplaced
    for g in problem.groups:
        if g.min_size > reachable:
            out.append(Conflict(("max_per_province", "min_size"),
                                f"{g.name_nl} moet minstens {count(g.min_size, 'lid', 'leden')} hebben, maar met "
                                f"hoogstens {m_nl} per provincie en deelnemers uit "
                                f"{count(len(provinces), 'provincie', 'provincies')} "
                                f"{verb(reachable, 'kan', 'kunnen')} er maar {reachable} in",
                                f"{g.name_en} needs at least {count(g.min_size, 'member', 'members')}, but with at "
                                f"most {m_en} per province and participants from "
                                f"{count(len(provinces), 'province', 'provinces')} it can get only {reachable}"))
    # every participant that must join needs a place; a group takes at most `cap` of one province
    n_groups = len(problem.groups)
    places = cap * n_groups
    required: dict[str, int] = {}
    for p in problem.participants:
        if p.province and problem.required(p):
            required[p.province] = required.get(p.province, 0) + 1
    everyone = all(problem.required(p) for p in problem.participants)
    for province, n in sorted(required.items()):
        if n <= places:
            continue
        who_nl = count(n, "deelnemer", "deelnemers") + ("" if everyone else f" die in een groep {verb(n, 'moet', 'moeten')}")
        who_en = count(n, "participant", "participants") + ("" if everyone else " that must join a group")
        out.append(Conflict(("max_per_province", "assign_all", "max_size"),
                            f"{province} heeft {who_nl}; met hoogstens {m_nl} per provincie per groep over "
                            f"{_groups_nl(n_groups)} {verb(places, 'kan', 'kunnen')} er maar {places} een plaats "
                            f"krijgen",
                            f"{province} has {who_en}; with at most {m_en} per province per group over "
                            f"{_groups_en(n_groups)} only {places} can get a place"))
    return out


def _fixed_conflicts(problem: Problem) -> list[Conflict]:
    c = problem.constraints
    names = {g.code: (g.name_nl, g.name_en) for g in problem.groups}
    out = []
    for g in problem.groups:
        fixed_here = [pid for pid, codes in c.fixed.items() if g.code in codes]
        if len(fixed_here) > g.max_size:
            out.append(Conflict(("fixed", "max_size"),
                                f"{len(fixed_here)} deelnemers zijn vastgelegd in {g.name_nl}, maar die groep telt "
                                f"hoogstens {count(g.max_size, 'lid', 'leden')}",
                                f"{len(fixed_here)} participants are fixed to {g.name_en}, but it holds at most "
                                f"{count(g.max_size, 'member', 'members')}"))
    for pid, codes in c.fixed.items():
        p = problem.participant(pid)
        if len(codes) > c.max_groups_per_participant:
            out.append(Conflict(("fixed", "max_groups_per_participant"),
                                f"{p.name} is vastgelegd in {len(codes)} groepen, maar mag in hoogstens "
                                f"{_groups_nl(c.max_groups_per_participant)}",
                                f"{p.name} is fixed to {len(codes)} groups but may join at most "
                                f"{_groups_en(c.max_groups_per_participant)}"))
        for code in codes:
            if p.allowed_groups is not None and code not in p.allowed_groups:
                out.append(Conflict(("fixed", "allowed_groups"),
                                    f"{p.name} is vastgelegd in {names[code][0]}, maar gaf zich niet op voor die groep",
                                    f"{p.name} is fixed to {names[code][1]} but did not sign up for it"))
    for a, b in c.cannot_link:
        for code in set(c.fixed.get(a, ())) & set(c.fixed.get(b, ())):
            pa, pb = problem.participant(a), problem.participant(b)
            out.append(Conflict(("fixed", "cannot_link"),
                                f"{pa.name} en {pb.name} mogen niet samen, maar zijn allebei vastgelegd in "
                                f"{names[code][0]}",
                                f"{pa.name} and {pb.name} must be apart but are both fixed to {names[code][1]}"))
    return out


def _link_conflicts(problem: Problem) -> list[Conflict]:
    c = problem.constraints
    parent = {p.id: p.id for p in problem.participants}

    def root(a: str) -> str:
        while parent[a] != a:
            a = parent[a]
        return a

    for a, b in c.must_link:
        parent[root(a)] = root(b)
    out = []
    for a, b in c.cannot_link:
        if root(a) == root(b):
            pa, pb = problem.participant(a), problem.participant(b)
            out.append(Conflict(("must_link", "cannot_link"),
                                f"{pa.name} en {pb.name} moeten (via samen-koppelingen) in dezelfde groep, maar mogen "
                                f"ook niet samen",
                                f"{pa.name} and {pb.name} must be together (through must-link pairs) and also apart"))
    components: dict[str, list[str]] = {}
    for pid in parent:
        components.setdefault(root(pid), []).append(pid)
    largest = max(g.max_size for g in problem.groups)
    for members in components.values():
        fixed_groups = {code for pid in members for code in c.fixed.get(pid, ())}
        if len(members) > 1 and len(fixed_groups) > c.max_groups_per_participant:
            out.append(Conflict(("must_link", "fixed", "max_groups_per_participant"),
                                f"{', '.join(problem.participant(p).name for p in sorted(members))} moeten samen, "
                                f"maar zijn vastgelegd in {len(fixed_groups)} verschillende groepen",
                                f"{', '.join(problem.participant(p).name for p in sorted(members))} must be together "
                                f"but are fixed to {len(fixed_groups)} different groups"))
        if len(members) > largest and any(problem.required(problem.participant(p)) for p in members):
            out.append(Conflict(("must_link", "max_size"),
                                f"{len(members)} deelnemers moeten samen in een groep, maar de grootste groep telt "
                                f"hoogstens {count(largest, 'lid', 'leden')}",
                                f"{len(members)} participants must be together, but the largest group holds at "
                                f"most {count(largest, 'member', 'members')}"))
    return out


def describe_family(problem: Problem, family: str) -> tuple[str, str]:
    """One constraint family in words, with its numbers."""
    c, groups = problem.constraints, problem.groups
    if family == "min_size":
        return (f"minimumgroottes ({', '.join(f'{g.name_nl} ≥ {g.min_size}' for g in groups)})",
                f"minimum group sizes ({', '.join(f'{g.name_en} ≥ {g.min_size}' for g in groups)})")
    if family == "max_size":
        return (f"maximumgroottes ({', '.join(f'{g.name_nl} ≤ {g.max_size}' for g in groups)})",
                f"maximum group sizes ({', '.join(f'{g.name_en} ≤ {g.max_size}' for g in groups)})")
    if family == "max_groups_per_participant":
        k = c.max_groups_per_participant
        return f"elke deelnemer in hoogstens {_groups_nl(k)}", f"each participant in at most {_groups_en(k)}"
    if family == "assign_all":
        n = sum(problem.required(p) for p in problem.participants)
        return (f"{count(n, 'deelnemer', 'deelnemers')} {verb(n, 'moet', 'moeten')} in een groep",
                f"{count(n, 'participant', 'participants')} {verb(n, 'must', 'must')} join a group")
    if family == "allowed_groups":
        return ("deelnemers enkel in de groepen waarvoor ze zich opgaven",
                "participants only in groups they signed up for")
    if family == "frontrunners":
        n = sum(p.frontrunner for p in problem.participants)
        least = c.min_frontrunners_per_group
        rule_nl = f"minstens {count(least, 'koploper', 'koplopers')} per groep" if least else ""
        rule_en = f"at least {count(least, 'front-runner', 'front-runners')} per group" if least else ""
        if c.min_frontrunner_share:
            pct = f"{c.min_frontrunner_share:.0%}"
            rule_nl = " en ".join(filter(None, [rule_nl, f"minstens {pct} koplopers per groep"]))
            rule_en = " and ".join(filter(None, [rule_en, f"at least {pct} front-runners per group"]))
        return (f"{rule_nl} (er {verb(n, 'neemt', 'nemen')} {count(n, 'koploper', 'koplopers')} deel)",
                f"{rule_en} ({count(n, 'front-runner', 'front-runners')} {verb(n, 'takes', 'take')} part)")
    if family in ("maturity_mix", "government_type_mix"):
        mix = c.maturity_mix if family == "maturity_mix" else c.government_type_mix
        parts = []
        for value, b in mix.items():
            bits = [f"≥ {b.min}" if b.min else "", f"≤ {b.max}" if b.max is not None else "",
                    f"≥ {b.min_share:.0%}" if b.min_share else "",
                    f"≤ {b.max_share:.0%}" if b.max_share is not None else ""]
            name = ADOPTION_LABELS.get(value) if family == "maturity_mix" else None
            parts.append((f"{name[0] if name else value} {' '.join(filter(None, bits))}",
                          f"{name[1] if name else value} {' '.join(filter(None, bits))}"))
        label = ("maturiteitsmix", "maturity mix") if family == "maturity_mix" else ("mix van bestuurstypes",
                                                                                     "government type mix")
        return (f"{label[0]} per groep ({'; '.join(p[0] for p in parts)})",
                f"{label[1]} per group ({'; '.join(p[1] for p in parts)})")
    if family == "max_per_province":
        m = c.max_per_province
        return (f"hoogstens {count(m or 0, 'deelnemer', 'deelnemers')} per provincie in een groep",
                f"at most {count(m or 0, 'participant', 'participants')} per province in a group")
    if family == "must_link":
        n = len(c.must_link)
        return (count(n, "paar dat samen moet", "paren die samen moeten"),
                count(n, "pair that must be together", "pairs that must be together"))
    if family == "cannot_link":
        n = len(c.cannot_link)
        return (count(n, "paar dat niet samen mag", "paren die niet samen mogen"),
                count(n, "pair that must be apart", "pairs that must be apart"))
    if family == "fixed":
        n = len(c.fixed)
        return (count(n, "vastgelegde toewijzing", "vastgelegde toewijzingen"),
                count(n, "fixed assignment", "fixed assignments"))
    return family, family


def active_families(problem: Problem) -> list[str]:
    """The families that constrain this request at all."""
    c = problem.constraints
    active = {"min_size", "max_size", "max_groups_per_participant"}
    if any(problem.required(p) for p in problem.participants):
        active.add("assign_all")
    if any(p.allowed_groups is not None for p in problem.participants):
        active.add("allowed_groups")
    if c.min_frontrunners_per_group or c.min_frontrunner_share:
        active.add("frontrunners")
    for family, present in (("maturity_mix", c.maturity_mix), ("government_type_mix", c.government_type_mix),
                            ("max_per_province", c.max_per_province is not None), ("must_link", c.must_link),
                            ("cannot_link", c.cannot_link), ("fixed", c.fixed)):
        if present:
            active.add(family)
    return [f for f in FAMILIES if f in active]


def minimal_conflict(problem: Problem, *, time_limit: float = 10.0) -> list[str] | None:
    """A minimal set of constraint families that is infeasible on its own (None if the request is feasible)."""
    families = active_families(problem)
    if is_feasible(problem, families, time_limit=time_limit) is not False:
        return None
    for family in list(families):
        rest = [f for f in families if f != family]
        if is_feasible(problem, rest, time_limit=time_limit) is False:
            families = rest
    return families


def diagnose(problem: Problem, *, time_limit: float = 10.0) -> list[Conflict]:
    """Conflicts that make the request infeasible: counting checks first, else a minimal family set."""
    conflicts = precheck(problem)
    if conflicts:
        return conflicts
    families = minimal_conflict(problem, time_limit=time_limit)
    if not families:
        return []
    words = [describe_family(problem, f) for f in families]
    return [Conflict(tuple(families), "deze voorwaarden kunnen niet samen: " + "; ".join(w[0] for w in words),
                     "these constraints cannot hold together: " + "; ".join(w[1] for w in words))]
