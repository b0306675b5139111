"""Registrations (API.md): public POST, coordinator-only GET, codes checked, private, size- and rate-limited.

Every test that uses ``env`` runs twice: state in SQLite (a folder) and in PostgreSQL (a throwaway
cluster started by the ``postgres_server`` fixture).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from _state_env import lean_app, private_build, settings_for
from fastapi.testclient import TestClient

from api.cli import main as cli_main
from api.ratelimit import TokenBucket
from state import db as statedb
from state.tokens import create_token, revoke_token
from kg.store import GraphStore

INJECTIONS = [
    "'; DROP TABLE registrations; --",
    '" } ; DROP ALL ; INSERT DATA { <a> <b> <c> } #',
    "<script>alert('x')</script>",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
    "Robert\"); DELETE WHERE { ?s ?p ?o }; --\n\ttab and newline",
    "ünïcødé ✓ 𝔘 \u202e reversed",
]
FULL = {"nis_code": "24062",
        "profile": {"name": "Leuven", "government_type": "centrumstad", "province": "Vlaams-Brabant",
                    "population": 102275, "maturity": "strategisch-extern", "themes": ["hergebruik-herstel"],
                    "instruments": ["circulair-aankopen"], "barriers": ["middelen-menskracht"], "drivers": ["klimaat"],
                    "description": "Wij willen leren van andere steden."},
        "groups": ["cop-monitoring", "cop-circulair-aankopen"]}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request: pytest.FixtureRequest, build_dir: Path,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str], Path]]:
    root = tmp_path_factory.mktemp("registrations")
    extra = {}
    if request.param == "postgresql":
        from fixtures.postgres import new_database

        extra["state_url"] = new_database(request.getfixturevalue("postgres_server"))
    settings = settings_for(private_build(build_dir, root / "build"), root / "var", **extra)
    with TestClient(lean_app(settings)) as client:
        token = create_token(settings.state_location, "coordinator-test")
        client.state_location = settings.state_location
        yield client, {"Authorization": f"Bearer {token}"}, root


def test_a_registration_is_stored_and_read_back_by_a_coordinator(env) -> None:
    client, auth, _ = env
    answer = client.post("/api/v1/registrations", json=FULL)
    assert answer.status_code == 201
    reg_id = answer.json()["id"]
    assert answer.headers["location"] == f"/api/v1/registrations/{reg_id}"
    got = client.get(f"/api/v1/registrations/{reg_id}", headers=auth)
    assert got.status_code == 200 and got.headers["cache-control"] == "no-store"
    body = got.json()
    assert (body["nis_code"], body["profile"], body["groups"]) == (FULL["nis_code"], FULL["profile"], FULL["groups"])
    listed = client.get("/api/v1/registrations", headers=auth, params={"group": "cop-monitoring"}).json()
    assert reg_id in [r["id"] for r in listed["data"]] and listed["count"] >= 1


def test_reading_needs_a_valid_unrevoked_token(env) -> None:
    client, auth, root = env
    for headers in ({}, {"Authorization": "Bearer kl_0000000000000000_" + "x" * 43}, {"Authorization": "Basic abc"},
                    {"Authorization": auth["Authorization"] + "x"}):
        answer = client.get("/api/v1/registrations", headers=headers)
        assert answer.status_code == 401, headers
        assert answer.json()["ok"] is False and "token" in answer.json()["error"]
        assert answer.headers["www-authenticate"].startswith("Bearer")
    other = create_token(client.state_location, "leaves-soon")
    assert client.get("/api/v1/registrations", headers={"Authorization": f"Bearer {other}"}).status_code == 200
    revoke_token(client.state_location, "leaves-soon")
    assert client.get("/api/v1/registrations", headers={"Authorization": f"Bearer {other}"}).status_code == 401


@pytest.mark.parametrize(("body", "field"), [
    ({"nis_code": "99999"}, "nis_code"),
    ({"nis_code": "2406"}, "nis_code"),
    ({"nis_code": 24062}, "nis_code"),
    ({"nis_code": "24062", "profile": {"maturity": "super"}}, "profile.maturity"),
    ({"nis_code": "24062", "profile": {"themes": ["hergebruik-herstel", "kernfusie"]}}, "profile.themes.1"),
    ({"nis_code": "24062", "profile": {"barriers": ["geen-zin"]}}, "profile.barriers.0"),
    ({"nis_code": "24062", "profile": {"drivers": ["winst"]}}, "profile.drivers.0"),
    ({"nis_code": "24062", "profile": {"government_type": "koninkrijk"}}, "profile.government_type"),
    ({"nis_code": "24062", "profile": {"province": "Henegouwen"}}, "profile.province"),
    ({"nis_code": "24062", "profile": {"population": -1}}, "profile.population"),
    ({"nis_code": "24062", "profile": {"population": "veel"}}, "profile.population"),
    ({"nis_code": "24062", "groups": ["cop-golf"]}, "groups.0"),
    ({"nis_code": "24062", "groups": "cop-monitoring"}, "groups"),
    ({"nis_code": "24062", "colour": "blue"}, "colour"),
    ({"profile": {"name": "A\u0000B"}}, "profile.name"),
    ({"profile": {"description": "ok"}}, ""),
], ids=lambda v: json.dumps(v)[:40] if isinstance(v, dict) else v)
def test_bad_input_gets_422_naming_the_field(env, body: dict, field: str) -> None:
    client, _, _ = env
    answer = client.post("/api/v1/registrations", json=body)
    assert answer.status_code == 422
    error = answer.json()
    assert error["ok"] is False and error["status"] == 422 and error["error"]
    assert error["errors"][0]["field"] == field


def test_a_municipality_that_ended_in_2025_is_pointed_to_its_successor(env) -> None:
    client, _, _ = env
    answer = client.post("/api/v1/registrations", json={"nis_code": "11007"})  # Borsbeek, part of Antwerpen since 2025
    assert answer.status_code == 422
    assert "ended on 2025-01-01 with the mergers; use 11002 (Antwerpen)" in answer.json()["error"]


@pytest.mark.parametrize("how", ["declared", "streamed"])
def test_oversized_bodies_are_refused_with_413(env, how: str) -> None:
    client, _, _ = env
    payload = json.dumps({"profile": {"name": "x", "description": "y" * 40_000}}).encode()
    if how == "declared":
        answer = client.post("/api/v1/registrations", content=payload, headers={"content-type": "application/json"})
    else:
        answer = client.post("/api/v1/registrations", content=iter([payload[:10_000], payload[10_000:]]),
                             headers={"content-type": "application/json"})
    assert answer.status_code == 413
    assert answer.json() == {"ok": False, "error": "request body too large (limit 16384 bytes)", "status": 413}


def test_malformed_json_is_a_4xx_with_a_message(env) -> None:
    client, _, _ = env
    for content in (b"{not json", b"\xff\xfe\x00", b"[]", b"null"):
        answer = client.post("/api/v1/registrations", content=content, headers={"content-type": "application/json"})
        assert 400 <= answer.status_code < 500, content
        assert answer.json()["error"]


@pytest.mark.parametrize("text", INJECTIONS, ids=range(len(INJECTIONS)))
def test_injection_attempts_are_stored_verbatim_and_stay_private(env, text: str) -> None:
    client, auth, root = env
    body = {"profile": {"name": text, "description": text}, "groups": ["cop-monitoring"]}
    answer = client.post("/api/v1/registrations", json=body)
    assert answer.status_code == 201
    stored = client.get(f"/api/v1/registrations/{answer.json()['id']}", headers=auth).json()
    assert stored["profile"]["name"] == text and stored["profile"]["description"] == text
    with statedb.opened(client.state_location) as db:  # the table the first string tries to drop
        assert db.execute("SELECT count(*) FROM registrations").fetchone()[0] >= 1


def test_registrations_never_reach_the_public_graph_or_dumps(env) -> None:
    client, _, root = env
    marker = "private-marker-7f3a9"
    assert client.post("/api/v1/registrations", json={"profile": {"name": marker, "description": marker}}).status_code == 201
    store = GraphStore.open(root / "build" / "store")
    assert not any(marker in q.object.value for q in store.store if hasattr(q.object, "value"))
    for dump in (root / "build").glob("kringloop.*"):
        assert marker.encode() not in dump.read_bytes()
    public = client.get("/api/v1/curation/cases/leuven-resource-hub")
    assert marker not in public.text


def test_plan_input_is_a_cop_planning_request(env) -> None:
    client, auth, _ = env
    client.post("/api/v1/registrations", json={"nis_code": "11002", "profile": {"maturity": "actief"},
                                               "groups": ["cop-stadsontwikkeling"]})
    client.post("/api/v1/registrations", json={"profile": {"description": "no name"}, "nis_code": None})
    answer = client.get("/api/v1/registrations/plan-input", headers=auth)
    assert answer.status_code == 200
    request = answer.json()["request"]
    antwerpen = next(p for p in request["participants"] if p.get("nis_code") == "11002")
    assert antwerpen["profile"] == {"maturity": "actief", "groups": ["cop-stadsontwikkeling"]}
    assert {"code": "cop-stadsontwikkeling"} in request["groups"]
    assert set(request) == {"participants", "groups"}


def test_too_many_registrations_from_one_client_get_429(env) -> None:
    client, _, _ = env
    client.app.state.rate_limiters["registrations"] = TokenBucket(0.01, 2)
    try:
        codes = [client.post("/api/v1/registrations", json={"nis_code": "24062"}).status_code for _ in range(3)]
        assert codes == [201, 201, 429]
        refused = client.post("/api/v1/registrations", json={"nis_code": "24062"})
        assert int(refused.headers["retry-after"]) >= 1 and "too many" in refused.json()["error"]
    finally:
        del client.app.state.rate_limiters["registrations"]


def test_token_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    bucket = TokenBucket(2.0, 3, clock=lambda: now[0])
    assert [bucket.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take("a") == pytest.approx(0.5)
    assert bucket.take("b") == 0.0  # per client
    now[0] = 0.5
    assert bucket.take("a") == 0.0


def test_token_command_prints_the_token_once_and_stores_only_a_hash(tmp_path: Path, capsys) -> None:
    state = tmp_path / "var"
    assert cli_main(["token", "create", "an", "--state-dir", str(state)]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("kl_")
    assert cli_main(["token", "list", "--state-dir", str(state)]) == 0
    listing = capsys.readouterr().out
    assert "an" in listing and token not in listing and token.split("_", 2)[2] not in listing
    raw = (state / "kringloop.sqlite").read_bytes() + b"".join(p.read_bytes() for p in state.glob("*-wal"))
    assert token.split("_", 2)[2].encode() not in raw
    assert cli_main(["token", "create", "an", "--state-dir", str(state)]) == 2  # one active token per name
    assert cli_main(["token", "revoke", "an", "--state-dir", str(state)]) == 0
    assert cli_main(["token", "revoke", "an", "--state-dir", str(state)]) == 2
    assert cli_main(["token", "create", "two words", "--state-dir", str(state)]) == 2


def test_backup_and_restore_keep_every_registration(env, tmp_path: Path) -> None:
    client, auth, root = env
    if statedb.is_postgres(client.state_location):   # PostgreSQL has its own tools: the command says so
        assert cli_main(["backup", str(tmp_path / "state.sqlite"), "--state-dir", client.state_location]) == 2
        assert cli_main(["restore", str(tmp_path / "state.sqlite"), "--state-dir", client.state_location]) == 2
        assert not (tmp_path / "state.sqlite").exists()
        return
    before = client.get("/api/v1/registrations", headers=auth, params={"limit": 1000}).json()
    assert cli_main(["backup", str(tmp_path / "state.sqlite"), "--state-dir", str(root / "var")]) == 0
    assert cli_main(["restore", str(tmp_path / "state.sqlite"), "--state-dir", str(tmp_path / "restored")]) == 0
    env2 = settings_for(root / "build", tmp_path / "restored")
    with TestClient(lean_app(env2)) as other:
        after = other.get("/api/v1/registrations", headers=auth, params={"limit": 1000}).json()
    assert after == before
    assert cli_main(["restore", str(root / "build" / "kringloop.nq"), "--state-dir", str(tmp_path / "x")]) == 2


def test_postgresql_state_holds_only_token_hashes(postgres_server: str) -> None:
    from fixtures.postgres import new_database

    location = new_database(postgres_server)
    token = create_token(location, "pg-coordinator")
    secret = token.split("_", 2)[2]
    with statedb.opened(location) as db:
        rows = db.execute("SELECT * FROM tokens").fetchall()
        version = db.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    assert len(rows) == 1 and version == statedb.MIGRATIONS[-1][0]
    dumped = repr([dict(r) for r in rows]) + "".join(bytes(v).hex() for r in rows for v in r.values()
                                                     if isinstance(v, (bytes, memoryview)))
    assert secret not in dumped and secret.encode().hex() not in dumped
