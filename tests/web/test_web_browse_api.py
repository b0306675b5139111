"""The JSON behind the pages (``/api/v1/browse/...``) and the server-rendered HTML, over real HTTP.

The expected values come from the source files in data/ (cases.yaml, concepts.yaml, adjacency.csv,
the GeoJSON), not from the graph the code under test reads.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import httpx
import pytest
import yaml

from api.search import fold

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
TEMPLATES = REPO / "api" / "templates"
STATIC = REPO / "api" / "static"


@pytest.fixture(scope="module")
def client(live_server: object) -> httpx.Client:
    with httpx.Client(base_url=live_server.url, timeout=60) as c:
        yield c


def _yaml(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _case_source(case_id: str) -> dict:
    for name in ("cases.yaml", "cases_more.yaml"):
        for case in _yaml(DATA / "cases" / name) or []:
            if case["id"] == case_id:
                return case
    raise LookupError(case_id)


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Möbius ÉCOLE") == fold("mobius ecole") == "mobius ecole"


def test_search_finds_governments_cases_and_organisations(client: httpx.Client) -> None:
    body = client.get("/api/v1/browse/search", params={"q": "leuven"}).json()
    assert body["governments"][0]["id"] == "24062"
    assert "leuven-resource-hub" in {c["id"] for c in body["cases"]}
    assert {"KU Leuven", "Leuven 2030"} <= {o["name"] for o in body["organisations"]}
    accentless = client.get("/api/v1/browse/search", params={"q": "mobius"}).json()
    # Möbius by its name first; then organisations whose description names it (Koning Boudewijnstichting)
    assert [o["name"] for o in accentless["organisations"]][0] == "Möbius"
    assert all("Möbius" in o["name"] + (o["description"] or "") for o in accentless["organisations"])


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x" * 201}, {"q": "gent", "limit": 0}],
                         ids=["missing", "empty", "too-long", "limit-0"])
def test_search_rejects_bad_input_with_the_canonical_error(client: httpx.Client, params: dict) -> None:
    response = client.get("/api/v1/browse/search", params=params)
    body = response.json()
    assert response.status_code == 422
    assert body["ok"] is False and body["status"] == 422
    assert body["errors"][0]["field"].endswith("q" if "limit" not in params else "limit")


def test_government_detail_has_profile_cases_and_the_neighbours_of_the_source(client: httpx.Client) -> None:
    doc = client.get("/api/v1/browse/governments/24062").json()
    assert (doc["name"], doc["type"], doc["nis_code"], doc["centrumstad"]) == ("Leuven", "centrumstad", "24062", True)
    assert doc["province"]["name"] == "Provincie Vlaams-Brabant"
    with (DATA / "flanders" / "adjacency.csv").open(encoding="utf-8") as f:
        expected = {r["nis_a"] if r["nis_b"] == "24062" else r["nis_b"]
                    for r in csv.DictReader(f) if "24062" in (r["nis_a"], r["nis_b"])}
    assert {n["id"] for n in doc["neighbours"]} == expected
    led = {c["id"] for c in doc["cases"] if c["role"] == "trekker"}
    assert "leuven-resource-hub" in led
    assert all(c["role_label"]["en"] for c in doc["cases"])


def test_a_former_municipality_points_to_its_successor(client: httpx.Client) -> None:
    doc = client.get("/api/v1/browse/governments/11007").json()
    assert doc["former"] is True and doc["successor"]["id"] == "11002"
    successor = client.get("/api/v1/browse/governments/11002").json()
    assert "11007" in {p["id"] for p in successor["predecessors"]}


def test_unknown_government_and_case_are_404_in_the_error_shape(client: httpx.Client) -> None:
    for url in ("/api/v1/browse/governments/99999", "/api/v1/browse/cases/no-such-case"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["ok"] is False and "identifier" in response.json()["error"]


def test_case_detail_matches_the_case_file(client: httpx.Client) -> None:
    source = _case_source("leuven-resource-hub")
    doc = client.get("/api/v1/browse/cases/leuven-resource-hub").json()
    assert doc["title"] == source["title_nl"]
    assert doc["abstract"]["en"] == source["summary_en"]
    assert {t["code"] for t in doc["themes"]} == set(source["themes"])
    assert {i["code"] for i in doc["instruments"]} == set(source["instruments"])
    assert source["source_url"] in {s["url"] for s in doc["sources"]}
    partners = [p for p in doc["participants"] if p["role"] == "partner"]
    assert {p["id"] for p in partners} == set(source["partner_ids"])
    assert all(p["pentagon"] for p in doc["participants"])
    lead = [p for p in doc["participants"] if p["role"] == "trekker"]
    assert [p["name"] for p in lead] == ["Leuven"] and lead[0]["page"] == "/bestuur/24062"


def test_map_has_the_285_municipalities_with_counts(client: httpx.Client) -> None:
    response = client.get("/api/v1/browse/map", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    features = response.json()["features"]
    source = json.loads((DATA / "flanders" / "flanders_municipalities.geojson").read_text(encoding="utf-8"))
    assert sorted(f["properties"]["nis_code"] for f in features) == sorted(
        f["properties"]["nis_code"] for f in source["features"])
    props = {f["properties"]["nis_code"]: f["properties"] for f in features}
    assert props["24062"]["frontrunner"] is True and props["24062"]["cases_led"] >= 5
    assert props["11001"]["cases"] == 0 and props["11001"]["frontrunner"] is False   # Aartselaar: in no case
    ring = features[0]["geometry"]["coordinates"][0]
    assert all(len(str(c).split(".")[-1]) <= 4 for point in ring[:20] for c in point)


def test_concepts_offer_exactly_the_codes_of_concepts_yaml(client: httpx.Client) -> None:
    source = _yaml(DATA / "concepts.yaml")
    body = client.get("/api/v1/browse/concepts").json()
    for scheme in ("themes", "instruments", "barriers", "drivers", "maturity", "government_types",
                   "communities_of_practice"):
        assert {c["code"] for c in body["schemes"][scheme]} == {c["code"] for c in source[scheme]}, scheme
        assert all(c["nl"] and c["en"] for c in body["schemes"][scheme])
    assert [c["level"] for c in body["schemes"]["maturity"]] == [5, 4, 3, 2, 1]
    assert len(body["provinces"]) == 5


def test_survey_figures_are_those_of_the_publication(client: httpx.Client) -> None:
    source = _yaml(DATA / "survey-2022.yaml")
    obs = {o["code"]: o for o in client.get("/api/v1/browse/survey").json()["observations"]}
    assert obs["adoptiegroep-late-majority"]["value"] == source["maturity"]["adoption_group_shares"]["late-majority"]
    assert obs["drempel-kennis-bestuur"]["n"] == source["barriers"]["n"]
    assert obs["respondenten"]["value"] == source["respondents"]["total"]


@pytest.mark.parametrize("path", ["/", "/?q=gent", "/bestuur/24062", "/bestuur/11007", "/bestuur/10000",
                                  "/praktijk/leuven-resource-hub", "/vind-peers", "/cop-planner",
                                  "/sparql-editor", "/data"])
def test_pages_render_in_dutch_without_outside_resources(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.text
    assert '<html lang="nl">' in html
    assert re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//', html) == []


def test_english_is_chosen_by_parameter_and_remembered_by_cookie(live_server: object) -> None:
    with httpx.Client(base_url=live_server.url) as fresh:
        first = fresh.get("/vind-peers", params={"lang": "en"})
        assert '<html lang="en">' in first.text and "Find peers and practices" in first.text
        assert first.cookies.get("kringloop_lang") == "en"
        assert '<html lang="en">' in fresh.get("/data").text
        assert '<html lang="nl">' in fresh.get("/data", params={"lang": "nl"}).text
        assert '<html lang="nl">' in fresh.get("/data").text


def test_unknown_pages_say_what_is_missing(client: httpx.Client) -> None:
    response = client.get("/praktijk/no-such-case")
    assert response.status_code == 404 and "no-such-case" in response.text
    assert "Er is geen praktijk" in response.text


def _dynamic_keys(labels: dict) -> dict[str, set[str]]:
    return {prefix: {k for k in labels if k.startswith(prefix)}
            for prefix in ("nav.", "pentagon.", "data.chart_", "data.doc_", "cop.status_")}


def test_every_label_used_exists_in_dutch_and_english() -> None:
    labels = json.loads((STATIC / "i18n.json").read_text(encoding="utf-8"))
    assert all(set(v) == {"nl", "en"} and v["nl"].strip() and v["en"].strip() for v in labels.values())
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"t\('([a-z_.0-9-]+)'", path.read_text(encoding="utf-8")))
    for path in STATIC.glob("*.js"):
        used |= set(re.findall(r'KL\.t\("([a-z_.0-9-]+)"', path.read_text(encoding="utf-8")))
    dynamic = _dynamic_keys(labels)
    missing = {k for k in used if k not in labels and k not in dynamic}
    assert missing == set()
    assert {"pentagon.overheid", "cop.status_optimal", "cop.status_feasible", "data.chart_adoption"} <= set(labels)


def test_every_case_and_government_page_renders(client: httpx.Client) -> None:
    """No case or government in the graph breaks its page (missing year, lead, sources, province...)."""
    index = {"cases": [], "governments": client.get("/api/v1/browse/governments").json()}
    for name in ("cases.yaml", "cases_more.yaml"):
        index["cases"] += [c["id"] for c in _yaml(DATA / "cases" / name) or []]
    assert len(index["cases"]) >= 100 and len(index["governments"]) >= 285
    broken = [f"/praktijk/{cid}" for cid in index["cases"] if client.get(f"/praktijk/{cid}").status_code != 200]
    broken += [f"/bestuur/{g['id']}" for g in index["governments"]
               if client.get(f"/bestuur/{g['id']}").status_code != 200]
    assert broken == []
