"""Profiles derived from the graph, and request profiles validated against it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from recommender import InvalidProfile, KnowledgeBase, UnknownGovernment, derive_profiles, load_profiles, resolve_profile
from recommender.vocabulary import UnknownCode

DATA = Path(__file__).resolve().parents[2] / "data"
LEUVEN, HERENT = "24062", "24038"


@pytest.fixture(scope="module")
def profiles(kb: KnowledgeBase):
    return derive_profiles(kb)


def _by_nis(profiles, nis):
    return next(p for p in profiles.values() if p.nis_code == nis and not p.former)


def test_load_profiles_is_keyed_by_iri_and_covers_every_current_municipality(graph_store) -> None:
    profiles = load_profiles(graph_store)
    assert all(iri == p.iri for iri, p in profiles.items())
    with (DATA / "flanders" / "municipalities.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    current = {p.nis_code: p for p in profiles.values() if p.nis_code and not p.former}
    assert set(current) == {r["nis_code"] for r in rows}
    for r in rows[:40]:
        p = current[r["nis_code"]]
        assert p.name == r["name_nl"]
        assert p.population == int(r["population_2020"])
        assert p.province == r["province"]


def test_neighbours_are_the_adjacency_of_the_source(profiles) -> None:
    with (DATA / "flanders" / "adjacency.csv").open(encoding="utf-8") as f:
        pairs = {(r["nis_a"], r["nis_b"]) for r in csv.DictReader(f)}
    leuven = _by_nis(profiles, LEUVEN)
    expected = {b for a, b in pairs if a == LEUVEN} | {a for a, b in pairs if b == LEUVEN}
    got = {profiles[n].nis_code for n in leuven.neighbours}
    assert got == expected and HERENT in got


def test_frontrunner_score_follows_the_evidence(profiles) -> None:
    leuven = _by_nis(profiles, LEUVEN)
    assert leuven.cases_led >= 10 and leuven.has_strategy and leuven.declarations
    assert leuven.maturity == "strategisch-extern" and leuven.maturity_from_evidence
    idle = [p for p in profiles.values() if p.cases_total == 0 and not p.declarations and not p.former]
    assert idle, "the graph has municipalities without any case"
    assert all(p.frontrunner_score == 0 and not p.maturity_from_evidence for p in idle)
    assert leuven.frontrunner_score > max(p.frontrunner_score for p in profiles.values() if p.cases_led <= 1)


def test_theme_weights_count_roles(kb: KnowledgeBase, profiles) -> None:
    leuven = _by_nis(profiles, LEUVEN)
    expected = sum({"trekker": 1.0, "co-trekker": 0.7, "partner": 0.3}[c.participants[leuven.iri]]
                   for c in kb.cases.values() if leuven.iri in c.participants and "hergebruik-herstel" in c.themes)
    assert leuven.theme_weights["hergebruik-herstel"] == pytest.approx(expected)


def test_a_request_overrides_the_graph_profile(kb: KnowledgeBase, profiles) -> None:
    q = resolve_profile(kb, profiles, nis_code=LEUVEN, profile={"population": 9000, "themes": ["water"]})
    assert q.population == 9000 and q.nis_code == LEUVEN
    assert q.themes["water"] == max(q.themes.values())


def test_a_free_text_profile_needs_nothing_else(kb: KnowledgeBase, profiles) -> None:
    q = resolve_profile(kb, profiles, profile={"description": "herbruikbare bekers op evenementen"})
    assert q.iri is None and q.description


BAD = [
    ({"profile": {}}, "profile"),
    ({"profile": {"name": "Gemeente Nergens"}}, "profile"),
    ({"profile": {"themes": ["kernenergie"]}}, "profile.themes.0"),
    ({"profile": {"instruments": ["hergebruik-herstel"]}}, "profile.instruments.0"),
    ({"profile": {"barriers": ["geld"]}}, "profile.barriers.0"),
    ({"profile": {"drivers": ["winst"]}}, "profile.drivers.0"),
    ({"profile": {"province": "Henegouwen"}}, "profile.province"),
    ({"profile": {"maturity": "expert"}}, "profile.maturity"),
    ({"profile": {"government_type": "staat"}}, "profile.government_type"),
    ({"profile": {"population": -5}}, "profile.population"),
    ({"nis_code": "99999"}, "nis_code"),
]


@pytest.mark.parametrize(("request_", "field"), BAD, ids=[f for _, f in BAD])
def test_bad_requests_name_the_field(kb: KnowledgeBase, profiles, request_, field) -> None:
    with pytest.raises(InvalidProfile) as err:
        resolve_profile(kb, profiles, **request_)
    assert err.value.field == field and str(err.value).startswith(field)
    if field == "nis_code":
        assert isinstance(err.value, UnknownGovernment)


def test_an_unknown_code_gets_a_close_match_and_the_valid_codes(kb: KnowledgeBase, profiles) -> None:
    with pytest.raises(UnknownCode) as err:
        resolve_profile(kb, profiles, profile={"barriers": ["kennis-bestur"]})
    assert "did you mean 'kennis-bestuur'?" in err.value.problem
    assert "kennis-bestuur" in err.value.valid and "middelen-menskracht" in err.value.valid


def test_a_misspelt_profile_field_is_refused_not_ignored(kb: KnowledgeBase, profiles) -> None:
    with pytest.raises(InvalidProfile) as err:
        resolve_profile(kb, profiles, profile={"themes": ["hergebruik-herstel"], "theme": ["x"]})
    assert err.value.field == "profile.theme"


def test_a_province_may_be_written_as_people_write_it(kb: KnowledgeBase, profiles) -> None:
    assert resolve_profile(kb, profiles, profile={"province": "provincie limburg".title()}).province == "Limburg"
    assert resolve_profile(kb, profiles, profile={"province": "limburg"}).province == "Limburg"
