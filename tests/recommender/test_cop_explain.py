"""Reasons per assignment, tight constraints per group, partner suggestions with cases, and the exports."""

from __future__ import annotations

import csv
import io
import random

import pytest
from cop_instances import AANK, MON, group, person, problem
from openpyxl import load_workbook

from kg.store import GraphStore
from recommender.cop.explain import group_report, reasons
from recommender.cop.export import to_csv, to_xlsx
from recommender.cop.greedy import _State
from recommender.cop.milp import solve
from recommender.cop.model import CountBounds, Participant
from recommender.cop.objective import Weights
from recommender.cop.partners import partner_rows, suggest_partners
from recommender.cop.plan import plan_response


def _kinds(rs: list[dict[str, str]]) -> list[str]:
    return [r["kind"] for r in rs]


def test_reasons_name_topic_frontrunner_learning_and_neighbour() -> None:
    f = person("f", level=5, mon=1, name="Leuven")
    l1 = person("l", mon=0.8, name="Aarschot", population=9000, neighbours=frozenset({"n"}))
    n = person("n", mon=0.6, name="Begijnendijk", population=8000)
    p = problem([f, l1, n], [MON], fixed={"f": ("cop-monitoring",)})
    plan = solve(p).plan
    w = Weights()
    rf, rl = reasons(p, plan, f, MON, weights=w), reasons(p, plan, l1, MON, weights=w)
    assert _kinds(rf) == ["fixed", "interest-fit", "frontrunner"]
    assert rf[2]["text_en"] == "Front-runner on this topic; 2 late-majority members can learn from its experience"
    assert _kinds(rl) == ["interest-fit", "learning", "cooperation"]
    assert rl[1]["text_nl"] == "Late meerderheid: kan leren van koploper Leuven"
    assert rl[2]["text_en"].endswith("Begijnendijk (neighbour)")


def test_report_marks_the_binding_rules_tight() -> None:
    people = [person("a", level=5, mon=1, province="Limburg"), person("b", mon=1, province="Limburg"),
              person("c", mon=1, province="Antwerpen"), person("d", mon=1, province="Limburg")]
    p = problem(people, [group(MON, max_size=3), AANK], min_frontrunners_per_group=0, max_per_province=2,
                maturity_mix={"late-majority": CountBounds(max=2)})
    plan = solve(p).plan
    report = {r["constraint"]: r for r in group_report(p, plan, group(MON, max_size=3))}
    assert report["max_size"]["tight"] and report["max_size"]["value"] == 3
    assert report["max_per_province"]["tight"] and not report["min_size"]["tight"]
    assert report["maturity_mix:late-majority"]["tight"]


def test_partner_suggestions_cover_the_pentagon_with_case_evidence() -> None:
    rows = [
        {"org": "o:1", "name": "Bedrijf", "role": "bedrijven", "case": "c:1", "caseId": "c1", "caseTitle": "C1",
         "caseRole": "partner", "topic": "monitoring"},
        {"org": "o:1", "name": "Bedrijf", "role": "bedrijven", "case": "c:2", "caseId": "c2", "caseTitle": "C2",
         "caseRole": "trekker", "topic": "monitoring"},
        {"org": "o:2", "name": "Bedrijf 2", "role": "bedrijven", "case": "c:3", "caseId": "c3", "caseTitle": "C3",
         "caseRole": "partner", "topic": "monitoring"},
        {"org": "o:3", "name": "Uni", "role": "kennisinstellingen", "case": "c:1", "caseId": "c1", "caseTitle": "C1",
         "caseRole": "partner", "topic": "monitoring"},
        {"org": "o:4", "name": "Elders", "role": "financiers", "case": "c:9", "caseId": "c9", "caseTitle": "C9",
         "caseRole": "partner", "topic": "water"},
    ]
    picked = suggest_partners(rows, MON, limit=2)
    assert [(s.name, s.score) for s in picked] == [("Bedrijf", 3.0), ("Uni", 1.0)]
    assert [c.id for c in picked[0].cases] == ["c1", "c2"]
    assert "Elders" not in {s.name for s in suggest_partners(rows, MON)}


def test_partners_from_the_graph_are_not_governments(graph_store: GraphStore) -> None:
    rows = partner_rows(graph_store)
    picked = suggest_partners(rows, AANK)
    assert picked and all(s.pentagon_role != "overheid" and "/gemeente/" not in s.iri for s in picked)
    assert all(s.cases and "circulair-aankopen" in s.topics for s in picked)


def test_exports_hold_every_assignment() -> None:
    people = [person("a", level=5, mon=1, name="Gent"), person("b", aank=1, name="Aalst")]
    body = plan_response(problem(people), labels={"monitoring": ("Monitoren", "Monitoring")})
    rows = list(csv.DictReader(io.StringIO(to_csv(body)), delimiter=";"))
    assert [(r["NIS-code of id"], r["Groepcode"]) for r in rows] == [("a", "cop-monitoring"),
                                                                     ("b", "cop-circulair-aankopen")]
    assert rows[0]["Waarom in deze groep"].startswith("Interesse in het onderwerp van de groep: Monitoren")
    assert rows[0]["Maturiteit"] == "koplopers" and rows[1]["Maturiteit"] == "late meerderheid"
    wb = load_workbook(io.BytesIO(to_xlsx(body, lang="en")))
    assert wb.sheetnames == ["Summary", "Assignments", "Groups", "Partners"]
    assert [c.value for c in wb["Assignments"]["C"]][1:] == ["a", "b"]


@pytest.mark.parametrize("seed", range(5))
def test_greedy_incremental_gains_equal_the_full_recomputation(seed: int) -> None:
    rng = random.Random(seed)
    people = [Participant(str(i), f"P{i}", population=rng.choice([5000, 50000]), maturity_level=rng.randint(1, 5),
                          interests={"monitoring": rng.random()}, capacity=rng.random(),
                          neighbours=frozenset({str(rng.randrange(12))}), associations=frozenset({f"a{i % 3}"}))
              for i in range(12)]
    p = problem(people, [MON])
    state = _State(p, Weights(mentees_per_frontrunner=2))
    for pid in rng.sample([q.id for q in people], 6):
        state.add(frozenset({pid}), MON)
    current = state.members[MON.code]
    base = state.group_value(MON, current)
    for gain, unit in state.gains(MON):
        assert gain == pytest.approx(state.group_value(MON, current | unit) - base)


def test_coaching_tracks_seek_partners_on_their_members_topics() -> None:
    from recommender.cop.model import Group
    from recommender.cop.partners import partner_topics

    track = Group("traject-pilootproject", "Pilootproject", "Pilot project", "begeleiding",
                  frozenset({"begeleiding-pilootproject"}), 1, 5)
    members = [person("a", mon=0.9, aank=0.2), person("b", mon=0.5)]
    assert partner_topics(track, members).topics == {"begeleiding-pilootproject", "monitoring", "circulair-aankopen"}
    assert partner_topics(MON, members) is MON


def test_unassigned_participants_learn_what_kept_them_out() -> None:
    people = [person("a", mon=1, province="Limburg", name="Genk"), person("b", mon=1, province="Limburg"),
              person("c", aank=1, name="As"), person("d", province="Limburg", name="Bree")]
    p = problem(people, [group(MON, max_size=3), group(AANK, max_size=3)], max_per_province=1,
                cannot_link=(("d", "c"),))
    body = plan_response(p, with_baseline=False)
    (left_out,) = body["unassigned"]  # Genk and the other Limburg member fill both Limburg places
    assert left_out["participant"] == "d"
    assert [r["text_en"] for r in left_out["reasons"]] == [
        "CoP Monitoring: it already has 1 participant from Limburg",
        "CoP Procurement: it already has 1 participant from Limburg; may not be with As"]


def _request_problem(entries: list[dict]) -> object:
    from recommender.cop.request import problem_from_request

    concepts = {"instruments": [{"code": "monitoring", "nl": "Monitoren", "en": "Monitoring"}],
                "communities_of_practice": [{"code": "cop-monitoring", "kind": "cop", "nl": "CoP Monitoring",
                                             "en": "CoP Monitoring", "instruments": ["monitoring"]}]}
    body = {"participants": entries, "groups": [{"code": "cop-monitoring", "min_size": 1, "max_size": 5}]}
    return problem_from_request(body, profiles=None, concepts=concepts)[0]


def test_reasons_never_show_bare_scores_and_say_where_a_value_comes_from() -> None:
    p = _request_problem([
        {"id": "a", "profile": {"name": "Aalst", "capacity": 0.9, "willingness_to_share": 0.8, "impact": 0.9}},
        {"id": "b", "profile": {"name": "Bree", "instruments": ["monitoring"], "maturity": "strategisch-extern"}},
        {"id": "c", "profile": {"name": "Dilsen"}},
        {"id": "d", "profile": {"name": "Eeklo", "must_participate": True}},
        {"id": "e", "profile": {"name": "Fijnaart", "must_participate": True, "impact": 0.1}}])
    plan = {"cop-monitoring": frozenset({"a", "b", "c", "d", "e"})}
    labels = {"monitoring": ("Monitoren", "Monitoring")}
    texts = {pid: reasons(p, plan, p.participant(pid), p.groups[0], weights=Weights(), labels=labels)
             for pid in "abcde"}
    assert [r["text_nl"] for r in texts["a"]] == [
        ("Vrije plaats in de groep; capaciteit hoog, bereidheid om te delen hoog, mogelijke impact hoog "
         "(zoals opgegeven)")]
    assert texts["b"][0]["text_nl"] == "Interesse in het onderwerp van de groep: Monitoren (zoals opgegeven)"
    assert texts["b"][1]["text_en"] == "Front-runner on this topic (as stated); brings experience"
    # nothing given, nothing known: no invented criteria
    assert [r["text_nl"] for r in texts["c"]] == ["Vrije plaats in de groep"]
    assert [r["text_nl"] for r in texts["d"]] == ["Moet in een groep; hier is plaats"]
    assert [r["text_en"] for r in texts["e"]] == ["Must join a group; this one has room",
                                                  "Selection criteria as stated: possible impact low"]
    every = [r[key] for rs in texts.values() for r in rs for key in ("text_nl", "text_en")]
    assert not [t for t in every if any(ch.isdigit() for ch in t)]
