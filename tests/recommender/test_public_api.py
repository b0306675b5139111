"""The recommender's public surface is pinned (STYLE C2), and its doctests run (C13)."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import recommender

REPO = Path(__file__).resolve().parents[2]
# every module with an example in a docstring, found rather than listed, so a new one cannot be forgotten
DOCTESTED = sorted(".".join(p.relative_to(REPO).with_suffix("").parts) for pkg in ("kg", "recommender", "api")
                   for p in (REPO / pkg).rglob("*.py") if ">>>" in p.read_text(encoding="utf-8"))


def test_all_is_sorted_and_complete() -> None:
    public = {n for n, v in vars(recommender).items() if not n.startswith("_") and not getattr(v, "__file__", None)
              and getattr(v, "__module__", "").startswith("recommender")}
    assert recommender.__all__ == sorted(recommender.__all__, key=str.casefold)
    assert set(recommender.__all__) == public


def test_doctests_are_found() -> None:
    assert {"recommender.text", "recommender.explain", "api.sparql._guard"} <= set(DOCTESTED)


@pytest.mark.parametrize("name", DOCTESTED)
def test_doctests(name: str) -> None:
    failures, attempted = doctest.testmod(importlib.import_module(name))
    assert attempted > 0 and failures == 0
