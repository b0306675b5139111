"""The lexical side: character n-grams match Dutch compounds that word tokens miss."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from recommender.text import LexicalIndex

DOCS = ["Materialenbank voor herbruikbare bouwmaterialen", "Uitleendienst voor herbruikbare bekers",
        "Compostering van groenafval"]


def test_compound_words_match_their_parts() -> None:
    index = LexicalIndex().fit(DOCS)
    sims = index.similarity("bouwmateriaal hergebruiken")
    assert int(np.argmax(sims)) == 0
    assert index.similarity("beker")[1] > index.similarity("beker")[2]


def test_empty_query_scores_nothing_and_unfitted_fails() -> None:
    assert not LexicalIndex().fit(DOCS).similarity("   ").any()
    with pytest.raises(NotFittedError):
        LexicalIndex().similarity("x")


def test_fast_query_vector_equals_sklearn_transform() -> None:
    index = LexicalIndex().fit(DOCS)
    for query in ["herbruikbare bekers", "Compostering van GROENAFVAL", "zzz"]:
        expected = (index.vectorizer_.transform([query]) @ index.matrix_t_).toarray().ravel()
        assert np.allclose(index.similarity(query), expected, atol=1e-6)
