"""Every reason the recommender gives is true of the graph: each kind is checked by its own SPARQL.

The checks query the store directly (not the recommender's knowledge base), so a bug in the
recommender's reading of the graph cannot make its reasons look true.
"""

from __future__ import annotations

import math
import re

import pytest

from kg.store import GraphStore
from recommender import KnowledgeBase, Recommender

PREFIXES = """PREFIX kl: <https://w3id.org/kringloop/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX geo: <http://www.opengis.net/ont/geosparql#> PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#>
"""

REQUESTS = [
    {"nis_code": "71070"},
    {"nis_code": "24062"},
    {"nis_code": "13001", "profile": {"barriers": ["middelen-menskracht", "kennis-bestuur"]}},
    {"profile": {"population": 9000, "province": "Limburg", "maturity": "verkennend", "themes": ["hergebruik-herstel"],
                 "barriers": ["middelen-menskracht"]}},
    {"profile": {"description": "herbruikbare bekers op evenementen", "province": "West-Vlaanderen"}},
    {"profile": {"themes": ["circulair-bouwen"], "instruments": ["circulair-aankopen"],
                 "barriers": ["politiek-draagvlak"]}, "nis_code": "44021"},
    {"profile": {"themes": ["textiel"], "instruments": ["sociale-economie"], "population": 15000}},
]


def ask(store: GraphStore, query: str) -> bool:
    return bool(store.query(PREFIXES + query))


def count(store: GraphStore, query: str) -> int:
    rows = list(store.query(PREFIXES + query))
    return int(rows[0]["n"].value)


def iri(x: str) -> str:
    return f"<{x}>"


def check_reason(store: GraphStore, kb: KnowledgeBase, rec, reason, item, q) -> None:
    d, kind = reason.data, reason.kind
    subject = iri(item.iri)
    if kind == "shared-theme" and item.id is not None:
        for code in d["themes"]:
            assert code in q.themes or kb.concepts[("theme", code)].broader in q.themes
            assert ask(store, f'ASK {{ {subject} kl:theme/skos:notation "{code}" }}')
    elif kind == "shared-instrument" and item.id is not None:
        for code in d["instruments"]:
            assert code in q.instruments
            assert ask(store, f'ASK {{ {subject} kl:instrument/skos:notation "{code}" }}')
    elif kind in ("shared-theme", "shared-instrument"):      # a peer: "leidt N cases rond X"
        prop = "kl:theme" if d["scheme"] == "theme" else "kl:instrument"
        narrower = "/skos:broader?" if d["scheme"] == "theme" else ""
        n = count(store, f'SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c kl:leadGovernment {subject} ; '
                         f'{prop}{narrower}/skos:notation "{d["code"]}" }}')
        assert n == d["count"] and str(n) in reason.text_nl and str(n) in reason.text_en
    elif kind == "neighbour":
        assert ask(store, f"ASK {{ {iri(q.iri)} geo:sfTouches {iri(d['government'])} }}")
    elif kind == "shared-association":
        org = iri(d["association"])
        if d["association"] == d["government"]:
            assert ask(store, f"ASK {{ {iri(q.iri)} org:memberOf {org} }}")
        else:
            assert ask(store, f"ASK {{ {iri(q.iri)} org:memberOf {org} . {iri(d['government'])} org:memberOf {org} }}")
    elif kind == "similar-size":
        pop = count(store, f"SELECT (?p AS ?n) WHERE {{ {iri(d['government'])} kl:population ?p }}")
        assert pop == d["population"] and q.population
        assert abs(math.log10(pop) - math.log10(q.population)) < 0.2
    elif kind == "same-province":
        assert ask(store, f"ASK {{ {iri(d['government'])} kl:province?/skos:prefLabel ?l "
                          f"FILTER(STR(?l) = \"Provincie {d['province']}\") }}") or \
            rec.profiles_[d["government"]].province == d["province"]
        assert d["province"] == q.province
    elif kind == "own-province":
        assert d["province"] == q.province
        assert ask(store, f"ASK {{ {iri(d['government'])} a kl:Province ; skos:prefLabel ?l "
                          f"FILTER(STR(?l) = \"Provincie {d['province']}\") }}")
        if item.id is not None:
            assert ask(store, f"ASK {{ {subject} prov:wasAssociatedWith {iri(d['government'])} }}")
    elif kind == "same-kind":
        assert d["government_type"] == q.type
        assert ask(store, f'ASK {{ {iri(d["government"])} kl:governmentType/skos:notation "{q.type}" }}')
        if item.id is not None:
            assert ask(store, f"ASK {{ {subject} prov:wasAssociatedWith {iri(d['government'])} }}")
    elif kind == "frontrunner":
        n = count(store, f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c kl:leadGovernment {iri(d['government'])} }}")
        assert n == d["cases_led"] and str(n) in reason.text_nl
        if item.id is not None:
            assert ask(store, f"ASK {{ {subject} kl:leadGovernment {iri(d['government'])} }}")
        if d.get("has_strategy"):
            assert ask(store, f"ASK {{ ?c kl:leadGovernment {subject} ; kl:instrument/skos:notation \"beleidsstrategie\" }}")
        for name in d.get("declarations", []):
            assert ask(store, f'ASK {{ {subject} org:memberOf/skos:prefLabel ?l FILTER(STR(?l) = "{name}") }}')
    elif kind == "addresses-barrier":
        assert d["barrier"] in q.barriers
        case_iri = item.iri if item.id else next(c.iri for c in kb.cases.values() if c.id == d["case"])
        case = iri(case_iri)
        feature = d["feature"]
        if feature == "intercommunale":
            assert ask(store, f"ASK {{ {case} prov:wasAssociatedWith {iri(d['government'])} . "
                              f"{iri(d['government'])} a kl:IntermunicipalAssociation }}")
        elif feature in ("subsidy", "regulation", "campaign"):
            assert ask(store, f'ASK {{ {case} kl:instrument/skos:notation "{d["instrument"]}" }}')
        else:
            assert d["quote"] in kb.cases[case_iri].summary_nl and d["quote"] in reason.text_nl
        if item.id is None:
            assert ask(store, f"ASK {{ {case} prov:wasAssociatedWith {subject} }}")
    elif kind == "text-match":
        assert q.description and d["score"] >= 0.6 and d["lexical"] >= 0.08
        if "case" in d:
            assert re.search(r"'(.+)'", reason.text_nl)
    elif kind == "graph-proximity":
        assert d["score"] >= 0.5
    elif kind == "documented-practice":
        for g in d["governments"]:
            assert ask(store, f"ASK {{ {subject} prov:wasAssociatedWith {iri(g)} }}")
    elif kind == "active":
        n = count(store, f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c prov:wasAssociatedWith {subject} ; a kl:Case }}")
        assert n == d["count"]
    else:
        pytest.fail(f"reason kind {kind!r} has no check")
    assert reason.text_nl and reason.text_en and reason.text_nl != reason.text_en


def test_every_reason_is_true_of_the_graph(graph_store: GraphStore, kb: KnowledgeBase, fitted: Recommender) -> None:
    seen: set[str] = set()
    for request in REQUESTS:
        result = fitted.recommend(**request, limit=15)
        for item in result.peers + result.practices:
            for reason in item.reasons:
                check_reason(graph_store, kb, fitted, reason, item, result.profile)
                seen.add(reason.kind)
    must = {"shared-theme", "shared-instrument", "neighbour", "shared-association", "similar-size", "frontrunner",
            "text-match"}
    if kb.remedies:
        must.add("addresses-barrier")
    assert must <= seen, f"never exercised: {must - seen}"


def test_a_practice_gets_no_reason_for_only_sharing_the_province(fitted: Recommender) -> None:
    for request in REQUESTS:
        for item in fitted.recommend(**request, limit=15).practices:
            assert "same-province" not in {r.kind for r in item.reasons}, item.id


def test_a_nonsense_description_matches_nothing(fitted: Recommender) -> None:
    result = fitted.recommend(profile={"description": "asdfgh qwerty"}, limit=10)
    kinds = {r.kind for item in result.peers + result.practices for r in item.reasons}
    assert "text-match" not in kinds


def test_barrier_reasons_say_what_in_the_case_meets_the_barrier(fitted: Recommender) -> None:
    result = fitted.recommend(profile={"population": 6000, "province": "Oost-Vlaanderen", "themes": ["textiel"],
                                       "barriers": ["middelen-menskracht"]}, limit=15)
    barrier = [r for item in result.practices for r in item.reasons if r.kind == "addresses-barrier"]
    assert barrier, "a small municipality short of staff hears what in a practice helps"
    assert all(r.data["feature"] in ("intercommunale", "volunteers", "free", "subsidy") for r in barrier)
    assert not any("via '" in r.text_nl for r in barrier)   # no generic instrument label


def test_a_theme_is_called_yours_only_when_you_gave_it(fitted: Recommender) -> None:
    # Leuven without stated themes: its themes come from its own cases, and the reasons say so
    history = fitted.recommend(nis_code="24062", limit=15)
    told = [r for item in history.practices for r in item.reasons if r.kind == "shared-theme"]
    assert told and all(r.data["stated"] is False and "uw bestuur al werkte" in r.text_nl for r in told)
    given = fitted.recommend(nis_code="24062", profile={"themes": ["textiel"]}, limit=15)
    mine = [r for item in given.practices for r in item.reasons if r.kind == "shared-theme" and "textiel" in r.data["themes"]]
    assert mine and all(r.data["stated"] is True and "opgaf" in r.text_nl for r in mine)
