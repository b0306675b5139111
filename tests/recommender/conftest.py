"""Recommender fixtures: the real graph's knowledge, and a recommender fitted with the fake encoder."""

from __future__ import annotations

import pytest

from kg.store import GraphStore
from recommender import HashingEncoder, KnowledgeBase, Recommender, load_knowledge


@pytest.fixture(scope="session")
def kb(graph_store: GraphStore) -> KnowledgeBase:
    return load_knowledge(graph_store)


@pytest.fixture(scope="session")
def fitted(kb: KnowledgeBase) -> Recommender:
    """Fitted once per session with the deterministic encoder (STYLE C11); tests must not mutate it."""
    return Recommender(encoder=HashingEncoder()).fit(kb)

