"""Every input bounded, every error short (outside probe, findings 8 and 10).

Bodies over the limit of their path get 413 before they are parsed; a bad value is named, never
echoed whole; every response says nosniff and HTML pages carry a CSP they satisfy.
"""

from __future__ import annotations

import json
import time

from fastapi.testclient import TestClient

from api.app import BODY_LIMITS
from api.errors import MAX_MESSAGE


def test_a_two_megabyte_recommendation_request_is_refused_before_parsing(client: TestClient) -> None:
    body = json.dumps({"profile": {"description": "x" * 2_000_000}})
    r = client.post("/api/v1/recommendations", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 413 and str(BODY_LIMITS["/api/"]) in r.json()["error"]
    assert len(r.content) < 1000


def test_an_unknown_long_value_is_named_not_echoed(client: TestClient) -> None:
    r = client.post("/api/v1/recommendations", json={"profile": {"province": "P" * 60_000}})
    assert r.status_code == 422
    assert "profile.province" in r.text and len(r.content) < 4 * MAX_MESSAGE
    r = client.post("/api/v1/recommendations", json={"profile": {"themes": ["t" * 10_000]}})
    assert r.status_code == 422 and len(r.content) < 4 * MAX_MESSAGE


def test_a_hundred_thousand_participants_are_refused_fast(client: TestClient) -> None:
    body = json.dumps({"participants": [{"nis_code": "24062"}] * 100_000, "groups": ["cop-monitoring"]})
    started = time.monotonic()
    r = client.post("/api/v1/cops/plan", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 413 and time.monotonic() - started < 1.0
    small_but_many = {"participants": ["24062"] * 2001, "groups": ["cop-monitoring"]}
    r = client.post("/api/v1/cops/plan", json=small_but_many)
    assert r.status_code == 422 and "participants" in r.json()["error"]


def test_deeply_nested_json_is_an_error_not_a_crash(client: TestClient) -> None:
    r = client.post("/api/v1/recommendations", content="[" * 20_000 + "]" * 20_000,
                    headers={"content-type": "application/json"})
    assert 400 <= r.status_code < 500


def test_every_response_says_nosniff_and_pages_carry_a_csp(client: TestClient) -> None:
    for path in ("/", "/health", "/api/v1/cops", "/sparql?query=ASK%7B%7D", "/vind-peers"):
        r = client.get(path)
        assert r.headers.get("x-content-type-options") == "nosniff", path
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp.split(
        "script-src")[1].split(";")[0]
    assert page.headers["x-frame-options"] == "DENY"
    assert "<script>" not in page.text   # no inline script: the CSP would block it


def test_a_former_nis_code_is_refused_naming_its_successor_everywhere(client: TestClient) -> None:
    melle, merelbeke_melle = "44040", "44088"
    r = client.post("/api/v1/recommendations", json={"nis_code": melle})
    assert r.status_code == 422 and merelbeke_melle in r.json()["error"] and "2025" in r.json()["error"]
    r = client.post("/api/v1/cops/plan", json={"participants": [melle, "24062"], "groups": ["cop-monitoring"]})
    assert r.status_code == 422 and "2025" in r.json()["error"]
    r = client.get(f"/api/v1/governments/{melle}/peers")
    assert r.status_code in (404, 422) and merelbeke_melle in r.json()["error"]
