"""Ranking contract of the recommender, on the real graph with the fake encoder."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
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
    leads = Counter((kb.cases[c.iri].leads() or list(kb.cases[c.iri].participants))[0] for c in r.practices)
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
    kinds = {reason.kind for p in r.peers for reason in p.reasons}
    assert "neighbour" in kinds
    assert r.peers[0].iri in r.profile.neighbours or r.peers[0].score >= r.peers[-1].score


def test_peers_that_are_not_municipalities_have_no_nis_code(fitted: Recommender) -> None:
    r = fitted.recommend(profile={"themes": ["afvalstromen"], "instruments": ["communicatie-sensibilisering"]}, limit=30)
    others = [p for p in r.peers if p.type not in ("gemeente", "centrumstad")]
    assert others, "waste-stream peers include intercommunales"
    assert all(p.nis_code is None for p in others)
    assert all(p.nis_code for p in r.peers if p.type in ("gemeente", "centrumstad"))


@pytest.mark.parametrize("scorer", ["topical", "context", "frontrunner", "graph", "lexical", "semantic"])
def test_every_scorer_changes_the_ranking(kb: KnowledgeBase, fitted: Recommender, scorer: str) -> None:
    """A scorer whose removal changes nothing would be dead weight (ablations in bench/ measure how much)."""
    ablated = Recommender(encoder=fitted.encoder, practice_weights={scorer: 0.0}, peer_weights={scorer: 0.0})
    ablated.kb_, ablated.profiles_, ablated.index_, ablated.encoder_ = fitted.kb_, fitted.profiles_, fitted.index_, fitted.encoder_
    ablated.practice_weights_ = {**fitted.practice_weights_, scorer: 0.0}
    ablated.peer_weights_ = {**fitted.peer_weights_, scorer: 0.0}
    request = {"nis_code": HEUSDEN_ZOLDER, "profile": {"themes": ["hergebruik-herstel"], "description": "repair café en kringwinkel"}}
    full = fitted.recommend(**request, limit=10)
    less = ablated.recommend(**request, limit=10)
    assert [p.iri for p in full.practices] + [p.iri for p in full.peers] != \
           [p.iri for p in less.practices] + [p.iri for p in less.peers]


def test_fit_is_deterministic(kb: KnowledgeBase, fitted: Recommender) -> None:
    again = Recommender(encoder=HashingEncoder()).fit(kb)
    assert np.array_equal(again.index_.case_vectors, fitted.index_.case_vectors)
    a = again.recommend(profile=SMALL_LIMBURG, limit=10)
    b = fitted.recommend(profile=SMALL_LIMBURG, limit=10)
    assert [p.iri for p in a.practices] == [p.iri for p in b.practices]
