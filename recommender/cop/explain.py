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
from .objective import Weights, fit, is_small, is_topical_frontrunner, learning_value, partner_index, selection_value

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
        strength = fit(participant, group)
        out.append(_reason("interest-fit", f"Interesse in het onderwerp van de groep: {nl} (sterkte {strength:.2f})",
                           f"Interested in the group's topic: {en} (strength {strength:.2f})"))
    if is_topical_frontrunner(participant, group, weights):
        learners = [p for p in members if learning_value(p, group, weights) > 0]
        if learners:
            out.append(_reason("frontrunner",
                               f"Koploper op dit onderwerp; {len(learners)} deelnemer(s) uit de late meerderheid "
                               f"kunnen van de ervaring leren",
                               f"Front-runner on this topic; {len(learners)} late-majority member(s) can learn "
                               f"from its experience"))
        else:
            out.append(_reason("frontrunner", "Koploper op dit onderwerp; brengt ervaring in",
                               "Front-runner on this topic; brings experience"))
    elif participant.frontrunner:
        out.append(_reason("frontrunner", "Koploper; telt mee voor het minimum aantal koplopers",
                           "Front-runner; counts towards the minimum number of front-runners"))
    if learning_value(participant, group, weights) > 0:
        mentors = [p for p in members if is_topical_frontrunner(p, group, weights)]
        if mentors:
            out.append(_reason("learning", f"Late meerderheid: kan leren van koploper(s) {_names(mentors)}",
                               f"Late majority: can learn from front-runner(s) {_names(mentors)}"))
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
    if not out or selection_value(participant) >= 0.75:
        criteria_nl = (f"capaciteit {participant.capacity:.2f}, bereidheid om te delen "
                       f"{participant.willingness_to_share:.2f}, mogelijke impact {participant.impact:.2f}")
        criteria_en = (f"capacity {participant.capacity:.2f}, willingness to share "
                       f"{participant.willingness_to_share:.2f}, possible impact {participant.impact:.2f}")
        if out:
            out.append(_reason("selection", criteria_nl[0].upper() + criteria_nl[1:],
                               criteria_en[0].upper() + criteria_en[1:]))
        else:
            out.append(_reason("selection", f"Vrije plaats in de groep; {criteria_nl}",
                               f"Free place in the group; {criteria_en}"))
    if problem.required(participant) and len(out) == 1 and out[0]["kind"] == "selection":
        out.insert(0, _reason("required", "Moet in een groep; hier is plaats", "Must join a group; this one has room"))
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
               f"{size} leden, minimum {group.min_size}", f"{size} members, minimum {group.min_size}"),
        _entry("max_size", size, group.max_size, size == group.max_size,
               f"{size} leden, maximum {group.max_size}", f"{size} members, maximum {group.max_size}"),
    ]
    if c.min_frontrunners_per_group or c.min_frontrunner_share:
        n, need = sum(p.frontrunner for p in people), frontrunners_needed(c, size)
        out.append(_entry("min_frontrunners_per_group", n, need, n == need,
                          f"{n} koploper(s), minimum {need}", f"{n} front-runner(s), minimum {need}"))
    for family, mix, attr in (("maturity_mix", c.maturity_mix, "adoption_group"),
                              ("government_type_mix", c.government_type_mix, "government_type")):
        for value, bounds in mix.items():
            n = sum(getattr(p, attr) == value for p in people)
            lo, hi = bounds_for_size(bounds, size)
            has_max = bounds.max is not None or bounds.max_share is not None
            tight = (n == lo and lo > 0) or (has_max and n == hi)
            out.append(_entry(f"{family}:{value}", n, {"min": lo, "max": hi if has_max else None}, tight,
                              f"{n} deelnemer(s) van type '{value}', toegestaan {lo}–{hi if has_max else '…'}",
                              f"{n} participant(s) of kind '{value}', allowed {lo}–{hi if has_max else '…'}"))
    if c.max_per_province is not None:
        per_province = Counter(p.province for p in people if p.province)
        top, n = per_province.most_common(1)[0] if per_province else ("", 0)
        out.append(_entry("max_per_province", n, c.max_per_province, n == c.max_per_province,
                          f"hoogstens {n} uit één provincie ({top}), maximum {c.max_per_province}",
                          f"at most {n} from one province ({top}), maximum {c.max_per_province}"))
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
        out.append(_entry("fixed", fixed, None, True, f"{len(fixed)} vastgelegde deelnemer(s)",
                          f"{len(fixed)} fixed participant(s)"))
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
        return (f"er zitten al {c.max_per_province} deelnemers uit {participant.province} in",
                f"it already has {c.max_per_province} participants from {participant.province}")
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
