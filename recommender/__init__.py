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

# written out sorted (a test keeps it sorted and complete), so a name added here is a decision
__all__ = [
    "derive_profiles", "Encoder", "GovernmentProfile", "HashingEncoder", "InvalidProfile", "KnowledgeBase",
    "LazyEncoder", "load_encoder", "load_knowledge", "load_profiles", "QueryProfile", "Reason", "Recommendation",
    "RecommendationResult", "Recommender", "RecommenderError", "resolve_profile", "UnknownGovernment",
]
