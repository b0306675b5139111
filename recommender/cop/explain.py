"""Why each participant is in its group, and which rules shape each group.

Reasons follow the objective's terms (interest fit, learning, cooperation, selection) plus the coordinator's
rules (fixed, must-link); each is ``{"kind", "text_nl", "text_en"}``. A group's report lists every rule that
applies to it with its value, its limit and whether it is tight (holds with equality, so it may have cost
objective).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from .model import Group, Participant, Plan, Problem, bounds_for_size, frontrunners_needed, violations
from .objective import Weights, is_small, is_topical_frontrunner, learning_value, partner_index, selection_value
from .words import count, kind_nouns, verb

Labels = Mapping[str, tuple[str, str]]


def _reason(kind: str, text_nl: str, text_en: str) -> dict[str, str]:
    return {"kind": kind, "text_nl": text_nl, "text_en": text_en}


def _names(people: list[Participant], limit: int = 4) -> str:
    names = sorted(p.name for p in people)
    return ", ".join(names[:limit]) + (f" (+{len(names) - limit})" if len(names) > limit else "")


def _tie(participant: Participant, other: Participant, labels: Labels) -> tuple[str, str]:
    """'Poperinge (buur)' or 'Ieper (IVVO)': who, and what ties them (an intercommunale named where known)."""
    if other.id in participant.neighbours or participant.id in other.neighbours:
        return f"{other.name} (buur)", f"{other.name} (neighbour)"
    shared = sorted(participant.associations & other.associations, key=lambda a: (a not in labels, a))
    if shared and shared[0] in labels:
        return f"{other.name} ({labels[shared[0]][0]})", f"{other.name} ({labels[shared[0]][1]})"
    return other.name, other.name


def _label(code: str, labels: Labels, lang: int) -> str:
    return labels[code][lang] if code in labels else code


# where a value comes from, in words (never the bare number)
STATED = ("zoals opgegeven", "as stated")
CRITERIA = (("capacity", "capaciteit", "capacity"), ("willingness_to_share", "bereidheid om te delen",
                                                     "willingness to share"),
            ("impact", "mogelijke impact", "possible impact"))


def _level(value: float) -> tuple[str, str]:
    """A 0..1 criterion as a word: the coordinator gave a level, not a measurement."""
    return ("hoog", "high") if value >= 0.75 else ("laag", "low") if value <= 0.25 else ("gemiddeld", "medium")


def maturity_source(participant: Participant) -> tuple[str, str]:
    """Where a participant's maturity (and so its front-runner status) comes from, as " (…)" or ""."""
    if "maturity" in participant.stated or "frontrunner" in participant.stated:
        return tuple(f" ({w})" for w in STATED)  # type: ignore[return-value]
    if participant.maturity_estimated:
        return (" (geschat uit zijn praktijken, beleidsplan en engagementen in de databank)",
                " (estimated from its practices, policy plan and commitments in the database)")
    if participant.iri is not None:   # in the graph, but nothing there shows what it does
        return " (geen eigen praktijken in de databank)", " (no practices of its own in the database)"
    return "", ""


def _topic_source(participant: Participant, topics: list[str]) -> tuple[str, str]:
    if all(f"topic:{t}" in participant.stated for t in topics):
        return STATED
    if any(f"topic:{t}" in participant.stated for t in topics):
        return ("deels opgegeven, deels uit de praktijken waaraan het meewerkte",
                "partly stated, partly from the practices it took part in")
    return ("uit de praktijken waaraan het meewerkte", "from the practices it took part in")


def reasons(problem: Problem, plan: Plan, participant: Participant, group: Group, *, weights: Weights,
            labels: Labels | None = None, partners: Mapping[str, frozenset[str]] | None = None) -> list[dict[str, str]]:
    """The reasons ``participant`` is in ``group`` under ``plan``, strongest first."""
    labels = labels or {}
    partners = partners if partners is not None else partner_index(problem)
    c = problem.constraints
    members = [problem.participant(pid) for pid in plan[group.code] if pid != participant.id]
    out: list[dict[str, str]] = []
    if group.code in c.fixed.get(participant.id, ()):
        out.append(_reason("fixed", "Vastgelegd door de coördinator", "Fixed by the coordinator"))
    topics = sorted(t for t in group.topics if participant.interests.get(t, 0) > 0)
    if topics:
        nl = ", ".join(_label(t, labels, 0) for t in topics)
        en = ", ".join(_label(t, labels, 1) for t in topics)
        src = _topic_source(participant, topics)
        out.append(_reason("interest-fit", f"Interesse in het onderwerp van de groep: {nl} ({src[0]})",
                           f"Interested in the group's topic: {en} ({src[1]})"))
    maturity = maturity_source(participant)
    if is_topical_frontrunner(participant, group, weights):
        learners = [p for p in members if learning_value(p, group, weights) > 0]
        if learners:
            n = len(learners)
            out.append(_reason("frontrunner",
                               f"Koploper op dit onderwerp{maturity[0]}; "
                               f"{count(n, 'deelnemer', 'deelnemers')} uit de late meerderheid "
                               f"{verb(n, 'kan', 'kunnen')} van de ervaring leren",
                               f"Front-runner on this topic{maturity[1]}; "
                               f"{count(n, 'late-majority member', 'late-majority members')} {verb(n, 'can', 'can')} "
                               f"learn from its experience"))
        else:
            out.append(_reason("frontrunner", f"Koploper op dit onderwerp{maturity[0]}; brengt ervaring in",
                               f"Front-runner on this topic{maturity[1]}; brings experience"))
    elif participant.frontrunner:
        out.append(_reason("frontrunner", f"Koploper{maturity[0]}; telt mee voor het minimum aantal koplopers",
                           f"Front-runner{maturity[1]}; counts towards the minimum number of front-runners"))
    if learning_value(participant, group, weights) > 0:
        mentors = [p for p in members if is_topical_frontrunner(p, group, weights)]
        if mentors:
            out.append(_reason("learning",
                               f"Late meerderheid{maturity[0]}: kan leren van "
                               f"{verb(len(mentors), 'koploper', 'koplopers')} {_names(mentors)}",
                               f"Late majority{maturity[1]}: can learn from "
                               f"{verb(len(mentors), 'front-runner', 'front-runners')} {_names(mentors)}"))
    if is_small(participant, weights):
        nearby = [p for p in members if p.id in partners[participant.id]]
        if nearby:
            ties = [_tie(participant, p, labels) for p in sorted(nearby, key=lambda p: p.name)[:4]]
            more = f" (+{len(nearby) - 4})" if len(nearby) > 4 else ""
            out.append(_reason("cooperation",
                               f"Kleine gemeente met een buur of partner uit een samenwerkingsverband in de groep: "
                               f"{', '.join(t[0] for t in ties)}{more}",
                               f"Small municipality with a neighbour or fellow association member in the group: "
                               f"{', '.join(t[1] for t in ties)}{more}"))
    linked = [problem.participant(b if a == participant.id else a) for a, b in c.must_link
              if participant.id in (a, b)]
    linked = [p for p in linked if p.id in plan[group.code]]
    if linked:
        out.append(_reason("must-link", f"Moet samen met {_names(linked)}", f"Must be together with {_names(linked)}"))
    # the selection criteria are named only where the request gave them: a default is no information
    given = [(nl, en, _level(getattr(participant, key))) for key, nl, en in CRITERIA if key in participant.stated]
    criteria_nl = ", ".join(f"{nl} {level[0]}" for nl, _, level in given)
    criteria_en = ", ".join(f"{en} {level[1]}" for _, en, level in given)
    if not out:
        out.append(_reason("selection", "Vrije plaats in de groep" + (f"; {criteria_nl} ({STATED[0]})" if given else ""),
                           "Free place in the group" + (f"; {criteria_en} ({STATED[1]})" if given else "")))
    elif given and selection_value(participant) >= 0.75:
        out.append(_reason("selection", f"Selectiecriteria {STATED[0]}: {criteria_nl}",
                           f"Selection criteria {STATED[1]}: {criteria_en}"))
    if problem.required(participant) and len(out) == 1 and out[0]["kind"] == "selection":
        required = _reason("required", "Moet in een groep; hier is plaats", "Must join a group; this one has room")
        # "a free place" says nothing more than "this one has room"; given criteria do
        out = [required] + ([_reason("selection", f"Selectiecriteria {STATED[0]}: {criteria_nl}",
                                     f"Selection criteria {STATED[1]}: {criteria_en}")] if given else [])
    return out


def _entry(constraint: str, value: object, limit: object, tight: bool, text_nl: str, text_en: str) -> dict[str, object]:
    return {"constraint": constraint, "tight": tight, "value": value, "limit": limit, "text_nl": text_nl,
            "text_en": text_en}


def group_report(problem: Problem, plan: Plan, group: Group) -> list[dict[str, object]]:
    """Each rule that applies to ``group``, with its value, limit and whether it is tight."""
    c = problem.constraints
    ids = plan[group.code]
    people = [problem.participant(pid) for pid in ids]
    size = len(people)
    out = [
        _entry("min_size", size, group.min_size, size == group.min_size,
               f"{count(size, 'lid', 'leden')}, minimum {group.min_size}",
               f"{count(size, 'member', 'members')}, minimum {group.min_size}"),
        _entry("max_size", size, group.max_size, size == group.max_size,
               f"{count(size, 'lid', 'leden')}, maximum {group.max_size}",
               f"{count(size, 'member', 'members')}, maximum {group.max_size}"),
    ]
    if c.min_frontrunners_per_group or c.min_frontrunner_share:
        n, need = sum(p.frontrunner for p in people), frontrunners_needed(c, size)
        out.append(_entry("min_frontrunners_per_group", n, need, n == need,
                          f"{count(n, 'koploper', 'koplopers')}, minimum {need}",
                          f"{count(n, 'front-runner', 'front-runners')}, minimum {need}"))
    for family, mix, attr in (("maturity_mix", c.maturity_mix, "adoption_group"),
                              ("government_type_mix", c.government_type_mix, "government_type")):
        for value, bounds in mix.items():
            n = sum(getattr(p, attr) == value for p in people)
            lo, hi = bounds_for_size(bounds, size)
            has_max = bounds.max is not None or bounds.max_share is not None
            tight = (n == lo and lo > 0) or (has_max and n == hi)
            nouns = kind_nouns(family, value)
            allowed = f"{lo}–{hi}" if has_max else f"{lo} of meer"
            allowed_en = f"{lo}–{hi}" if has_max else f"{lo} or more"
            out.append(_entry(f"{family}:{value}", n, {"min": lo, "max": hi if has_max else None}, tight,
                              f"{count(n, nouns[0], nouns[1])}, toegestaan {allowed}",
                              f"{count(n, nouns[2], nouns[3])}, allowed {allowed_en}"))
    if c.max_per_province is not None:
        per_province = Counter(p.province for p in people if p.province)
        top, n = per_province.most_common(1)[0] if per_province else ("", 0)
        out.append(_entry("max_per_province", n, c.max_per_province, n == c.max_per_province,
                          f"{count(n, 'deelnemer', 'deelnemers')} uit {top} (de meeste uit één provincie), "
                          f"maximum {c.max_per_province}",
                          f"{count(n, 'participant', 'participants')} from {top} (the most from one province), "
                          f"maximum {c.max_per_province}"))
    for a, b in c.cannot_link:
        if (a in ids) != (b in ids):
            inside, outside = (a, b) if a in ids else (b, a)
            pi, po = problem.participant(inside), problem.participant(outside)
            out.append(_entry("cannot_link", [a, b], None, True, f"{pi.name} zit hier, dus {po.name} niet",
                              f"{pi.name} is here, so {po.name} is not"))
    for a, b in c.must_link:
        if a in ids and b in ids:
            pa, pb = problem.participant(a), problem.participant(b)
            out.append(_entry("must_link", [a, b], None, True, f"{pa.name} en {pb.name} samen",
                              f"{pa.name} and {pb.name} together"))
    fixed = sorted(pid for pid, codes in c.fixed.items() if group.code in codes)
    if fixed:
        out.append(_entry("fixed", fixed, None, True, count(len(fixed), "vastgelegde deelnemer", "vastgelegde deelnemers"),
                          count(len(fixed), "fixed participant", "fixed participants")))
    return out


def composition(problem: Problem, plan: Plan, group: Group) -> dict[str, dict[str, int]]:
    """Counts of the group's members by adoption group, province and government type."""
    people = [problem.participant(pid) for pid in plan[group.code]]
    return {"adoption_groups": dict(Counter(p.adoption_group for p in people)),
            "provinces": dict(Counter(p.province or "?" for p in people)),
            "government_types": dict(Counter(p.government_type for p in people)),
            "frontrunners": {"count": sum(p.frontrunner for p in people)}}


def _blocked_words(problem: Problem, plan: Plan, participant: Participant, group: Group, family: str
                   ) -> tuple[str, str]:
    c, members = problem.constraints, plan[group.code]
    if family == "max_size":
        full = f"{len(members)}/{group.max_size}"
        return f"de groep is vol ({full})", f"the group is full ({full})"
    if family == "max_per_province":
        m = c.max_per_province or 0
        return (f"er {verb(m, 'zit', 'zitten')} al {count(m, 'deelnemer', 'deelnemers')} uit {participant.province} in",
                f"it already has {count(m, 'participant', 'participants')} from {participant.province}")
    if family == "allowed_groups":
        return "gaf zich niet op voor deze groep", "did not sign up for this group"
    if family == "cannot_link":
        others = [problem.participant(b if a == participant.id else a) for a, b in c.cannot_link
                  if participant.id in (a, b) and (b if a == participant.id else a) in members]
        return f"mag niet samen met {_names(others)}", f"may not be with {_names(others)}"
    if family == "must_link":
        return "moet samen met een deelnemer die elders zit", "must be with a participant placed elsewhere"
    if family == "frontrunners":
        return "er zijn te weinig koplopers voor nog een lid", "too few front-runners for one more member"
    if family == "maturity_mix":
        return "de maturiteitsmix laat geen extra lid van deze groep toe", "the maturity mix allows no more of its kind"
    if family == "government_type_mix":
        return "de mix van bestuurstypes laat het niet toe", "the government type mix does not allow it"
    return family, family


def why_unassigned(problem: Problem, plan: Plan, participant: Participant) -> list[dict[str, str]]:
    """For each group, the rules that keep ``participant`` out of it under ``plan``.

    The checks are ``model.violations``, the same that decide whether a plan is feasible.
    """
    before = set(violations(problem, plan))
    out = []
    for g in problem.groups:
        trial = dict(plan) | {g.code: plan[g.code] | {participant.id}}
        families = list(dict.fromkeys(v.split(":", 1)[0] for v in violations(problem, trial) if v not in before))
        if families:
            words = [_blocked_words(problem, plan, participant, g, f) for f in families]
            out.append(_reason("not-placed", f"{g.name_nl}: " + "; ".join(w[0] for w in words),
                               f"{g.name_en}: " + "; ".join(w[1] for w in words)))
        else:
            out.append(_reason("not-placed", f"{g.name_nl}: zou passen, maar voegt niets toe aan het doel",
                               f"{g.name_en}: would fit, but adds nothing to the objective"))
    return out
