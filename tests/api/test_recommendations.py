"""POST /api/v1/recommendations and the per-government endpoints, held to API.md."""

from __future__ import annotations


import pytest
from fastapi.testclient import TestClient


URL = "/api/v1/recommendations"


def test_contract_shape(client: TestClient) -> None:
    body = {"nis_code": "24062", "profile": {"maturity": "verkennend", "themes": ["hergebruik-herstel"],
                                             "barriers": ["middelen-menskracht"]}, "limit": 7}
    r = client.post(URL, json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    assert set(data) >= {"peers", "practices"}
    for key, fields in (("peers", {"iri", "nis_code", "name", "score", "reasons"}),
                        ("practices", {"iri", "id", "title", "score", "reasons"})):
        items = data[key]
        assert 0 < len(items) <= 7
        assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
        for item in items:
            assert fields <= set(item)
            assert item["reasons"] and all({"kind", "text_nl", "text_en"} <= set(x) for x in item["reasons"])
    leuven = "https://w3id.org/kringloop/id/gemeente/24062"
    assert leuven not in {p["iri"] for p in data["peers"]}
    for p in data["peers"]:
        assert (p["nis_code"] is None) == (not p["iri"].split("/")[-1].isdigit() or "/gemeente/" not in p["iri"])
        if p["nis_code"]:
            assert p["iri"].endswith(p["nis_code"])
    for c in data["practices"]:
        assert c["iri"].endswith("/" + c["id"])


def test_profile_without_nis_code_and_english_text(client: TestClient) -> None:
    r = client.post(URL, json={"profile": {"description": "We want to lend reusable cups for local events",
                                           "population": 11000, "province": "Antwerpen"}, "limit": 3})
    assert r.status_code == 200
    assert len(r.json()["practices"]) == 3 and len(r.json()["peers"]) == 3


def test_default_limit_is_ten(client: TestClient) -> None:
    r = client.post(URL, json={"profile": {"themes": ["circulair-bouwen"]}})
    assert len(r.json()["practices"]) == 10 and len(r.json()["peers"]) == 10


BAD = [
    ({}, "profile"),
    ({"profile": {}}, "profile"),
    ({"profile": {"themes": ["kernenergie"]}}, "profile.themes"),
    ({"profile": {"barriers": ["geen-zin"]}}, "profile.barriers"),
    ({"profile": {"province": "Luik"}}, "profile.province"),
    ({"profile": {"population": -1}}, "profile.population"),
    ({"profile": {"themes": "water"}}, "profile.themes"),
    ({"nis_code": "99999"}, "nis_code"),
    ({"nis_code": "leuven"}, "nis_code"),
    ({"profile": {"themes": ["water"]}, "limit": 0}, "limit"),
    ({"profile": {"themes": ["water"]}, "limit": "many"}, "limit"),
]


@pytest.mark.parametrize(("body", "field"), BAD, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD)])
def test_bad_input_is_422_naming_the_field(client: TestClient, body: dict, field: str) -> None:
    r = client.post(URL, json=body)
    assert r.status_code == 422, r.text
    data = r.json()
    assert data["ok"] is False and data["status"] == 422
    assert data["error"].startswith(field)


def test_malformed_json_is_422(client: TestClient) -> None:
    r = client.post(URL, content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["ok"] is False


def test_government_peers_and_practices(client: TestClient) -> None:
    peers = client.get("/api/v1/governments/71070/peers", params={"limit": 4})
    practices = client.get("/api/v1/governments/71070/practices")
    assert peers.status_code == 200 and practices.status_code == 200
    assert len(peers.json()) == 4 and len(practices.json()) == 10
    posted = client.post(URL, json={"nis_code": "71070", "limit": 4}).json()
    assert [p["iri"] for p in peers.json()] == [p["iri"] for p in posted["peers"]]


def test_unknown_government_in_the_path_is_404(client: TestClient) -> None:
    r = client.get("/api/v1/governments/99999/peers")
    assert r.status_code == 404 and r.json()["error"].startswith("nis_code")
