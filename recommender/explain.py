"""Reasons in Dutch and English. Every reason carries the facts it states in ``data``, so a test can
check each one against the graph (issue 4: explanations must be true of the graph)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reason:
    kind: str
    text_nl: str
    text_en: str
    data: dict[str, Any] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text_nl": self.text_nl, "text_en": self.text_en, "data": self.data}


def join(items: list[str], lang: str) -> str:
    """'a, b en c' / 'a, b and c'.

    >>> join(["hergebruik", "textiel", "water"], "nl")
    "'hergebruik', 'textiel' en 'water'"
    """
    quoted = [f"'{i}'" for i in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    word = " en " if lang == "nl" else " and "
    return ", ".join(quoted[:-1]) + word + quoted[-1]


def population_text(n: int | None, lang: str) -> str:
    if n is None:
        return ""
    s = f"{n:,}".replace(",", "." if lang == "nl" else ",")
    return f"{s} inwoners" if lang == "nl" else f"{s} inhabitants"


def practices_word(n: int, lang: str) -> str:
    """'1 praktijk' / '3 praktijken' (the word a civil servant uses, not 'case')."""
    if lang == "nl":
        return f"{n} praktijk" if n == 1 else f"{n} praktijken"
    return f"{n} practice" if n == 1 else f"{n} practices"
