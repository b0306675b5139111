"""Curated data reaches recommendations, CoP plans and every page without a restart (issue 13).

A curation commit publishes a new store generation; the recommender and the CoP planner's context are
recomputed from it on the next request (``api.deps.FollowsGraph``), in this process and in any other
that serves the same store.
"""

from __future__ import annotations

from pathlib import Path

from _state_env import private_build, settings_for
from fastapi.testclient import TestClient

from api.app import create_app
from state.tokens import create_token

WORDS = "zwerfkeibrug uit gerecupereerde kasseien"   # a need no case in data/ answers


def test_a_curated_case_is_recommended_and_planned_with_at_once(build_dir: Path, tmp_path: Path) -> None:
    settings = settings_for(private_build(build_dir, tmp_path / "build"), tmp_path / "var", embedding_model="hashing")
    auth = {"Authorization": f"Bearer {create_token(settings.state_dir, 'a-coordinator')}"}
    request = {"profile": {"description": WORDS}, "limit": 10}
    with TestClient(create_app(settings)) as client:
        before = client.post("/api/v1/recommendations", json=request).json()["practices"]
        assert "curated-zwerfkeibrug" not in {p["id"] for p in before}
        plan = {"participants": ["33039", "38002"],
                "groups": [{"code": "cop-stadsontwikkeling", "min_size": 1, "max_size": 5}]}
        plan_before = client.post("/api/v1/cops/plan", json=plan)
        assert plan_before.status_code == 200, plan_before.text
        context_before = client.app.state.cop_context.get(client.app.state.store)

        record = client.get("/api/v1/curation/cases/leuven-resource-hub").json()["record"]
        record.update(id="curated-zwerfkeibrug", title_nl=f"Heuvelland bouwt een {WORDS}",
                      summary_nl=f"Heuvelland bouwde een {WORDS} over de beek. De kasseien kwamen van heraangelegde "
                                 "straten in de gemeente.", lead=["33039"], gov_role="lead", partners=[],
                      partner_ids=[], themes=["stadsontwikkeling"])
        answer = client.post("/api/v1/curation/cases", json=record, headers=auth)
        assert answer.status_code == 201 and answer.json()["published"] is True, answer.text

        after = client.post("/api/v1/recommendations", json=request).json()
        assert after["practices"][0]["id"] == "curated-zwerfkeibrug"
        assert "Heuvelland" in {p["name"] for p in after["peers"]}
        assert client.post("/api/v1/cops/plan", json=plan).status_code == 200
        context_after = client.app.state.cop_context.get(client.app.state.store)
        heuvelland = next(iri for iri, p in context_after.profiles.items() if p.nis_code == "33039")
        assert context_after is not context_before
        assert context_after.profiles[heuvelland].cases_total == context_before.profiles[heuvelland].cases_total + 1
        page = client.get("/bestuur/33039")
        assert "zwerfkeibrug" in page.text
