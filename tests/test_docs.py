"""Documentation that cannot drift: every setting and every CLI command is in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.cli import build_parser
from api.config import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"KRINGLOOP_{name.upper()}" in README


def test_every_command_is_documented() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for command in sub.choices:
        assert f"kringloop {command}" in README or f"| {command} FILE" in README, command


def test_first_screen_is_about_the_two_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:15])
    assert "make run" in first_screen and "make test" in first_screen


def _limit_row(name: str, rate: float, burst: int) -> str:
    return f"| `{name}` | {rate:g}/s, burst {burst} |"


@pytest.mark.parametrize("doc", ["README.md", "docs/operations.md"])
def test_rate_limits_are_documented_alike(doc: str) -> None:
    """README and docs/operations.md give each limit and the Retry-After a client meets at it."""
    import ast
    import math

    import api.ratelimit

    # read from the source: the suite's autouse fixture raises the limits in memory for every test
    source = ast.parse(Path(api.ratelimit.__file__).read_text(encoding="utf-8"))
    assignment = next(node for node in source.body if isinstance(node, ast.AnnAssign)
                      and getattr(node.target, "id", "") == "DEFAULT_LIMITS")
    DEFAULT_LIMITS = ast.literal_eval(assignment.value)
    text = (Path(__file__).resolve().parent.parent / doc).read_text(encoding="utf-8")
    for name, (rate, burst) in DEFAULT_LIMITS.items():
        row = next((line for line in text.splitlines() if line.startswith(_limit_row(name, rate, burst))), None)
        assert row is not None, f"{doc} lacks the rate-limit row for {name}"
        # the first refusal after the burst waits for one token: 1/rate seconds, rounded up
        assert row.rstrip().endswith(f"| {max(1, math.ceil(1 / rate))} s |"), row
