"""The app over the session's graph, for API tests that need nothing special (modules may define their own)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.config import Settings
from kg.store import GraphStore


@pytest.fixture(scope="session")
def client(graph_store: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(store_path=Path(graph_store.path), embedding_model="hashing",
                        state_dir=tmp_path_factory.mktemp("state"))
    with TestClient(create_app(settings)) as c:
        yield c
