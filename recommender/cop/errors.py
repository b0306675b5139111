"""Errors of the CoP planner; none of them knows about HTTP.

    CopError
     +-- CopInputError (ValueError)   the request names something unknown or contradicts itself in form
     +-- Infeasible                   the constraints cannot hold together; ``conflicts`` says which, in words
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Conflict:
    """One reason a plan is impossible, in Dutch and English, with the constraint families involved."""

    families: tuple[str, ...]
    text_nl: str
    text_en: str

    def as_dict(self) -> dict[str, object]:
        return {"constraints": list(self.families), "text_nl": self.text_nl, "text_en": self.text_en}


class CopError(Exception):
    """Base of every error raised by ``recommender.cop``."""


class CopInputError(CopError, ValueError):
    """The planning request refers to unknown participants or groups, or has malformed values; names the field."""

    def __init__(self, field: str, problem: str) -> None:
        self.field, self.problem = field, problem
        super().__init__(f"{field}: {problem}" if field else problem)


class Infeasible(CopError):
    """No composition satisfies every constraint; ``conflicts`` names the ones that clash."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__("; ".join(c.text_en for c in conflicts) or "the constraints cannot all hold")
