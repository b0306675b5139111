"""POST /api/v1/cops/plan, held to API.md: the response shape, 422 with conflicts, CSV and XLSX exports."""

from __future__ import annotations

import json

import csv
import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from kg.store import GraphStore

URL = "/api/v1/cops/plan"
FRONTRUNNERS = ["24062", "44021", "12025"]  # Leuven, Gent, Mechelen: koplopers in the graph
OTHERS = ["24001", "71004", "11001", "31043", "44083", "23094", "46021"]


def _request(**constraints: object) -> dict:
    return {
        "participants": [{"nis_code": n} for n in FRONTRUNNERS]
        + [{"nis_code": "24001", "profile": {"maturity": "verkennend", "instruments": ["monitoring"]}}]
        + [{"nis_code": n} for n in OTHERS[1:]],
        "groups": [{"code": "cop-monitoring", "min_size": 3, "max_size": 5},
                   {"code": "cop-circulair-aankopen", "min_size": 3, "max_size": 5}],
        "constraints": {"max_groups_per_participant": 1, "min_frontrunners_per_group": 1, **constraints},
    }


def test_plan_follows_the_contract(client: TestClient) -> None:
    r = client.post(URL, json=_request(max_per_province=3, must_link=[["24062", "24001"]],
                                       fixed={"44021": "cop-circulair-aankopen"}))
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["status"] == "optimal" and data["gap"] == pytest.approx(0.0, abs=1e-6)
    assert data["objective"] > 0 and data["solve_seconds"] >= 0
    members = {g["code"]: set(g["members"]) for g in data["groups"]}
    assert set(members) == {"cop-monitoring", "cop-circulair-aankopen"}
    assert all(3 <= len(m) <= 5 for m in members.values())
    assert "44021" in members["cop-circulair-aankopen"]
    assert {"24062", "24001"} <= members["cop-monitoring"] or {"24062", "24001"} <= members["cop-circulair-aankopen"]
    for code, m in members.items():
        assert m & set(FRONTRUNNERS), f"{code} has no front-runner"
    assert {(a["participant"], a["group"]) for a in data["assignments"]} == {
        (pid, code) for code, m in members.items() for pid in m}
    for a in data["assignments"]:
        assert a["reasons"] and all({"kind", "text_nl", "text_en"} <= set(x) for x in a["reasons"])
    fixed = next(a for a in data["assignments"] if a["participant"] == "44021")
    assert fixed["reasons"][0]["kind"] == "fixed"
    for g in data["groups"]:
        assert {"constraint", "tight"} <= set(g["report"][0])
        assert {r["constraint"] for r in g["report"]} >= {"min_size", "max_size", "min_frontrunners_per_group",
                                                          "max_per_province"}
    assert [p["group"] for p in data["partners"]] == ["cop-monitoring", "cop-circulair-aankopen"]
    for p in data["partners"]:
        for org in p["organisations"]:
            assert {"iri", "name", "cases"} <= set(org) and org["cases"]
    assert data["baseline"]["objective"] <= data["objective"] + 1e-6


def test_infeasible_request_gets_422_with_conflicts_in_words(client: TestClient) -> None:
    body = _request()
    body["participants"] = [{"nis_code": "24062"}, {"nis_code": "44021"}] + [{"nis_code": n} for n in OTHERS]
    body["groups"].append({"code": "traject-strategie", "min_size": 1, "max_size": 4})
    r = client.post(URL, json=body)
    assert r.status_code == 422
    data = r.json()
    assert data["ok"] is False and data["status"] == 422 and data["plan_status"] == "infeasible"
    assert data["conflicts"] == ["3 groups need a front-runner but only 2 front-runners take part"]
    assert data["conflicts_nl"] == ["3 groepen vragen een koploper maar er nemen maar 2 koplopers deel"]


@pytest.mark.parametrize(("change", "field"), [
    ({"groups": [{"code": "cop-onbekend"}]}, "groups.0.code"),
    ({"participants": [{"nis_code": "99999"}]}, "participants.0.nis_code"),
    ({"constraints": {"fixed": {"24062": "cop-onbekend"}}}, "constraints.fixed.24062"),
    ({"constraints": {"must_link": [["24062", "99999"]]}}, "constraints.must_link"),
    ({"constraints": {"max_per_provincie": 2}}, "constraints.max_per_provincie"),
    ({"participants": [{"nis_code": "24062", "profile": {"themes": ["kernenergie"]}}]},
     "participants.0.profile.themes"),
    ({"extra": 1}, "extra"),
], ids=["group", "nis", "fixed", "must-link", "constraint-name", "theme", "top-level"])
def test_bad_input_gets_422_naming_the_field(client: TestClient, change: dict, field: str) -> None:
    body = {**_request(), **change}
    r = client.post(URL, json=body)
    assert r.status_code == 422, r.text
    assert field in r.json()["error"]


def test_csv_export_lists_every_assignment(client: TestClient) -> None:
    r = client.post(URL + "?format=csv&lang=en&sep=comma", json=_request())
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    plan = client.post(URL, json=_request()).json()
    assert {(row["NIS code or id"], row["Group code"]) for row in rows} == {
        (a["participant"], a["group"]) for a in plan["assignments"]}
    assert all(row["Why in this group"] for row in rows)


def test_the_dutch_csv_opens_in_excel_as_columns(client: TestClient) -> None:
    import re

    r = client.post(URL + "?format=csv", json=_request())
    assert r.status_code == 200
    assert r.content.startswith(b"\xef\xbb\xbf")                     # UTF-8 with BOM: Excel reads the é right
    header = r.content[3:].split(b"\r\n", 1)[0].decode("utf-8")
    assert header == "Groepcode;Groep;NIS-code of id;Bestuur;Provincie;Soort bestuur;Maturiteit;Koploper;" \
                     "Waarom in deze groep"
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    plan = client.post(URL, json=_request()).json()
    assert len(rows) == len(plan["assignments"])
    leuven = next(row for row in rows if row["NIS-code of id"] == "24062")
    assert leuven["Bestuur"] == "Leuven" and leuven["Koploper"] == "ja" and leuven["Maturiteit"] == "koplopers"
    assert leuven["Soort bestuur"] == "Centrumstad" and leuven["Groep"].startswith("CoP ")
    assert {row["Koploper"] for row in rows} <= {"ja", ""}
    disposition = r.headers["content-disposition"]
    assert re.fullmatch(r'attachment; filename="cop-indeling-\d{4}-\d{2}-\d{2}\.csv"', disposition), disposition
    english = client.post(URL + "?format=csv&lang=en", json=_request())
    assert english.content.startswith("\ufeffGroup code;Group;".encode())
    assert 'filename="cop-plan-' in english.headers["content-disposition"]
    assert client.post(URL + "?format=csv&sep=tab", json=_request()).status_code == 422


def test_xlsx_export_has_the_coordinator_sheets(client: TestClient) -> None:
    r = client.post(URL + "?format=xlsx", json=_request())
    assert r.status_code == 200 and "spreadsheetml" in r.headers["content-type"]
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Samenvatting", "Indeling", "Groepen", "Partners"]
    assert wb["Indeling"].max_row - 1 == len(client.post(URL, json=_request()).json()["assignments"])
    assert [c.value for c in wb["Indeling"][1]][:4] == ["Groepcode", "Groep", "NIS-code of id", "Bestuur"]
    assert [c.value for c in wb["Groepen"][1]] == ["Groep", "Leden", "Regel", "Krap (houdt net)", "Toelichting"]
    rules = {c.value for c in wb["Groepen"]["C"][1:]}
    assert {"minimumgrootte", "maximumgrootte", "koplopers per groep"} <= rules and "min_size" not in rules
    assert {c.value for c in wb["Groepen"]["D"][1:]} <= {"ja", "nee"}
    summary = {row[0].value: row[1].value for row in wb["Samenvatting"].iter_rows(min_row=2)}
    assert summary["Status"] == "optimaal"
    assert r.headers["content-disposition"].startswith('attachment; filename="cop-indeling-')
    assert r.headers["content-disposition"].endswith('.xlsx"')


def test_reasons_say_where_maturity_and_interest_come_from(client: TestClient) -> None:
    data = client.post(URL, json=_request()).json()
    texts = [r["text_nl"] for a in data["assignments"] for r in a["reasons"]]
    leuven = next(a for a in data["assignments"] if a["participant"] == "24062")
    frontrunner = next(r for r in leuven["reasons"] if r["kind"] == "frontrunner")
    assert "(geschat uit zijn praktijken, beleidsplan en engagementen in de databank)" in frontrunner["text_nl"]
    stated = next(a for a in data["assignments"] if a["participant"] == "24001")
    assert any(r["text_nl"].endswith("(zoals opgegeven)") for r in stated["reasons"] if r["kind"] == "interest-fit")
    assert not [t for t in texts if "capaciteit" in t or "sterkte" in t or "(s)" in t]


def test_infeasible_province_spread_names_the_province_and_the_numbers(client: TestClient) -> None:
    # the nine Limburg municipalities below must all be placed, at most 1 per province in each of 2 groups
    limburg = ["71072", "71016", "72003", "72004", "71024", "72021", "73001", "71037", "72030"]
    body = {"participants": [{"nis_code": n} for n in limburg],
            "groups": [{"code": "cop-monitoring", "min_size": 0, "max_size": 9},
                       {"code": "cop-circulair-aankopen", "min_size": 0, "max_size": 9}],
            "constraints": {"assign_all": True, "max_per_province": 1}}
    r = client.post(URL, json=body)
    assert r.status_code == 422, r.text
    assert r.json()["conflicts_nl"] == [("Limburg heeft 9 deelnemers; met hoogstens 1 deelnemer per provincie per "
                                         "groep over 2 groepen kunnen er maar 2 een plaats krijgen")]
    assert r.json()["conflicts"] == [("Limburg has 9 participants; with at most 1 participant per province per "
                                      "group over 2 groups only 2 can get a place")]


def test_a_pasted_list_resolves_names_codes_and_merged_municipalities(client: TestClient) -> None:
    text = "Leuven\nStad Gent\n12025 Mechelen\nBorgloon\nLeuvn\nSint\n\n99999\n"
    r = client.post("/api/v1/cops/participants/resolve", json={"text": text})
    assert r.status_code == 200, r.text
    got = {e["query"]: e for e in r.json()["entries"]}
    assert list(got) == ["Leuven", "Stad Gent", "12025", "Borgloon", "Leuvn", "Sint", "99999"]
    assert got["Leuven"]["status"] == "found" and got["Leuven"]["participant"]["id"] == "24062"
    assert got["Leuven"]["participant"]["adoption_group"] == "koplopers"
    assert got["Stad Gent"]["participant"]["id"] == "44021" and got["12025"]["participant"]["name"] == "Mechelen"
    merged = got["Borgloon"]
    assert merged["status"] == "successor" and merged["participant"]["name"] == "Tongeren-Borgloon"
    assert merged["message_nl"] == ("Borgloon is sinds 1 januari 2025 deel van Tongeren-Borgloon; "
                                    "Tongeren-Borgloon is toegevoegd")
    assert got["Leuvn"]["status"] == "unknown" and got["Leuvn"]["participant"] is None
    assert got["Leuvn"]["message_nl"].endswith("bedoelt u Leuven?")
    assert got["Sint"]["status"] == "ambiguous" and "Sint-Niklaas" in got["Sint"]["message_nl"]
    assert len(got["Sint"]["candidates"]) > 1
    assert got["99999"]["message_en"] == "no municipality with NIS code 99999"
    too_many = client.post("/api/v1/cops/participants/resolve", json={"text": "Gent\n" * 1001})
    assert too_many.status_code == 422 and "text" in too_many.json()["error"]


def test_non_municipal_participants_are_named_by_iri(client: TestClient, graph_store: GraphStore) -> None:
    from recommender.profiles import load_profiles

    association = next(iri for iri, p in sorted(load_profiles(graph_store).items()) if p.type == "intergemeentelijk")
    body = _request()
    body["participants"].append({"iri": association, "profile": {"instruments": ["monitoring"]}})
    r = client.post(URL, json=body)
    assert r.status_code == 200, r.text
    placed = {a["participant"]: a for a in r.json()["assignments"]}
    assert association in placed and placed[association]["government_type"] == "intergemeentelijk"


def test_the_catalogue_lists_the_five_groups(client: TestClient) -> None:
    r = client.get("/api/v1/cops")
    assert r.status_code == 200
    groups = {g["code"]: g for g in r.json()["groups"]}
    assert set(groups) == {"cop-circulair-aankopen", "cop-stadsontwikkeling", "cop-monitoring", "traject-strategie",
                           "traject-pilootproject"}
    assert groups["cop-monitoring"]["topics"] == ["monitoring"]
    assert groups["traject-strategie"]["kind"] == "begeleiding"
    assert all(g["min_size"] <= g["max_size"] for g in groups.values())


def test_a_shared_intercommunale_from_a_member_list_is_a_cooperation_link(client: TestClient) -> None:
    # Heuvelland and Alveringem share no border, police zone or housing association: only IVVO's member list
    body = {"participants": [{"nis_code": "33039"}, {"nis_code": "38002"}],
            "groups": [{"code": "cop-circulair-aankopen", "min_size": 2, "max_size": 5}],
            "constraints": {"max_groups_per_participant": 1, "assign_all": True, "min_frontrunners_per_group": 0}}
    r = client.post(URL, json=body)
    assert r.status_code == 200, r.text
    reasons = {a["participant"]: a["reasons"] for a in r.json()["assignments"]}
    cooperation = [x for x in reasons["33039"] if x["kind"] == "cooperation"]
    assert cooperation and "Alveringem (IVVO)" in cooperation[0]["text_nl"]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e308"])
def test_weights_must_be_finite_and_bounded(client: TestClient, value: str) -> None:
    body = json.dumps({**_request(), "weights": {"cooperation": 0}}).replace('"cooperation": 0', f'"cooperation": {value}')
    r = client.post(URL, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "weights.cooperation"
    assert ("1000" if value == "1e308" else "finite") in r.json()["errors"][0]["message"]


def test_thresholds_among_the_weights_keep_their_own_range(client: TestClient) -> None:
    r = client.post(URL, json={**_request(), "weights": {"small_population": 25_000, "frontrunner_topic_threshold": 0.4}})
    assert r.status_code == 200, r.text
