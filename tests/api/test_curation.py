"""Curation: coordinators create, correct and retire cases and organisations; SHACL first, PROV kept,
visible in the public graph after commit, and still there after a rebuild from data/."""

from __future__ import annotations

import copy
from datetime import datetime
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from _state_env import DATA_DIR, lean_app, private_build, settings_for
from fastapi.testclient import TestClient

from state.tokens import create_token
from kg.build import build
from kg.curation import Curator, CurationError, curation_quads, curation_version, published_version
from kg.namespaces import DEFAULT_BASE_IRI
from kg.store import GraphStore

B = DEFAULT_BASE_IRI
DCT, PROV, SKOS = "http://purl.org/dc/terms/", "http://www.w3.org/ns/prov#", "http://www.w3.org/2004/02/skos/core#"
KL = "https://w3id.org/kringloop/def#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
CURATIE = ox.NamedNode(B + "graph/curatie")


@pytest.fixture
def env(build_dir: Path, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], Path]]:
    settings = settings_for(private_build(build_dir, tmp_path / "build"), tmp_path / "var")
    with TestClient(lean_app(settings)) as client:
        yield client, {"Authorization": f"Bearer {create_token(settings.state_dir, 'an-ovam')}"}, tmp_path


@pytest.fixture(scope="module")
def shared(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str], Path]]:
    """One app for the tests that only add records with their own ids (each fresh app costs ~2 s)."""
    root = tmp_path_factory.mktemp("curation-shared")
    settings = settings_for(private_build(build_dir, root / "build"), root / "var")
    with TestClient(lean_app(settings)) as client:
        yield client, {"Authorization": f"Bearer {create_token(settings.state_dir, 'an-ovam')}"}, root


def store_of(root: Path) -> GraphStore:
    return GraphStore.open(root / "build" / "store")


def objects(store: GraphStore, subject: str, predicate: str) -> list:
    return [q.object for q in store.store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None)]


def base_case(client: TestClient, case_id: str = "leuven-resource-hub") -> dict:
    record = client.get(f"/api/v1/curation/cases/{case_id}").json()["record"]
    record.pop("id")
    return record


def new_case(client: TestClient, case_id: str, **changes) -> dict:
    return {**base_case(client), "id": case_id, "title_nl": f"Nieuwe praktijk {case_id}", **changes}


def test_a_new_case_is_validated_committed_and_public_with_its_provenance(env) -> None:
    client, auth, root = env
    body = new_case(client, "test-materiaalbank", lead=["24062"], change_note="gezien op de website")
    answer = client.post("/api/v1/curation/cases", json=body, headers=auth)
    assert answer.status_code == 201, answer.text
    change = answer.json()
    assert change["published"] is True and change["action"] == "create" and change["agent"] == "an-ovam"
    store = store_of(root)
    case = B + "id/case/test-materiaalbank"
    assert objects(store, case, DCT + "title") == [ox.Literal("Nieuwe praktijk test-materiaalbank", language="nl")]
    assert ox.NamedNode(KL + "Case") in objects(store, case, RDF_TYPE.value)
    assert ox.NamedNode(B + "id/gemeente/24062") in objects(store, case, KL + "leadGovernment")
    node = change["change"]
    assert objects(store, node, DCT + "subject") == [ox.NamedNode(case)]
    assert objects(store, node, PROV + "wasAttributedTo") == [ox.NamedNode(B + "id/coordinator/an-ovam")]
    assert objects(store, node, PROV + "wasDerivedFrom") == [ox.NamedNode(body["source_url"])]
    stamped = objects(store, node, PROV + "generatedAtTime")[0].value
    assert datetime.fromisoformat(stamped) == datetime.fromisoformat(change["at"])
    assert objects(store, B + "id/coordinator/an-ovam", SKOS + "prefLabel") == [ox.Literal("an-ovam", language="nl")]
    assert published_version(root / "build" / "store", B) == change["seq"] == 1
    again = client.post("/api/v1/curation/cases", json=body, headers=auth)
    assert again.status_code == 409 and "PUT" in again.json()["error"]


def test_a_correction_replaces_the_description_from_data(env) -> None:
    client, auth, root = env
    record = {**base_case(client), "title_nl": "Resource Hub (gecorrigeerd)", "themes": ["afvalstromen"]}
    answer = client.put("/api/v1/curation/cases/leuven-resource-hub", json=record, headers=auth)
    assert answer.status_code == 200, answer.text
    store = store_of(root)
    case = B + "id/case/leuven-resource-hub"
    assert objects(store, case, DCT + "title") == [ox.Literal("Resource Hub (gecorrigeerd)", language="nl")]
    assert objects(store, case, KL + "theme") == [ox.NamedNode(B + "id/concept/thema/afvalstromen")]
    graphs = {q.graph_name for q in store.store.quads_for_pattern(ox.NamedNode(case), None, None, None)}
    assert graphs == {CURATIE}  # nothing left of the data/ description
    read = client.get("/api/v1/curation/cases/leuven-resource-hub").json()
    assert read["origin"] == "curation" and [h["action"] for h in read["history"]] == ["correct"]
    assert client.put("/api/v1/curation/cases/no-such-case", json=record, headers=auth).status_code == 404


def test_a_retired_case_leaves_the_listings_but_its_iri_still_says_so(env) -> None:
    client, auth, root = env
    retire = {"source_url": "https://example.org/project-gestopt", "change_note": "project gestopt"}
    answer = client.post("/api/v1/curation/cases/leuven-resource-hub/retire", json=retire, headers=auth)
    assert answer.status_code == 200, answer.text
    store = store_of(root)
    case = B + "id/case/leuven-resource-hub"
    assert objects(store, case, RDF_TYPE.value) == []
    assert objects(store, case, "http://www.w3.org/2002/07/owl#deprecated") == [
        ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))]
    assert list(store.store.quads_for_pattern(ox.NamedNode(case + "/rol/1"), None, None, None)) == []
    assert client.get("/api/v1/curation/cases/leuven-resource-hub").json()["retired"] is True
    assert client.post("/api/v1/curation/cases/leuven-resource-hub/retire", json=retire, headers=auth).status_code == 409
    assert client.put("/api/v1/curation/cases/leuven-resource-hub", json=base_case(client), headers=auth).status_code == 409
    back = client.post("/api/v1/curation/cases", json={**base_case(client), "id": "leuven-resource-hub"}, headers=auth)
    assert back.status_code == 201
    assert ox.NamedNode(KL + "Case") in objects(store_of(root), case, RDF_TYPE.value)


def test_organisations_are_curated_and_cannot_be_retired_while_referenced(env) -> None:
    client, auth, root = env
    org = {"id": "test-repaircafe", "name": "Repair Café Test", "kind": "middenveld",
           "source_url": "https://example.org/repair", "url": "https://example.org"}
    assert client.post("/api/v1/curation/organisations", json=org, headers=auth).status_code == 201
    case = new_case(client, "test-herstel", partner_ids=["test-repaircafe"], partners=["Repair Café Test"])
    created = client.post("/api/v1/curation/cases", json=case, headers=auth)
    assert created.status_code == 201, created.text
    store = store_of(root)
    assert ox.NamedNode(B + "id/organisatie/test-repaircafe") in objects(store, B + "id/case/test-herstel",
                                                                        PROV + "wasAssociatedWith")
    retire = {"source_url": "https://example.org/repair-closed"}
    refused = client.post("/api/v1/curation/organisations/test-repaircafe/retire", json=retire, headers=auth)
    assert refused.status_code == 409 and "test-herstel" in refused.json()["error"]
    assert client.post("/api/v1/curation/cases/test-herstel/retire", json=retire, headers=auth).status_code == 200
    assert client.post("/api/v1/curation/organisations/test-repaircafe/retire", json=retire, headers=auth).status_code == 200
    reuse = client.post("/api/v1/curation/cases", json=new_case(client, "test-later", partner_ids=["test-repaircafe"]),
                        headers=auth)
    assert reuse.status_code == 422 and reuse.json()["errors"][0]["field"] == "partner_ids.0"


@pytest.mark.parametrize(("change", "field"), [
    ({"themes": ["kernfusie"]}, "themes.0"),
    ({"themes": []}, "themes"),
    ({"instruments": ["magie"]}, "instruments.0"),
    ({"status": "misschien"}, "status"),
    ({"gov_role": "koning"}, "gov_role"),
    ({"lead": ["Atlantis"]}, "lead"),
    ({"partner_ids": ["bestaat-niet"]}, "partner_ids.0"),
    ({"source_url": "javascript:alert(1)"}, "source_url"),
    ({"source_url": "https://exa mple.org/<x>"}, "source_url"),
    ({"year": "twintig"}, "year"),
    ({"summary_en": "   "}, "summary_en"),
    ({"title_nl": "x" * 301}, "title_nl"),
    ({"id": "Bad Id!"}, "id"),
    ({"owner": "me"}, "owner"),
])
def test_bad_records_get_422_naming_the_field_and_nothing_is_committed(shared, change: dict, field: str) -> None:
    client, auth, root = shared
    before = curation_version(root / "var")
    answer = client.post("/api/v1/curation/cases", json={**new_case(client, "test-fout"), **change}, headers=auth)
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"] == field and answer.json()["error"]
    assert curation_version(root / "var") == before


def test_writes_need_a_coordinator_token_and_reads_do_not(shared) -> None:
    client, _, _ = shared
    body = new_case(client, "test-anoniem")
    assert client.post("/api/v1/curation/cases", json=body).status_code == 401
    assert client.post("/api/v1/curation/cases", json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/api/v1/curation/cases/leuven-resource-hub").status_code == 200
    assert client.get("/api/v1/curation/organisations/ucll").json()["origin"] == "data"
    assert client.get("/api/v1/curation/cases/bestaat-niet").status_code == 404


def test_injection_in_text_fields_is_a_literal_in_the_graph(shared) -> None:
    client, auth, root = shared
    evil = '" } ; DROP ALL ; INSERT DATA { <x> <y> "z" } # \'); DELETE FROM curation_changes; --'
    body = new_case(client, "test-injectie", title_nl=evil, notes=evil, evidence=evil, partners=[evil])
    assert client.post("/api/v1/curation/cases", json=body, headers=auth).status_code == 201
    store = store_of(root)
    case = B + "id/case/test-injectie"
    assert objects(store, case, DCT + "title") == [ox.Literal(evil, language="nl")]
    assert ox.Literal(evil) in objects(store, case, KL + "partnerName")
    assert len(store) > 20_000  # nothing was dropped
    with sqlite3.connect(root / "var" / "kringloop.sqlite") as db:
        assert db.execute("SELECT count(*) FROM curation_changes WHERE entity_id = 'test-injectie'").fetchone()[0] == 1


def test_shacl_runs_before_the_commit(env, tmp_path: Path) -> None:
    _, _, root = env
    strict = tmp_path / "strict.ttl"
    strict.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kl: <https://w3id.org/kringloop/def#> .\n"
        "[] a sh:NodeShape ; sh:targetClass kl:Case ; sh:property [ sh:path kl:startYear ; sh:minCount 1 ;"
        " sh:message \"startjaar vereist\" ] .\n", encoding="utf-8")
    curator = Curator(state_dir=root / "var", data_dir=DATA_DIR, build_dir=root / "build",
                      store_path=root / "build" / "store", base_iri=B, shapes_file=strict)
    record = {**curator.record("case", "leuven-resource-hub")["record"], "id": "test-zonder-jaar"}
    record.pop("year")
    with pytest.raises(CurationError, match="SHACL: startYear: startjaar vereist"):
        curator.create("case", record, agent="an-ovam")
    assert curation_version(root / "var") == 0
    assert curator.create("case", {**record, "year": 2024}, agent="an-ovam")["seq"] == 1


def test_a_server_start_publishes_commits_that_were_not_published(env, build_dir: Path) -> None:
    client, _, root = env
    curator = Curator(state_dir=root / "var", data_dir=DATA_DIR, build_dir=root / "build",
                      store_path=root / "build" / "store", base_iri=B,
                      shapes_file=Path(__file__).resolve().parents[2] / "ontology" / "shapes.ttl")
    record = {**base_case(client), "title_nl": "Gecorrigeerd zonder publicatie"}
    curator.correct("case", "leuven-resource-hub", record, agent="an-ovam")  # as if killed before publishing
    assert published_version(root / "build" / "store", B) == 0
    with TestClient(lean_app(settings_for(root / "build", root / "var"))):
        pass
    assert published_version(root / "build" / "store", B) == 1
    assert objects(store_of(root), B + "id/case/leuven-resource-hub", DCT + "title") == [
        ox.Literal("Gecorrigeerd zonder publicatie", language="nl")]


def test_a_rebuild_from_data_keeps_curation_and_the_base_stays_pure(env, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    client, auth, root = env
    # dumps and HTML docs are not what this test is about, and they take most of a build's time
    monkeypatch.setattr("kg.build._write_docs", lambda *a: {})
    monkeypatch.setattr("kg.build._write_dumps", lambda *a: {})
    record = {**base_case(client), "title_nl": "Blijft na herbouw"}
    assert client.put("/api/v1/curation/cases/leuven-resource-hub", json=record, headers=auth).status_code == 200
    out = tmp_path / "rebuilt"
    build(DATA_DIR, out, base_iri=B, state_dir=root / "var", validate=False)
    store = GraphStore.open(out / "store")
    assert objects(store, B + "id/case/leuven-resource-hub", DCT + "title") == [
        ox.Literal("Blijft na herbouw", language="nl")]
    assert published_version(out / "store", B) == 1
    assert b"Blijft na herbouw" not in (out / "kringloop.nq").read_bytes()


def test_curation_follows_a_changed_base_iri(shared) -> None:
    client, auth, root = shared
    assert client.post("/api/v1/curation/cases", json=new_case(client, "test-basis"), headers=auth).status_code == 201
    quads = curation_quads(root / "var", "https://example.org/kl/").decode()
    assert "<https://example.org/kl/id/case/test-basis>" in quads
    assert "https://w3id.org/kringloop/id/" not in quads
    assert "<https://example.org/kl/graph/curatie>" in quads


def test_the_curated_record_round_trips_through_the_api(shared) -> None:
    client, auth, _ = shared
    body = new_case(client, "test-rondje", extra_sources=[{"url": "https://example.org/b", "title": "B"}])
    client.post("/api/v1/curation/cases", json=body, headers=auth)
    stored = client.get("/api/v1/curation/cases/test-rondje").json()["record"]
    expected = copy.deepcopy(body)
    assert stored == {k: v for k, v in expected.items() if v is not None}


def test_oversized_curation_bodies_are_refused_before_parsing(shared) -> None:
    client, auth, _ = shared
    body = new_case(client, "test-groot", summary_nl="x" * 200_000)
    answer = client.post("/api/v1/curation/cases", json=body, headers=auth)
    assert answer.status_code == 413 and answer.json()["error"] == "request body too large (limit 131072 bytes)"
