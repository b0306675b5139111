"""Curated data reaches recommendations, CoP plans and every page without a restart (issue 13).

A curation commit publishes a new store generation; the process that made it swaps in the services of
that generation before it answers (``api.services.ServiceSwitch.refresh``), any other process builds
them in the background when it notices the new generation, and a restart reuses the saved case vectors.
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
        context_before = client.app.state.services.current().cop

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
        context_after = client.app.state.services.current().cop
        heuvelland = next(iri for iri, p in context_after.profiles.items() if p.nis_code == "33039")
        assert context_after is not context_before
        assert context_after.profiles[heuvelland].cases_total == context_before.profiles[heuvelland].cases_total + 1
        page = client.get("/bestuur/33039")
        assert "zwerfkeibrug" in page.text


def test_another_process_swaps_in_the_new_generation_in_the_background(build_dir: Path, tmp_path: Path) -> None:
    """A second app on the same store (a replica) answers from the old generation until the new one is built."""
    import time

    settings = settings_for(private_build(build_dir, tmp_path / "build"), tmp_path / "var", embedding_model="hashing")
    auth = {"Authorization": f"Bearer {create_token(settings.state_dir, 'a-coordinator')}"}
    request = {"profile": {"description": WORDS}, "limit": 10}
    with TestClient(create_app(settings)) as writer, TestClient(create_app(settings)) as reader:
        old = reader.app.state.services.current()
        record = writer.get("/api/v1/curation/cases/leuven-resource-hub").json()["record"]
        record.update(id="curated-zwerfkeibrug", title_nl=f"Heuvelland bouwt een {WORDS}", lead=["33039"],
                      summary_nl=f"Heuvelland bouwde een {WORDS}.", gov_role="lead", partners=[], partner_ids=[])
        assert writer.post("/api/v1/curation/cases", json=record, headers=auth).status_code == 201
        # the request that notices the new generation is still answered from the old one, whole
        first = reader.post("/api/v1/recommendations", json=request).json()["practices"]
        assert reader.app.state.services.current() is old or "curated-zwerfkeibrug" in {p["id"] for p in first}
        deadline = time.monotonic() + 60
        while reader.app.state.services.current() is old and time.monotonic() < deadline:
            time.sleep(0.1)
        assert reader.app.state.services.current() is not old
        after = reader.post("/api/v1/recommendations", json=request).json()["practices"]
        assert after[0]["id"] == "curated-zwerfkeibrug"


def test_a_restart_reuses_the_saved_case_vectors(build_dir: Path, tmp_path: Path) -> None:
    settings = settings_for(private_build(build_dir, tmp_path / "build"), tmp_path / "var", embedding_model="hashing")
    with TestClient(create_app(settings)) as client:
        first = client.app.state.services.current().recommender
        assert first.vectors_reused_ == 0 and len(first.kb_.cases) > 300
    manifest = next((tmp_path / "build" / "store.artefacts").glob("*/manifest.json"))
    assert '"model": "hashing"' in manifest.read_text()
    with TestClient(create_app(settings)) as client:
        again = client.app.state.services.current().recommender
        assert again.vectors_reused_ == len(again.kb_.cases)
        assert (again.index_.case_vectors == first.index_.case_vectors).all()


def test_search_finds_a_curated_case_at_once(build_dir: Path, tmp_path: Path) -> None:
    """The search index belongs to a store generation: a curation commit rebuilds it on the next search."""
    settings = settings_for(private_build(build_dir, tmp_path / "build"), tmp_path / "var", embedding_model="hashing")
    auth = {"Authorization": f"Bearer {create_token(settings.state_dir, 'a-coordinator')}"}
    with TestClient(create_app(settings)) as client:
        before = client.get("/api/v1/browse/search", params={"q": "zwerfkeibrug"}).json()
        assert before["cases_total"] == 0 and before["unmatched"] == ["zwerfkeibrug"]
        themed_before = client.get("/api/v1/browse/search", params={"q": "heuvelland", "theme": "stadsontwikkeling"}).json()

        record = client.get("/api/v1/curation/cases/leuven-resource-hub").json()["record"]
        record.update(id="curated-zwerfkeibrug", title_nl=f"Heuvelland bouwt een {WORDS}",
                      summary_nl=f"Heuvelland bouwde een {WORDS} over de beek.", lead=["33039"], gov_role="lead",
                      partners=[], partner_ids=[], themes=["stadsontwikkeling"])
        answer = client.post("/api/v1/curation/cases", json=record, headers=auth)
        assert answer.status_code == 201 and answer.json()["published"] is True, answer.text

        # a typo in the new word, and the facet of the new theme
        after = client.get("/api/v1/browse/search", params={"q": "zwerfkeibrg"}).json()
        assert [c["id"] for c in after["cases"]] == ["curated-zwerfkeibrug"]
        themed = client.get("/api/v1/browse/search", params={"q": "heuvelland", "theme": "stadsontwikkeling"}).json()
        assert themed["cases_total"] == themed_before["cases_total"] + 1
