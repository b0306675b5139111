"""The profile a request gives (``../shared/API.md``): one model for every way in.

Recommendations, registrations, CoP participant overrides and the CLI's YAML/JSON files all read a
profile through :class:`Profile`, so a misspelt field is refused everywhere (``extra="forbid"``) and
the limits are the same everywhere. The model checks form; which codes exist is the graph's to say
(:mod:`recommender.vocabulary`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from kg.textfields import Text

from .errors import InvalidProfile

# a code of a concept scheme; its validity is checked against the graph, so only the form is bounded here
Code = Annotated[str, StringConstraints(min_length=1, max_length=80)]
MAX_CODES = 50


class Profile(BaseModel):
    """A government's profile; every field optional, codes from the graph's concept schemes."""

    model_config = ConfigDict(extra="forbid")

    name: Text(200) | None = None
    government_type: Code | None = Field(default=None, description="code of the scheme government_type")
    province: Text(60) | None = Field(default=None, description="a Flemish province, e.g. 'Limburg'")
    population: int | None = Field(default=None, ge=0, le=10_000_000)
    maturity: Code | None = Field(default=None, description="code of the scheme maturity")
    themes: list[Code] = Field(default=[], max_length=MAX_CODES)
    instruments: list[Code] = Field(default=[], max_length=MAX_CODES)
    barriers: list[Code] = Field(default=[], max_length=MAX_CODES)
    drivers: list[Code] = Field(default=[], max_length=MAX_CODES)
    description: Text(5000) | None = Field(default=None, description="free text, Dutch or English")

    def given(self) -> dict[str, Any]:
        """The fields the request filled in (an empty string or list counts as not given)."""
        return {k: v for k, v in self.model_dump().items() if v not in (None, "", [], {})}


class RecommendationRequest(BaseModel):
    """The body of ``POST /api/v1/recommendations`` and of a ``kringloop recommend`` file."""

    model_config = ConfigDict(extra="forbid")

    nis_code: str | None = Field(default=None, pattern=r"^\d{5}$", description="5-digit NIS code of a municipality")
    profile: Profile | None = None
    limit: int = Field(default=10, ge=1, le=100)


Model = TypeVar("Model", bound=BaseModel)


def first_error(exc: ValidationError, prefix: str = "") -> tuple[str, str]:
    """The field path and message of a validation error's first problem."""
    error = exc.errors()[0]
    path = ".".join(str(p) for p in (prefix, *error["loc"]) if p != "")
    return path or prefix or "body", error["msg"]


def parse(model: type[Model], data: Model | Mapping[str, Any] | None, *, field: str,
          error: type[Exception] = InvalidProfile) -> Model:
    """``data`` as ``model``; a problem raises ``error(field path, message)``, never a ValidationError."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise error(*first_error(exc, field)) from None


__all__ = ["Code", "Profile", "RecommendationRequest", "first_error", "parse"]
