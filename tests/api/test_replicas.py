"""Two app replicas, one Oxigraph server, one PostgreSQL: they share nothing else, and agree.

Both replicas are real server processes (uvicorn) with no local store and no build/ (their build
folders are empty): the graph comes from the store server, registrations, curation, tokens, rate-limit
buckets and the published build's base quads from PostgreSQL. A registration or a curation made
through one is visible through the other, a curated case reaches the other's recommendations without a
restart (the other notices the newly published generation: kg/store_server.py), and a client that
spent its burst on one replica is refused by the other.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from _state_env import DATA_DIR, GENEROUS_LIMITS

from api.commands.graph import publish_build
from api.config import Settings
from fixtures.postgres import new_database
from fixtures.store_servers import free_port, oxigraph_server
from state.base_dataset import base_digest
from state.tokens import create_token

REPO = Path(__file__).resolve().parents[2]
WORDS = "zwerfkeibrug uit gerecupereerde kasseien"   # a need no case in data/ answers
REGISTRATION_LIMIT = (0.01, 4)   # a token per 100 s: none comes back while the test spends the burst


class Replica:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
                 "--port", str(self.port), "--log-level", "warning"],
                cwd=REPO, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)

    def wait(self) -> None:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"a replica exited: {self.log.read_text(errors='replace')[-3000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        pytest.fail("a replica did not start within 180 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def test_two_replicas_share_the_graph_and_the_state(build_dir: Path, postgres_server: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    state_url = new_database(postgres_server)
    auth = {"Authorization": f"Bearer {create_token(state_url, 'replica-coordinator')}"}
    with oxigraph_server(tmp_path / "oxigraph", timeout_s=10) as store_url:
        # what `kringloop build --publish` does after building: the graph goes to the server, its base quads to
        # the state, where replicas without a build find them
        monkeypatch.setenv("KRINGLOOP_STORE_URL", store_url)
        monkeypatch.setenv("KRINGLOOP_STATE_URL", state_url)
        publish_build(build_dir, Settings())   # read now: get_settings() may hold an earlier test's settings
        assert base_digest(state_url) == hashlib.sha256((build_dir / "kringloop.nq").read_bytes()).hexdigest()
        replicas, empty_builds = [], []
        try:
            for name in ("a", "b"):
                # no build/ at all: an empty folder; no store in it or anywhere local
                empty_builds.append(tmp_path / f"empty-build-{name}")
                empty_builds[-1].mkdir()
                limits = {**GENEROUS_LIMITS, "registrations": REGISTRATION_LIMIT}
                env = {"KRINGLOOP_STORE_URL": store_url, "KRINGLOOP_STATE_URL": state_url,
                       "KRINGLOOP_BUILD_DIR": str(empty_builds[-1]), "KRINGLOOP_DATA_DIR": str(DATA_DIR),
                       "KRINGLOOP_STORE_PATH": str(tmp_path / f"no-store-{name}"),
                       "KRINGLOOP_STATE_DIR": str(tmp_path / f"no-state-{name}"),
                       "KRINGLOOP_EMBEDDING_MODEL": "hashing", "KRINGLOOP_SPARQL_WORKERS": "1",
                       "KRINGLOOP_RATE_LIMITS": json.dumps(limits)}
                replicas.append(Replica(env, tmp_path / f"replica-{name}.log"))
            for replica in replicas:
                replica.wait()
            a, b = (httpx.Client(base_url=r.url, timeout=60) for r in replicas)

            # a registration through A is read through B
            made = a.post("/api/v1/registrations", json={"nis_code": "33039", "groups": ["cop-stadsontwikkeling"]})
            assert made.status_code == 201, made.text
            seen = b.get(f"/api/v1/registrations/{made.json()['id']}", headers=auth)
            assert seen.status_code == 200 and seen.json()["groups"] == ["cop-stadsontwikkeling"]

            # the client spends the rest of its registration burst on A; B refuses it (one bucket, in PostgreSQL)
            burst = REGISTRATION_LIMIT[1]
            assert [a.post("/api/v1/registrations", json={"nis_code": "33039"}).status_code
                    for _ in range(burst - 1)] == [201] * (burst - 1)
            for replica in (b, a):
                refused = replica.post("/api/v1/registrations", json={"nis_code": "33039"})
                assert refused.status_code == 429, refused.text
                assert int(refused.headers["retry-after"]) >= 1
                assert refused.json()["ok"] is False and refused.json()["status"] == 429
                assert refused.json()["error"].startswith("too many requests to registrations")

            # a case curated through A: B shows it and recommends it, without a restart
            request = {"profile": {"description": WORDS}, "limit": 10}
            before = b.post("/api/v1/recommendations", json=request).json()["practices"]
            assert "curated-zwerfkeibrug" not in {p["id"] for p in before}
            record = a.get("/api/v1/curation/cases/leuven-resource-hub").json()["record"]
            record.update(id="curated-zwerfkeibrug", title_nl=f"Heuvelland bouwt een {WORDS}",
                          summary_nl=f"Heuvelland bouwde een {WORDS} over de beek. De kasseien kwamen van "
                                     "heraangelegde straten in de gemeente.", lead=["33039"], gov_role="lead",
                          partners=[], partner_ids=[], themes=["stadsontwikkeling"])
            created = a.post("/api/v1/curation/cases", json=record, headers=auth)
            assert created.status_code == 201 and created.json()["published"] is True, created.text
            assert b.get("/api/v1/curation/cases/curated-zwerfkeibrug").json()["origin"] == "curation"

            deadline = time.monotonic() + 30
            while True:
                after = b.post("/api/v1/recommendations", json=request).json()["practices"]
                if after and after[0]["id"] == "curated-zwerfkeibrug":
                    break
                assert time.monotonic() < deadline, [p["id"] for p in after[:3]]
                time.sleep(0.5)
            assert "zwerfkeibrug" in b.get("/bestuur/33039").text
            count = b.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?c ?p ?o "
                                                      "FILTER(CONTAINS(STR(?c), 'curated-zwerfkeibrug')) }"},
                          headers={"accept": "application/sparql-results+json"})
            assert int(count.json()["results"]["bindings"][0]["n"]["value"]) > 0
            assert all(not any(folder.iterdir()) for folder in empty_builds)   # nothing was put there either
        finally:
            for replica in replicas:
                replica.stop()
