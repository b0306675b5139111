"""The recommender's public surface is pinned (STYLE C2), and its doctests run (C13)."""

from __future__ import annotations

import doctest

import pytest

import recommender
from recommender import encoders, explain, text


def test_all_is_sorted_and_complete() -> None:
    public = {n for n, v in vars(recommender).items() if not n.startswith("_") and not getattr(v, "__file__", None)
              and getattr(v, "__module__", "").startswith("recommender")}
    assert recommender.__all__ == sorted(recommender.__all__, key=str.casefold)
    assert set(recommender.__all__) == public


@pytest.mark.parametrize("module", [encoders, explain, text], ids=lambda m: m.__name__)
def test_doctests(module) -> None:
    failures, _ = doctest.testmod(module)
    assert failures == 0
