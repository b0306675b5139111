"""One map from domain errors to HTTP, and one profile model for every way in (issue 13)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.errors import body_of, status_of
from kg.curation import CurationConflict, CurationNotFound
from kg.curation_graph import CurationError
from kg.errors import StoreMissing, UnknownQuery
from recommender.cop import CopInputError, Infeasible, PlanTimeout
from recommender.cop.errors import Conflict
from recommender.errors import InvalidProfile, UnknownGovernment
from recommender.vocabulary import UnknownCode


@pytest.mark.parametrize(("error", "method", "status"), [
    (UnknownQuery("x"), "GET", 404),
    (StoreMissing("no store"), "GET", 503),
    (CurationNotFound("no case"), "GET", 404),
    (CurationConflict("changed meanwhile"), "PUT", 409),
    (CurationError("title", "empty"), "POST", 422),
    (InvalidProfile("profile", "empty"), "POST", 422),
    (UnknownCode("profile.themes.0", "unknown code 'x'", ["a"]), "POST", 422),
    (UnknownGovernment("nis_code", "no municipality"), "POST", 422),
    (UnknownGovernment("nis_code", "no municipality"), "GET", 404),
    (CopInputError("groups.0.code", "unknown group"), "POST", 422),
    (Infeasible([Conflict(("max_size",), "te klein", "too small")]), "POST", 422),
    (PlanTimeout("no plan in time"), "POST", 503),
])
def test_each_domain_error_has_one_status(error: Exception, method: str, status: int) -> None:
    assert status_of(error, method) == status


def test_the_body_names_the_field_and_the_valid_codes() -> None:
    body = body_of(UnknownCode("profile.barriers.0", "unknown code 'kennis'", ["kennis-bestuur", "wetgeving"]), 422)
    assert body["errors"] == [{"field": "profile.barriers.0", "message": "unknown code 'kennis'",
                               "valid": ["kennis-bestuur", "wetgeving"]}]
    assert body["ok"] is False and body["status"] == 422


def test_an_infeasible_plan_says_what_conflicts_in_both_languages() -> None:
    body = body_of(Infeasible([Conflict(("max_size",), "te klein", "too small")]), 422)
    assert body["plan_status"] == "infeasible" and body["conflicts_nl"] == ["te klein"]
    assert body["error"].startswith("infeasible: too small")


def test_a_misspelt_code_is_answered_with_a_close_match(client: TestClient) -> None:
    r = client.post("/api/v1/recommendations", json={"profile": {"barriers": ["kennis-bestur"]}})
    assert r.status_code == 422
    error = r.json()["errors"][0]
    assert error["field"] == "profile.barriers.0" and "did you mean 'kennis-bestuur'?" in error["message"]
    assert "middelen-menskracht" in error["valid"]


def test_a_misspelt_field_is_refused_by_recommendations_and_plans(client: TestClient) -> None:
    r = client.post("/api/v1/recommendations", json={"profile": {"theme": ["hergebruik-herstel"]}})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "profile.theme"
    r = client.post("/api/v1/cops/plan", json={"participants": [{"nis_code": "24062", "profile": {"matuirty": "actief"}}]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "participants.0.profile.matuirty"


def test_a_plan_names_an_unknown_theme_with_the_same_words(client: TestClient) -> None:
    r = client.post("/api/v1/cops/plan", json={"participants": [{"nis_code": "24062",
                                                                "profile": {"themes": ["bouw"]}}]})
    assert r.status_code == 422
    error = r.json()["errors"][0]
    assert error["field"] == "participants.0.profile.themes" and "unknown code 'bouw'" in error["message"]


def test_the_plan_request_is_typed_in_the_openapi_schema(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("PlanRequest", "ParticipantIn", "ParticipantProfile", "ConstraintsIn", "WeightsIn", "Profile"):
        assert name in schemas, name
    assert schemas["ParticipantProfile"]["additionalProperties"] is False
    assert "must_link" in schemas["ConstraintsIn"]["properties"]
