"""From the recommender's government profiles (``recommender.profiles``) to planner participants."""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..profiles import GovernmentProfile
from .model import MATURITY_CODES, Participant

# The late majority is the seed's prior (65 % of governments) when a profile has no maturity estimate.
DEFAULT_MATURITY_LEVEL = 2


def interest_strength(weight: float) -> float:
    """A profile's summed case weight on a topic as a 0..1 interest: one case led (weight 1) gives 0.63.

    >>> round(interest_strength(1.0), 2), interest_strength(0.0)
    (0.63, 0.0)
    """
    return 1.0 - math.exp(-max(weight, 0.0))


def participant_id(profile: GovernmentProfile) -> str:
    """Municipalities are named by NIS code (as in the API); other governments by IRI."""
    return profile.nis_code or profile.iri


def participant_from_profile(profile: GovernmentProfile, *, iri_to_id: Mapping[str, str] | None = None) -> Participant:
    """The planner's view of a government profile; neighbours are translated to participant ids."""
    iri_to_id = iri_to_id or {}
    interests = {code: interest_strength(w) for code, w in {**profile.theme_weights,
                                                             **profile.instrument_weights}.items() if w > 0}
    return Participant(
        id=participant_id(profile), name=profile.name, government_type=profile.type, province=profile.province,
        population=profile.population,
        maturity_level=MATURITY_CODES.get(profile.maturity or "", DEFAULT_MATURITY_LEVEL),
        interests=interests, neighbours=frozenset(iri_to_id.get(n, n) for n in profile.neighbours),
        associations=frozenset(profile.memberships), iri=profile.iri,
        maturity_estimated=profile.maturity is not None and profile.maturity_from_evidence)
