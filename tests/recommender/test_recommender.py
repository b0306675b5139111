"""Ranking contract of the recommender, on the real graph with the fake encoder."""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from recommender import HashingEncoder, KnowledgeBase, Recommender

SMALL_LIMBURG = {"population": 9000, "province": "Limburg", "maturity": "verkennend",
                 "themes": ["hergebruik-herstel"], "barriers": ["middelen-menskracht"]}
HEUSDEN_ZOLDER = "71070"


def test_using_an_unfitted_recommender_fails_clearly() -> None:
    with pytest.raises(NotFittedError):
        Recommender(encoder=HashingEncoder()).recommend(profile=SMALL_LIMBURG)


@pytest.mark.parametrize("limit", [1, 5, 12])
def test_lists_are_sorted_bounded_and_scored_in_unit_range(fitted: Recommender, limit: int) -> None:
    r = fitted.recommend(profile=SMALL_LIMBURG, limit=limit)
    for items in (r.peers, r.practices):
        assert 0 < len(items) <= limit
        scores = [i.score for i in items]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert all(i.reasons for i in items)
        assert len({i.iri for i in items}) == len(items)


def test_own_cases_and_self_are_never_recommended(fitted: Recommender, kb: KnowledgeBase) -> None:
    r = fitted.recommend(nis_code="24062", limit=30)
    leuven = r.profile.iri
    assert leuven not in {p.iri for p in r.peers}
    assert not [c.id for c in r.practices if leuven in kb.cases[c.iri].participants]


def test_practices_are_diverse(fitted: Recommender, kb: KnowledgeBase) -> None:
    r = fitted.recommend(profile={"themes": ["circulair-bouwen", "stadsontwikkeling"], "description": "circulair bouwen"},
                         limit=10)
    leads = Counter((kb.cases[c.iri].leads() or list(kb.cases[c.iri].participants) or [c.iri])[0] for c in r.practices)
    assert len(r.practices) == 10 and max(leads.values()) <= fitted.max_per_lead


def test_topic_drives_practices(fitted: Recommender, kb: KnowledgeBase) -> None:
    r = fitted.recommend(profile={"themes": ["water"]}, limit=5)
    assert all("water" in kb.cases[c.iri].themes for c in r.practices[:3])


def test_free_text_alone_finds_the_matching_practices(fitted: Recommender, kb: KnowledgeBase) -> None:
    r = fitted.recommend(profile={"description": "herbruikbare bekers uitlenen voor evenementen"}, limit=5)
    titles = " ".join(kb.cases[c.iri].title.lower() for c in r.practices[:3])
    assert "beker" in titles


def test_small_municipality_gets_nearby_peers(fitted: Recommender) -> None:
    r = fitted.recommend(nis_code=HEUSDEN_ZOLDER, limit=10)
    neighbours = [p for p in r.peers if any(reason.kind == "neighbour" for reason in p.reasons)]
    assert neighbours, "a small municipality's peers include a neighbour"
    # the reason is given to real neighbours only
    assert all(p.iri in r.profile.neighbours for p in neighbours)


def test_peers_that_are_not_municipalities_have_no_nis_code(fitted: Recommender) -> None:
    r = fitted.recommend(profile={"themes": ["afvalstromen"], "instruments": ["communicatie-sensibilisering"]}, limit=30)
    others = [p for p in r.peers if p.type not in ("gemeente", "centrumstad")]
    assert others, "waste-stream peers include intercommunales"
    assert all(p.nis_code is None for p in others)
    assert all(p.nis_code for p in r.peers if p.type in ("gemeente", "centrumstad"))


@pytest.mark.parametrize("change", [{"text_share": 0.0}, {"text_share": 1.0}, {"semantic_share": 0.0},
                                    {"semantic_share": 1.0}, {"context_lift": 0.0, "peer_context_lift": 0.0},
                                    {"frontrunner_lift": 0.3}, {"sharpen": 1.0, "decay": 1.0}, {"graph_lift": 0.0}],
                         ids=lambda c: ",".join(c))
def test_every_signal_changes_the_ranking(kb: KnowledgeBase, fitted: Recommender, change: dict) -> None:
    """A signal whose removal changes nothing would be dead weight (ablations in bench/ measure how much)."""
    ablated = clone(fitted).set_params(params=dataclasses.replace(fitted.params_, **change)).fit(kb)
    request = {"nis_code": HEUSDEN_ZOLDER, "profile": {"themes": ["hergebruik-herstel"], "description": "repair café en kringwinkel"}}
    full = fitted.recommend(**request, limit=10)
    less = ablated.recommend(**request, limit=10)
    assert [p.iri for p in full.practices] + [p.iri for p in full.peers] != \
           [p.iri for p in less.practices] + [p.iri for p in less.peers]


def test_supralocal_profile_gets_its_own_kind_first(fitted: Recommender) -> None:
    r = fitted.recommend(profile={"government_type": "intergemeentelijk", "province": "Oost-Vlaanderen",
                                  "themes": ["afvalstromen"], "description": "textielinzameling"}, limit=5)
    assert sum(p.type == "intergemeentelijk" for p in r.peers) >= 3


def test_a_named_province_is_not_its_own_peer(fitted: Recommender) -> None:
    r = fitted.recommend(profile={"government_type": "provincie", "name": "Provincie Limburg",
                                  "description": "subsidies voor repair cafés"}, limit=20)
    assert r.profile.iri is not None
    assert r.profile.iri not in {p.iri for p in r.peers}
    own = {c.iri for c in fitted.kb_.cases.values() if r.profile.iri in c.participants}
    assert own and not own & {p.iri for p in r.practices}


def test_fit_is_deterministic(kb: KnowledgeBase, fitted: Recommender) -> None:
    again = Recommender(encoder=HashingEncoder()).fit(kb)
    assert np.array_equal(again.index_.case_vectors, fitted.index_.case_vectors)
    a = again.recommend(profile=SMALL_LIMBURG, limit=10)
    b = fitted.recommend(profile=SMALL_LIMBURG, limit=10)
    assert [p.iri for p in a.practices] == [p.iri for p in b.practices]
