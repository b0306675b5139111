"""Peers and practices for Flemish local governments, explained in Dutch and English.

Public surface (a test pins it):

- ``load_profiles(store) -> dict[str, GovernmentProfile]``: one profile per government in the graph,
  keyed by IRI (nis_code, name, type, province, population, neighbours, memberships, theme and
  instrument weights by role, front-runner score, maturity estimate). Shared with the CoP planner.
- ``load_knowledge(store) -> KnowledgeBase`` and ``derive_profiles(kb)``: the same in two steps.
- ``Recommender(encoder=...).fit(kb)``; ``.recommend(nis_code=..., profile={...}, limit=10)``.
- ``load_encoder(name)`` / ``LazyEncoder(name)`` ("use-multilingual", "minilm" or a local path) and
  ``HashingEncoder`` (deterministic, model-free: tests and scale benches).
"""

from .encoders import Encoder, HashingEncoder, LazyEncoder, load_encoder
from .errors import InvalidProfile, RecommenderError, UnknownGovernment
from .explain import Reason
from .knowledge import KnowledgeBase, load_knowledge
from .model import Recommendation, RecommendationResult, Recommender
from .profiles import GovernmentProfile, QueryProfile, derive_profiles, load_profiles, resolve_profile

__all__ = sorted([
    "Encoder", "GovernmentProfile", "HashingEncoder", "InvalidProfile", "KnowledgeBase",
    "LazyEncoder", "QueryProfile", "Reason", "Recommendation", "RecommendationResult", "Recommender",
    "RecommenderError", "UnknownGovernment", "derive_profiles", "load_encoder", "load_knowledge", "load_profiles",
    "resolve_profile",
], key=str.casefold)
