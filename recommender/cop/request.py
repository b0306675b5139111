"""A planning request (the body of ``POST /api/v1/cops/plan`` or a ``kringloop cop plan`` file) as a Problem.

Participants are named by ``nis_code`` or ``iri`` (their profile comes from the graph) or, for governments not
in the graph, by ``id`` with a ``profile``; ``profile`` fields override the graph. Every error names the field.
"""

from __future__ import annotations

import math

from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from typing import Any

from ..profiles import GovernmentProfile
from .adapter import participant_from_profile, participant_id
from .errors import CopInputError
from .model import (
    ADOPTION_GROUPS,
    MATURITY_CODES,
    Constraints,
    CountBounds,
    Group,
    Participant,
    Problem,
    group_catalogue,
    group_from_concept,
)
from .objective import Weights

PARTICIPANT_KEYS = {"nis_code", "iri", "id", "profile"}
PROFILE_KEYS = {"name", "government_type", "province", "population", "maturity", "frontrunner", "themes",
                "instruments", "support_forms", "interests", "capacity", "willingness_to_share", "impact",
                "neighbours",
                "associations", "groups", "must_participate"}
CONSTRAINT_KEYS = {f.name for f in fields(Constraints)} | {"exactly_one_group"}
BOUND_KEYS = {"min", "max", "min_share", "max_share"}
REQUEST_KEYS = {"participants", "groups", "constraints", "weights", "time_limit_s"}


def _codes(concepts: Mapping[str, Any], scheme: str) -> set[str]:
    return {str(c["code"]) for c in concepts.get(scheme, [])}


MAX_WEIGHT = 1000.0   # an objective weight; the defaults are 0.5 to 10
WEIGHT_MAXIMA = {"small_population": 10_000_000, "frontrunner_topic_threshold": 1.0}  # not weights: other ranges


def _unit(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise CopInputError(f"{field}: must be a number between 0 and 1")
    return float(value)


def _count(value: Any, field: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise CopInputError(f"{field}: must be a whole number ≥ {minimum}")
    return value


def _check_keys(given: Mapping[str, Any], allowed: set[str], field: str) -> None:
    if not isinstance(given, Mapping):
        raise CopInputError(f"{field}: must be an object")
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise CopInputError(f"{field}.{unknown[0]}: unknown field (expected one of {', '.join(sorted(allowed))})")


def _interest_codes(value: Any, field: str, known: set[str]) -> dict[str, float]:
    """A list of codes (weight 1) or a mapping code -> weight 0..1."""
    items = value.items() if isinstance(value, Mapping) else ((code, 1.0) for code in value) \
        if isinstance(value, list) else None
    if items is None:
        raise CopInputError(f"{field}: must be a list of codes or an object of code: weight")
    out = {}
    for code, weight in items:
        if code not in known:
            raise CopInputError(f"{field}: unknown code {code!r}")
        out[str(code)] = _unit(weight, f"{field}.{code}")
    return out


def _apply_profile(base: Participant, profile: Mapping[str, Any], field: str, concepts: Mapping[str, Any],
                   group_codes: set[str], provinces: set[str]) -> Participant:
    _check_keys(profile, PROFILE_KEYS, field)
    changes: dict[str, Any] = {}
    if "name" in profile:
        changes["name"] = str(profile["name"])
    if "government_type" in profile:
        if profile["government_type"] not in _codes(concepts, "government_types"):
            raise CopInputError(f"{field}.government_type: unknown code {profile['government_type']!r}")
        changes["government_type"] = profile["government_type"]
    if "province" in profile:
        province = str(profile["province"]).removeprefix("Provincie ").strip()
        # a misspelt province would silently escape the per-province cap
        if provinces and province not in provinces:
            raise CopInputError(f"{field}.province: unknown province {profile['province']!r} "
                                f"(expected one of {', '.join(sorted(provinces))})")
        changes["province"] = province or None
    if "population" in profile:
        changes["population"] = _count(profile["population"], f"{field}.population")
    if "maturity" in profile:
        if profile["maturity"] not in MATURITY_CODES:
            raise CopInputError(f"{field}.maturity: unknown code {profile['maturity']!r}")
        changes["maturity_level"] = MATURITY_CODES[profile["maturity"]]
    if "frontrunner" in profile:
        if not isinstance(profile["frontrunner"], bool):
            raise CopInputError(f"{field}.frontrunner: must be true or false")
        changes["frontrunner_flag"] = profile["frontrunner"]
    interests = dict(base.interests)
    given: dict[str, float] = {}
    for key, scheme in (("themes", "themes"), ("instruments", "instruments"), ("support_forms", "support_forms")):
        if key in profile:
            # a stated interest is the coordinator's knowledge and outranks what the cases suggest
            given |= _interest_codes(profile[key], f"{field}.{key}", _codes(concepts, scheme))
    if "interests" in profile:
        known = _codes(concepts, "themes") | _codes(concepts, "instruments") | _codes(concepts, "support_forms")
        given |= _interest_codes(profile["interests"], f"{field}.interests", known)
    interests |= given
    given_topics = {code for code, weight in given.items() if weight > 0}
    changes["interests"] = interests
    for key in ("capacity", "willingness_to_share", "impact"):
        if key in profile:
            changes[key] = _unit(profile[key], f"{field}.{key}")
    stated = {key for key in ("capacity", "willingness_to_share", "impact", "maturity", "frontrunner") if key in profile}
    stated |= {f"topic:{code}" for code in given_topics}
    changes["stated"] = base.stated | stated
    for key in ("neighbours", "associations"):
        if key in profile:
            if not isinstance(profile[key], list):
                raise CopInputError(f"{field}.{key}: must be a list")
            changes[key] = frozenset(str(v) for v in profile[key])
    if "groups" in profile:
        wanted = profile["groups"]
        if not isinstance(wanted, list) or any(code not in group_codes for code in wanted):
            raise CopInputError(f"{field}.groups: must list codes of the requested groups")
        changes["allowed_groups"] = frozenset(wanted)
    if "must_participate" in profile:
        changes["must_participate"] = bool(profile["must_participate"])
    return replace(base, **changes)


def _participants(entries: Any, profiles: Mapping[str, GovernmentProfile] | None, concepts: Mapping[str, Any],
                  group_codes: set[str]) -> list[Participant]:
    if not isinstance(entries, list) or not entries:
        raise CopInputError("participants: must be a non-empty list")
    profiles = profiles or {}
    by_nis = {p.nis_code: p for p in profiles.values() if p.nis_code}
    iri_to_id = {iri: participant_id(p) for iri, p in profiles.items()}
    provinces = {p.province for p in profiles.values() if p.province}
    out = []
    for n, entry in enumerate(entries):
        field = f"participants.{n}"
        if isinstance(entry, (str, int)) and not isinstance(entry, bool):
            entry = {"nis_code": str(entry)}
        _check_keys(entry, PARTICIPANT_KEYS, field)
        if "nis_code" in entry:
            profile = by_nis.get(str(entry["nis_code"]))
            if profile is None:
                raise CopInputError(f"{field}.nis_code: no municipality with NIS code {entry['nis_code']!r}"
                                    + ("" if profiles else " (no graph loaded)"))
            if profile.former:
                raise CopInputError(f"{field}.nis_code: {profile.name} ({entry['nis_code']}) merged on 2025-01-01; "
                                    f"plan with its successor municipality")
            base = participant_from_profile(profile, iri_to_id=iri_to_id)
        elif "iri" in entry:
            if entry["iri"] not in profiles:
                raise CopInputError(f"{field}.iri: no government {entry['iri']!r}" + ("" if profiles else
                                                                                     " (no graph loaded)"))
            base = participant_from_profile(profiles[entry["iri"]], iri_to_id=iri_to_id)
        elif "id" in entry and isinstance(entry.get("profile"), Mapping) and entry["profile"].get("name"):
            base = Participant(id=str(entry["id"]), name=str(entry["profile"]["name"]))
        else:
            raise CopInputError(f"{field}: give a nis_code, an iri, or an id with a profile that has a name")
        if "profile" in entry:
            base = _apply_profile(base, entry["profile"], f"{field}.profile", concepts, group_codes, provinces)
        out.append(base)
    return out


def _groups(entries: Any, concepts: Mapping[str, Any]) -> list[Group]:
    catalogue = group_catalogue(concepts)
    if entries is None:
        return [group_from_concept(c) for c in catalogue.values()]
    if not isinstance(entries, list) or not entries:
        raise CopInputError("groups: must be a non-empty list")
    out = []
    for n, entry in enumerate(entries):
        field = f"groups.{n}"
        if isinstance(entry, str):
            entry = {"code": entry}
        _check_keys(entry, {"code", "min_size", "max_size"}, field)
        if entry.get("code") not in catalogue:
            raise CopInputError(f"{field}.code: unknown group {entry.get('code')!r} (expected one of "
                                f"{', '.join(catalogue)})")
        sizes = {k: _count(entry[k], f"{field}.{k}") for k in ("min_size", "max_size") if k in entry}
        out.append(group_from_concept(catalogue[entry["code"]], **sizes))
    return out


def _bounds(value: Any, field: str, known: set[str]) -> dict[str, CountBounds]:
    if not isinstance(value, Mapping):
        raise CopInputError(f"{field}: must be an object")
    out = {}
    for key, b in value.items():
        if key not in known:
            raise CopInputError(f"{field}: unknown code {key!r}")
        _check_keys(b, BOUND_KEYS, f"{field}.{key}")
        out[key] = CountBounds(min=_count(b.get("min", 0), f"{field}.{key}.min"),
                               max=None if b.get("max") is None else _count(b["max"], f"{field}.{key}.max"),
                               min_share=_unit(b.get("min_share", 0.0), f"{field}.{key}.min_share"),
                               max_share=None if b.get("max_share") is None else
                               _unit(b["max_share"], f"{field}.{key}.max_share"))
    return out


def _pairs(value: Any, field: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list) or any(not isinstance(p, Sequence) or isinstance(p, str) or len(p) != 2
                                          for p in value):
        raise CopInputError(f"{field}: must be a list of pairs")
    return tuple((str(a), str(b)) for a, b in value)


def _constraints(value: Any, concepts: Mapping[str, Any]) -> Constraints:
    value = value or {}
    _check_keys(value, CONSTRAINT_KEYS, "constraints")
    c: dict[str, Any] = {}
    if "max_groups_per_participant" in value:
        c["max_groups_per_participant"] = _count(value["max_groups_per_participant"],
                                                 "constraints.max_groups_per_participant", minimum=1)
    if value.get("exactly_one_group"):
        c["max_groups_per_participant"], c["assign_all"] = 1, True
    if "assign_all" in value:
        c["assign_all"] = bool(value["assign_all"]) or c.get("assign_all", False)
    if "min_frontrunners_per_group" in value:
        c["min_frontrunners_per_group"] = _count(value["min_frontrunners_per_group"],
                                                 "constraints.min_frontrunners_per_group")
    if "min_frontrunner_share" in value:
        c["min_frontrunner_share"] = _unit(value["min_frontrunner_share"], "constraints.min_frontrunner_share")
    if value.get("max_per_province") is not None:
        c["max_per_province"] = _count(value["max_per_province"], "constraints.max_per_province", minimum=1)
    if "maturity_mix" in value:
        c["maturity_mix"] = _bounds(value["maturity_mix"], "constraints.maturity_mix", set(ADOPTION_GROUPS))
    if "government_type_mix" in value:
        c["government_type_mix"] = _bounds(value["government_type_mix"], "constraints.government_type_mix",
                                           _codes(concepts, "government_types"))
    for key in ("must_link", "cannot_link"):
        if key in value:
            c[key] = _pairs(value[key], f"constraints.{key}")
    if "fixed" in value:
        if not isinstance(value["fixed"], Mapping):
            raise CopInputError("constraints.fixed: must be an object of participant: group code(s)")
        c["fixed"] = {str(pid): (codes,) if isinstance(codes, str) else tuple(codes)
                      for pid, codes in value["fixed"].items()}
    return Constraints(**c)


def _weights(value: Any) -> Weights:
    if value is None:
        return Weights()
    allowed = {f.name for f in fields(Weights)}
    _check_keys(value, allowed, "weights")
    for key, v in value.items():
        # NaN compares false with everything and inf/1e308 overflow the solver: both are refused here
        top = WEIGHT_MAXIMA.get(key, MAX_WEIGHT)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 <= v <= top:
            raise CopInputError(f"weights.{key}: must be a finite number between 0 and {top:g}")
    return Weights(**value)


def problem_from_request(request: Mapping[str, Any], *, profiles: Mapping[str, GovernmentProfile] | None,
                         concepts: Mapping[str, Any]) -> tuple[Problem, Weights]:
    """The problem and objective weights a request describes; CopInputError names the offending field."""
    _check_keys(request, REQUEST_KEYS, "request")
    groups = _groups(request.get("groups"), concepts)
    participants = _participants(request.get("participants"), profiles, concepts, {g.code for g in groups})
    return Problem(tuple(participants), tuple(groups), _constraints(request.get("constraints"), concepts)), \
        _weights(request.get("weights"))
