"""A planning request (the body of ``POST /api/v1/cops/plan`` or a ``kringloop cop plan`` file) as a Problem.

Participants are named by ``nis_code`` or ``iri`` (their profile comes from the graph) or, for governments not
in the graph, by ``id`` with a ``profile``; ``profile`` fields override the graph. The form is checked by
:class:`~recommender.cop.inputs.PlanRequest`; here what the request names is checked against the graph
(codes through :class:`~recommender.vocabulary.Vocabulary`). Every error names the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from kg.build_concepts import CONCEPT_KEY

from ..inputs import parse
from ..knowledge import SCHEME_SLUGS
from ..profiles import GovernmentProfile
from ..vocabulary import UnknownCode, Vocabulary
from .adapter import participant_from_profile, participant_id
from .errors import CopInputError
from .inputs import (
    BoundsIn,
    ConstraintsIn,
    GroupIn,
    ParticipantIn,
    ParticipantProfile,
    PlanRequest,
    WeightsIn,
)
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


def _vocabulary(concepts: Mapping[str, Any], provinces: set[str]) -> Vocabulary:
    """The planner's concepts (as ``concepts_from_graph`` reads them) as a vocabulary of the graph's schemes."""
    # concepts.yaml's keys ("themes") to the graph's scheme names ("theme"): derived from the two maps that exist
    schemes = {key: SCHEME_SLUGS.get(slug, slug) for slug, key in CONCEPT_KEY.items()}
    return Vocabulary({schemes[key]: frozenset(str(c["code"]) for c in entries)
                       for key, entries in concepts.items() if key in schemes and isinstance(entries, list)},
                      frozenset(provinces))


def _checked(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except UnknownCode as exc:   # the same words as everywhere, raised as the planner's input error
        raise CopInputError(exc.field, exc.problem) from None


def _interest_codes(value: list[str] | dict[str, float], field: str, fieldname: str,
                    vocabulary: Vocabulary) -> dict[str, float]:
    """A list of codes (weight 1) or a mapping code -> weight 0..1."""
    items = value.items() if isinstance(value, Mapping) else ((code, 1.0) for code in value)
    return {_checked(vocabulary.code, field, fieldname, code): float(weight) for code, weight in items}


def _apply_profile(base: Participant, profile: ParticipantProfile, field: str, vocabulary: Vocabulary,
                   group_codes: set[str]) -> Participant:
    given = profile.model_fields_set
    changes: dict[str, Any] = {}
    if profile.name:
        changes["name"] = profile.name
    if profile.government_type:
        changes["government_type"] = _checked(vocabulary.code, f"{field}.government_type", "government_type",
                                              profile.government_type)
    if profile.province:
        # a misspelt province would silently escape the per-province cap
        changes["province"] = _checked(vocabulary.province, f"{field}.province", profile.province) \
            if vocabulary.provinces else profile.province.removeprefix("Provincie ").strip()
    if profile.population is not None:
        changes["population"] = profile.population
    if profile.maturity:
        if profile.maturity not in MATURITY_CODES:
            raise CopInputError(f"{field}.maturity", f"unknown code {profile.maturity!r} "
                                                     f"(valid: {', '.join(sorted(MATURITY_CODES))})")
        changes["maturity_level"] = MATURITY_CODES[profile.maturity]
    if profile.frontrunner is not None:
        changes["frontrunner_flag"] = profile.frontrunner
    interests = dict(base.interests)
    given_interests: dict[str, float] = {}
    for key in ("themes", "instruments", "support_forms"):
        if key in given:
            # a stated interest is the coordinator's knowledge and outranks what the cases suggest
            given_interests |= _interest_codes(getattr(profile, key), f"{field}.{key}", key, vocabulary)
    if "interests" in given:
        for code, weight in (profile.interests.items() if isinstance(profile.interests, Mapping)
                             else ((c, 1.0) for c in profile.interests)):
            if not any(code in vocabulary.valid(k) for k in ("themes", "instruments", "support_forms")):
                raise CopInputError(f"{field}.interests", f"unknown code {code!r}: not a theme, instrument "
                                                          "or support form")
            given_interests[code] = float(weight)
    interests |= given_interests
    changes["interests"] = interests
    for key in ("capacity", "willingness_to_share", "impact"):
        if getattr(profile, key) is not None:
            changes[key] = getattr(profile, key)
    # where values come from, so reasons can say "zoals opgegeven"
    stated = {key for key in ("capacity", "willingness_to_share", "impact", "maturity", "frontrunner")
              if getattr(profile, key) is not None}
    stated |= {f"topic:{code}" for code, weight in given_interests.items() if weight > 0}
    changes["stated"] = base.stated | stated
    for key in ("neighbours", "associations"):
        if getattr(profile, key) is not None:
            changes[key] = frozenset(getattr(profile, key))
    if profile.groups is not None:
        if any(code not in group_codes for code in profile.groups):
            raise CopInputError(f"{field}.groups", "must list codes of the requested groups")
        changes["allowed_groups"] = frozenset(profile.groups)
    if profile.must_participate is not None:
        changes["must_participate"] = profile.must_participate
    return replace(base, **changes)


def _participants(entries: list[ParticipantIn], profiles: Mapping[str, GovernmentProfile] | None,
                  vocabulary: Vocabulary, group_codes: set[str]) -> list[Participant]:
    profiles = profiles or {}
    by_nis = {p.nis_code: p for p in profiles.values() if p.nis_code}
    iri_to_id = {iri: participant_id(p) for iri, p in profiles.items()}
    out = []
    for n, entry in enumerate(entries):
        field = f"participants.{n}"
        if entry.nis_code is not None:
            profile = by_nis.get(entry.nis_code)
            if profile is None:
                raise CopInputError(f"{field}.nis_code", f"no municipality with NIS code {entry.nis_code!r}"
                                    + ("" if profiles else " (no graph loaded)"))
            if profile.former:
                raise CopInputError(f"{field}.nis_code", f"{profile.name} ({entry.nis_code}) merged on 2025-01-01; "
                                                         f"plan with its successor municipality")
            base = participant_from_profile(profile, iri_to_id=iri_to_id)
        elif entry.iri is not None:
            if entry.iri not in profiles:
                raise CopInputError(f"{field}.iri", f"no government {entry.iri!r}"
                                    + ("" if profiles else " (no graph loaded)"))
            base = participant_from_profile(profiles[entry.iri], iri_to_id=iri_to_id)
        else:
            base = Participant(id=str(entry.id), name=str(entry.profile.name))
        if entry.profile is not None:
            base = _apply_profile(base, entry.profile, f"{field}.profile", vocabulary, group_codes)
        out.append(base)
    return out


def _groups(entries: list[GroupIn] | None, concepts: Mapping[str, Any]) -> list[Group]:
    catalogue = group_catalogue(concepts)
    if entries is None:
        return [group_from_concept(c) for c in catalogue.values()]
    out = []
    for n, entry in enumerate(entries):
        if entry.code not in catalogue:
            raise CopInputError(f"groups.{n}.code", f"unknown group {entry.code!r} (valid: {', '.join(catalogue)})")
        sizes = {k: getattr(entry, k) for k in ("min_size", "max_size") if getattr(entry, k) is not None}
        out.append(group_from_concept(catalogue[entry.code], **sizes))
    return out


def _bounds(value: Mapping[str, BoundsIn], field: str, known: set[str]) -> dict[str, CountBounds]:
    out = {}
    for key, b in value.items():
        if key not in known:
            raise CopInputError(field, f"unknown code {key!r} (valid: {', '.join(sorted(known))})")
        out[key] = CountBounds(min=b.min, max=b.max, min_share=b.min_share, max_share=b.max_share)
    return out


def _constraints(value: ConstraintsIn | None, vocabulary: Vocabulary) -> Constraints:
    value = value or ConstraintsIn()
    c: dict[str, Any] = {}
    if value.max_groups_per_participant is not None:
        c["max_groups_per_participant"] = value.max_groups_per_participant
    if value.exactly_one_group:
        c["max_groups_per_participant"], c["assign_all"] = 1, True
    if value.assign_all is not None:
        c["assign_all"] = value.assign_all or c.get("assign_all", False)
    if value.min_frontrunners_per_group is not None:
        c["min_frontrunners_per_group"] = value.min_frontrunners_per_group
    if value.min_frontrunner_share is not None:
        c["min_frontrunner_share"] = value.min_frontrunner_share
    if value.max_per_province is not None:
        c["max_per_province"] = value.max_per_province
    if value.maturity_mix is not None:
        c["maturity_mix"] = _bounds(value.maturity_mix, "constraints.maturity_mix", set(ADOPTION_GROUPS))
    if value.government_type_mix is not None:
        c["government_type_mix"] = _bounds(value.government_type_mix, "constraints.government_type_mix",
                                           set(vocabulary.valid("government_type")))
    c["must_link"], c["cannot_link"] = tuple(value.must_link), tuple(value.cannot_link)
    c["fixed"] = {pid: (codes,) if isinstance(codes, str) else tuple(codes) for pid, codes in value.fixed.items()}
    return Constraints(**c)


def _weights(value: WeightsIn | None) -> Weights:
    given = value.model_dump(exclude_none=True) if value is not None else {}
    return Weights(**given)


def problem_from_request(request: PlanRequest | Mapping[str, Any], *,
                         profiles: Mapping[str, GovernmentProfile] | None,
                         concepts: Mapping[str, Any]) -> tuple[Problem, Weights]:
    """The problem and objective weights a request describes; CopInputError names the offending field."""
    request = parse(PlanRequest, request, field="", error=CopInputError)
    provinces = {p.province for p in (profiles or {}).values() if p.province}
    vocabulary = _vocabulary(concepts, provinces)
    groups = _groups(request.groups, concepts)
    participants = _participants(request.participants, profiles, vocabulary, {g.code for g in groups})
    return Problem(tuple(participants), tuple(groups), _constraints(request.constraints, vocabulary)), \
        _weights(request.weights)
