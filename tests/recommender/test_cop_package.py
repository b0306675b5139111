"""The planner's public surface is pinned, and its docstring examples run."""

from __future__ import annotations

import doctest
import importlib
import importlib.util

import pytest

import recommender.cop as cop

MODULES = ["adapter", "catalogue", "diagnosis", "errors", "explain", "export", "greedy", "milp", "model", "names",
           "objective", "partners", "plan", "request", "words"]


def test_all_lists_exactly_the_public_names_sorted() -> None:
    public = sorted(name for name in vars(cop) if not name.startswith("_") and name not in MODULES
                     and not importlib.util.find_spec(f"recommender.cop.{name}"))
    assert cop.__all__ == public


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"recommender.cop.{name}")
    failures, _ = doctest.testmod(module)
    assert failures == 0
