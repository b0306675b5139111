"""Which base quads curation composes from (kg/curation.py ``base_source``, state/base_dataset.py).

With a store server: the base the last ``kringloop build --publish`` recorded in the state, even when a
local build/ exists (it may be older than the published build); without one, build/kringloop.nq. Two real
replicas without any build/ curating through this: tests/api/test_replicas.py.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from fixtures.store_servers import free_port
from kg.curation import BASE_NQ, base_source, publish
from kg.errors import KgError, StoreMissing
from kg.namespaces import DEFAULT_BASE_IRI
from kg.store_server import ServerEndpoints
from state.base_dataset import base_digest, load_base, record_base
from state.db import opened

LOCAL = b"<https://example.org/s> <https://example.org/p> \"local build\" <https://example.org/g> .\n"
PUBLISHED = b"<https://example.org/s> <https://example.org/p> \"published build\" <https://example.org/g> .\n"


def _dead_server() -> ServerEndpoints:
    root = f"http://127.0.0.1:{free_port()}"   # nothing listens there
    return ServerEndpoints(query_url=f"{root}/query", update_url=f"{root}/update", graph_store_url=f"{root}/store",
                           timeout_s=5)


def test_with_a_store_server_the_recorded_base_wins(tmp_path: Path) -> None:
    state, build = tmp_path / "var", tmp_path / "build"
    build.mkdir()
    (build / BASE_NQ).write_bytes(LOCAL)
    server = _dead_server()   # base_source never contacts it

    key, read = base_source(state, build, DEFAULT_BASE_IRI, server=server)
    assert key[0] == "file" and read() == LOCAL          # nothing recorded yet: the local build

    record_base(state, PUBLISHED, base_iri=DEFAULT_BASE_IRI)
    key, read = base_source(state, build, DEFAULT_BASE_IRI, server=server)
    assert key == ("recorded", hashlib.sha256(PUBLISHED).hexdigest()) and read() == PUBLISHED
    assert base_source(state, build, DEFAULT_BASE_IRI, server=None)[1]() == LOCAL   # one machine: build/

    newer = PUBLISHED.replace(b"published", b"republished")
    record_base(state, newer, base_iri=DEFAULT_BASE_IRI)
    key2, read = base_source(state, build, DEFAULT_BASE_IRI, server=server)
    assert key2 != key and read() == newer                # a new record replaces the one read before

    with pytest.raises(StoreMissing, match="base IRI"):
        base_source(state, build, "https://elders.example/", server=server)[1]()


def test_no_build_and_no_record_says_what_to_run(tmp_path: Path) -> None:
    empty = tmp_path / "empty-build"
    empty.mkdir()
    with pytest.raises(StoreMissing, match=r"kringloop build --publish"):
        base_source(tmp_path / "var", empty, DEFAULT_BASE_IRI, server=_dead_server())
    with pytest.raises(StoreMissing, match=r"run 'kringloop build' first"):
        base_source(tmp_path / "var", empty, DEFAULT_BASE_IRI, server=None)


def test_the_base_is_recorded_before_the_server_is_written(tmp_path: Path) -> None:
    """A build --publish whose server write fails still leaves its base recorded (the next publish sends it),
    never the older base, which a later curation commit would put back."""
    state, build = tmp_path / "var", tmp_path / "build"
    build.mkdir()
    (build / BASE_NQ).write_bytes(LOCAL)
    record_base(state, PUBLISHED, base_iri=DEFAULT_BASE_IRI)
    with pytest.raises(KgError):
        publish(state_dir=state, build_dir=build, store_path=build / "store", base_iri=DEFAULT_BASE_IRI,
                server=_dead_server(), new_base=True)
    record = load_base(state)
    assert record is not None and record.nquads == LOCAL and record.generation is None


def test_the_real_base_is_stored_compressed_and_checked(build_dir: Path, tmp_path: Path) -> None:
    nquads = (build_dir / BASE_NQ).read_bytes()
    digest = record_base(tmp_path / "var", nquads, base_iri=DEFAULT_BASE_IRI)
    assert base_digest(tmp_path / "var") == digest == hashlib.sha256(nquads).hexdigest()
    with opened(tmp_path / "var") as conn:
        stored = bytes(conn.execute("SELECT nquads_gz FROM base_dataset").fetchone()[0])
    print(f"base quads: {len(nquads):,} bytes, stored gzip-compressed: {len(stored):,} bytes")
    assert gzip.decompress(stored) == nquads and len(stored) < len(nquads) / 4
    record = load_base(tmp_path / "var")
    assert record is not None and record.size == len(nquads) and record.nquads == nquads
