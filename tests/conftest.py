"""Shared fixtures: the real graph is built once per test session into a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.build import BuildReport, build
from kg.namespaces import DEFAULT_BASE_IRI
from kg.store import GraphStore

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from KRINGLOOP_* variables; none may leak into or between tests."""
    for key in list(os.environ):
        if key.startswith("KRINGLOOP_"):
            monkeypatch.delenv(key)


@pytest.fixture(autouse=True)
def _generous_read_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests fire hundreds of queries from one client; the rate-limit tests set their own limits."""
    from api import ratelimit

    for name in ("sparql", "recommendations", "cops"):
        monkeypatch.setitem(ratelimit.DEFAULT_LIMITS, name, (10_000.0, 10_000))


@pytest.fixture(scope="session")
def built_graph(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The real graph from data/, built and validated once per session."""
    out = tmp_path_factory.mktemp("build")
    return build(DATA_DIR, out, base_iri=DEFAULT_BASE_IRI)


@pytest.fixture(scope="session")
def build_dir(built_graph: BuildReport) -> Path:
    return Path(built_graph.store_path).parent


@pytest.fixture(scope="session")
def graph_store(built_graph: BuildReport) -> GraphStore:
    """The built store, opened read-only (shared by the session's tests)."""
    return GraphStore.open(Path(built_graph.store_path))


@pytest.fixture(scope="session")
def oxigraph_url(built_graph: BuildReport, tmp_path_factory: pytest.TempPathFactory):
    """An Oxigraph server (started here, on a free port) holding the built graph, published as a generation.

    Its default graph is NOT the union of the named graphs: Kringloop must not depend on that.
    """
    from fixtures.store_servers import oxigraph_server
    from kg.store_server import ServerEndpoints, publish_to_server

    location = tmp_path_factory.mktemp("oxigraph") / "data"
    with oxigraph_server(location, timeout_s=30) as url:
        root = url.rsplit("/", 1)[0]
        publish_to_server((Path(built_graph.store_path).parent / "kringloop.nq").read_bytes(),
                          ServerEndpoints(query_url=url, update_url=f"{root}/update", graph_store_url=f"{root}/store"))
        yield url


@pytest.fixture(scope="session")
def virtuoso(built_graph: BuildReport, tmp_path_factory: pytest.TempPathFactory):
    """A Virtuoso Open Source 7 (started here) holding the built graph, published as a generation the way an
    operator would: ``publish_to_server`` through Virtuoso's Digest-guarded write endpoints, as a publisher
    account that may write graphs and nothing else. Readers use the anonymous, read-only ``/sparql``.

    Fails (never skips) when Virtuoso cannot be started: ``make test`` installs it.
    """
    from fixtures.virtuoso import VirtuosoUnavailable, virtuoso_server
    from kg.store_server import Credentials, ServerEndpoints, publish_to_server

    try:
        with virtuoso_server(tmp_path_factory.mktemp("virtuoso"), max_query_s=30) as server:
            server.create_publisher("kringloop_publisher", "publish-secret")
            server.endpoints = ServerEndpoints(
                query_url=server.url, update_url=server.update_url, graph_store_url=server.graph_store_url,
                credentials=Credentials("kringloop_publisher", "publish-secret", "digest"))
            publish_to_server((Path(built_graph.store_path).parent / "kringloop.nq").read_bytes(), server.endpoints)
            yield server
    except VirtuosoUnavailable as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL cluster (started here on a free port); tests take databases with ``new_database``."""
    from fixtures.postgres import postgres_cluster

    with postgres_cluster() as url:
        yield url
