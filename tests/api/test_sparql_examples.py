"""Every example query runs through /sparql on the real graph and gives the answer the source data implies.

Expected answers are computed here from data/ (YAML and CSV) without the build's code, so a wrong
query and a wrong build both show up. Needs the real graph: the session fixture ``built_graph``
(tests/conftest.py) builds it with ``kg.build.build`` into a temporary folder.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from fastapi.testclient import TestClient
from fixtures.sparql_support import make_settings, sparql_app

from api.config import Settings
from api.sparql import load_examples

DATA = Path(__file__).resolve().parents[2] / "data"
EXAMPLES = {e.name: e for e in load_examples()}
# the examples run as the editor sends them, header comments included, under the served limit
SERVED_QUERY_LENGTH = Settings.model_fields["sparql_max_query_length"].default


@pytest.fixture(scope="module")
def client(built_graph) -> Iterator[TestClient]:  # noqa: ANN001 - the lead's BuildReport
    store = Path(built_graph.store_path)
    settings = make_settings(store, store.parent, sparql_max_rows=10_000, sparql_timeout_s=20,
                             sparql_max_query_length=SERVED_QUERY_LENGTH)
    with TestClient(sparql_app(settings)) as test_client:
        yield test_client


def run(client: TestClient, name: str) -> list[dict[str, str]]:
    """Rows of an example as {variable: lexical value}."""
    response = client.post("/sparql", content=EXAMPLES[name].query.encode(),
                           headers={"content-type": "application/sparql-query"})
    assert response.status_code == 200, response.text
    assert response.headers["x-kringloop-truncated"] == "false"
    return [{v: t.value for v, t in zip([x.value for x in r.variables], row) if t is not None}
            for r in [ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)] for row in r]


def tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


# --- the source data, read directly ---------------------------------------------------------------------

def load_yaml(relative: str):  # noqa: ANN201
    return yaml.safe_load((DATA / relative).read_text(encoding="utf-8"))


CASES = [case for path in sorted((DATA / "cases").glob("cases*.yaml"))
         for case in yaml.safe_load(path.read_text(encoding="utf-8"))]
CONCEPTS = load_yaml("concepts.yaml")
REMEDIES = load_yaml("barrier_remedies.yaml")["remedies"]
with (DATA / "flanders" / "municipalities.csv").open(encoding="utf-8") as handle:
    MUNICIPALITIES = list(csv.DictReader(handle))
NIS_BY_NAME = {m["name_nl"]: m["nis_code"] for m in MUNICIPALITIES}
NIS_BY_NAME |= {a["name"]: a["target"].split(":", 1)[1] for a in load_yaml("aliases.yaml")["aliases"]
                if a["target"].startswith("gemeente:")}
BROADER = {t["code"]: t.get("broader") for t in CONCEPTS["themes"]}


def themes_with_broader(codes: list[str]) -> set[str]:
    found = set()
    for code in codes:
        while code:
            found.add(code)
            code = BROADER.get(code)
    return found


def lead_municipalities(case: dict) -> set[str]:
    """NIS codes of the municipalities that lead or co-lead a case."""
    if case.get("gov_role") not in ("lead", "co-lead"):
        return set()
    return {NIS_BY_NAME[name] for name in case.get("lead") or [] if name in NIS_BY_NAME}


# --- every example -----------------------------------------------------------------------------------------

def test_there_are_at_least_fifteen_documented_examples() -> None:
    assert len(EXAMPLES) >= 15
    for example in EXAMPLES.values():
        assert example.title and example.title_en and len(example.description) > 30
        assert len(example.description_en) > 30


DUTCH_WORDS = {"de", "het", "een", "van", "met", "per", "die", "op"}
ENGLISH_WORDS = {"the", "with", "that", "and", "each", "every", "which"}  # not "of": Dutch too


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_descriptions_are_in_dutch_and_in_english(name: str) -> None:
    """The Dutch page shows ``description``, the English page ``description_en``: one source, two languages."""
    example = EXAMPLES[name]
    dutch, english = (set(re.findall(r"[a-z]+", text.lower())) for text in (example.description, example.description_en))
    assert dutch & DUTCH_WORDS and not dutch & ENGLISH_WORDS, example.description
    assert english & ENGLISH_WORDS, example.description_en


def test_examples_api_gives_both_descriptions(client: TestClient) -> None:
    listed = {e["name"]: e for e in client.get("/api/v1/sparql/examples").json()}
    assert listed["fusies-2025"]["description"].startswith("Elke gemeentecode")
    assert listed["fusies-2025"]["description_en"].startswith("Every municipality code")


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_answers_something(client: TestClient, name: str) -> None:
    response = client.post("/sparql", content=EXAMPLES[name].query.encode(),
                           headers={"content-type": "application/sparql-query"})
    assert response.status_code == 200, response.text
    if response.headers["content-type"].startswith("text/turtle"):
        assert len(list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))) > 0
    else:
        result = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        assert bool(result) if isinstance(result, ox.QueryBoolean) else len(list(result)) > 0


# --- answers checked against the source data -------------------------------------------------------------

def test_front_runners_on_a_theme_in_my_province(client: TestClient) -> None:
    in_province = {m["nis_code"] for m in MUNICIPALITIES if m["province_nis"] == "20001"}
    expected: Counter = Counter()
    for case in CASES:
        if "circulair-bouwen" in themes_with_broader(case.get("themes") or []):
            expected.update(lead_municipalities(case) & in_province)
    rows = run(client, "koplopers-thema-provincie")
    assert {tail(r["gemeente"]): int(r["cases"]) for r in rows} == dict(expected)
    assert [int(r["cases"]) for r in rows] == sorted((int(r["cases"]) for r in rows), reverse=True)


def test_cases_that_address_a_barrier(client: TestClient) -> None:
    instruments = {r["instrument"] for r in REMEDIES if r["barrier"] == "kennis-bestuur"}
    expected = {c["id"] for c in CASES if instruments & set(c.get("instruments") or [])}
    rows = run(client, "cases-voor-drempel")
    assert {tail(r["case"]) for r in rows} == expected
    strength = {r["instrument"]: r["strength"] for r in REMEDIES if r["barrier"] == "kennis-bestuur"}
    for row in rows:
        used = {code.strip() for code in row["instrumenten"].split(",")}
        assert used <= instruments
        assert float(row["sterksteRemedie"]) == pytest.approx(max(strength[i] for i in used))


def test_pentagon_partners_of_platform_leuven_circulair(client: TestClient) -> None:
    platform = next(c for c in load_yaml("collaborations.yaml")["collaborations"] if c["id"] == "platform-leuven-circulair")
    rows = run(client, "vijfhoek-platform-leuven-circulair")
    assert len(rows) == len(platform["members"]) == 7
    by_partner = {tail(r["partner"]): tail(r["rol"]) for r in rows}
    assert by_partner["24062"] == "overheid"  # Stad Leuven
    assert {"ku-leuven", "ucll", "leuven-2030", "voka"} <= by_partner.keys()
    assert by_partner["ku-leuven"] == by_partner["ucll"] == "kennisinstellingen"


def test_neighbours_that_lead_cases(client: TestClient) -> None:
    with (DATA / "flanders" / "adjacency.csv").open(encoding="utf-8") as handle:
        neighbours = {r["nis_b"] if r["nis_a"] == "24062" else r["nis_a"] for r in csv.DictReader(handle)
                      if "24062" in (r["nis_a"], r["nis_b"])}
    expected: dict[str, set[str]] = {}
    for case in CASES:
        for nis in lead_municipalities(case) & neighbours:
            expected.setdefault(nis, set()).add(case["id"])
    rows = run(client, "buren-met-cases")
    assert {tail(r["buur"]): set(r["caseIds"].split(", ")) for r in rows} == expected


def test_survey_maturity_shares(client: TestClient) -> None:
    survey = load_yaml("survey-2022.yaml")
    expected = {(code, share) for code, share in survey["maturity"]["adoption_group_shares"].items()}
    expected |= {("strategisch-extern", survey["political_agenda"]["strategic_priority_internal_and_external_share"]),
                 ("niet-op-agenda", survey["political_agenda"]["not_on_agenda_share"])}
    rows = run(client, "enquete-maturiteit")
    assert {(tail(r["categorie"]), float(r["aandeel"])) for r in rows} == expected


def test_cases_per_theme_per_province(client: TestClient) -> None:
    province_of = {m["nis_code"]: m["province"] for m in MUNICIPALITIES}
    expected: Counter = Counter()
    for case in CASES:
        provinces = {province_of[n] for n in lead_municipalities(case)}
        for theme in set(case.get("themes") or []):
            for province in provinces:
                expected[(theme, province)] += 1
    rows = run(client, "cases-per-thema-per-provincie")
    got = {(r["themaCode"], r["provincie"].removeprefix("Provincie ")): int(r["cases"]) for r in rows}
    assert got == dict(expected)


def test_organisations_active_in_most_cases(client: TestClient) -> None:
    listed: Counter = Counter(pid for case in CASES for pid in set(case.get("partner_ids") or []))
    rows = run(client, "organisaties-meeste-cases")
    counts = {tail(r["organisatie"]): int(r["cases"]) for r in rows}
    assert [int(r["cases"]) for r in rows] == sorted(counts.values(), reverse=True)
    # partner_ids are one way an organisation takes part; names in the text are another
    for organisation, count in counts.items():
        assert count >= listed[organisation]
    assert max(counts.values()) >= max(listed.values())


def test_mergers_of_2025(client: TestClient) -> None:
    expected = {(old, m["nis_code"]) for m in MUNICIPALITIES if m["merged_2025"] == "true"
                for old in m["predecessor_nis_codes"].split(";") if old and old != m["nis_code"]}
    rows = run(client, "fusies-2025")
    assert {(r["oudeNis"], r["nieuweNis"]) for r in rows} == expected
    assert len(rows) == 27


def test_remedies_per_barrier(client: TestClient) -> None:
    expected = {(r["barrier"], r["instrument"], float(r["strength"])) for r in REMEDIES}
    rows = run(client, "remedies-per-drempel")
    assert {(r["drempelCode"], r["instrumentCode"], float(r["sterkte"])) for r in rows} == expected


def test_regional_cities_and_their_cases(client: TestClient) -> None:
    cities = {m["nis_code"]: int(m["population_2020"]) for m in MUNICIPALITIES if m["is_centrumstad"] == "true"}
    led: Counter = Counter(n for case in CASES for n in lead_municipalities(case))
    rows = run(client, "centrumsteden-cases")
    assert {tail(r["stad"]): (int(r["inwoners"]), int(r["cases"])) for r in rows} == \
        {nis: (population, led[nis]) for nis, population in cities.items()}


def test_cases_per_start_year(client: TestClient) -> None:
    expected = Counter(int(c["year"]) for c in CASES if c.get("year"))
    assert {int(r["jaar"]): int(r["cases"]) for r in run(client, "cases-per-startjaar")} == dict(expected)


def test_themes_with_narrower_themes(client: TestClient) -> None:
    expected = Counter(t for case in CASES for t in themes_with_broader(case.get("themes") or []))
    rows = run(client, "themas-met-subthemas")
    assert {r["themaCode"]: int(r["cases"]) for r in rows} == {t["code"]: expected[t["code"]] for t in CONCEPTS["themes"]}
    consumer = next(r for r in rows if r["themaCode"] == "consumentengoederen")
    assert set(consumer["subthemas"].split(", ")) == {t["code"] for t in CONCEPTS["themes"]
                                                    if t.get("broader") == "consumentengoederen"}


def test_circular_cities_declaration(client: TestClient) -> None:
    declaration = next(c for c in load_yaml("collaborations.yaml")["collaborations"]
                       if c["id"] == "european-circular-cities-declaration")
    rows = run(client, "circular-cities-declaration")
    assert {tail(r["stad"]) for r in rows} == {NIS_BY_NAME[m["name"]] for m in declaration["members"]}


def test_municipalities_without_cases_per_province(client: TestClient) -> None:
    expected = Counter(m["province"] for m in MUNICIPALITIES)
    rows = run(client, "gemeenten-zonder-cases")
    assert {r["provincie"].removeprefix("Provincie "): int(r["gemeenten"]) for r in rows} == dict(expected)
    for row in rows:
        assert 0 <= int(row["zonderCase"]) <= int(row["gemeenten"])


def test_members_of_an_intercommunale_that_lead_cases(client: TestClient) -> None:
    isvag = next(i for i in load_yaml("cases/intercommunale_members.yaml")["intercommunales"] if i["name"] == "ISVAG")
    members = {NIS_BY_NAME[name] for name in isvag["municipalities"] if name in NIS_BY_NAME}
    expected = {(nis, case["id"]) for case in CASES for nis in lead_municipalities(case) & members}
    rows = run(client, "partners-van-intercommunale")
    assert {(tail(r["gemeente"]), tail(r["case"])) for r in rows} == expected


def test_members_of_my_waste_intercommunale_on_a_theme(client: TestClient) -> None:
    functions = {f["code"]: f.get("broader") for f in load_yaml("vocabularies.yaml")["intercommunale_functions"]}
    waste = {i["name"] for i in load_yaml("intercommunales.yaml")["intercommunales"]
             if any("afvalbeheer" in (code, functions[code]) for code in i["functions"])}
    lists = [entry for path in sorted((DATA / "cases").glob("intercommunale_members*.yaml"))
             for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["intercommunales"]]
    mine = {e["name"]: {NIS_BY_NAME[n] for n in e["municipalities"]} for e in lists
            if e["name"] in waste and "Heuvelland" in e["municipalities"]}
    assert mine, "Heuvelland is on a waste intercommunale's list"
    expected = set()
    for case in CASES:
        if "afvalstromen" not in themes_with_broader(case.get("themes") or []):
            continue
        # every participant named in the case that is a municipality (lead, co-lead or partner)
        named = {NIS_BY_NAME[n] for n in (case.get("lead") or []) + (case.get("partners") or []) if n in NIS_BY_NAME}
        for name, members in mine.items():
            expected |= {(name, nis, case["id"]) for nis in named & (members - {"33039"})}
    rows = run(client, "leden-afvalintercommunale-thema")
    assert {(r["naamIntercommunale"], tail(r["lid"]), tail(r["case"])) for r in rows} == expected
    assert expected


def test_cases_with_the_whole_pentagon(client: TestClient) -> None:
    rows = run(client, "cases-met-volledige-vijfhoek")
    for row in rows:
        roles = set(row["vijfhoek"].split(", "))
        assert len(roles) == int(row["rollen"]) >= 4
        assert roles <= {p["code"] for p in CONCEPTS["pentagon"]}


def test_case_card_construct(client: TestClient) -> None:
    case = next(c for c in CASES if c["id"] == "leuven-resource-hub")
    response = client.post("/sparql", content=EXAMPLES["praktijkfiche"].query.encode(),
                           headers={"content-type": "application/sparql-query", "accept": "application/n-triples"})
    triples = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    themes = {tail(t.object.value) for t in triples if t.predicate.value.endswith("#theme")}
    titles = {t.object.value for t in triples if t.predicate.value == "http://purl.org/dc/terms/title"}
    assert themes == set(case["themes"])
    assert titles == {case["title_nl"]}


def test_does_my_municipality_lead_a_case_on_this_theme(client: TestClient) -> None:
    expected = any("44021" in lead_municipalities(c) and "afvalstromen" in themes_with_broader(c.get("themes") or [])
                   for c in CASES)
    response = client.post("/sparql", content=EXAMPLES["trekt-gemeente-cases-op-thema"].query.encode(),
                           headers={"content-type": "application/sparql-query"})
    assert response.json()["boolean"] is expected is True
