"""A store published at the same path (rebuild, curation commit) is answered without a restart."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient

from fixtures.sparql_support import make_settings, sparql_app, write_quads_store

GRAPH = ox.NamedNode("https://w3id.org/kringloop/graph/cases")
P = ox.NamedNode("urn:kringloop:test#version")


def _publish(path: Path, version: str) -> None:
    write_quads_store([ox.Quad(ox.NamedNode("urn:kringloop:test#store"), P, ox.Literal(version), GRAPH)], path)


def test_workers_answer_from_the_newly_published_generation(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _publish(store, "one")
    app = sparql_app(make_settings(store, tmp_path))
    query = {"query": "SELECT ?v WHERE { ?s <urn:kringloop:test#version> ?v }"}
    with TestClient(app) as client:
        first = client.get("/sparql", params=query, headers={"Accept": "application/sparql-results+json"})
        assert [b["v"]["value"] for b in first.json()["results"]["bindings"]] == ["one"]
        for version in ("two", "three"):  # two publishes: the first generation is gone from disk
            _publish(store, version)
            seen = set()
            for _ in range(4):  # every worker of the pool moves on, not just one
                answer = client.get("/sparql", params=query, headers={"Accept": "application/sparql-results+json"})
                assert answer.status_code == 200
                seen.update(b["v"]["value"] for b in answer.json()["results"]["bindings"])
            assert seen == {version}


def test_sparql_is_rate_limited_per_client(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _publish(store, "one")
    app = sparql_app(make_settings(store, tmp_path, rate_limits={"sparql": (0.1, 3)}))
    with TestClient(app) as client:
        codes = [client.get("/sparql", params={"query": "ASK {}"}).status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3] == 429
        limited = client.get("/sparql", params={"query": "ASK {}"})
        assert limited.json()["status"] == 429 and int(limited.headers["Retry-After"]) >= 1
