"""The whole app on a store server (Oxigraph server, Virtuoso 7) answers as on the embedded store.

The server app has no local store and an empty build folder: everything it shows comes from the
server (KRINGLOOP_STORE_URL); data/ is only the code's own copy of the vocabulary and map shapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.config import Settings
from kg.store import GraphStore
from kg.store_server import SparqlServerStore

GENT = "44021"


@pytest.fixture(scope="module", params=["oxigraph-server", "virtuoso"])
def clients(request: pytest.FixtureRequest, graph_store: GraphStore,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, TestClient]]:
    """(the app on the embedded store, the app on the server); the second has no store or build folder."""
    store_url = (request.getfixturevalue("oxigraph_url") if request.param == "oxigraph-server"
                 else request.getfixturevalue("virtuoso").url)
    empty = tmp_path_factory.mktemp("replica")
    embedded = Settings(store_path=Path(graph_store.path), embedding_model="hashing", state_dir=empty / "var-a")
    server = Settings(store_url=store_url, store_path=empty / "no-store", build_dir=empty / "no-build",
                      embedding_model="hashing", state_dir=empty / "var-b")
    with TestClient(create_app(embedded)) as a, TestClient(create_app(server)) as b:
        assert isinstance(b.app.state.services.current().store, SparqlServerStore)
        assert not (empty / "no-store").exists()
        yield a, b


def _masked(text: str) -> str:
    return re.sub(r"_:[A-Za-z0-9]+", "_:b", text)


@pytest.mark.parametrize("path", [
    f"/api/v1/governments/{GENT}/peers", f"/api/v1/governments/{GENT}/practices",
    "/api/v1/sparql/examples", "/.well-known/void",
])
def test_json_and_rdf_answers_are_the_same(path: str, clients: tuple[TestClient, TestClient]) -> None:
    a, b = (c.get(path, headers={"accept": "application/json, text/turtle;q=0.5"}) for c in clients)
    assert a.status_code == b.status_code == 200, b.text[:300]
    if "json" in a.headers["content-type"]:
        assert b.json() == a.json()
    else:
        assert sorted(_masked(b.text).splitlines()) == sorted(_masked(a.text).splitlines())


def test_recommendations_are_the_same(clients: tuple[TestClient, TestClient]) -> None:
    body = {"profile": {"description": "herbruikbare bekers uitlenen voor evenementen", "population": 12000,
                        "themes": ["hergebruik-herstel"]}, "limit": 8}
    a, b = (c.post("/api/v1/recommendations", json=body) for c in clients)
    assert a.status_code == b.status_code == 200, b.text[:300]
    assert b.json() == a.json()
    assert a.json()["practices"]


@pytest.mark.parametrize("path", [f"/bestuur/{GENT}", "/", "/data"])
def test_pages_read_from_the_server(path: str, clients: tuple[TestClient, TestClient]) -> None:
    a, b = (c.get(path) for c in clients)
    assert a.status_code == b.status_code == 200
    strip = lambda html: re.sub(r'nonce="[^"]*"', "", html)  # noqa: E731 - the CSP nonce differs per response
    assert strip(b.text) == strip(a.text)


def test_linked_data_of_a_government(clients: tuple[TestClient, TestClient]) -> None:
    answer = clients[0].get(f"/api/v1/governments/{GENT}/peers").json()
    peers = answer if isinstance(answer, list) else answer.get("peers") or answer.get("data")
    iri = peers[0]["iri"]
    path = "/" + iri.removeprefix("https://w3id.org/kringloop/")
    a, b = (c.get(path, headers={"accept": "application/n-triples"}) for c in clients)
    assert a.status_code == b.status_code == 200
    assert sorted(_masked(b.text).splitlines()) == sorted(_masked(a.text).splitlines())
    assert len(a.text.splitlines()) > 10
    a, b = (c.get(path, headers={"accept": "text/html"}) for c in clients)
    assert a.status_code == b.status_code == 200
    assert sorted(_masked(b.text).splitlines()) == sorted(_masked(a.text).splitlines())


def test_sparql_keeps_its_guard_limits_and_formats_in_front_of_the_server(clients: tuple[TestClient, TestClient]) -> None:
    _, b = clients
    refused = b.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert refused.status_code == 400 and "SERVICE" in refused.json()["error"]
    update = b.post("/sparql", content=b"DROP ALL", headers={"content-type": "application/sparql-query"})
    assert update.status_code == 400
    wrong = b.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert wrong.status_code == 400
    capped = b.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                   headers={"accept": "application/sparql-results+json"})
    assert capped.status_code == 200
    assert len(capped.json()["results"]["bindings"]) == 10_000
    for accept in ("text/csv", "application/sparql-results+xml", "text/tab-separated-values"):
        answer = b.get("/sparql", params={"query": "SELECT ?g WHERE { GRAPH ?g {} }"}, headers={"accept": accept})
        assert answer.status_code == 200 and accept in answer.headers["content-type"]
    graphs = b.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                   headers={"accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    assert "urn:kringloop:publication" not in {g["g"]["value"] for g in graphs}
