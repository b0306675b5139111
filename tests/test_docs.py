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
